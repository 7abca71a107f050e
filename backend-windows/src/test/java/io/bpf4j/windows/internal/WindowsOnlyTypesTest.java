package io.bpf4j.windows.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.BpfUnsupportedException;
import io.bpf4j.api.Capabilities;
import io.bpf4j.api.ProgramInfo;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.Support;
import io.bpf4j.api.TestRunResult;
import io.bpf4j.api.TestRunSpec;
import io.bpf4j.api.asm.Asm;
import io.bpf4j.api.asm.Register;
import io.bpf4j.windows.StandIn;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * eBPF for Windows' own program types on the stand-in, which registers BIND, PROCESS, SAMPLE and
 * (at 0.21) XDP_TEST as their extensions would and leaves NETEVENT unregistered, as a machine
 * without ntosebpfext: the capability report says which is which and why, and each registered
 * type loads with its Windows number and runs on the context it is given.
 */
class WindowsOnlyTypesTest {

    @AfterAll
    static void cleanUp() {
        StandIn.cleanUp();
    }

    @ParameterizedTest
    @ValueSource(strings = {"full/ffm", "full/jna", "0.21/ffm"})
    void theReportSaysWhichTypesTheExtensionsRegistered(String variantAndBinding) {
        String[] v = variantAndBinding.split("/");
        boolean old = v[0].equals(StandIn.RELEASE_0_21);
        Capabilities caps = StandInBackendTest.open(v[0], "syscall", v[1]).capabilities();
        for (ProgramType t : new ProgramType[] {ProgramType.BIND, ProgramType.PROCESS, ProgramType.SAMPLE}) {
            assertTrue(caps.programType(t).supported(), t + ": " + caps.programType(t));
        }
        Support netevent = caps.programType(ProgramType.NETEVENT);
        assertFalse(netevent.supported());
        assertTrue(netevent.reason().startsWith("not registered in this eBPF for Windows: program type NETEVENT (Windows"
                + " type 5) needs its extension: ntosebpfext"), netevent.reason());
        Support xdpTest = caps.programType(ProgramType.XDP_TEST);
        assertEquals(old, xdpTest.supported(), String.valueOf(xdpTest));
        if (!old) {
            assertTrue(xdpTest.reason().contains("exists through eBPF for Windows 0.21.x only"), xdpTest.reason());
            assertTrue(xdpTest.reason().contains("an xdp_test section is read as xdp"), xdpTest.reason());
        }
    }

    private static long[] returnContextWord(int offset) {
        return new Asm().ldxw(Register.R0, Register.R1, offset).exit().toArray();
    }

    @ParameterizedTest
    @ValueSource(strings = {"full/syscall", "full/libbpf", "0.21/syscall"})
    void registeredTypesLoadWithTheirNumberAndRunOnTheirContext(String variantAndCalls) {
        String[] v = variantAndCalls.split("/");
        WinBackend w = StandInBackendTest.open(v[0], v[1], "ffm");
        int[][] types = {{ProgramType.BIND.ordinal(), 2}, {ProgramType.PROCESS.ordinal(), 6}, {ProgramType.SAMPLE.ordinal(), 999}};
        for (int[] tn : types) {
            ProgramType t = ProgramType.values()[tn[0]];
            int fd = w.progLoad(ProgramSpec.of(t, returnContextWord(8), "").withName("w" + tn[1])).fd();
            try {
                ProgramInfo info = w.progGetInfo(fd);
                assertEquals(t, info.type());
                assertEquals(tn[1], info.rawType());
                byte[] ctx = new byte[16];
                ByteBuffer.wrap(ctx).order(ByteOrder.LITTLE_ENDIAN).putInt(8, 7000 + tn[1]);
                TestRunResult r = w.progTestRun(fd, TestRunSpec.ofContext(ctx));
                assertEquals(7000 + tn[1], r.retval(), t + " read its context");
            } finally {
                w.closeFd(fd);
            }
        }
        // NETEVENT is refused before any call, with the report's reason.
        BpfUnsupportedException e = assertThrows(BpfUnsupportedException.class,
                () -> w.progLoad(ProgramSpec.of(ProgramType.NETEVENT, returnContextWord(0), "")));
        assertEquals(w.capabilities().programType(ProgramType.NETEVENT).reason(), e.reason());
    }
}
