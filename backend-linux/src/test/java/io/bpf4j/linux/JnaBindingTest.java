package io.bpf4j.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.BpfException;
import io.bpf4j.api.Errno;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.TestRunSpec;
import io.bpf4j.api.VerifierException;
import io.bpf4j.linux.internal.sys.JnaSyscalls;
import io.bpf4j.linux.internal.sys.NativeBinding;
import io.bpf4j.testsupport.LeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The JNA binding (what JDK 17-21 and -Dbpf4j.native=jna use) against the real kernel. */
@ExtendWith(LeakCheck.class)
class JnaBindingTest {

    @Test
    void commandsWorkThroughJna() {
        RealKernel.open().close(); // skips without root (fails in CI), fails when root cannot use it
        try (LinuxBpf bpf = new LinuxBpf(new JnaSyscalls())) {
            int m = bpf.mapCreate(MapSpec.of(MapType.HASH, 4, 4, 1));
            try {
                byte[] v = new byte[4];
                assertFalse(bpf.mapLookupElem(m, MapCommandsTest.u32(1), v, 0), "errno ENOENT read through JNA");
                bpf.mapUpdateElem(m, MapCommandsTest.u32(1), MapCommandsTest.u32(77), 0);
                assertTrue(bpf.mapLookupElem(m, MapCommandsTest.u32(1), v, 0));
                assertEquals(77, MapCommandsTest.u32(v, 0));
                BpfException e = assertThrows(BpfException.class,
                        () -> bpf.mapUpdateElem(m, MapCommandsTest.u32(2), MapCommandsTest.u32(1), 0));
                assertEquals(Errno.E2BIG, e.errno());
                assertEquals(MapType.HASH, bpf.mapGetInfo(m).type());
            } finally {
                bpf.closeFd(m);
            }
            int p = bpf.progLoad(ProgramSpec.of(ProgramType.XDP, Insn.ret(2), "GPL")).fd();
            try {
                assertEquals(2, bpf.progTestRun(p, TestRunSpec.ofData(new byte[64])).retval());
            } finally {
                bpf.closeFd(p);
            }
            VerifierException e = assertThrows(VerifierException.class,
                    () -> bpf.progLoad(ProgramSpec.of(ProgramType.XDP, new long[] {Insn.exit()}, "GPL")));
            assertTrue(e.log().contains("R0 !read_ok"), e.log());
        }
    }

    @Test
    void propertySelectsJna() {
        String old = System.getProperty("bpf4j.native");
        System.setProperty("bpf4j.native", "jna");
        try {
            assertEquals("jna", NativeBinding.load().syscalls().name());
            System.setProperty("bpf4j.native", "nonsense");
            assertTrue(NativeBinding.load().reason().contains("neither ffm nor jna"));
        } finally {
            if (old == null) System.clearProperty("bpf4j.native");
            else System.setProperty("bpf4j.native", old);
        }
        if (Runtime.version().feature() >= 22) assertEquals("ffm", NativeBinding.load().syscalls().name());
    }
}
