package io.bpf4j.it.diff;

import static io.bpf4j.it.diff.Bytes.k;
import static io.bpf4j.it.diff.Bytes.v;

import io.bpf4j.api.MapFlags;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.UpdateFlags;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Errno matrices of the keyed map types (hash, array, their per-CPU and LRU forms): every
 * update flag on present and absent keys, out-of-range keys, a full map, next key from null /
 * a missing / an existing / the last key, delete, lookup-and-delete, the four batch commands
 * (ENOSPC when the count is smaller than a bucket, ENOENT at the end), freeze then write, and
 * the contents after each phase. Hash maps use BPF_F_ZERO_SEED so order is compared exactly.
 * Undefined flags and a batch call past the end are in {@link FormerDifferencesTest}.
 */
class MapErrnoMatrixTest {
    @ParameterizedTest
    @EnumSource(value = MapType.class, names = {"HASH", "ARRAY", "PERCPU_HASH", "PERCPU_ARRAY", "LRU_HASH", "LRU_PERCPU_HASH"})
    void keyedMapErrnos(MapType t) {
        Scenario s = new Scenario("errno matrix " + t);
        MapOps m = new MapOps(s);
        boolean hash = MapOps.isHashLike(t);
        int flags = hash ? MapFlags.ZERO_SEED : 0;
        m.create("map#1", MapSpec.of(t, 4, 8, 4).withFlags(flags));
        m.info("map#1");
        m.lookup("map#1", k(1));
        m.update("map#1", k(1), val(t, 10), UpdateFlags.NOEXIST);
        m.update("map#1", k(1), val(t, 11), UpdateFlags.NOEXIST);
        m.update("map#1", k(2), val(t, 20), UpdateFlags.EXIST);
        m.update("map#1", k(1), val(t, 12), UpdateFlags.EXIST);
        m.update("map#1", k(1), val(t, 13), UpdateFlags.LOCK);
        m.update("map#1", k(9), val(t, 90), UpdateFlags.ANY);
        m.lookup("map#1", k(1));
        m.lookup("map#1", k(1), UpdateFlags.LOCK);
        m.lookup("map#1", k(9));
        for (int i = 2; i <= 4; i++) m.update("map#1", k(i), val(t, i * 10L), UpdateFlags.ANY);
        m.update("map#1", k(5), val(t, 50), UpdateFlags.ANY);
        m.update("map#1", k(6), val(t, 60), UpdateFlags.NOEXIST);
        m.dump("map#1", true);
        m.nextKey("map#1", null);
        m.nextKey("map#1", k(77));
        m.nextKey("map#1", k(3));
        m.nextKey("map#1", k(4));
        m.nextKey("map#1", k(0));
        m.delete("map#1", k(3));
        m.delete("map#1", k(3));
        m.delete("map#1", k(99));
        m.lookupAndDelete("map#1", k(4), 0);
        m.lookupAndDelete("map#1", k(4), 0);
        m.lookupAndDelete("map#1", k(2), UpdateFlags.LOCK);
        m.dump("map#1", true);
        m.update("map#1", k(3), val(t, 33), UpdateFlags.ANY);
        m.update("map#1", k(4), val(t, 44), UpdateFlags.ANY);
        batches(m, t);
        m.freeze("map#1");
        m.update("map#1", k(1), val(t, 70), UpdateFlags.ANY);
        m.delete("map#1", k(1));
        m.lookup("map#1", k(1));
        m.lookupAndDelete("map#1", k(1), 0);
        m.updateBatch("map#1", k(1), val(t, 71), 1, 0);
        m.freeze("map#1");
        m.dump("map#1", true);
        Diff.assertSame(s);
    }

    /** The batch phase: cursors, counts, ENOSPC/ENOENT, partial updates and deletes. */
    private static void batches(MapOps m, MapType t) {
        m.lookupBatch("map#1", false, "c", true, 1, true);
        m.lookupBatch("map#1", false, "c", false, 1, true);
        m.lookupBatch("map#1", false, "c", true, 2, true);
        m.lookupBatch("map#1", false, "c", false, 2, true);
        m.lookupBatch("map#1", false, "c", true, 10, true);
        m.updateBatch("map#1", Bytes.concat(k(1), k(2)), Bytes.concat(val(t, 101), val(t, 102)), 2, 0);
        m.updateBatch("map#1", Bytes.concat(k(1), k(2)), Bytes.concat(val(t, 103), val(t, 104)), 2, UpdateFlags.NOEXIST);
        m.updateBatch("map#1", Bytes.concat(k(1), k(2)), Bytes.concat(val(t, 105), val(t, 106)), 2, UpdateFlags.LOCK);
        m.updateBatch("map#1", Bytes.concat(k(1), k(8)), Bytes.concat(val(t, 107), val(t, 108)), 2, 0);
        m.dump("map#1", true);
        m.deleteBatch("map#1", Bytes.concat(k(1), k(42)), 2);
        m.dump("map#1", true);
        m.lookupBatch("map#1", true, "d", true, 1, true);
        m.lookupBatch("map#1", true, "d", true, 10, true);
        m.dump("map#1", true);
        m.updateBatch("map#1", Bytes.concat(k(1), k(2), k(3)), Bytes.concat(val(t, 1), val(t, 2), val(t, 3)), 3, 0);
    }

    /** A value for one element: per-CPU maps take one slot per CPU. */
    static byte[] val(MapType t, long x) {
        return t.isPerCpu() ? Bytes.perCpu(x) : v(x);
    }
}
