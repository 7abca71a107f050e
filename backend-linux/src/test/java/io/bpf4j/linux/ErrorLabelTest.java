package io.bpf4j.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.AttachTarget;
import io.bpf4j.api.BpfException;
import io.bpf4j.api.Errno;
import io.bpf4j.api.Operation;
import io.bpf4j.api.Support;
import io.bpf4j.testsupport.Host;
import io.bpf4j.testsupport.LeakCheck;
import io.bpf4j.testsupport.Need;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Failures of the system calls that are no bpf() command carry the call's own name
 * ({@link BpfException#call()}) and no stand-in {@link Operation}; the errnos those calls
 * return have portable names.
 */
@ExtendWith(LeakCheck.class)
class ErrorLabelTest {
    /** A descriptor number this process does not have open. */
    private static final int NONE = 999_999;

    private static void isCall(BpfException e, String call, Errno errno) {
        assertEquals(call, e.call(), e.getMessage());
        assertNull(e.operation(), e.getMessage());
        assertEquals(errno, e.errno(), e.getMessage());
        assertEquals(errno.linux(), e.rawErrno());
        assertTrue(e.getMessage().startsWith("linux: " + call + " "), e.getMessage());
        for (Operation op : Operation.values()) assertFalse(e.getMessage().contains(op.name()), e.getMessage());
    }

    @Test
    void theKernelsAnswersToNonBpfCallsNameTheCall() throws Exception {
        try (LinuxBpf bpf = RealKernel.open()) {
            isCall(assertThrows(BpfException.class, () -> bpf.closeFd(NONE)), "close", Errno.EBADF);
            isCall(assertThrows(BpfException.class, () -> bpf.dupFd(NONE)), "fcntl", Errno.EBADF);
            isCall(assertThrows(BpfException.class, () -> bpf.read(NONE, new byte[8], 0, 8)), "read", Errno.EBADF);
            isCall(assertThrows(BpfException.class, () -> bpf.openTarget(new AttachTarget.Cgroup("/sys/fs/cgroup/bpf4j-no-such"))),
                    "open", Errno.ENOENT);
            String pin = Need.bpffs().resolve(Host.fresh("labels")).resolve("absent").toString();
            try {
                isCall(assertThrows(BpfException.class, () -> bpf.objUnpin(pin)), "unlink", Errno.ENOENT);
            } finally {
                Host.deleteTree(java.nio.file.Path.of(pin).getParent());
            }
            // No PMU has type 0x7fffffff: perf_event_open answers ENOENT.
            BpfException e = assertThrows(BpfException.class,
                    () -> bpf.openTarget(new AttachTarget.PerfEvent(0x7fff_ffff, 0, 1, 0, 0, -1)));
            isCall(e, "perf_event_open", e.errno());
            assertTrue(e.rawErrno() > 0);
        }
    }

    @Test
    void errnosOfThoseCallsHaveNames() {
        FakeSyscalls fake = new FakeSyscalls();
        LinuxBpf bpf = new LinuxBpf(fake, 1, FakeKernelTest.all(Support.YES));
        fake.readAnswer = -77;
        BpfException e = assertThrows(BpfException.class, () -> bpf.read(5, new byte[4], 0, 4));
        isCall(e, "read", Errno.EBADFD);
        assertEquals("linux: read fd 5: EBADFD (77)", e.getMessage());
        fake.closeAnswer = -122;
        isCall(assertThrows(BpfException.class, () -> bpf.closeFd(5)), "close", Errno.EDQUOT);
        assertEquals(Errno.EBADFD, Errno.fromLinux(77));
        assertEquals(Errno.ENOTBLK, Errno.fromLinux(15));
        assertEquals(Errno.EDQUOT, Errno.fromLinux(122));
        // Windows (UCRT) has none of the three: no number of its own maps to them.
        for (Errno x : new Errno[] {Errno.EBADFD, Errno.ENOTBLK, Errno.EDQUOT}) assertEquals(-1, x.windows());
        assertEquals(Errno.UNKNOWN, Errno.fromWindows(15));
    }

    @Test
    void bpfCommandsKeepTheirOperation() {
        BpfException e = new BpfException("linux", Operation.MAP_UPDATE_ELEM, "map \"counts\"", Errno.E2BIG, 7, null);
        assertEquals(Operation.MAP_UPDATE_ELEM, e.operation());
        assertEquals("MAP_UPDATE_ELEM", e.call());
        assertEquals("linux: MAP_UPDATE_ELEM map \"counts\": E2BIG (7)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new BpfException("linux", " ", null, Errno.EIO, 5, null));
        assertThrows(NullPointerException.class, () -> new BpfException("linux", (Operation) null, null, Errno.EIO, 5, null));
    }
}
