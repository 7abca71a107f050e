package io.bpf4j.it.diff;

import static io.bpf4j.it.diff.Bytes.k;
import static io.bpf4j.it.diff.Bytes.v;

import io.bpf4j.api.MapFlags;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random sequences of map commands over a small key space (keys 0..7, max 5 elements) for
 * every keyed and queue-like type, with update flags drawn from ANY/NOEXIST/EXIST and a dump
 * every few steps. Hash maps use BPF_F_ZERO_SEED, so dumps compare in order. The seed is in
 * the failure message; replay with {@code -Dbpf4j.diff.seed=N}.
 */
class RandomMapOpsTest {
    private static final MapType[] TYPES = {MapType.HASH, MapType.ARRAY, MapType.PERCPU_HASH, MapType.PERCPU_ARRAY,
        MapType.LRU_HASH, MapType.LRU_PERCPU_HASH, MapType.QUEUE, MapType.STACK, MapType.LPM_TRIE};

    static LongStream seeds() {
        return Seeds.of(11, 12, 13, 14, 15, 16);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void randomOperations(long seed) {
        Scenario s = new Scenario("random map operations").note("seed " + seed + ", replay with -Dbpf4j.diff.seed=" + seed);
        MapOps m = new MapOps(s);
        Random r = new Random(seed);
        for (MapType t : TYPES) {
            String sym = "map" + t;
            boolean keyless = t.isKeyless();
            boolean lpm = t == MapType.LPM_TRIE;
            int flags = MapOps.isHashLike(t) ? MapFlags.ZERO_SEED : lpm ? MapFlags.NO_PREALLOC : 0;
            m.create(sym, MapSpec.of(t, keyless ? 0 : lpm ? 8 : 4, 8, 5).withFlags(flags));
            for (int i = 0; i < 60; i++) {
                byte[] key = keyless ? null : lpm ? OrderLayoutEvictionTest.lpm(r.nextInt(33), r.nextInt(4) << 28) : k(r.nextInt(8));
                long f = r.nextInt(3);
                switch (r.nextInt(8)) {
                    case 0, 1, 2 -> m.update(sym, key, t.isPerCpu() ? Bytes.perCpu(i) : v(i), f);
                    case 3 -> m.lookup(sym, key);
                    case 4 -> m.delete(sym, key);
                    case 5 -> m.lookupAndDelete(sym, key, 0);
                    case 6 -> m.nextKey(sym, r.nextBoolean() ? null : key);
                    default -> m.dump(sym, true);
                }
            }
            m.dump(sym, true);
            if (!keyless) m.lookupBatch(sym, true, "c" + t, true, 8, true);
        }
        Diff.assertSame(s);
    }
}
