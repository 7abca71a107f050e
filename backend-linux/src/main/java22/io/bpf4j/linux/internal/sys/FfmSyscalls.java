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
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;

/**
 * The Panama FFM binding (JDK 22+): libc's {@code syscall}, {@code close}, {@code fcntl},
 * {@code read}, {@code write}, {@code open}, {@code unlink}, {@code mount}, {@code mmap},
 * {@code munmap}, {@code epoll_*} and {@code eventfd} as downcalls that capture errno; on x86-64
 * the calls made per command or per poll are raw system calls instead ({@link RawSyscall}).
 * Loaded only by {@link NativeBinding} through reflection, so JDK 17 never links this class.
 *
 * <p>Pointers are passed as {@code long}: on the supported ABIs a pointer argument travels in
 * the same integer register, and it keeps the per-call path free of {@code MemorySegment}
 * wrappers. The errno capture segment is allocated once per thread.
 */
public final class FfmSyscalls implements Syscalls {
    private static final int F_DUPFD_CLOEXEC = 1030;
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    /**
     * The downcall handles. Static finals, so that the JIT folds them to constants and inlines
     * the downcall: held in an instance's final fields they were invoked through the generic
     * invoker (type check, customization check, {@code invokeBasic}) on every call, which was most
     * of what bpf4j added per map command over a bare FFM loop. A nested class, so that they are
     * made when the first binding is, and an error making them reaches that constructor.
     */
    private static final class Libc {
        static final Linker LINKER = Linker.nativeLinker();
        static final SymbolLookup LIBC = LINKER.defaultLookup();
        static final MethodHandle SYSCALL = bind("syscall", 1, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG);
        static final MethodHandle SYSCALL5 =
                bind("syscall", 1, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG);
        static final MethodHandle CLOSE = bind("close", -1, JAVA_INT, JAVA_INT);
        static final MethodHandle FCNTL = bind("fcntl", 2, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
        static final MethodHandle READ = bind("read", -1, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG);
        static final MethodHandle OPEN = bind("open", 2, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT);
        static final MethodHandle UNLINK = bind("unlink", -1, JAVA_INT, JAVA_LONG);
        static final MethodHandle MOUNT = bind("mount", -1, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG);
        static final MethodHandle MMAP =
                bind("mmap", -1, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG);
        static final MethodHandle MUNMAP = bind("munmap", -1, JAVA_INT, JAVA_LONG, JAVA_LONG);
        static final MethodHandle MPROTECT = bind("mprotect", -1, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT);
        static final MethodHandle EPOLL_CREATE1 = bind("epoll_create1", -1, JAVA_INT, JAVA_INT);
        static final MethodHandle EPOLL_CTL = bind("epoll_ctl", -1, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG);
        static final MethodHandle EPOLL_WAIT = bind("epoll_wait", -1, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT);
        static final MethodHandle EVENTFD = bind("eventfd", -1, JAVA_INT, JAVA_INT, JAVA_INT);
        static final MethodHandle WRITE = bind("write", -1, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG);
        static final MethodHandle IF_NAME_TO_INDEX = bind("if_nametoindex", -1, JAVA_INT, JAVA_LONG);
        static final int PAGE_SIZE;

        static {
            MethodHandle getpagesize = LINKER.downcallHandle(find(LIBC, "getpagesize"), FunctionDescriptor.of(JAVA_INT));
            try {
                PAGE_SIZE = (int) getpagesize.invokeExact();
            } catch (Throwable t) {
                throw rethrow(t);
            }
        }

        /**
         * A downcall of libc's {@code name} that captures errno: returning {@code ret}, taking
         * {@code args}, variadic from argument {@code firstVariadic} on (or -1).
         */
        private static MethodHandle bind(String name, int firstVariadic, ValueLayout ret, ValueLayout... args) {
            Linker.Option errno = Linker.Option.captureCallState("errno");
            FunctionDescriptor fd = FunctionDescriptor.of(ret, args);
            return firstVariadic < 0 ? LINKER.downcallHandle(find(LIBC, name), fd, errno)
                    : LINKER.downcallHandle(find(LIBC, name), fd, Linker.Option.firstVariadicArg(firstVariadic), errno);
        }

        private Libc() {
        }
    }

    /**
     * System calls without errno: a raw system call answers the kernel's own result, -errno on
     * failure. Through libc the result is -1 and errno must be captured, and the JDK's capture is
     * not free of allocation: every call slices the capture segment
     * ({@code SharedUtils.checkCaptureSegment}, JDK 22 to 25 at least), a 40-byte object that
     * escape analysis removes only when C2 inlines {@code AbstractMemorySegmentImpl.asSlice} into
     * the call. A JVM that had already compiled {@code asSlice} into a large method elsewhere
     * declines to, and then every map command allocated (found by the allocation test failing
     * once in a full test run, and reproduced with {@code -XX:InlineSmallCode=300}).
     *
     * <p>So on x86-64 the calls made per map command or per poll ({@code bpf}, and {@code fcntl},
     * {@code close}, {@code read}, {@code write}, {@code epoll_wait}) go through nine instructions
     * of our own in a page of their own: move the number and six arguments into the system call
     * registers, {@code syscall}, {@code ret}. The page is written, then made read-and-execute,
     * never both. Where that is refused (a policy against executable anonymous memory), on other
     * architectures (whose instruction caches need flushing that Java cannot ask for), or with
     * {@code -Dbpf4j.linux.rawSyscall=false}, they go through libc as the set-up calls always do.
     */
    static final class RawSyscall {
        /** {@code asm/unistd_64.h} (x86-64), Linux 6.18. */
        static final long NR_READ = 0;
        static final long NR_WRITE = 1;
        static final long NR_CLOSE = 3;
        static final long NR_FCNTL = 72;
        static final long NR_EPOLL_WAIT = 232;

        private static final int PROT_READ = 1;
        private static final int PROT_WRITE = 2;
        private static final int PROT_EXEC = 4;
        private static final int MAP_PRIVATE = 2;
        private static final int MAP_ANONYMOUS = 0x20;

        /**
         * x86-64, System V calling convention in (number and five arguments in {@code rdi},
         * {@code rsi}, {@code rdx}, {@code rcx}, {@code r8}, {@code r9}, the sixth on the stack
         * above the return address), Linux system call convention out ({@code rax}, then
         * {@code rdi}, {@code rsi}, {@code rdx}, {@code r10}, {@code r8}, {@code r9}):
         * {@code mov rax, rdi; mov rdi, rsi; mov rsi, rdx; mov rdx, rcx; mov r10, r8; mov r8, r9;
         * mov r9, [rsp+8]; syscall; ret}. The system call clobbers {@code rcx} and {@code r11},
         * which the caller does not keep.
         */
        private static final byte[] X86_64 = {
            0x48, (byte) 0x89, (byte) 0xf8,
            0x48, (byte) 0x89, (byte) 0xf7,
            0x48, (byte) 0x89, (byte) 0xd6,
            0x48, (byte) 0x89, (byte) 0xca,
            0x4d, (byte) 0x89, (byte) 0xc2,
            0x4d, (byte) 0x89, (byte) 0xc8,
            0x4c, (byte) 0x8b, 0x4c, 0x24, 0x08,
            0x0f, 0x05,
            (byte) 0xc3,
        };
        /** Why {@link #CALL} is null, or null; written by {@link #make()}, so declared before it runs. */
        static String unavailable;
        /**
         * {@code long (long nr, long a1, ..., long a6)}, or null when libc is used instead; made
         * after the code above.
         */
        static final MethodHandle CALL = make();

        private static MethodHandle make() {
            if (!Boolean.parseBoolean(System.getProperty("bpf4j.linux.rawSyscall", "true"))) {
                unavailable = "-Dbpf4j.linux.rawSyscall=false";
                return null;
            }
            String arch = System.getProperty("os.arch");
            if (!"amd64".equals(arch) && !"x86_64".equals(arch)) {
                unavailable = "no raw system call for " + arch;
                return null;
            }
            try {
                MemorySegment cs = Arena.ofAuto().allocate(CAPTURE);
                long page = Libc.PAGE_SIZE;
                long at = (long) Libc.MMAP.invokeExact(cs, 0L, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0L);
                if (at == -1) {
                    unavailable = "mmap failed with errno " + errno(cs);
                    return null;
                }
                MemorySegment code = MemorySegment.ofAddress(at).reinterpret(page);
                MemorySegment.copy(X86_64, 0, code, ValueLayout.JAVA_BYTE, 0, X86_64.length);
                int rc = (int) Libc.MPROTECT.invokeExact(cs, at, page, PROT_READ | PROT_EXEC);
                if (rc != 0) {
                    unavailable = "making the page executable failed with errno " + errno(cs);
                    int ignored = (int) Libc.MUNMAP.invokeExact(cs, at, page);
                    return null;
                }
                // The page stays mapped for the life of the JVM: the handle may be called until then.
                return Libc.LINKER.downcallHandle(MemorySegment.ofAddress(at), FunctionDescriptor.of(JAVA_LONG,
                        JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG));
            } catch (Throwable t) {
                unavailable = "setting it up failed: " + t;
                return null;
            }
        }

        private RawSyscall() {
        }
    }

    private final long nrBpf;
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
        try {
            pageSize = Libc.PAGE_SIZE;
        } catch (ExceptionInInitializerError e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException("libc could not be bound", e.getCause());
        } catch (NoClassDefFoundError e) {
            throw new IllegalStateException("libc could not be bound (an earlier attempt failed)", e);
        }
    }

    private static MemorySegment find(SymbolLookup lookup, String name) {
        return lookup.find(name).orElseThrow(() -> new IllegalStateException("libc has no " + name));
    }

    private static int errno(MemorySegment cs) {
        return (int) ERRNO.get(cs, 0L);
    }

    /**
     * A raw system call of up to four arguments (see {@link RawSyscall}); only when
     * {@link RawSyscall#CALL} is set.
     *
     * @return the kernel's result, -errno on failure
     */
    private static long raw(long nr, long a1, long a2, long a3, long a4) {
        try {
            return (long) RawSyscall.CALL.invokeExact(nr, a1, a2, a3, a4, 0L, 0L);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long bpf(int cmd, long attr, int size) {
        return bpf(cmd, attr, size, null);
    }

    @Override
    public long bpf(int cmd, long attr, int size, Object callState) {
        if (RawSyscall.CALL != null) return raw(nrBpf, cmd, attr, size & 0xffffffffL, 0L);
        return bpfThroughLibc(cmd, attr, size, callState);
    }

    /**
     * {@code bpf()} through libc's {@code syscall} with errno captured, whatever {@link RawSyscall}
     * offers: the path of other architectures, for tests that compare the two.
     *
     * @param cmd the command
     * @param attr the attribute buffer's address
     * @param size its size
     * @param callState a segment from {@link #newCallState()}, or anything else for the thread's
     * @return the result, or -errno
     */
    public long bpfThroughLibc(int cmd, long attr, int size, Object callState) {
        // The caller's own segment from newCallState(): no thread-local lookup per call.
        MemorySegment cs = callState instanceof MemorySegment m ? m : capture.get();
        long r;
        try {
            r = (long) Libc.SYSCALL.invokeExact(cs, nrBpf, (long) cmd, attr, size & 0xffffffffL);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        return r == -1 ? -errno(cs) : r;
    }

    /**
     * How {@code bpf()} and the other per-call system calls ({@link RawSyscall}) reach the
     * kernel, for diagnostics and tests.
     *
     * @return {@code raw syscall} or {@code libc syscall() (<why>)}
     */
    public static String bpfEntry() {
        return RawSyscall.CALL != null ? "raw syscall" : "libc syscall() (" + RawSyscall.unavailable + ")";
    }

    @Override
    public Object newCallState() {
        return Arena.ofAuto().allocate(CAPTURE);
    }

    @Override
    public int close(int fd) {
        if (RawSyscall.CALL != null) return (int) raw(RawSyscall.NR_CLOSE, fd, 0L, 0L, 0L);
        MemorySegment cs = capture.get();
        int r;
        try {
            r = (int) Libc.CLOSE.invokeExact(cs, fd);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        return r == -1 ? -errno(cs) : r;
    }

    @Override
    public int dupCloexec(int fd) {
        if (RawSyscall.CALL != null) return (int) raw(RawSyscall.NR_FCNTL, fd, F_DUPFD_CLOEXEC, 3L, 0L);
        MemorySegment cs = capture.get();
        int r;
        try {
            r = (int) Libc.FCNTL.invokeExact(cs, fd, F_DUPFD_CLOEXEC, 3);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        return r == -1 ? -errno(cs) : r;
    }

    @Override
    public long read(int fd, long buf, long len) {
        if (RawSyscall.CALL != null) return raw(RawSyscall.NR_READ, fd, buf, len, 0L);
        MemorySegment cs = capture.get();
        long r;
        try {
            r = (long) Libc.READ.invokeExact(cs, fd, buf, len);
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
            r = (int) Libc.OPEN.invokeExact(cs, path, flags, mode);
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
            r = (int) Libc.UNLINK.invokeExact(cs, path);
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
            r = (int) Libc.MOUNT.invokeExact(cs, source, target, fstype, flags, data);
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
            r = (long) Libc.SYSCALL5.invokeExact(cs, Arch.perfEventOpenSyscallNumber(), attr, (long) pid, (long) cpu,
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
            r = (long) Libc.MMAP.invokeExact(cs, 0L, length, prot, MAP_SHARED, fd, offset);
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
            r = (int) Libc.MUNMAP.invokeExact(cs, address, length);
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
            r = (int) Libc.EPOLL_CREATE1.invokeExact(cs, flags);
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
            r = (int) Libc.EPOLL_CTL.invokeExact(cs, epfd, op, fd, event);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        return r == -1 ? -errno(cs) : r;
    }

    @Override
    public int epollWait(int epfd, long events, int maxEvents, int timeoutMillis) {
        if (RawSyscall.CALL != null) return (int) raw(RawSyscall.NR_EPOLL_WAIT, epfd, events, maxEvents, timeoutMillis);
        MemorySegment cs = capture.get();
        int r;
        try {
            r = (int) Libc.EPOLL_WAIT.invokeExact(cs, epfd, events, maxEvents, timeoutMillis);
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
            r = (int) Libc.EVENTFD.invokeExact(cs, initval, flags);
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
            r = (int) Libc.IF_NAME_TO_INDEX.invokeExact(cs, name);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        return r == 0 ? -errno(cs) : r;
    }

    @Override
    public long write(int fd, long buf, long len) {
        if (RawSyscall.CALL != null) return raw(RawSyscall.NR_WRITE, fd, buf, len, 0L);
        MemorySegment cs = capture.get();
        long r;
        try {
            r = (long) Libc.WRITE.invokeExact(cs, fd, buf, len);
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
