package io.bpf4j.windows.internal.uapi;

import io.bpf4j.api.Errno;

/**
 * eBPF for Windows' error numbers: {@code ebpf_result_t} (include/ebpf_result.h@v1.5.0:16-121,
 * the same 35 values at Release-v0.21.0), its mapping to errno (ebpf_result_to_errno,
 * libs/api_common/api_common.hpp@Release-v0.21.0:125-190 and @v1.5.0:146-211, identical), the
 * Win32 {@code GetLastError()} codes {@code bpf()} leaves, and errno in Windows UCRT numbering
 * (the Windows SDK's {@code errno.h}, which {@link Errno#fromWindows(int)} decodes; efW only
 * passes those numbers through).
 */
public final class WinErrors {
    /** {@code EBPF_SUCCESS}. */
    public static final int EBPF_SUCCESS = 0;
    /** {@code EBPF_NO_MEMORY}: for native loads, the fd arrays were too small. */
    public static final int EBPF_NO_MEMORY = 12;
    /** {@code EBPF_KEY_NOT_FOUND}: unpin of a missing path. */
    public static final int EBPF_KEY_NOT_FOUND = 19;
    /** {@code EBPF_INSUFFICIENT_BUFFER}. */
    public static final int EBPF_INSUFFICIENT_BUFFER = 24;
    /** {@code EBPF_NO_MORE_KEYS}: end of the pin listing. */
    public static final int EBPF_NO_MORE_KEYS = 25;
    /** {@code EBPF_OPERATION_NOT_SUPPORTED}. */
    public static final int EBPF_OPERATION_NOT_SUPPORTED = 18;
    /**
     * Win32 {@code ERROR_CALL_NOT_IMPLEMENTED}: {@code bpf()} has no such command
     * (libs/api/bpf_syscall.cpp@Release-v0.21.0:371-373, @v1.5.0:403-405).
     */
    public static final int ERROR_CALL_NOT_IMPLEMENTED = 120;
    /**
     * Win32 {@code ERROR_NOT_SUPPORTED}: {@code bpf()} in a NativeOnly build refused a JIT load,
     * from 1.0.0-rc1 (libs/api/bpf_syscall.cpp@v1.5.0:363-367). At 0.21.x {@code bpf()} calls
     * {@code bpf_prog_load}, which returns -ENOTSUP there instead, as it does at every release
     * (libs/api/libbpf_program.cpp@Release-v0.21.0:107-112, @v1.5.0:109-114).
     */
    public static final int ERROR_NOT_SUPPORTED = 50;
    /** Windows UCRT {@code EINVAL}, the only errno after which {@code GetLastError()} means anything. */
    public static final int EINVAL = 22;
    /** Windows UCRT {@code ENOTSUP}: EBPF_OPERATION_NOT_SUPPORTED, and a NativeOnly {@code bpf_prog_load}. */
    public static final int ENOTSUP = 129;
    /**
     * {@code EBPF_FAILED}: what {@code ebpf_close_fd} and {@code ebpf_duplicate_fd} return for a
     * descriptor that is not open. They pass the CRT's errno (EBADF, 9) to
     * {@code win32_error_code_to_ebpf_result}, which reads it as a Win32 code it does not know
     * (libs/api/ebpf_api.cpp@v1.5.0:2239-2241, :2253-2258; include/ebpf_utilities.h@v1.5.0:161-163).
     */
    public static final int EBPF_FAILED = 17;
    /** Windows UCRT {@code EOTHER}: every result without a closer errno. */
    public static final int EOTHER = 131;

    private static final String[] RESULT_NAMES = {
        "SUCCESS", "VERIFICATION_FAILED", "JIT_COMPILATION_FAILED", "PROGRAM_LOAD_FAILED", "INVALID_FD",
        "INVALID_OBJECT", "INVALID_ARGUMENT", "OBJECT_NOT_FOUND", "OBJECT_ALREADY_EXISTS", "FILE_NOT_FOUND",
        "ALREADY_PINNED", "NOT_PINNED", "NO_MEMORY", "PROGRAM_TOO_LARGE", "RPC_EXCEPTION", "ALREADY_INITIALIZED",
        "ELF_PARSING_FAILED", "FAILED", "OPERATION_NOT_SUPPORTED", "KEY_NOT_FOUND", "ACCESS_DENIED",
        "BLOCKED_BY_POLICY", "ARITHMETIC_OVERFLOW", "EXTENSION_FAILED_TO_LOAD", "INSUFFICIENT_BUFFER",
        "NO_MORE_KEYS", "KEY_ALREADY_EXISTS", "NO_MORE_TAIL_CALLS", "PENDING", "OUT_OF_SPACE", "CANCELED",
        "INVALID_POINTER", "TIMEOUT", "STALE_ID", "INVALID_STATE",
    };

    private WinErrors() {
    }

    /**
     * The Windows UCRT errno libbpf would report for an {@code ebpf_result_t}.
     *
     * @param result the result
     * @return the errno (0 for success), {@link #EOTHER} for everything without a closer one
     */
    public static int resultToErrno(int result) {
        return switch (result) {
            case 0 -> 0;
            case 12 -> 12;              // NO_MEMORY -> ENOMEM
            case 5, 6, 15, 23 -> 22;    // INVALID_OBJECT, INVALID_ARGUMENT, ALREADY_INITIALIZED, EXTENSION_FAILED_TO_LOAD -> EINVAL
            case 4 -> 9;                // INVALID_FD -> EBADF
            case 18 -> 129;             // OPERATION_NOT_SUPPORTED -> ENOTSUP
            case 24 -> 119;             // INSUFFICIENT_BUFFER -> ENOBUFS
            case 7, 9, 19, 25 -> 2;     // OBJECT_NOT_FOUND, FILE_NOT_FOUND, KEY_NOT_FOUND, NO_MORE_KEYS -> ENOENT
            case 8 -> 17;               // OBJECT_ALREADY_EXISTS -> EEXIST
            case 1 -> 13;               // VERIFICATION_FAILED -> EACCES
            case 31 -> 14;              // INVALID_POINTER -> EFAULT
            case 29 -> 28;              // OUT_OF_SPACE -> ENOSPC
            case 20 -> 1;               // ACCESS_DENIED -> EPERM
            default -> EOTHER;
        };
    }

    /**
     * The name of an {@code ebpf_result_t}, for messages.
     *
     * @param result the result
     * @return e.g. {@code EBPF_KEY_NOT_FOUND}, or {@code ebpf_result_t 99}
     */
    public static String resultName(int result) {
        return result >= 0 && result < RESULT_NAMES.length ? "EBPF_" + RESULT_NAMES[result] : "ebpf_result_t " + result;
    }

    /**
     * The number of {@code ebpf_result_t} values this table knows (0 to 34).
     *
     * @return 35
     */
    public static int resultCount() {
        return RESULT_NAMES.length;
    }

    /**
     * The portable errno of a Windows UCRT errno.
     *
     * @param windowsErrno a positive errno
     * @return the constant, {@link Errno#UNKNOWN} when it has no portable name
     */
    public static Errno errno(int windowsErrno) {
        return Errno.fromWindows(windowsErrno);
    }
}
