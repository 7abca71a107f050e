package io.bpf4j.linux.internal.sys;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;

/**
 * The JNA binding, for JDK 17 to 21 or with {@code -Dbpf4j.native=jna}: libc's
 * {@code syscall}, {@code close}, {@code fcntl}, {@code read}, {@code write}, {@code open},
 * {@code unlink}, {@code mount}, {@code mmap}, {@code munmap}, {@code epoll_*}, {@code eventfd} and
 * {@code getpagesize} through JNA direct mapping, with errno from {@link Native#getLastError()}.
 *
 * <p>Variadic libc functions are bound with fixed integer prototypes: on the x86_64 and
 * aarch64 Linux ABIs variadic integer arguments travel exactly like fixed ones.
 */
public final class JnaSyscalls implements Syscalls {
    private static final int F_DUPFD_CLOEXEC = 1030;

    private final long nrBpf;

    /**
     * Binds libc.
     *
     * @throws UnsatisfiedLinkError when JNA's native part cannot load
     * @throws IllegalStateException on an unknown architecture
     */
    public JnaSyscalls() {
        nrBpf = Arch.bpfSyscallNumber();
        if (nrBpf < 0) throw new IllegalStateException("unsupported architecture " + System.getProperty("os.arch"));
        Libc.init();
    }

    /** Direct-mapped libc; registered once per class loader. */
    static final class Libc {
        private static volatile boolean registered;

        private Libc() {
        }

        static synchronized void init() {
            if (!registered) {
                Native.register(Libc.class, Platform.C_LIBRARY_NAME);
                registered = true;
            }
        }

        static native long syscall(long nr, long a1, long a2, long a3);

        static native long syscall(long nr, long a1, long a2, long a3, long a4, long a5);

        static native int close(int fd);

        static native int fcntl(int fd, int cmd, int arg);

        static native long read(int fd, long buf, long count);

        static native int open(long path, int flags, int mode);

        static native int unlink(long path);

        static native int mount(long source, long target, long fstype, long flags, long data);

        static native long mmap(long addr, long length, int prot, int flags, int fd, long offset);

        static native int munmap(long addr, long length);

        static native int epoll_create1(int flags);

        static native int epoll_ctl(int epfd, int op, int fd, long event);

        static native int epoll_wait(int epfd, long events, int maxEvents, int timeout);

        static native int eventfd(int initval, int flags);

        static native long write(int fd, long buf, long count);

        static native int getpagesize();

        static native int if_nametoindex(long name);
    }

    private static long check(long r) {
        return r == -1 ? -Native.getLastError() : r;
    }

    @Override
    public long bpf(int cmd, long attr, int size) {
        return check(Libc.syscall(nrBpf, cmd, attr, size & 0xffffffffL));
    }

    @Override
    public int close(int fd) {
        return (int) check(Libc.close(fd));
    }

    @Override
    public int dupCloexec(int fd) {
        return (int) check(Libc.fcntl(fd, F_DUPFD_CLOEXEC, 3));
    }

    @Override
    public long read(int fd, long buf, long len) {
        return check(Libc.read(fd, buf, len));
    }

    @Override
    public int open(long path, int flags, int mode) {
        return (int) check(Libc.open(path, flags, mode));
    }

    @Override
    public int unlink(long path) {
        return (int) check(Libc.unlink(path));
    }

    @Override
    public int mount(long source, long target, long fstype, long flags, long data) {
        return (int) check(Libc.mount(source, target, fstype, flags, data));
    }

    @Override
    public int perfEventOpen(long attr, int pid, int cpu, int groupFd, long flags) {
        return (int) check(Libc.syscall(Arch.perfEventOpenSyscallNumber(), attr, pid, cpu, groupFd, flags));
    }

    /** {@code MAP_SHARED}. */
    private static final int MAP_SHARED = 1;
    /** {@code MAP_FAILED}. */
    private static final long MAP_FAILED = -1;

    @Override
    public long mmap(long length, int prot, int fd, long offset) {
        long r = Libc.mmap(0, length, prot, MAP_SHARED, fd, offset);
        return r == MAP_FAILED ? -Native.getLastError() : r;
    }

    @Override
    public int munmap(long address, long length) {
        return (int) check(Libc.munmap(address, length));
    }

    @Override
    public int epollCreate1(int flags) {
        return (int) check(Libc.epoll_create1(flags));
    }

    @Override
    public int epollCtl(int epfd, int op, int fd, long event) {
        return (int) check(Libc.epoll_ctl(epfd, op, fd, event));
    }

    @Override
    public int epollWait(int epfd, long events, int maxEvents, int timeoutMillis) {
        return (int) check(Libc.epoll_wait(epfd, events, maxEvents, timeoutMillis));
    }

    @Override
    public int eventfd(int initval, int flags) {
        return (int) check(Libc.eventfd(initval, flags));
    }

    @Override
    public long write(int fd, long buf, long len) {
        return check(Libc.write(fd, buf, len));
    }

    @Override
    public int ifNameToIndex(long name) {
        int r = Libc.if_nametoindex(name);
        return r == 0 ? -Native.getLastError() : r;
    }

    @Override
    public int pageSize() {
        return Libc.getpagesize();
    }

    @Override
    public ByteBuffer buffer(long address, int length) {
        return new Pointer(address).getByteBuffer(0, length);
    }

    @Override
    public long address(ByteBuffer direct) {
        if (!direct.isDirect()) throw new IllegalArgumentException("direct: not a direct buffer");
        return Pointer.nativeValue(Native.getDirectBufferPointer(direct));
    }

    @Override
    public String name() {
        return "jna";
    }
}
