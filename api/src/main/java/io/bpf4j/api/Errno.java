package io.bpf4j.api;

import java.util.HashMap;
import java.util.Map;

/**
 * Portable error numbers. Each constant knows its number on Linux and in eBPF for Windows
 * (Windows UCRT numbering), so agents compare constants, never raw numbers.
 *
 * <p>Only backends translate raw numbers, through {@link #fromLinux(int)} and
 * {@link #fromWindows(int)}; a number without a portable name becomes {@link #UNKNOWN} and the
 * raw number stays available on the {@link BpfException}.
 */
public enum Errno {
    /** Operation not permitted. */
    EPERM(1, 1),
    /** No such file, key or object. */
    ENOENT(2, 2),
    /** No such process. */
    ESRCH(3, 3),
    /** Interrupted system call. */
    EINTR(4, 4),
    /** I/O error. */
    EIO(5, 5),
    /** No such device or address. */
    ENXIO(6, 6),
    /** Argument list too long; for maps: the map is full. */
    E2BIG(7, 7),
    /** Bad file descriptor. */
    EBADF(9, 9),
    /** Try again. */
    EAGAIN(11, 11),
    /** Out of memory. */
    ENOMEM(12, 12),
    /** Permission denied; for program loads: the verifier refused the program. */
    EACCES(13, 13),
    /** Bad address. */
    EFAULT(14, 14),
    /** Block device required: a {@code mount} source that must be a block device. Linux only. */
    ENOTBLK(15, -1),
    /** Device or resource busy. */
    EBUSY(16, 16),
    /** Already exists. */
    EEXIST(17, 17),
    /** Cross-device link. */
    EXDEV(18, 18),
    /** No such device. */
    ENODEV(19, 19),
    /** Not a directory. */
    ENOTDIR(20, 20),
    /** Is a directory. */
    EISDIR(21, 21),
    /** Invalid argument. */
    EINVAL(22, 22),
    /** File table overflow. */
    ENFILE(23, 23),
    /** Too many open files. */
    EMFILE(24, 24),
    /** Not a typewriter. */
    ENOTTY(25, 25),
    /** Text file busy. */
    ETXTBSY(26, 139),
    /** File too large. */
    EFBIG(27, 27),
    /** No space left: a buffer, a map or a trie is full. */
    ENOSPC(28, 28),
    /** Illegal seek. */
    ESPIPE(29, 29),
    /** Read-only file system. */
    EROFS(30, 30),
    /** Too many links. */
    EMLINK(31, 31),
    /** Broken pipe. */
    EPIPE(32, 32),
    /** Math argument out of domain. */
    EDOM(33, 33),
    /** Result out of range; for mprog attach: conflicting anchors or a full list. */
    ERANGE(34, 34),
    /** Resource deadlock would occur. */
    EDEADLK(35, 36),
    /** File name too long. */
    ENAMETOOLONG(36, 38),
    /** No record locks available. */
    ENOLCK(37, 39),
    /** Function not implemented: the system call does not exist. */
    ENOSYS(38, 40),
    /** Directory not empty. */
    ENOTEMPTY(39, 41),
    /** Too many symbolic links. */
    ELOOP(40, 114),
    /** No message of desired type. */
    ENOMSG(42, 122),
    /** Identifier removed. */
    EIDRM(43, 111),
    /** No data available. */
    ENODATA(61, 120),
    /** Timer expired. */
    ETIME(62, 137),
    /** Link has been severed. */
    ENOLINK(67, 121),
    /** Protocol error. */
    EPROTO(71, 134),
    /** Bad message. */
    EBADMSG(74, 104),
    /** Value too large for defined data type. */
    EOVERFLOW(75, 132),
    /** File descriptor in bad state: the descriptor is open but its object cannot serve the call. Linux only. */
    EBADFD(77, -1),
    /** Illegal byte sequence. */
    EILSEQ(84, 42),
    /** Socket operation on non-socket. */
    ENOTSOCK(88, 128),
    /** Message too long. */
    EMSGSIZE(90, 115),
    /** Protocol not supported. */
    EPROTONOSUPPORT(93, 135),
    /** Operation not supported (Linux's EOPNOTSUPP and ENOTSUP are one number). */
    EOPNOTSUPP(95, 130),
    /** Address family not supported. */
    EAFNOSUPPORT(97, 102),
    /** Address already in use. */
    EADDRINUSE(98, 100),
    /** No buffer space available. */
    ENOBUFS(105, 119),
    /** Transport endpoint is not connected. */
    ENOTCONN(107, 126),
    /** Connection timed out. */
    ETIMEDOUT(110, 138),
    /** Operation already in progress. */
    EALREADY(114, 103),
    /** Operation now in progress. */
    EINPROGRESS(115, 112),
    /** Stale handle; for mprog attach: the expected revision no longer matches. Linux only. */
    ESTALE(116, -1),
    /** Disk quota exceeded: {@code open} or {@code close} of a file on a full quota. Linux only. */
    EDQUOT(122, -1),
    /** Operation canceled. */
    ECANCELED(125, 105),
    /** Not supported (Windows' ENOTSUP, 129). On Linux the same condition is {@link #EOPNOTSUPP}. */
    ENOTSUP(-1, 129),
    /** Kernel-internal "not supported" (524) that some Linux paths leak to user space. */
    ENOTSUPP(524, -1),
    /** eBPF for Windows' catch-all for results without a closer errno. Windows only. */
    EOTHER(-1, 131),
    /** A raw number with no portable name; see {@link BpfException#rawErrno()}. */
    UNKNOWN(-1, -1);

    private static final Map<Integer, Errno> LINUX = new HashMap<>();
    private static final Map<Integer, Errno> WINDOWS = new HashMap<>();

    static {
        for (Errno e : values()) {
            if (e.linux > 0) LINUX.put(e.linux, e);
            if (e.windows > 0) WINDOWS.put(e.windows, e);
        }
        WINDOWS.put(140, EAGAIN); // Windows' EWOULDBLOCK is a number of its own; Linux's equals EAGAIN
    }

    private final int linux;
    private final int windows;

    Errno(int linux, int windows) {
        this.linux = linux;
        this.windows = windows;
    }

    /**
     * The number on Linux.
     *
     * @return the Linux errno, or -1 when Linux has no such number
     */
    public int linux() {
        return linux;
    }

    /**
     * The number in eBPF for Windows (UCRT numbering).
     *
     * @return the Windows errno, or -1 when Windows has no such number
     */
    public int windows() {
        return windows;
    }

    /**
     * The portable constant for a Linux errno.
     *
     * @param errno a positive Linux errno
     * @return its constant, or {@link #UNKNOWN}
     */
    public static Errno fromLinux(int errno) {
        return LINUX.getOrDefault(errno, UNKNOWN);
    }

    /**
     * The portable constant for an eBPF for Windows errno.
     *
     * @param errno a positive Windows UCRT errno
     * @return its constant, or {@link #UNKNOWN}
     */
    public static Errno fromWindows(int errno) {
        return WINDOWS.getOrDefault(errno, UNKNOWN);
    }
}
