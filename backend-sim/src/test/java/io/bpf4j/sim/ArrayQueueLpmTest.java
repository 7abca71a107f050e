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

class ArrayQueueLpmTest extends SimTestBase {
    @Test
    void arraysHaveEveryIndexAndTheKernelsErrors() {
        int a = map(MapType.ARRAY, 4, 8, 5);
        byte[] v = new byte[8];
        assertTrue(sim.mapLookupElem(a, u32(4), v, 0));
        assertEquals(0, u64(v, 0));
        assertFalse(sim.mapLookupElem(a, u32(5), v, 0));
        // array_map_update_elem(): out of range is E2BIG, NOEXIST is EEXIST; NOEXIST|EXIST never
        // reaches the kernel (every backend rejects conflicting flags in Java).
        fails(Errno.E2BIG, () -> sim.mapUpdateElem(a, u32(5), u64(1), 0));
        fails(Errno.EEXIST, () -> sim.mapUpdateElem(a, u32(1), u64(1), UpdateFlags.NOEXIST));
        rejected("flags", () -> sim.mapUpdateElem(a, u32(1), u64(1), 3));
        // Arrays cannot delete (EINVAL) nor lookup-and-delete (ENOTSUPP, 524).
        fails(Errno.EINVAL, () -> sim.mapDeleteElem(a, u32(1)));
        fails(Errno.ENOTSUPP, () -> sim.mapLookupAndDeleteElem(a, u32(1), v, 0));
        // Next key: index order; missing or out of range restarts at 0; the last index ends.
        byte[] n = new byte[4];
        assertTrue(sim.mapGetNextKey(a, null, n));
        assertEquals(0, u32(n, 0));
        assertTrue(sim.mapGetNextKey(a, u32(99), n));
        assertEquals(0, u32(n, 0));
        assertTrue(sim.mapGetNextKey(a, u32(2), n));
        assertEquals(3, u32(n, 0));
        assertFalse(sim.mapGetNextKey(a, u32(4), n));
        // Generic lookup batch, as the kernel: 3 then 2 with ENOENT; cursors are the last keys.
        byte[] keys = new byte[12];
        byte[] vals = new byte[24];
        byte[] out = new byte[4];
        assertEquals(new BatchResult(3, false), sim.mapLookupBatch(a, null, out, keys, vals, 3, 0, 0));
        assertEquals(2, u32(out, 0));
        assertEquals(new BatchResult(2, true), sim.mapLookupBatch(a, out.clone(), out, keys, vals, 3, 0, 0));
        assertEquals(4, u32(out, 0));
        fails(Errno.ENOTSUPP, () -> sim.mapLookupAndDeleteBatch(a, null, out, keys, vals, 3, 0, 0));
        fails(Errno.ENOTSUPP, () -> sim.mapDeleteBatch(a, keys, 1, 0, 0));
        sim.closeFd(a);
    }

    @Test
    void perCpuArraysSizeValuesByPossibleCpus() {
        int a = map(MapType.PERCPU_ARRAY, 4, 12, 2);
        byte[] v = new byte[16 * 2];
        v[0] = 1;
        v[16] = 2;
        // Padding (bytes 12..15 of each CPU's 16): Linux copies round_up(12, 8) per CPU in and out.
        v[13] = 9;
        v[31] = 8;
        sim.mapUpdateElem(a, u32(1), v, 0);
        byte[] out = new byte[32];
        assertTrue(sim.mapLookupElem(a, u32(1), out, 0));
        assertArrayEquals(v, out);
        byte[] keys = new byte[8];
        byte[] vals = new byte[64];
        assertEquals(new BatchResult(2, false), sim.mapLookupBatch(a, null, new byte[4], keys, vals, 2, 0, 0));
        assertArrayEquals(v, java.util.Arrays.copyOfRange(vals, 32, 64), "the batch copies the padding too");
        assertTrue(sim.mapLookupElem(a, u32(0), out, 0));
        assertArrayEquals(new byte[32], out, "an index never written has zero padding");
        assertEquals(1, sim.mapGetInfo(a).keySize() / 4);
        sim.closeFd(a);
    }

    @Test
    void queueIsFifoStackIsLifoAndExistOverwritesTheOldest() {
        int q = map(MapType.QUEUE, 0, 8, 2);
        int s = map(MapType.STACK, 0, 8, 2);
        for (int m : new int[] {q, s}) {
            sim.mapUpdateElem(m, null, u64(1), 0);
            sim.mapUpdateElem(m, null, u64(2), 0);
            // Full without BPF_EXIST: E2BIG; with it the oldest element goes.
            fails(Errno.E2BIG, () -> sim.mapUpdateElem(m, null, u64(3), 0));
            sim.mapUpdateElem(m, null, u64(3), UpdateFlags.EXIST);
        }
        byte[] v = new byte[8];
        assertTrue(sim.mapLookupElem(q, null, v, 0), "peek");
        assertEquals(2, u64(v, 0));
        assertTrue(sim.mapLookupAndDeleteElem(q, null, v, 0));
        assertEquals(2, u64(v, 0));
        assertTrue(sim.mapLookupAndDeleteElem(q, null, v, 0));
        assertEquals(3, u64(v, 0));
        assertFalse(sim.mapLookupAndDeleteElem(q, null, v, 0), "empty queue pops nothing");
        assertTrue(sim.mapLookupAndDeleteElem(s, null, v, 0));
        assertEquals(3, u64(v, 0));
        assertTrue(sim.mapLookupAndDeleteElem(s, null, v, 0));
        assertEquals(2, u64(v, 0), "the stack's oldest (1) was overwritten");
        // A key for a keyless map is bad input, rejected in Java as on Linux; an empty one is no key.
        rejected("key", () -> sim.mapUpdateElem(q, u32(0), u64(1), 0));
        rejected("key", () -> sim.mapLookupElem(q, u32(0), v, 0));
        rejected("key", () -> sim.mapLookupAndDeleteElem(q, u32(0), v, 0));
        sim.mapUpdateElem(q, new byte[0], u64(4), 0);
        assertTrue(sim.mapLookupAndDeleteElem(q, new byte[0], v, 0));
        assertEquals(4, u64(v, 0));
        // Kernel: NOEXIST, delete, next key and LOCK on pop are all EINVAL.
        fails(Errno.EINVAL, () -> sim.mapUpdateElem(q, null, u64(1), UpdateFlags.NOEXIST));
        fails(Errno.EINVAL, () -> sim.mapDeleteElem(q, null));
        fails(Errno.EINVAL, () -> sim.mapGetNextKey(q, null, new byte[0]));
        fails(Errno.EINVAL, () -> sim.mapLookupAndDeleteElem(q, null, v, UpdateFlags.LOCK));
        sim.closeFd(q);
        sim.closeFd(s);
    }

    private static byte[] prefix(int len, int a, int b, int c, int d) {
        return new byte[] {(byte) len, 0, 0, 0, (byte) a, (byte) b, (byte) c, (byte) d};
    }

    private List<String> lpmKeys(int t) {
        List<String> out = new ArrayList<>();
        byte[] cur = null;
        byte[] next = new byte[8];
        while (sim.mapGetNextKey(t, cur, next)) {
            out.add((next[4] & 0xff) + "." + (next[5] & 0xff) + "." + (next[6] & 0xff) + "." + (next[7] & 0xff) + "/" + next[0]);
            cur = next.clone();
        }
        return out;
    }

    @Test
    void lpmTrieMatchesAndIteratesLikeTheKernel() {
        int t = sim.mapCreate(MapSpec.of(MapType.LPM_TRIE, 8, 8, 16).withFlags(MapFlags.NO_PREALLOC));
        byte[][] ks = {prefix(16, 192, 168, 0, 0), prefix(24, 192, 168, 0, 0), prefix(24, 192, 168, 1, 0),
            prefix(24, 192, 168, 128, 0), prefix(8, 10, 0, 0, 0), prefix(32, 10, 1, 2, 3), prefix(0, 0, 0, 0, 0),
            prefix(24, 10, 1, 2, 0)};
        for (int i = 0; i < ks.length; i++) sim.mapUpdateElem(t, ks[i], u64(i), 0);
        // Linux 6.18 walks post-order, more specific prefixes first:
        assertEquals(List.of("10.1.2.3/32", "10.1.2.0/24", "10.0.0.0/8", "192.168.0.0/24", "192.168.1.0/24",
                "192.168.128.0/24", "192.168.0.0/16", "0.0.0.0/0"), lpmKeys(t));
        assertTrue(sim.mapDeleteElem(t, prefix(24, 192, 168, 0, 0)));
        assertFalse(sim.mapDeleteElem(t, prefix(24, 192, 168, 0, 0)));
        assertEquals(List.of("10.1.2.3/32", "10.1.2.0/24", "10.0.0.0/8", "192.168.1.0/24", "192.168.128.0/24",
                "192.168.0.0/16", "0.0.0.0/0"), lpmKeys(t));
        byte[] v = new byte[8];
        assertTrue(sim.mapLookupElem(t, prefix(32, 10, 1, 2, 9), v, 0));
        assertEquals(7, u64(v, 0), "10.1.2.9 matches 10.1.2.0/24 (value 7)");
        assertTrue(sim.mapLookupElem(t, prefix(32, 11, 0, 0, 0), v, 0));
        assertEquals(6, u64(v, 0), "everything else matches 0.0.0.0/0");
        // A prefix longer than the data finds nothing on lookup (trie_lookup_elem()), restarts
        // get_next_key at the leftmost node, and is EINVAL for update and delete.
        assertFalse(sim.mapLookupElem(t, prefix(33, 10, 1, 2, 3), v, 0));
        byte[] first = new byte[8];
        assertTrue(sim.mapGetNextKey(t, prefix(33, 10, 1, 2, 3), first));
        assertArrayEquals(prefix(32, 10, 1, 2, 3), first);
        fails(Errno.EINVAL, () -> sim.mapUpdateElem(t, prefix(33, 1, 2, 3, 4), u64(0), 0));
        fails(Errno.EINVAL, () -> sim.mapDeleteElem(t, prefix(33, 1, 2, 3, 4)));
        fails(Errno.ENOENT, () -> sim.mapUpdateElem(t, prefix(24, 1, 1, 1, 1), u64(0), UpdateFlags.EXIST));
        fails(Errno.EEXIST, () -> sim.mapUpdateElem(t, prefix(24, 10, 1, 2, 0), u64(0), UpdateFlags.NOEXIST));
        fails(Errno.ENOTSUPP, () -> sim.mapLookupAndDeleteElem(t, prefix(8, 10, 0, 0, 0), v, 0));
        sim.closeFd(t);
        // A full trie refuses new prefixes with ENOSPC and still replaces existing ones.
        int t2 = sim.mapCreate(MapSpec.of(MapType.LPM_TRIE, 8, 8, 2).withFlags(MapFlags.NO_PREALLOC));
        sim.mapUpdateElem(t2, ks[0], u64(0), 0);
        sim.mapUpdateElem(t2, ks[1], u64(0), 0);
        fails(Errno.ENOSPC, () -> sim.mapUpdateElem(t2, ks[2], u64(0), 0));
        sim.mapUpdateElem(t2, ks[1], u64(5), 0);
        sim.closeFd(t2);
    }
}
