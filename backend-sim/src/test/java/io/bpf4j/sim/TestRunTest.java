package io.bpf4j.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.Errno;
import io.bpf4j.api.MapType;
import io.bpf4j.api.ProgramFlags;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.TestRunResult;
import io.bpf4j.api.TestRunSpec;
import io.bpf4j.api.VerifierException;
import io.bpf4j.api.asm.Asm;
import io.bpf4j.api.asm.Helper;
import io.bpf4j.api.asm.Register;
import org.junit.jupiter.api.Test;

/** The test-run contract of net/bpf/test_run.c, as Linux 6.18 answered it. */
class TestRunTest extends SimTestBase {
    @Test
    void xdpRunsRepeatedlyAndCountsInAMap() {
        int m = map(MapType.ARRAY, 4, 8, 1);
        long[] insns = new Asm().stw(Register.R10, -4, 0).mov64(Register.R2, Register.R10).add64(Register.R2, -4)
                .ldMapFd(Register.R1, m).call(Helper.MAP_LOOKUP_ELEM).jeq(Register.R0, 0, "out")
                .mov64(Register.R1, 1).atomicAdd64(Register.R0, 0, Register.R1).label("out").mov64(Register.R0, 2)
                .exit().toArray();
        int p = prog(ProgramType.XDP, insns);
        byte[] pkt = new byte[64];
        pkt[20] = 9;
        TestRunResult r = sim.progTestRun(p, TestRunSpec.ofData(pkt).withRepeat(5));
        assertEquals(2, r.retval(), "XDP_PASS");
        assertArrayEquals(pkt, r.dataOut());
        assertEquals(64, r.dataSizeOut());
        byte[] v = new byte[8];
        sim.mapLookupElem(m, u32(0), v, 0);
        assertEquals(5, u64(v, 0), "ran once per repetition");
        sim.closeFd(p);
        sim.closeFd(m);
    }

    @Test
    void eachRepetitionFindsTheStackItReadsZeroedWhateverTheLastOneLeft() {
        // A run zeroes as much of the stack as the verifier saw the program reach, reads included
        // (the kernel lets a privileged program read stack it never wrote). Each repetition reads
        // two slots before it writes them, so the last one returns what the one before left.
        int p = prog(ProgramType.XDP, new Asm().ldxdw(Register.R0, Register.R10, -200).ldxdw(Register.R1, Register.R10, -64)
                .add64(Register.R0, Register.R1).stdw(Register.R10, -200, 0x1234).stdw(Register.R10, -64, 0x5678)
                .exit().toArray());
        assertEquals(0, sim.progTestRun(p, TestRunSpec.ofData(new byte[64]).withRepeat(3)).retval(),
                "a repetition read what the one before left on the stack");
        sim.closeFd(p);
    }

    @Test
    void socketFiltersSeeNoEthernetHeaderAndGetAZeroedOneBack() {
        int p = prog(ProgramType.SOCKET_FILTER, ret(7));
        byte[] in = new byte[20];
        for (int i = 0; i < 20; i++) in[i] = (byte) (i + 1);
        TestRunResult r = sim.progTestRun(p, new TestRunSpec(in, 64, null, 0, 3, 0, 0, 0));
        assertEquals(7, r.retval());
        assertEquals(20, r.dataSizeOut());
        byte[] want = new byte[20];
        for (int i = 14; i < 20; i++) want[i] = (byte) (i + 1);
        // Linux 6.18 returns the Ethernet header zeroed (it pushes an empty one back).
        assertArrayEquals(want, r.dataOut());
        // Output that does not fit is ENOSPC; data shorter than an Ethernet header is EINVAL.
        fails(Errno.ENOSPC, () -> sim.progTestRun(p, new TestRunSpec(in, 10, null, 0, 1, 0, 0, 0)));
        fails(Errno.EINVAL, () -> sim.progTestRun(p, TestRunSpec.ofData(new byte[10])));
        sim.closeFd(p);
        int x = prog(ProgramType.XDP, ret(2));
        fails(Errno.EINVAL, () -> sim.progTestRun(x, TestRunSpec.ofData(new byte[10])));
        sim.closeFd(x);
        int k = prog(ProgramType.KPROBE, ret(0));
        fails(Errno.ENOTSUPP, () -> sim.progTestRun(k, TestRunSpec.ofData(new byte[20])));
        sim.closeFd(k);
    }

    @Test
    void tcProgramsSeeTheWholeFrame() {
        // r0 = *(u8 *)(data + 0) via __sk_buff->data, bounds-checked against data_end.
        long[] insns = new Asm().ldxw(Register.R2, Register.R1, 76).ldxw(Register.R3, Register.R1, 80)
                .mov64(Register.R4, Register.R2).add64(Register.R4, 1).mov64(Register.R0, 0)
                .jgt(Register.R4, Register.R3, "out").ldxb(Register.R0, Register.R2, 0).label("out").exit().toArray();
        int p = prog(ProgramType.SCHED_CLS, insns);
        byte[] frame = new byte[20];
        frame[0] = 42;
        assertEquals(42, sim.progTestRun(p, TestRunSpec.ofData(frame)).retval());
        sim.closeFd(p);
    }

    @Test
    void syscallProgramsMustSleepAndWriteTheirContextBack() {
        long[] insns = new Asm().stw(Register.R1, 0, 42).mov64(Register.R0, 3).exit().toArray();
        VerifierException e = (VerifierException) fails(Errno.EINVAL,
                () -> sim.progLoad(ProgramSpec.of(ProgramType.SYSCALL, insns, "GPL")));
        assertTrue(e.log().contains("Syscall programs can only be sleepable"), e.log());
        int p = sim.progLoad(ProgramSpec.of(ProgramType.SYSCALL, insns, "GPL").withFlags(ProgramFlags.SLEEPABLE)).fd();
        // Linux 6.18 takes only ctx_in (repeat 0, no ctx_out, as ofContext asks) and writes the
        // context back into ctx_in, which the api returns as ctxOut.
        byte[] in = new byte[8];
        TestRunResult r = sim.progTestRun(p, TestRunSpec.ofContext(in));
        assertEquals(3, r.retval());
        assertArrayEquals(new byte[] {42, 0, 0, 0, 0, 0, 0, 0}, r.ctxOut());
        assertArrayEquals(new byte[8], in, "the caller's array is not written");
        // The kernel refuses data, a context out and repetitions (even 1) for syscall programs.
        fails(Errno.EINVAL, () -> sim.progTestRun(p, new TestRunSpec(null, 0, new byte[8], 8, 0, 0, 0, 0)));
        fails(Errno.EINVAL, () -> sim.progTestRun(p, new TestRunSpec(null, 0, new byte[8], 0, 1, 0, 0, 0)));
        sim.closeFd(p);
    }
}
