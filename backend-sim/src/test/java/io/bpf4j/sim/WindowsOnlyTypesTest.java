package io.bpf4j.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.bpf4j.api.BpfUnsupportedException;
import io.bpf4j.api.Operation;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.Support;
import org.junit.jupiter.api.Test;

/** The simulator models Linux 6.18: eBPF for Windows' own program types are reported and refused as such. */
class WindowsOnlyTypesTest extends SimTestBase {
    @Test
    void windowsOnlyProgramTypesAreUnsupportedWithTheReason() {
        int seen = 0;
        for (ProgramType t : ProgramType.values()) {
            if (!t.windowsOnly()) continue;
            seen++;
            Support s = sim.capabilities().programType(t);
            assertFalse(s.supported(), t.toString());
            assertEquals("eBPF for Windows only program type: " + t + " does not exist in Linux, which the simulator models",
                    s.reason());
            BpfUnsupportedException e = assertThrows(BpfUnsupportedException.class,
                    () -> sim.progLoad(ProgramSpec.of(t, new long[] {0xb7L, 0x95L}, "GPL")));
            assertEquals(s.reason(), e.reason());
            assertEquals(Operation.PROG_LOAD, e.operation());
        }
        assertEquals(5, seen);
    }
}
