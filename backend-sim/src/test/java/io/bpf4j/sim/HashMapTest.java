package io.bpf4j.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.BatchResult;
import io.bpf4j.api.Errno;
import io.bpf4j.api.MapFlags;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.UpdateFlags;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HashMapTest extends SimTestBase {
    private int zeroSeedHash(int max) {
        return sim.mapCreate(MapSpec.of(MapType.HASH, 4, 8, max).withFlags(MapFlags.ZERO_SEED));
    }

    private List<Integer> keys(int m) {
        List<Integer> out = new ArrayList<>();
        byte[] next = new byte[4];
        byte[] cur = null;
        while (sim.mapGetNextKey(m, cur, next)) {
            out.add(u32(next, 0));
            cur = next.clone();
        }
        return out;
    }

    @Test
    void updateLookupDeleteAndFlags() {
        int m = map(MapType.HASH, 4, 8, 2);
        byte[] v = new byte[8];
        assertFalse(sim.mapLookupElem(m, u32(1), v, 0), "missing key is false, not an error");
        sim.mapUpdateElem(m, u32(1), u64(11), UpdateFlags.NOEXIST);
        assertTrue(sim.mapLookupElem(m, u32(1), v, 0));
        assertEquals(11, u64(v, 0));
        // check_flags(): NOEXIST on an existing key is EEXIST, EXIST on a missing one ENOENT.
        fails(Errno.EEXIST, () -> sim.mapUpdateElem(m, u32(1), u64(1), UpdateFlags.NOEXIST));
        fails(Errno.ENOENT, () -> sim.mapUpdateElem(m, u32(2), u64(1), UpdateFlags.EXIST));
        // Undefined or conflicting flags are bad input, rejected in Java on every backend;
        // BPF_F_LOCK without a spin lock is the kernel's EINVAL.
        rejected("flags", () -> sim.mapUpdateElem(m, u32(2), u64(1), 3));
        rejected("flags", () -> sim.mapUpdateElem(m, u32(2), u64(1), 8));
        rejected("flags", () -> sim.mapLookupElem(m, u32(1), v, UpdateFlags.NOEXIST));
        rejected("flags", () -> sim.mapLookupAndDeleteElem(m, u32(1), v, 16));
        fails(Errno.EINVAL, () -> sim.mapUpdateElem(m, u32(2), u64(1), UpdateFlags.LOCK));
        fails(Errno.EINVAL, () -> sim.mapLookupElem(m, u32(1), v, UpdateFlags.LOCK));
        sim.mapUpdateElem(m, u32(2), u64(22), UpdateFlags.ANY);
        // A full preallocated hash refuses a new key with E2BIG but still replaces existing ones.
        fails(Errno.E2BIG, () -> sim.mapUpdateElem(m, u32(3), u64(33), UpdateFlags.ANY));
        sim.mapUpdateElem(m, u32(2), u64(23), UpdateFlags.EXIST);
        assertTrue(sim.mapDeleteElem(m, u32(2)));
        assertFalse(sim.mapDeleteElem(m, u32(2)), "second delete reports the key missing");
        byte[] out = new byte[8];
        assertTrue(sim.mapLookupAndDeleteElem(m, u32(1), out, 0));
        assertEquals(11, u64(out, 0));
        int pch = map(MapType.PERCPU_HASH, 4, 8, 4);
        byte[] both = new byte[16];
        both[0] = 5;
        both[8] = 6;
        sim.mapUpdateElem(pch, u32(0), both, 0);
        byte[] got = new byte[16];
        assertTrue(sim.mapLookupAndDeleteElem(pch, u32(0), got, 0));
        assertArrayEquals(both, got);
        assertFalse(sim.mapLookupAndDeleteElem(pch, u32(0), got, 0));
        int tmpl = map(MapType.ARRAY, 4, 8, 1);
        int hom = sim.mapCreate(MapSpec.of(MapType.HASH_OF_MAPS, 4, 4, 4).withInnerMapFd(tmpl));
        sim.mapUpdateElem(hom, u32(0), u32(tmpl), 0);
        fails(Errno.ENOTSUPP, () -> sim.mapLookupAndDeleteElem(hom, u32(0), new byte[4], 0));
        for (int x : new int[] {pch, tmpl, hom}) sim.closeFd(x);
        assertFalse(sim.mapLookupAndDeleteElem(m, u32(1), out, 0));
        sim.closeFd(m);
    }

    @Test
    void iterationOrderWithZeroSeedIsTheKernels() {
        int m = zeroSeedHash(16);
        for (int i = 0; i < 10; i++) sim.mapUpdateElem(m, u32(i), u64(i * 10L), 0);
        // Linux 6.18, BPF_F_ZERO_SEED, keys 0..9 inserted in order into 16 buckets.
        assertEquals(List.of(4, 5, 0, 7, 2, 1, 8, 9, 6, 3), keys(m));
        // A missing key restarts from the first key.
        byte[] next = new byte[4];
        assertTrue(sim.mapGetNextKey(m, u32(12345), next));
        assertEquals(4, u32(next, 0));
        sim.closeFd(m);
    }

    @Test
    void lookupBatchWalksWholeBucketsLikeTheKernel() {
        int m = zeroSeedHash(16);
        for (int i = 0; i < 10; i++) sim.mapUpdateElem(m, u32(i), u64(i * 10L), 0);
        byte[] keys = new byte[16 * 4];
        byte[] vals = new byte[16 * 8];
        byte[] out = new byte[4];
        // Kernel: count 3 from the start copies 4 5 0 and returns cursor (bucket) 10.
        BatchResult r = sim.mapLookupBatch(m, null, out, keys, vals, 3, 0, 0);
        assertEquals(new BatchResult(3, false), r);
        assertEquals(10, u32(out, 0));
        assertEquals(List.of(4, 5, 0), List.of(u32(keys, 0), u32(keys, 4), u32(keys, 8)));
        assertEquals(50, u64(vals, 8));
        // Then the rest: 7 elements and ENOENT (done) with cursor 16.
        BatchResult rest = sim.mapLookupBatch(m, out.clone(), out, keys, vals, 16, 0, 0);
        assertEquals(new BatchResult(7, true), rest);
        assertEquals(16, u32(out, 0));
        // Count 1: stops before the next non-empty bucket, cursor 6.
        assertEquals(new BatchResult(1, false), sim.mapLookupBatch(m, null, out, keys, vals, 1, 0, 0));
        assertEquals(6, u32(out, 0));
        // Batch flags, a count of 0 and undefined element flags are bad input on every map type.
        rejected("flags", () -> sim.mapLookupBatch(m, null, out, keys, vals, 1, 0, 1));
        int arr = map(MapType.ARRAY, 4, 8, 4);
        rejected("flags", () -> sim.mapLookupBatch(arr, null, out, keys, vals, 1, 0, 1));
        rejected("count", () -> sim.mapLookupBatch(arr, null, out, keys, vals, 0, 0, 0));
        rejected("elemFlags", () -> sim.mapLookupBatch(m, null, out, keys, vals, 1, UpdateFlags.EXIST, 0));
        rejected("elemFlags", () -> sim.mapDeleteBatch(m, keys, 1, UpdateFlags.LOCK, 0));
        sim.closeFd(arr);
        // A cursor past the last bucket: the kernel's ENOENT with count 0, the end of the walk,
        // and a cursor the kernel did not write.
        java.util.Arrays.fill(out, (byte) 0x55);
        assertEquals(new BatchResult(0, true), sim.mapLookupBatch(m, u32(16), out, keys, vals, 4, 0, 0));
        assertEquals(0, u32(out, 0));
        assertEquals(new BatchResult(0, true), sim.mapLookupAndDeleteBatch(m, u32(16), out, keys, vals, 4, 0, 0));
        // Update batch refuses element flags other than BPF_F_LOCK (EINVAL), delete batch stops at a missing key.
        fails(Errno.EINVAL, () -> sim.mapUpdateBatch(m, u32(100), u64(1), 1, UpdateFlags.NOEXIST, 0));
        byte[] del = new byte[12];
        System.arraycopy(u32(0), 0, del, 0, 4);
        System.arraycopy(u32(77), 0, del, 4, 4);
        System.arraycopy(u32(1), 0, del, 8, 4);
        fails(Errno.ENOENT, () -> sim.mapDeleteBatch(m, del, 3, 0, 0));
        assertFalse(sim.mapLookupElem(m, u32(0), new byte[8], 0), "key 0 was deleted before the missing key");
        assertTrue(sim.mapLookupElem(m, u32(1), new byte[8], 0), "key 1 after the missing key stays");
        sim.closeFd(m);
    }

    @Test
    void lookupAndDeleteBatchEmptiesTheMap() {
        int m = zeroSeedHash(8);
        for (int i = 0; i < 5; i++) sim.mapUpdateElem(m, u32(i), u64(i), 0);
        byte[] keys = new byte[8 * 4];
        byte[] vals = new byte[8 * 8];
        BatchResult r = sim.mapLookupAndDeleteBatch(m, null, new byte[4], keys, vals, 8, 0, 0);
        assertEquals(new BatchResult(5, true), r);
        assertEquals(List.of(), keys(m));
        sim.closeFd(m);
    }

    @Test
    void aBucketLargerThanTheRoomIsEnospc() {
        // With seed 0, keys 0 and 2 share bucket 0 of a 2-bucket map (jhash & 1 == 0 for both).
        int m = zeroSeedHash(2);
        sim.mapUpdateElem(m, u32(0), u64(1), 0);
        sim.mapUpdateElem(m, u32(2), u64(1), 0);
        // __htab_map_lookup_and_delete_batch(): a first bucket larger than count is ENOSPC.
        fails(Errno.ENOSPC, () -> sim.mapLookupBatch(m, null, new byte[4], new byte[4], new byte[8], 1, 0, 0));
        assertEquals(new BatchResult(2, true), sim.mapLookupBatch(m, null, new byte[4], new byte[8], new byte[16], 2, 0, 0));
        sim.closeFd(m);
    }

    @Test
    void perCpuValuesAreEightByteStrided() {
        int m = map(MapType.PERCPU_HASH, 4, 4, 4);
        byte[] v = new byte[16];
        System.arraycopy(u32(7), 0, v, 0, 4);
        System.arraycopy(u32(9), 0, v, 8, 4);
        v[4] = 1; // padding: the kernel copies round_up(value_size, 8) per CPU in and out
        v[15] = 2;
        sim.mapUpdateElem(m, u32(1), v, 0);
        byte[] out = new byte[16];
        assertTrue(sim.mapLookupElem(m, u32(1), out, 0));
        assertArrayEquals(v, out, "padding kept, as bpf_percpu_hash_copy() copies it");
        byte[] keys = new byte[4];
        byte[] vals = new byte[16];
        assertEquals(new BatchResult(1, true), sim.mapLookupBatch(m, null, new byte[4], keys, vals, 1, 0, 0));
        assertArrayEquals(v, vals, "the batch walk copies the padding too");
        v[4] = 3;
        sim.mapUpdateElem(m, u32(1), v, UpdateFlags.EXIST);
        assertTrue(sim.mapLookupAndDeleteElem(m, u32(1), out, 0));
        assertArrayEquals(v, out, "an in-place update rewrites the padding");
        assertEquals(16, sim.mapGetInfo(m).valueSize() * 4, "info keeps one CPU's value size (4)");
        sim.closeFd(m);
    }
}
