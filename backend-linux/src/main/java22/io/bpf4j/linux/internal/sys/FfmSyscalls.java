package io.bpf4j.linux.internal.sys;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.bpf4j.api.MappedRing;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;

/**
 * The Panama FFM binding (JDK 22+): libc's {@code syscall}, {@code close}, {@code fcntl},
 * {@code read}, {@code write}, {@code open}, {@code unlink}, {@code mount}, {@code mmap},
 * {@code munmap}, {@code epoll_*} and {@code eventfd} as downcalls that capture errno. Loaded only by
 * {@link NativeBinding} through reflection, so JDK 17 never links this class.
 *
 * <p>Pointers are passed as {@code long}: on the supported ABIs a pointer argument travels in
 * the same integer register, and it keeps the per-call path free of {@code MemorySegment}
 * wrappers. The errno capture segment is allocated once per thread.
 */
public final class FfmSyscalls implements Syscalls {
    private static final int F_DUPFD_CLOEXEC = 1030;
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private final long nrBpf;
    private final MethodHandle syscall;
    private final MethodHandle syscall5;
    private final MethodHandle close;
    private final MethodHandle fcntl;
    private final MethodHandle read;
    private final MethodHandle open;
    private final MethodHandle mount;
    private final MethodHandle unlink;
    private final MethodHandle mmap;
    private final MethodHandle munmap;
    private final MethodHandle epollCreate1;
    private final MethodHandle epollCtl;
    private final MethodHandle epollWait;
    private final MethodHandle eventfd;
    private final MethodHandle write;
    private final MethodHandle ifNameToIndex;
    private final int pageSize;
    private final ThreadLocal<MemorySegment> capture =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE));

    /**
     * Binds libc.
     *
     * @throws IllegalCallerException when native access is denied to this module
     * @throws IllegalStateException on an unknown architecture or a missing libc symbol
     */
    public FfmSyscalls() {
        nrBpf = Arch.bpfSyscallNumber();
        if (nrBpf < 0) throw new IllegalStateException("unsupported architecture " + System.getProperty("os.arch"));
        Linker linker = Linker.nativeLinker();
        SymbolLookup libc = linker.defaultLookup();
        Linker.Option errno = Linker.Option.captureCallState("errno");
        syscall = linker.downcallHandle(find(libc, "syscall"),
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
                Linker.Option.firstVariadicArg(1), errno);
        syscall5 = linker.downcallHandle(find(libc, "syscall"),
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
                Linker.Option.firstVariadicArg(1), errno);
        close = linker.downcallHandle(find(libc, "close"), FunctionDescriptor.of(JAVA_INT, JAVA_INT), errno);
        fcntl = linker.downcallHandle(find(libc, "fcntl"), FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT),
                Linker.Option.firstVariadicArg(2), errno);
        read = linker.downcallHandle(find(libc, "read"), FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG),
                errno);
        open = linker.downcallHandle(find(libc, "open"), FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT),
                Linker.Option.firstVariadicArg(2), errno);
        unlink = linker.downcallHandle(find(libc, "unlink"), FunctionDescriptor.of(JAVA_INT, JAVA_LONG), errno);
        mount = linker.downcallHandle(find(libc, "mount"),
                FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG), errno);
        mmap = linker.downcallHandle(find(libc, "mmap"),
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG), errno);
        munmap = linker.downcallHandle(find(libc, "munmap"), FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG), errno);
        epollCreate1 = linker.downcallHandle(find(libc, "epoll_create1"), FunctionDescriptor.of(JAVA_INT, JAVA_INT), errno);
        epollCtl = linker.downcallHandle(find(libc, "epoll_ctl"),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG), errno);
        epollWait = linker.downcallHandle(find(libc, "epoll_wait"),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT), errno);
        eventfd = linker.downcallHandle(find(libc, "eventfd"), FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), errno);
        write = linker.downcallHandle(find(libc, "write"), FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG),
                errno);
        ifNameToIndex = linker.downcallHandle(find(libc, "if_nametoindex"), FunctionDescriptor.of(JAVA_INT, JAVA_LONG), errno);
        MethodHandle getpagesize = linker.downcallHandle(find(libc, "getpagesize"), FunctionDescriptor.of(JAVA_INT));
        try {
            pageSize = (int) getpagesize.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static MemorySegment find(SymbolLookup lookup, String name) {
        return lookup.find(name).orElseThrow(() -> new IllegalStateException("libc has no " + name));
    }

    private static int errno(MemorySegment cs) {
        return (int) ERRNO.get(cs, 0L);
    }

    @Override
    public long bpf(int cmd, long attr, int size) {
        return bpf(cmd, attr, size, capture.get());
    }

    @Override
    public long bpf(int cmd, long attr, int size, Object callState) {
        // The caller's own segment from newCallState(): no thread-local lookup per call.
        MemorySegment cs = callState instanceof MemorySegment m ? m : capture.get();
        long r;
        try {
            r = (long) syscall.invokeExact(cs, nrBpf, (long) cmd, attr, size & 0xffffffffL);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        return r == -1 ? -errno(cs) : r;
    }

    @Override
    public Object newCallState() {
        return Arena.ofAuto().allocate(CAPTURE);
    }

    @Override
    public int close(int fd) {
        MemorySegment cs = capture.get();
        int r;
        try {
            r = (int) close.invokeExact(cs, fd);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        return r == -1 ? -errno(cs) : r;
    }

    @Override
    public int dupCloexec(int fd) {
        MemorySegment cs = capture.get();
        int r;
        try {
            r = (int) fcntl.invokeExact(cs, fd, F_DUPFD_CLOEXEC, 3);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        return r == -1 ? -errno(cs) : r;
    }

    @Override
    public long read(int fd, long buf, long len) {
        MemorySegment cs = capture.get();
        long r;
        try {
            r = (long) read.invokeExact(cs, fd, buf, len);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        return r == -1 ? -errno(cs) : r;
    }

    @Override
    public int open(long path, int flags, int mode) {
        MemorySegment cs = capture.get();
        int r;
        try {
            r = (int) open.invokeExact(cs, path, flags, mode);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        return r == -1 ? -errno(cs) : r;
    }

    @Override
    public int unlink(long path) {
        MemorySegment cs = capture.get();
        int r;
        try {
            r = (int) unlink.invokeExact(cs, path);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        return r == -1 ? -errno(cs) : r;
    }

    @Override
    public int mount(long source, long target, long fstype, long flags, long data) {
        MemorySegment cs = capture.get();
        int r;
        try {
            r = (int) mount.invokeExact(cs, source, target, fstype, flags, data);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        return r == -1 ? -errno(cs) : r;
    }

    @Override
    public int perfEventOpen(long attr, int pid, int cpu, int groupFd, long flags) {
        MemorySegment cs = capture.get();
        long r;
        try {
            r = (long) syscall5.invokeExact(cs, Arch.perfEventOpenSyscallNumber(), attr, (long) pid, (long) cpu,
                    (long) groupFd, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        return (int) (r == -1 ? -errno(cs) : r);
    }

    private static final int MAP_SHARED = 1;

    @Override
    public long mmap(long length, int prot, int fd, long offset) {
        MemorySegment cs = capture.get();
        long r;
        try {
            r = (long) mmap.invokeExact(cs, 0L, length, prot, MAP_SHARED, fd, offset);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        return r == -1 ? -errno(cs) : r;
    }

    @Override
    public int munmap(long address, long length) {
        MemorySegment cs = capture.get();
        int r;
        try {
            r = (int) munmap.invokeExact(cs, address, length);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        return r == -1 ? -errno(cs) : r;
    }

    @Override
    public int epollCreate1(int flags) {
        MemorySegment cs = capture.get();
        int r;
        try {
            r = (int) epollCreate1.invokeExact(cs, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        return r == -1 ? -errno(cs) : r;
    }

    @Override
    public int epollCtl(int epfd, int op, int fd, long event) {
        MemorySegment cs = capture.get();
        int r;
        try {
            r = (int) epollCtl.invokeExact(cs, epfd, op, fd, event);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        return r == -1 ? -errno(cs) : r;
    }

    @Override
    public int epollWait(int epfd, long events, int maxEvents, int timeoutMillis) {
        MemorySegment cs = capture.get();
        int r;
        try {
            r = (int) epollWait.invokeExact(cs, epfd, events, maxEvents, timeoutMillis);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        return r == -1 ? -errno(cs) : r;
    }

    @Override
    public int eventfd(int initval, int flags) {
        MemorySegment cs = capture.get();
        int r;
        try {
            r = (int) eventfd.invokeExact(cs, initval, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        return r == -1 ? -errno(cs) : r;
    }

    @Override
    public int ifNameToIndex(long name) {
        MemorySegment cs = capture.get();
        int r;
        try {
            r = (int) ifNameToIndex.invokeExact(cs, name);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        return r == 0 ? -errno(cs) : r;
    }

    @Override
    public long write(int fd, long buf, long len) {
        MemorySegment cs = capture.get();
        long r;
        try {
            r = (long) write.invokeExact(cs, fd, buf, len);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        return r == -1 ? -errno(cs) : r;
    }

    @Override
    public int pageSize() {
        return pageSize;
    }

    @Override
    public ByteBuffer buffer(long address, int length) {
        return MemorySegment.ofAddress(address).reinterpret(length).asByteBuffer();
    }

    @Override
    public MappedRing.Reads ringReads(long consumer, long producer, long data, int dataLength) {
        return new FfmRingReads(consumer, producer, data, dataLength);
    }

    @Override
    public long address(ByteBuffer direct) {
        if (!direct.isDirect()) throw new IllegalArgumentException("direct: not a direct buffer");
        // ofBuffer starts the segment at the buffer's position; the contract is its first byte,
        // as JNA's getDirectBufferPointer answers.
        return MemorySegment.ofBuffer(direct.duplicate().clear()).address();
    }

    @Override
    public String name() {
        return "ffm";
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(t);
    }
}
