package io.bpf4j.sim.internal.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.asm.TextAssembler;
import org.junit.jupiter.api.Test;

/** {@code callx}: rejected like the kernel by default, run when the loader allows it. */
class CallxTest {
    private static final HelperTable DOUBLE = HelperTable.empty().with(7, (vm, r1, r2, r3, r4, r5) -> r1 * 2);

    private static final long[] PROGRAM = TextAssembler.assemble("""
            mov %r1, 21
            mov %r3, 7
            callx %r3
            exit
            """);

    @Test
    void theKernelsDefaultRejectsTheOpcode() {
        VmLoadException e = assertThrows(VmLoadException.class, () -> new VmLoader().helpers(DOUBLE).load(PROGRAM));
        assertTrue(e.getMessage().startsWith("unknown opcode 8d"), e.getMessage());
    }

    @Test
    void allowedItCallsTheHelperNamedByTheRegister() {
        VmProgram p = new VmLoader().helpers(DOUBLE).allowCallx(true).load(PROGRAM);
        assertEquals(42, new Vm().run(p, 0));
    }

    @Test
    void aRegisterNamingAHelperTheProgramMayNotCallStopsTheRun() {
        long[] bad = TextAssembler.assemble("""
                mov %r3, 9
                callx %r3
                exit
                """);
        VmProgram p = new VmLoader().helpers(DOUBLE).allowCallx(true).load(bad);
        VmException e = assertThrows(VmException.class, () -> new Vm().run(p, 0));
        assertTrue(e.getMessage().contains("callx to helper 9"), e.getMessage());
    }
}
