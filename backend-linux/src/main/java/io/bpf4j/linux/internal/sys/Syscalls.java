package io.bpf4j.linux.internal.sys;

import io.bpf4j.api.MappedRing;
import java.nio.ByteBuffer;

/**
 * The one chokepoint every native call of the Linux backend goes through. Each method returns
 * the call's result, or {@code -errno} on failure, and never throws for a kernel error.
 *
 * <p>Two implementations exist: Panama FFM on JDK 22+ ({@code FfmSyscalls}, loaded
 * reflectively) and JNA elsewhere ({@link JnaSyscalls}); {@link NativeBinding} picks one.
 * Tests replace it per backend instance to reach error paths without root.
 *
 * <p>Pointers are plain addresses of direct buffers the caller sized, obtained with
 * {@link #address(ByteBuffer)}; an implementation never allocates on the per-call path.
 */
public interface Syscalls {

    /**
     * {@code syscall(__NR_bpf, cmd, attr, size)}.
     *
     * @param cmd the command number
     * @param attr address of the {@code union bpf_attr}
     * @param size its size in bytes
     * @return the result (a descriptor or 0), or {@code -errno}
     */
    long bpf(int cmd, long attr, int size);

    /**
     * {@link #bpf(int, long, int)} with the calling thread's call state, so that the hot path
     * need not look it up per call.
     *
     * @param cmd the command number
     * @param attr address of the {@code union bpf_attr}
     * @param size its size in bytes
     * @param callState what {@link #newCallState()} gave the calling thread; used by that thread only
     * @return the result (a descriptor or 0), or {@code -errno}
     */
    default long bpf(int cmd, long attr, int size, Object callState) {
        return bpf(cmd, attr, size);
    }

    /**
     * Per-thread state a call may need (FFM: the segment errno is captured into), made once per
     * thread by the caller and passed back to {@link #bpf(int, long, int, Object)}.
     *
     * @return the state, or null when the binding needs none
     */
    default Object newCallState() {
        return null;
    }

    /**
     * {@code close(fd)}.
     *
     * @param fd the descriptor
     * @return 0, or {@code -errno}
     */
    int close(int fd);

    /**
     * {@code fcntl(fd, F_DUPFD_CLOEXEC, 3)}: a close-on-exec duplicate above the standard streams.
     *
     * @param fd the descriptor
     * @return the new descriptor, or {@code -errno}
     */
    int dupCloexec(int fd);

    /**
     * {@code read(fd, buf, len)}.
     *
     * @param fd the descriptor
     * @param buf address of the buffer
     * @param len its size
     * @return bytes read, or {@code -errno}
     */
    long read(int fd, long buf, long len);

    /**
     * {@code open(path, flags, mode)}.
     *
     * @param path address of the NUL-terminated path
     * @param flags {@code O_*} flags
     * @param mode the mode for {@code O_CREAT}
     * @return the descriptor, or {@code -errno}
     */
    int open(long path, int flags, int mode);

    /**
     * {@code unlink(path)}: how a pin is removed from bpffs (there is no bpf() command for it).
     *
     * @param path address of the NUL-terminated path
     * @return 0, or {@code -errno}
     */
    int unlink(long path);

    /**
     * {@code mount(source, target, fstype, flags, data)}.
     *
     * @param source address of the source string
     * @param target address of the mount point
     * @param fstype address of the file system type
     * @param flags {@code MS_*} flags
     * @param data address of the options string, or 0
     * @return 0, or {@code -errno}
     */
    int mount(long source, long target, long fstype, long flags, long data);

    /**
     * {@code syscall(__NR_perf_event_open, attr, pid, cpu, groupFd, flags)}: the events perf
     * event links attach to.
     *
     * @param attr address of a {@code struct perf_event_attr}
     * @param pid the process, or -1 for all
     * @param cpu the CPU, or -1 for all
     * @param groupFd the group leader, or -1
     * @param flags {@code PERF_FLAG_*}
     * @return the descriptor, or {@code -errno}
     */
    int perfEventOpen(long attr, int pid, int cpu, int groupFd, long flags);

    /**
     * {@code mmap(NULL, length, prot, MAP_SHARED, fd, offset)}: how ring buffers and perf rings are
     * mapped.
     *
     * @param length bytes
     * @param prot {@code PROT_READ} 1, {@code PROT_WRITE} 2
     * @param fd the descriptor
     * @param offset a multiple of the page size
     * @return the address, or {@code -errno}
     */
    long mmap(long length, int prot, int fd, long offset);

    /**
     * {@code munmap(address, length)}.
     *
     * @param address what {@link #mmap} returned
     * @param length its length
     * @return 0, or {@code -errno}
     */
    int munmap(long address, long length);

    /**
     * {@code epoll_create1(flags)}.
     *
     * @param flags {@code EPOLL_CLOEXEC}
     * @return the descriptor, or {@code -errno}
     */
    int epollCreate1(int flags);

    /**
     * {@code epoll_ctl(epfd, op, fd, event)}.
     *
     * @param epfd the epoll instance
     * @param op {@code EPOLL_CTL_ADD} 1, {@code _DEL} 2, {@code _MOD} 3
     * @param fd the descriptor to watch
     * @param event address of a {@code struct epoll_event}
     * @return 0, or {@code -errno}
     */
    int epollCtl(int epfd, int op, int fd, long event);

    /**
     * {@code epoll_wait(epfd, events, maxEvents, timeout)}: blocks the calling thread.
     *
     * @param epfd the epoll instance
     * @param events address of room for {@code maxEvents} {@code struct epoll_event}s
     * @param maxEvents how many fit
     * @param timeoutMillis -1 without limit
     * @return how many are ready, or {@code -errno}
     */
    int epollWait(int epfd, long events, int maxEvents, int timeoutMillis);

    /**
     * {@code eventfd(initval, flags)}.
     *
     * @param initval the initial count
     * @param flags {@code EFD_CLOEXEC}, {@code EFD_NONBLOCK}
     * @return the descriptor, or {@code -errno}
     */
    int eventfd(int initval, int flags);

    /**
     * {@code write(fd, buf, len)}.
     *
     * @param fd the descriptor
     * @param buf address of the bytes
     * @param len how many
     * @return bytes written, or {@code -errno}
     */
    long write(int fd, long buf, long len);

    /**
     * {@code if_nametoindex(name)} (libc, {@code <net/if.h>}): an interface's index in the
     * calling thread's network namespace.
     *
     * @param name address of a NUL-terminated name
     * @return the index, or {@code -errno} ({@code ENODEV} when no interface has the name)
     */
    int ifNameToIndex(long name);

    /**
     * {@code getpagesize()}.
     *
     * @return the page size in bytes
     */
    int pageSize();

    /**
     * A direct buffer over native memory this backend mapped, valid until it is unmapped.
     *
     * @param address the first byte
     * @param length bytes
     * @return a buffer of that capacity, in whatever byte order: callers set the one they read with
     */
    ByteBuffer buffer(long address, int length);

    /**
     * Reads of a mapped ring for the event readers that skip what this binding's buffers check
     * on every access beyond their bounds, valid until the memory is unmapped.
     *
     * @param consumer the consumer position, 8 bytes, mapped read-write
     * @param producer the producer position, 8 bytes
     * @param data the data area
     * @param dataLength its length in bytes
     * @return the reads, or null when the buffers of {@link #buffer} are as fast (JNI's buffers
     *     check nothing but their bounds)
     */
    default MappedRing.Reads ringReads(long consumer, long producer, long data, int dataLength) {
        return null;
    }

    /**
     * The native address of a direct buffer's first byte.
     *
     * @param direct a direct buffer
     * @return its address
     */
    long address(ByteBuffer direct);

    /**
     * The binding's name, for diagnostics.
     *
     * @return {@code ffm}, {@code jna}, or a test's name
     */
    String name();
}
