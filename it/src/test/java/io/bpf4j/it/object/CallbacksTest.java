package io.bpf4j.it.object;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfProgram;
import io.bpf4j.api.ProgramInfo;
import io.bpf4j.api.TestRunSpec;
import io.bpf4j.api.object.BpfCollection;
import io.bpf4j.api.object.ObjectSpec;
import io.bpf4j.it.LinuxKernel;
import io.bpf4j.sim.Simulator;
import io.bpf4j.testsupport.LeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * callbacks.o: a program passing a static function to {@code bpf_loop}. The kernel verifies
 * callbacks only with the program's BTF {@code func_info}, which must name every function of
 * the linked program (the callback appended after the program) at its final place.
 */
@ExtendWith(LeakCheck.class)
class CallbacksTest {
    static final int XDP_PASS = 2;

    @Test
    void theKernelRunsTheCallbackTenTimes() {
        ObjectSpec spec = Corpus.spec("callbacks.o");
        assertEquals(1, spec.program("loop_sum").callbacks());
        try (Bpf bpf = LinuxKernel.open(); BpfCollection obj = spec.load(bpf)) {
            BpfProgram p = obj.program("loop_sum");
            assertEquals(XDP_PASS, p.testRun(TestRunSpec.ofData(new byte[64])).retval());
            assertEquals(45, obj.variable("sum").getLong(), "add_index ran for 0..9");
            ProgramInfo info = p.info();
            assertTrue(info.btfId() > 0, "loaded with the object's BTF");
        }
    }

    /** The simulator checks the same func_info as the kernel and runs the callback as the kernel does. */
    @Test
    void theSimulatorRunsTheCallbackTenTimes() {
        try (Bpf sim = Simulator.builder().build(); BpfCollection obj = Corpus.spec("callbacks.o").load(sim)) {
            BpfProgram p = obj.program("loop_sum");
            assertEquals(XDP_PASS, p.testRun(TestRunSpec.ofData(new byte[64])).retval());
            assertEquals(45, obj.variable("sum").getLong(), "add_index ran for 0..9");
        }
    }
}
