package io.bpf4j.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.BpfException;
import io.bpf4j.api.Errno;
import io.bpf4j.api.MapFlags;
import io.bpf4j.api.MapInfo;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.Operation;
import io.bpf4j.api.UpdateFlags;
import io.bpf4j.linux.internal.uapi.LinuxUapi;
import io.bpf4j.testsupport.LeakCheck;
import io.bpf4j.testsupport.Need;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The map commands against the real kernel, with the edge cases the kernel documents. */
@ExtendWith(LeakCheck.class)
class MapCommandsTest {
    private static LinuxBpf bpf;

    /** Why this machine cannot run the class, or null (see {@link Need#inBeforeAll}). */
    private static String skip;

    @BeforeAll
    static void open() throws Exception {
        skip = Need.inBeforeAll(RealKernel::require);
        if (skip != null) return;
        bpf = RealKernel.open();
    }

    @BeforeEach
    void needKernel() {
        Need.still(skip);
    }

    @AfterAll
    static void close() {
        if (bpf != null) bpf.close();
    }

    static byte[] u32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }

    static byte[] u64(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }

    static int u32(byte[] b, int off) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt(off);
    }

    static long u64(byte[] b, int off) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong(off);
    }

    @Test
    void hashCrudAndFlags() {
        int m = bpf.mapCreate(MapSpec.of(MapType.HASH, 4, 8, 2).withName("crud"));
        try {
            byte[] v = new byte[8];
            assertFalse(bpf.mapLookupElem(m, u32(1), v, 0), "missing key is false, not an exception");
            bpf.mapUpdateElem(m, u32(1), u64(10), UpdateFlags.NOEXIST);
            assertTrue(bpf.mapLookupElem(m, u32(1), v, 0));
            assertEquals(10, u64(v, 0));
            BpfException e = assertThrows(BpfException.class, () -> bpf.mapUpdateElem(m, u32(1), u64(11), UpdateFlags.NOEXIST));
            assertEquals(Errno.EEXIST, e.errno());
            assertEquals(Operation.MAP_UPDATE_ELEM, e.operation());
            assertTrue(e.getMessage().startsWith("linux: MAP_UPDATE_ELEM map \"crud\": EEXIST (17)"), e.getMessage());
            e = assertThrows(BpfException.class, () -> bpf.mapUpdateElem(m, u32(2), u64(20), UpdateFlags.EXIST));
            assertEquals(Errno.ENOENT, e.errno());
            bpf.mapUpdateElem(m, u32(1), u64(12), UpdateFlags.EXIST);
            bpf.mapUpdateElem(m, u32(2), u64(20), UpdateFlags.ANY);
            // The map holds 2: a third key is E2BIG (kernel/bpf/hashtab.c, preallocated or not).
            e = assertThrows(BpfException.class, () -> bpf.mapUpdateElem(m, u32(3), u64(30), UpdateFlags.ANY));
            assertEquals(Errno.E2BIG, e.errno());
            assertTrue(bpf.mapLookupAndDeleteElem(m, u32(1), v, 0));
            assertEquals(12, u64(v, 0));
            assertFalse(bpf.mapLookupAndDeleteElem(m, u32(1), v, 0));
            assertTrue(bpf.mapDeleteElem(m, u32(2)));
            assertFalse(bpf.mapDeleteElem(m, u32(2)), "deleting a missing key is false");
        } finally {
            bpf.closeFd(m);
        }
    }

    @Test
    void badInputIsRejectedBeforeTheKernel() {
        int m = bpf.mapCreate(MapSpec.of(MapType.HASH, 4, 8, 2));
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> bpf.mapUpdateElem(m, new byte[3], new byte[8], 0));
            assertTrue(e.getMessage().startsWith("key:"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> bpf.mapUpdateElem(m, u32(1), new byte[7], 0));
            assertTrue(e.getMessage().startsWith("value:"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> bpf.mapLookupElem(m, null, new byte[8], 0));
            assertTrue(e.getMessage().startsWith("key:"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> bpf.mapUpdateElem(m, u32(1), new byte[8], 3));
            assertTrue(e.getMessage().startsWith("flags:"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> bpf.mapUpdateElem(-1, u32(1), new byte[8], 0));
            assertTrue(e.getMessage().startsWith("mapFd:"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> bpf.mapCreate(MapSpec.of(MapType.HASH, 4, 4, 1).withFlags(1 << 30)));
            assertTrue(e.getMessage().startsWith("flags:"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> bpf.mapCreate(MapSpec.of(MapType.QUEUE, 4, 4, 1)));
            assertTrue(e.getMessage().startsWith("keySize:"), e.getMessage());
        } finally {
            bpf.closeFd(m);
        }
    }

    @Test
    void nextKeyWalksAndRestartsWhenTheKeyIsMissing() {
        int m = bpf.mapCreate(MapSpec.of(MapType.HASH, 4, 4, 8));
        try {
            Set<Integer> put = Set.of(5, 6, 7);
            for (int k : put) bpf.mapUpdateElem(m, u32(k), u32(k * 10), 0);
            byte[] next = new byte[4];
            Set<Integer> seen = new HashSet<>();
            byte[] cur = null;
            while (bpf.mapGetNextKey(m, cur, next)) {
                seen.add(u32(next, 0));
                cur = next.clone();
            }
            assertEquals(put, seen);
            byte[] first = new byte[4];
            assertTrue(bpf.mapGetNextKey(m, null, first));
            // A key that is not in the map restarts the walk at the first key (kernel/bpf/hashtab.c).
            assertTrue(bpf.mapGetNextKey(m, u32(999), next));
            assertArrayEquals(first, next);
        } finally {
            bpf.closeFd(m);
        }
    }

    @Test
    void arrayAndPerCpuLayout() {
        int cpus = bpf.possibleCpus();
        assertTrue(cpus >= 1);
        int a = bpf.mapCreate(MapSpec.of(MapType.ARRAY, 4, 4, 4));
        int pa = bpf.mapCreate(MapSpec.of(MapType.PERCPU_ARRAY, 4, 4, 2));
        int ph = bpf.mapCreate(MapSpec.of(MapType.PERCPU_HASH, 4, 12, 2));
        try {
            byte[] v = new byte[4];
            assertTrue(bpf.mapLookupElem(a, u32(3), v, 0), "array elements always exist");
            assertEquals(0, u32(v, 0));
            BpfException e = assertThrows(BpfException.class, () -> bpf.mapUpdateElem(a, u32(4), u32(1), 0));
            assertEquals(Errno.E2BIG, e.errno(), "index past max_entries");
            // Per-CPU: one round_up(value_size, 8) slot per possible CPU.
            byte[] pv = new byte[8 * cpus];
            for (int c = 0; c < cpus; c++) pv[c * 8] = (byte) (c + 1);
            bpf.mapUpdateElem(pa, u32(1), pv, 0);
            byte[] back = new byte[8 * cpus];
            assertTrue(bpf.mapLookupElem(pa, u32(1), back, 0));
            for (int c = 0; c < cpus; c++) assertEquals(c + 1, u32(back, c * 8));
            assertThrows(IllegalArgumentException.class, () -> bpf.mapLookupElem(pa, u32(1), new byte[4], 0),
                    "a single CPU's value is too small for a per-CPU map");
            byte[] hv = new byte[16 * cpus];
            for (int c = 0; c < cpus; c++) hv[c * 16 + 11] = (byte) (0x40 + c);
            bpf.mapUpdateElem(ph, u32(9), hv, 0);
            byte[] hb = new byte[16 * cpus];
            assertTrue(bpf.mapLookupElem(ph, u32(9), hb, 0));
            for (int c = 0; c < cpus; c++) assertEquals(0x40 + c, hb[c * 16 + 11]);
        } finally {
            bpf.closeFd(a);
            bpf.closeFd(pa);
            bpf.closeFd(ph);
        }
    }

    @Test
    void queueAndStackOrderAndOverwrite() {
        int q = bpf.mapCreate(MapSpec.of(MapType.QUEUE, 0, 4, 2));
        int s = bpf.mapCreate(MapSpec.of(MapType.STACK, 0, 4, 2));
        try {
            byte[] v = new byte[4];
            assertFalse(bpf.mapLookupElem(q, null, v, 0), "peek of an empty queue is false");
            for (int i = 1; i <= 2; i++) {
                bpf.mapUpdateElem(q, null, u32(i), 0);
                bpf.mapUpdateElem(s, null, u32(i), 0);
            }
            BpfException e = assertThrows(BpfException.class, () -> bpf.mapUpdateElem(q, null, u32(3), 0));
            assertEquals(Errno.E2BIG, e.errno(), "a full queue refuses a push without BPF_EXIST");
            bpf.mapUpdateElem(q, null, u32(3), UpdateFlags.EXIST); // drops the oldest (1)
            assertTrue(bpf.mapLookupElem(q, null, v, 0));
            assertEquals(2, u32(v, 0), "peek shows the oldest");
            assertTrue(bpf.mapLookupAndDeleteElem(q, null, v, 0));
            assertEquals(2, u32(v, 0));
            assertTrue(bpf.mapLookupAndDeleteElem(q, null, v, 0));
            assertEquals(3, u32(v, 0));
            assertFalse(bpf.mapLookupAndDeleteElem(q, null, v, 0));
            assertTrue(bpf.mapLookupAndDeleteElem(s, null, v, 0));
            assertEquals(2, u32(v, 0), "a stack pops the newest");
            assertTrue(bpf.mapLookupAndDeleteElem(s, null, v, 0));
            assertEquals(1, u32(v, 0));
            assertThrows(IllegalArgumentException.class, () -> bpf.mapUpdateElem(q, u32(0), u32(1), 0));
        } finally {
            bpf.closeFd(q);
            bpf.closeFd(s);
        }
    }

    static byte[] lpmKey(int prefixLen, int a, int b, int c, int d) {
        return new byte[] {(byte) prefixLen, 0, 0, 0, (byte) a, (byte) b, (byte) c, (byte) d};
    }

    @Test
    void lpmTrieLongestPrefixAndFull() {
        int t = bpf.mapCreate(MapSpec.of(MapType.LPM_TRIE, 8, 4, 2).withFlags(MapFlags.NO_PREALLOC));
        try {
            bpf.mapUpdateElem(t, lpmKey(8, 10, 0, 0, 0), u32(8), 0);
            bpf.mapUpdateElem(t, lpmKey(24, 10, 1, 2, 0), u32(24), 0);
            byte[] v = new byte[4];
            assertTrue(bpf.mapLookupElem(t, lpmKey(32, 10, 1, 2, 3), v, 0));
            assertEquals(24, u32(v, 0), "the longest matching prefix wins");
            assertTrue(bpf.mapLookupElem(t, lpmKey(32, 10, 9, 9, 9), v, 0));
            assertEquals(8, u32(v, 0));
            assertFalse(bpf.mapLookupElem(t, lpmKey(32, 11, 0, 0, 0), v, 0));
            BpfException e = assertThrows(BpfException.class, () -> bpf.mapUpdateElem(t, lpmKey(16, 10, 1, 0, 0), u32(16), 0));
            assertEquals(Errno.ENOSPC, e.errno(), "a full trie answers ENOSPC (kernel/bpf/lpm_trie.c)");
        } finally {
            bpf.closeFd(t);
        }
    }

    @Test
    void frozenMapRefusesWrites() {
        int m = bpf.mapCreate(MapSpec.of(MapType.ARRAY, 4, 4, 1));
        try {
            bpf.mapUpdateElem(m, u32(0), u32(7), 0);
            bpf.mapFreeze(m);
            BpfException e = assertThrows(BpfException.class, () -> bpf.mapUpdateElem(m, u32(0), u32(8), 0));
            assertEquals(Errno.EPERM, e.errno());
            byte[] v = new byte[4];
            assertTrue(bpf.mapLookupElem(m, u32(0), v, 0));
            assertEquals(7, u32(v, 0));
        } finally {
            bpf.closeFd(m);
        }
    }

    @Test
    void bloomFilterMembership() {
        int b = bpf.mapCreate(MapSpec.of(MapType.BLOOM_FILTER, 0, 4, 16).withMapExtra(3));
        try {
            bpf.mapUpdateElem(b, null, u32(42), 0);
            assertTrue(bpf.mapLookupElem(b, null, u32(42), 0), "a pushed value is a member");
            assertEquals(3, bpf.mapGetInfo(b).mapExtra());
        } finally {
            bpf.closeFd(b);
        }
    }

    @Test
    void batchOverAWholeHash() {
        int n = 64;
        int m = bpf.mapCreate(MapSpec.of(MapType.HASH, 4, 8, n).withFlags(MapFlags.ZERO_SEED));
        try {
            byte[] keys = new byte[n * 4];
            byte[] values = new byte[n * 8];
            ByteBuffer kb = ByteBuffer.wrap(keys).order(ByteOrder.LITTLE_ENDIAN);
            ByteBuffer vb = ByteBuffer.wrap(values).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n; i++) {
                kb.putInt(i * 4, i);
                vb.putLong(i * 8, 1000L + i);
            }
            assertEquals(n, bpf.mapUpdateBatch(m, keys, values, n, 0, 0));
            // Walk with a batch of one: 64 keys in 64 buckets must collide somewhere, and the
            // kernel then answers ENOSPC, asking for a larger count (kernel/bpf/hashtab.c).
            boolean sawEnospc = false;
            java.util.Map<Integer, Long> seen = new java.util.HashMap<>();
            byte[] in = null;
            byte[] out = new byte[4];
            int count = 1;
            for (int guard = 0; guard < 1000; guard++) {
                byte[] ks = new byte[count * 4];
                byte[] vs = new byte[count * 8];
                io.bpf4j.api.BatchResult r;
                try {
                    r = bpf.mapLookupBatch(m, in, out, ks, vs, count, 0, 0);
                } catch (BpfException e) {
                    assertEquals(Errno.ENOSPC, e.errno());
                    assertTrue(e.getMessage().contains("larger count"), e.getMessage());
                    sawEnospc = true;
                    count *= 2;
                    continue;
                }
                for (int i = 0; i < r.count(); i++) seen.put(u32(ks, i * 4), u64(vs, i * 8));
                if (r.done()) break;
                in = out.clone();
            }
            assertTrue(sawEnospc, "64 keys in 64 buckets collide, so a batch of 1 must hit ENOSPC");
            assertEquals(n, seen.size());
            for (int i = 0; i < n; i++) assertEquals(1000L + i, seen.get(i));
            // Lookup-and-delete the whole map in one go, then it is empty.
            byte[] ks = new byte[n * 4];
            byte[] vs = new byte[n * 8];
            io.bpf4j.api.BatchResult r = bpf.mapLookupAndDeleteBatch(m, null, out, ks, vs, n, 0, 0);
            assertEquals(n, r.count());
            assertTrue(r.done(), "ENOENT at the end is done=true with the count still valid");
            assertFalse(bpf.mapGetNextKey(m, null, new byte[4]));
            assertEquals(n, bpf.mapUpdateBatch(m, keys, values, n, 0, 0));
            assertEquals(n, bpf.mapDeleteBatch(m, keys, n, 0, 0));
            BpfException e = assertThrows(BpfException.class, () -> bpf.mapDeleteBatch(m, keys, 1, 0, 0));
            assertEquals(Errno.ENOENT, e.errno());
        } finally {
            bpf.closeFd(m);
        }
    }

    @Test
    void arrayBatchLookup() {
        int m = bpf.mapCreate(MapSpec.of(MapType.ARRAY, 4, 4, 10));
        try {
            for (int i = 0; i < 10; i++) bpf.mapUpdateElem(m, u32(i), u32(i * i), 0);
            byte[] out = new byte[4];
            byte[] ks = new byte[4 * 4];
            byte[] vs = new byte[4 * 4];
            int total = 0;
            byte[] in = null;
            while (true) {
                io.bpf4j.api.BatchResult r = bpf.mapLookupBatch(m, in, out, ks, vs, 4, 0, 0);
                for (int i = 0; i < r.count(); i++) assertEquals(u32(ks, i * 4) * u32(ks, i * 4), u32(vs, i * 4));
                total += r.count();
                if (r.done()) break;
                in = out.clone();
            }
            assertEquals(10, total);
        } finally {
            bpf.closeFd(m);
        }
    }

    @Test
    void mapsOfMapsAndInfo() {
        int inner = bpf.mapCreate(MapSpec.of(MapType.ARRAY, 4, 4, 1));
        int outer = bpf.mapCreate(MapSpec.of(MapType.ARRAY_OF_MAPS, 4, 4, 2).withInnerMapFd(inner).withName("outer"));
        try {
            bpf.mapUpdateElem(outer, u32(0), u32(inner), 0);
            byte[] id = new byte[4];
            assertTrue(bpf.mapLookupElem(outer, u32(0), id, 0));
            MapInfo ii = bpf.mapGetInfo(inner);
            assertEquals(ii.id(), u32(id, 0), "a map-in-map lookup returns the inner map's id");
            MapInfo oi = bpf.mapGetInfo(outer);
            assertEquals(MapType.ARRAY_OF_MAPS, oi.type());
            assertEquals("outer", oi.name());
            assertEquals(2, oi.maxEntries());
            assertEquals(4, oi.keySize());
            assertThrows(IllegalArgumentException.class, () -> bpf.progGetInfo(outer), "a map is no program");
        } finally {
            bpf.closeFd(outer);
            bpf.closeFd(inner);
        }
    }

    /**
     * A bare descriptor's key and value sizes are read from the kernel on every element command,
     * through a private duplicate that the command then uses and closes: nothing is remembered by
     * descriptor number. An owning handle knows its layout and asks nothing. Counted on a
     * recording chokepoint in front of the real kernel.
     */
    @Test
    void aBareDescriptorsLayoutIsReadEveryCallAndAHandlesNever() {
        int info = LinuxUapi.cmd(Operation.OBJ_GET_INFO_BY_FD);
        int m = bpf.mapCreate(MapSpec.of(MapType.HASH, 8, 2, 4));
        int id = bpf.mapGetInfo(m).id();
        RecordingSyscalls rec = new RecordingSyscalls();
        try (LinuxBpf other = new LinuxBpf(rec, bpf.possibleCpus(), bpf.capabilities())) {
            int again = other.mapGetFdById(id);
            try {
                rec.clear();
                other.mapUpdateElem(again, u64(5), new byte[] {1, 2}, 0);
                byte[] v = new byte[2];
                assertTrue(other.mapLookupElem(again, u64(5), v, 0));
                assertArrayEquals(new byte[] {1, 2}, v);
                assertTrue(other.mapLookupElem(again, u64(5), v, 0));
                assertEquals(3, rec.calls(info).size(), "the layout is read for each of three element commands");
                assertEquals(3, rec.dups, "each through a private duplicate");
                assertEquals(3, rec.closes, "which is closed after the command");
                assertThrows(IllegalArgumentException.class, () -> other.mapLookupElem(again, u32(5), v, 0),
                        "the kernel's key size is enforced");
                assertTrue(bpf.mapLookupElem(m, u64(5), v, 0), "both descriptors reach one map");
                try (io.bpf4j.api.BpfMap handle = io.bpf4j.api.BpfMap.fromFd(other, other.dupFd(again))) {
                    rec.clear();
                    assertTrue(handle.lookup(u64(5), v));
                    handle.update(u64(6), new byte[] {3, 4}, 0);
                    assertTrue(handle.delete(u64(6)));
                    assertEquals(0, rec.calls(info).size(), "a handle passes the layout it knows");
                    assertEquals(0, rec.dups, "and uses its own descriptor");
                }
            } finally {
                other.closeFd(again);
            }
        } finally {
            bpf.closeFd(m);
        }
    }

    @Test
    void closeTwiceIsAnError() {
        int m = bpf.mapCreate(MapSpec.of(MapType.ARRAY, 4, 4, 1));
        bpf.closeFd(m);
        BpfException e = assertThrows(BpfException.class, () -> bpf.closeFd(m));
        assertEquals(Errno.EBADF, e.errno());
    }
}
