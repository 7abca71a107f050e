package io.bpf4j.windows.internal;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.BpfUnsupportedException;
import io.bpf4j.api.ProgramBtf;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.asm.Asm;
import io.bpf4j.api.asm.Register;
import io.bpf4j.windows.StandIn;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Program BTF ({@code func_info}, {@code line_info}) is refused on Windows with the reason,
 * before the library is called; the shared input rules still come first.
 */
class ProgramBtfRefusedTest {

    @AfterAll
    static void cleanUp() {
        StandIn.cleanUp();
    }

    @Test
    void programBtfIsUnsupportedWithTheReason() {
        WinBackend w = StandInBackendTest.open(StandIn.FULL, null, "ffm");
        long[] insns = new Asm().mov64(Register.R0, 0).exit().toArray();
        ProgramSpec spec = ProgramSpec.of(ProgramType.XDP, insns, "").withBtf(ProgramBtf.of(3,
                List.of(new io.bpf4j.api.btf.BtfExt.FuncInfo(0, 2)), List.of()));
        BpfUnsupportedException e = assertThrows(BpfUnsupportedException.class, () -> w.progLoad(spec));
        assertTrue(e.reason().contains("program BTF"), e.reason());
        // A bad record size is bad input on every platform, named before the platform is asked.
        ProgramSpec bad = spec.withBtf(new ProgramBtf(3, 4, new byte[8], 2, 0, null, 0));
        IllegalArgumentException iae = assertThrows(IllegalArgumentException.class, () -> w.progLoad(bad));
        assertTrue(iae.getMessage().startsWith("btf.funcInfo"), iae.getMessage());
    }
}
