package io.bpf4j.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.Bpf;
import io.bpf4j.api.Errno;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.TestRunResult;
import io.bpf4j.api.TestRunSpec;
import io.bpf4j.api.VerifierException;
import org.junit.jupiter.api.Test;

/**
 * {@code may_goto} as Linux 6.18 on x86-64 runs it: loops it bounds load, a loop ends through it
 * when the program says so, and a loop only it ends runs for the kernel's quarter-second time
 * slice ({@code bpf_check_timed_may_goto()}), not into the simulator's instruction budget.
 */
class MayGotoTest {
    private static long raw(int code, int dst, int src, int off, int imm) {
        return (code & 0xff) | (long) (dst & 0xf) << 8 | (long) (src & 0xf) << 12 | (long) (off & 0xffff) << 16 | (long) imm << 32;
    }

    private static int load(Bpf sim, long... insns) {
        return sim.progLoad(ProgramSpec.of(ProgramType.XDP, insns, "GPL")).fd();
    }

    @Test
    void aCountingLoopEndsWhereTheProgramSays() {
        try (Bpf sim = Bpf.open("sim")) {
            // r0 = 0; loop: may_goto out; r0 += 1; if r0 < 100 goto loop; out: exit
            int p = load(sim, raw(0xb7, 0, 0, 0, 0), raw(0xe5, 0, 0, 2, 0), raw(0x07, 0, 0, 0, 1), raw(0xa5, 0, 0, -3, 100),
                    raw(0x95, 0, 0, 0, 0));
            assertEquals(100, sim.progTestRun(p, TestRunSpec.ofData(new byte[64])).retval());
            sim.closeFd(p);
        }
    }

    @Test
    void aLoopOnlyMayGotoEndsRunsForTheKernelsTimeSlice() {
        try (Bpf sim = Bpf.open("sim")) {
            // r0 = 0; loop: may_goto out; r0 += 1; r1 = r0 (x100); goto loop; out: exit
            // A pass is 103 instructions, so the run's budget of a million instructions would stop
            // it within 9,709 passes unless may_goto restarts the budget; even a cold interpreter on
            // a loaded machine makes several times that many passes in a quarter second.
            long[] insns = new long[105];
            insns[0] = raw(0xb7, 0, 0, 0, 0);
            insns[1] = raw(0xe5, 0, 0, 102, 0);
            insns[2] = raw(0x07, 0, 0, 0, 1);
            for (int i = 3; i < 103; i++) insns[i] = raw(0xbf, 1, 0, 0, 0);
            insns[103] = raw(0x05, 0, 0, -103, 0);
            insns[104] = raw(0x95, 0, 0, 0, 0);
            int p = load(sim, insns);
            long t0 = System.nanoTime();
            TestRunResult r = sim.progTestRun(p, TestRunSpec.ofData(new byte[64]));
            long took = System.nanoTime() - t0;
            assertTrue(Integer.toUnsignedLong(r.retval()) > 1_000_000 / 103, "passes: " + Integer.toUnsignedLong(r.retval()));
            assertTrue(took >= 250_000_000L, "the loop ended after " + took + " ns, before the time slice");
            sim.closeFd(p);
        }
    }

    @Test
    void reservedFieldsAreRefusedAsTheKernelRefusesThem() {
        try (Bpf sim = Bpf.open("sim")) {
            for (long bad : new long[] {raw(0xe5, 0, 0, 0, 1), raw(0xe5, 1, 0, 0, 0), raw(0xe5, 0, 1, 0, 0)}) {
                VerifierException e = assertThrows(VerifierException.class,
                        () -> load(sim, raw(0xb7, 0, 0, 0, 0), bad, raw(0x95, 0, 0, 0, 0)));
                assertEquals(Errno.EINVAL, e.errno());
                assertTrue(e.log().contains("invalid may_goto imm"), e.log());
            }
        }
    }
}
