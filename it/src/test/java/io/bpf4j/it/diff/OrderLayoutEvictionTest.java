package io.bpf4j.it.diff;

import static io.bpf4j.it.diff.Bytes.k;
import static io.bpf4j.it.diff.Bytes.v;

import io.bpf4j.api.MapFlags;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.UpdateFlags;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Orders and layouts: get_next_key sequences (exact with BPF_F_ZERO_SEED, as sets without it,
 * as backend-sim/README.md says the seed is random), per-CPU value layout with a value size
 * that is not a multiple of 8, and LRU eviction of small maps. LRU eviction depends on the CPU
 * the syscall runs on; the kernel side runs pinned to CPU 0, as the simulator assumes, so the
 * surviving keys are compared exactly, not only their number.
 */
class OrderLayoutEvictionTest {
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void nextKeySequences(boolean zeroSeed) {
        Scenario s = new Scenario("next_key sequence, zero seed " + zeroSeed);
        MapOps m = new MapOps(s);
        for (MapType t : new MapType[] {MapType.HASH, MapType.PERCPU_HASH, MapType.LRU_HASH}) {
            String sym = "map" + t;
            m.create(sym, MapSpec.of(t, 4, 8, 32).withFlags(zeroSeed ? MapFlags.ZERO_SEED : 0));
            Random r = new Random(42);
            for (int i = 0; i < 24; i++) {
                m.update(sym, k(r.nextInt(1000)), MapErrnoMatrixTest.val(t, i), UpdateFlags.ANY);
                if (i % 6 == 5) m.walk(sym, zeroSeed);
            }
            for (int i = 0; i < 8; i++) m.delete(sym, k(r.nextInt(1000)));
            m.walk(sym, zeroSeed);
            if (zeroSeed) {
                m.nextKey(sym, k(5000));
                m.lookupBatch(sym, false, "c" + t, true, 5, true);
                m.lookupBatch(sym, false, "c" + t, false, 5, true);
            }
        }
        Diff.assertSame(s);
    }

    /**
     * Keys of other sizes than 4: the hash of their tail bytes (word-sized or not) decides the
     * zero-seed order, and keys that share their first 8 bytes and differ after them must stay
     * apart, in lookups, updates, deletes and the walk.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 3, 5, 8, 12, 16, 20})
    void keySizes(int keySize) {
        Scenario s = new Scenario("key size " + keySize);
        MapOps m = new MapOps(s);
        for (MapType t : new MapType[] {MapType.HASH, MapType.LRU_HASH}) {
            String sym = "map" + t;
            m.create(sym, MapSpec.of(t, keySize, 8, 32).withFlags(MapFlags.ZERO_SEED));
            Random r = new Random(keySize);
            byte[] shared = new byte[keySize];
            r.nextBytes(shared);
            for (int i = 0; i < 24; i++) {
                byte[] key = shared.clone();
                // Below 9 bytes random keys; above, the same first 8 bytes and one differing byte.
                if (keySize <= 8) r.nextBytes(key);
                else key[8 + i % (keySize - 8)] ^= (byte) (1 + i / (keySize - 8));
                m.update(sym, key, v(i), UpdateFlags.ANY);
                m.lookup(sym, key);
                if (i % 3 == 0) m.update(sym, key, v(100 + i), UpdateFlags.NOEXIST);
            }
            byte[] absent = shared.clone();
            absent[keySize - 1] ^= (byte) 0x80;
            m.lookup(sym, absent);
            m.lookup(sym, shared);
            m.walk(sym, true);
            m.delete(sym, shared);
            m.delete(sym, absent);
            m.walk(sym, true);
            m.lookupBatch(sym, false, "c" + t, true, 32, true);
        }
        Diff.assertSame(s);
    }

    /**
     * value_size 12 per CPU is 16 bytes in user space; the padding is non-zero here and kept, as
     * the kernel copies round_up(value_size, 8) per CPU (more in {@link FormerDifferencesTest}).
     */
    @Test
    void perCpuLayout() {
        Scenario s = new Scenario("per-CPU layout");
        MapOps m = new MapOps(s);
        for (MapType t : new MapType[] {MapType.PERCPU_ARRAY, MapType.PERCPU_HASH, MapType.LRU_PERCPU_HASH}) {
            String sym = "map" + t;
            m.create(sym, MapSpec.of(t, 4, 12, 4));
            byte[] val = new byte[16 * DiffHost.CPUS];
            for (int i = 0; i < val.length; i++) val[i] = (byte) (i + 1);
            m.update(sym, k(1), val, UpdateFlags.ANY);
            m.lookup(sym, k(1));
            m.lookup(sym, k(2));
            m.lookupBatch(sym, false, "c" + t, true, 4, true);
            m.update(sym, k(1), new byte[12], UpdateFlags.ANY);
            m.update(sym, k(1), new byte[16], UpdateFlags.ANY);
            m.lookupAndDelete(sym, k(1), 0);
        }
        Diff.assertSame(s);
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 5, 8})
    void lruEviction(int max) {
        Scenario s = new Scenario("LRU eviction max " + max);
        MapOps m = new MapOps(s);
        for (MapType t : new MapType[] {MapType.LRU_HASH, MapType.LRU_PERCPU_HASH}) {
            for (int flags : new int[] {MapFlags.ZERO_SEED, MapFlags.ZERO_SEED | MapFlags.NO_COMMON_LRU}) {
                String sym = "map" + t + flags;
                m.create(sym, MapSpec.of(t, 4, 8, max).withFlags(flags));
                for (int i = 1; i <= 3 * max; i++) {
                    m.update(sym, k(i), MapErrnoMatrixTest.val(t, i), i % 4 == 0 ? UpdateFlags.NOEXIST : UpdateFlags.ANY);
                    if (i % 3 == 0) m.lookup(sym, k(i - 1));
                    if (i % 5 == 0) m.update(sym, k(i - 2), MapErrnoMatrixTest.val(t, 100 + i), UpdateFlags.EXIST);
                    if (i % 7 == 0) m.delete(sym, k(i - 1));
                    m.walk(sym, true);
                }
            }
        }
        Diff.assertSame(s);
    }

    @Test
    void lpmTrieRandomPrefixes() {
        long seed = 20240601;
        Scenario s = new Scenario("LPM trie random prefixes").note("seed " + seed);
        MapOps m = new MapOps(s);
        m.create("bad#1", MapSpec.of(MapType.LPM_TRIE, 8, 8, 16));
        m.create("bad#2", MapSpec.of(MapType.LPM_TRIE, 4, 8, 16).withFlags(MapFlags.NO_PREALLOC));
        m.create("map#1", MapSpec.of(MapType.LPM_TRIE, 8, 8, 12).withFlags(MapFlags.NO_PREALLOC));
        Random r = new Random(seed);
        for (int i = 0; i < 16; i++) {
            int plen = r.nextInt(33);
            m.update("map#1", lpm(plen, r.nextInt() & 0xF0F0FFFF), v(i), i % 5 == 4 ? UpdateFlags.NOEXIST : UpdateFlags.ANY);
        }
        m.update("map#1", lpm(33, 0), v(1), UpdateFlags.ANY);
        m.walk("map#1", true);
        for (int i = 0; i < 24; i++) m.lookup("map#1", lpm(32, r.nextInt() & 0xF0F0FFFF));
        m.nextKey("map#1", lpm(7, 0x01020304));
        for (int i = 0; i < 6; i++) m.delete("map#1", lpm(r.nextInt(33), r.nextInt() & 0xF0F0FFFF));
        m.dump("map#1", true);
        m.lookupAndDelete("map#1", lpm(32, 0), 0);
        m.lookupBatch("map#1", false, "c", true, 4, true);
        Diff.assertSame(s);
    }

    /** An LPM key: prefix length (host order) then the IPv4 address in network order. */
    static byte[] lpm(int prefixLen, int addr) {
        return Bytes.concat(k(prefixLen), java.nio.ByteBuffer.allocate(4).putInt(addr).array());
    }
}
