package io.bpf4j.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bpf4j.api.BpfMap;
import io.bpf4j.api.Errno;
import io.bpf4j.api.MapFlags;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.TestRunSpec;
import io.bpf4j.api.UpdateFlags;
import io.bpf4j.api.asm.Asm;
import io.bpf4j.api.asm.Helper;
import io.bpf4j.api.asm.Register;
import io.bpf4j.api.events.RingBufferReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Eviction sequences and false positives taken from Linux 6.18 with two possible CPUs, syscalls on CPU 0. */
class LruBloomRingTest extends SimTestBase {
    private List<Integer> present(int m, int upTo) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < upTo; i++) if (sim.mapLookupElem(m, u32(i), new byte[8], 0)) out.add(i);
        return out;
    }

    private int lru(int max, int flags) {
        return sim.mapCreate(MapSpec.of(MapType.LRU_HASH, 4, 8, max).withFlags(flags));
    }

    @Test
    void lruEvictsTheOldestAndSyscallLookupsDoNotProtect() {
        int m = lru(4, 0);
        for (int i = 0; i < 5; i++) sim.mapUpdateElem(m, u32(i), u64(1), 0);
        assertEquals(List.of(1, 2, 3, 4), present(m, 5));
        for (int i = 5; i < 8; i++) sim.mapUpdateElem(m, u32(i), u64(1), 0);
        assertEquals(List.of(4, 5, 6, 7), present(m, 8));
        sim.closeFd(m);
        int n = lru(4, 0);
        for (int i = 0; i < 4; i++) sim.mapUpdateElem(n, u32(i), u64(1), 0);
        sim.mapLookupElem(n, u32(0), new byte[8], 0);
        sim.mapUpdateElem(n, u32(4), u64(1), 0);
        assertEquals(List.of(1, 2, 3, 4), present(n, 5), "a syscall lookup does not set the reference bit");
        sim.closeFd(n);
    }

    @Test
    void aProgramLookupSetsTheReferenceBit() {
        int m = lru(4, 0);
        for (int i = 0; i < 4; i++) sim.mapUpdateElem(m, u32(i), u64(1), 0);
        long[] insns = new Asm().stw(Register.R10, -4, 0).mov64(Register.R2, Register.R10).add64(Register.R2, -4)
                .ldMapFd(Register.R1, m).call(Helper.MAP_LOOKUP_ELEM).mov64(Register.R0, 2).exit().toArray();
        int p = prog(ProgramType.XDP, insns);
        assertEquals(2, sim.progTestRun(p, TestRunSpec.ofData(new byte[64])).retval());
        sim.mapUpdateElem(m, u32(4), u64(1), 0);
        assertEquals(List.of(0, 2, 3, 4), present(m, 5), "key 0 got a second chance; 1 went instead");
        sim.mapUpdateElem(m, u32(5), u64(1), 0);
        assertEquals(List.of(0, 3, 4, 5), present(m, 6));
        sim.closeFd(p);
        sim.closeFd(m);
    }

    @Test
    void lruFreesInBatchesAndPopsBeforeCheckingFlags() {
        int m = lru(16, 0);
        for (int i = 0; i < 20; i++) sim.mapUpdateElem(m, u32(i), u64(1), 0);
        assertEquals(16, present(m, 20).size());
        assertEquals(4, present(m, 20).get(0));
        // The kernel takes a free node (evicting target_free = 16 / 2 / 2 = 4 nodes) before it
        // finds the key exists, so a refused NOEXIST update still evicts.
        fails(Errno.EEXIST, () -> sim.mapUpdateElem(m, u32(19), u64(1), UpdateFlags.NOEXIST));
        assertEquals(List.of(8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19), present(m, 20));
        sim.closeFd(m);
    }

    @Test
    void perCpuLruListsRoundMaxEntriesAndShrinkByFour() {
        int m = lru(16, MapFlags.NO_COMMON_LRU);
        assertEquals(16, sim.mapGetInfo(m).maxEntries());
        int odd = lru(5, MapFlags.NO_COMMON_LRU);
        assertEquals(6, sim.mapGetInfo(odd).maxEntries(), "rounded up to a multiple of the 2 CPUs");
        for (int i = 0; i < 12; i++) sim.mapUpdateElem(m, u32(i), u64(1), 0);
        assertEquals(List.of(4, 5, 6, 7, 8, 9, 10, 11), present(m, 12), "CPU 0's list holds 8 and shrinks by 4");
        fails(Errno.ENOTSUPP, () -> lru(4, MapFlags.NO_PREALLOC));
        sim.closeFd(m);
        sim.closeFd(odd);
    }

    @Test
    void bloomFilterHasTheKernelsFalsePositives() {
        int b = sim.mapCreate(MapSpec.of(MapType.BLOOM_FILTER, 0, 4, 100).withFlags(MapFlags.ZERO_SEED).withMapExtra(3));
        for (int i = 0; i < 100; i += 2) sim.mapUpdateElem(b, null, u32(i), 0);
        List<Integer> fp = new ArrayList<>();
        for (int i = 1; i < 2000; i += 2) if (sim.mapLookupElem(b, null, u32(i), 0)) fp.add(i);
        // Linux 6.18: 14 false positives, the first 179 223 299 753 769.
        assertEquals(14, fp.size());
        assertEquals(List.of(179, 223, 299, 753, 769), fp.subList(0, 5));
        for (int i = 0; i < 100; i += 2) assertEquals(true, sim.mapLookupElem(b, null, u32(i), 0));
        fails(Errno.EOPNOTSUPP, () -> sim.mapDeleteElem(b, null));
        fails(Errno.EOPNOTSUPP, () -> sim.mapGetNextKey(b, null, new byte[0]));
        fails(Errno.EINVAL, () -> sim.mapUpdateElem(b, null, u32(1), UpdateFlags.EXIST));
        fails(Errno.ENOTSUPP, () -> sim.mapLookupAndDeleteElem(b, null, u32(1), 0));
        fails(Errno.EINVAL, () -> sim.mapCreate(MapSpec.of(MapType.BLOOM_FILTER, 0, 8, 4).withMapExtra(16)));
        sim.closeFd(b);
    }

    @Test
    void ringBuffersRefuseElementCommandsAndCarryProgramRecords() {
        fails(Errno.EINVAL, () -> map(MapType.RINGBUF, 0, 0, 4097));
        fails(Errno.EINVAL, () -> map(MapType.RINGBUF, 0, 0, 4096 * 3));
        int rb = map(MapType.RINGBUF, 0, 0, 4096);
        byte[] v = new byte[0];
        fails(Errno.ENOTSUPP, () -> sim.mapLookupElem(rb, null, v, 0));
        fails(Errno.ENOTSUPP, () -> sim.mapUpdateElem(rb, null, v, 0));
        fails(Errno.ENOTSUPP, () -> sim.mapDeleteElem(rb, null));
        fails(Errno.ENOTSUPP, () -> sim.mapGetNextKey(rb, null, v));
        long[] insns = new Asm().stdw(Register.R10, -8, 0x1234).ldMapFd(Register.R1, rb).mov64(Register.R2, Register.R10)
                .add64(Register.R2, -8).mov64(Register.R3, 8).mov64(Register.R4, 0).call(Helper.RINGBUF_OUTPUT)
                .exit().toArray();
        int p = prog(ProgramType.XDP, insns);
        List<byte[]> got = new ArrayList<>();
        try (BpfMap ring = BpfMap.fromFd(sim, rb); RingBufferReader reader = ring.ringBufferReader(r -> got.add(r.toByteArray()))) {
            assertEquals(0, sim.progTestRun(p, TestRunSpec.ofData(new byte[14])).retval());
            assertEquals(1, reader.consume());
            assertArrayEquals(u64(0x1234), got.get(0));
            assertEquals(0, reader.consume());
        }
        sim.closeFd(p);
    }
}
