package io.bpf4j.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.linux.internal.sys.Syscalls;
import io.bpf4j.testsupport.LeakCheck;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * On x86-64 the FFM binding makes {@code bpf()}, {@code close}, {@code fcntl}, {@code read},
 * {@code write} and {@code epoll_wait} raw system calls (no errno capture, see
 * {@code FfmSyscalls.RawSyscall}); they must answer what libc with errno answers, successes and
 * errors alike. The binding is compiled for JDK 22 into the same classes, so this test reaches it
 * by reflection.
 */
@ExtendWith(LeakCheck.class)
@EnabledForJreRange(min = JRE.JAVA_22)
@EnabledIfSystemProperty(named = "os.arch", matches = "amd64|x86_64")
class RawSyscallTest {
    private static final int BPF_MAP_CREATE = 0;
    private static final int BPF_MAP_LOOKUP_ELEM = 1;
    private static final int BPF_MAP_TYPE_ARRAY = 2;
    private static final int EBADF = 9;
    private static final int EINVAL = 22;
    private static final int ATTR = 128;
    /** {@code sys/eventfd.h}, {@code sys/epoll.h} (x86-64 glibc). */
    private static final int EFD_CLOEXEC = 0x80000;
    private static final int EPOLL_CLOEXEC = 0x80000;
    private static final int EPOLL_CTL_ADD = 1;
    private static final int EPOLLIN = 1;

    @Test
    void theRawCallAndLibcAnswerAlike() throws Exception {
        RealKernel.require();
        Class<?> ffm = Class.forName("io.bpf4j.linux.internal.sys.FfmSyscalls");
        assertEquals("raw syscall", ffm.getMethod("bpfEntry").invoke(null), "how bpf() reaches the kernel on x86-64");
        Syscalls sys = (Syscalls) ffm.getConstructor().newInstance();
        Method libc = ffm.getMethod("bpfThroughLibc", int.class, long.class, int.class, Object.class);
        ByteBuffer attr = ByteBuffer.allocateDirect(ATTR).order(ByteOrder.nativeOrder());
        long at = sys.address(attr);

        // Errors come back as -errno on both paths.
        assertEquals(-EINVAL, sys.bpf(9999, at, ATTR));
        assertEquals(-EINVAL, (long) libc.invoke(sys, 9999, at, ATTR, null));
        attr.putInt(0, 1 << 30); // map_fd: no such descriptor
        assertEquals(-EBADF, sys.bpf(BPF_MAP_LOOKUP_ELEM, at, ATTR));
        assertEquals(-EBADF, (long) libc.invoke(sys, BPF_MAP_LOOKUP_ELEM, at, ATTR, null));

        // A success answers the new descriptor on both paths.
        attr.clear();
        for (int i = 0; i < ATTR; i += 4) attr.putInt(i, 0);
        attr.putInt(0, BPF_MAP_TYPE_ARRAY).putInt(4, 4).putInt(8, 8).putInt(12, 1);
        long a = sys.bpf(BPF_MAP_CREATE, at, ATTR);
        long b = (long) libc.invoke(sys, BPF_MAP_CREATE, at, ATTR, null);
        try {
            assertTrue(a > 0 && b > 0 && a != b, "two new map descriptors, got " + a + " and " + b);
        } finally {
            if (a > 0) sys.close((int) a);
            if (b > 0) sys.close((int) b);
        }
    }

    @Test
    void theOtherRawCallsAnswerAsLibcDoes() throws Exception {
        RealKernel.require();
        Syscalls sys = (Syscalls) Class.forName("io.bpf4j.linux.internal.sys.FfmSyscalls").getConstructor().newInstance();
        ByteBuffer buf = ByteBuffer.allocateDirect(64).order(ByteOrder.nativeOrder());
        long at = sys.address(buf);
        int none = 1 << 30;
        assertEquals(-EBADF, sys.close(none));
        assertEquals(-EBADF, sys.dupCloexec(none));
        assertEquals(-EBADF, sys.read(none, at, 8));
        assertEquals(-EBADF, sys.write(none, at, 8));
        assertEquals(-EBADF, sys.epollWait(none, at, 1, 0));

        int ev = sys.eventfd(0, EFD_CLOEXEC);
        int ep = sys.epollCreate1(EPOLL_CLOEXEC);
        int dup = -1;
        try {
            assertTrue(ev > 0 && ep > 0, "eventfd " + ev + ", epoll " + ep);
            dup = sys.dupCloexec(ev);
            assertTrue(dup > 2 && dup != ev, "a new descriptor, got " + dup);
            buf.putInt(0, EPOLLIN).putLong(4, 77);
            assertEquals(0, sys.epollCtl(ep, EPOLL_CTL_ADD, ev, at));
            assertEquals(0, sys.epollWait(ep, at, 1, 0), "nothing to read yet");
            buf.putLong(16, 5);
            assertEquals(8, sys.write(dup, at + 16, 8), "written through the duplicate");
            assertEquals(1, sys.epollWait(ep, at, 1, 1000));
            assertEquals(77, buf.getLong(4), "the event's data");
            buf.putLong(32, 0);
            assertEquals(8, sys.read(ev, at + 32, 8));
            assertEquals(5, buf.getLong(32), "the counter written");
            assertEquals(-EINVAL, sys.read(ev, at + 32, 4), "an eventfd read shorter than 8 bytes");
        } finally {
            if (dup > 0) assertEquals(0, sys.close(dup));
            if (ep > 0) assertEquals(0, sys.close(ep));
            if (ev > 0) assertEquals(0, sys.close(ev));
        }
    }
}
