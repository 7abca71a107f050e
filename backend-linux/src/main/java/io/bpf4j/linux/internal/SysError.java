package io.bpf4j.linux.internal;

import io.bpf4j.api.BpfException;
import io.bpf4j.api.Errno;

/**
 * Errors of the system calls the backend makes that are no {@code bpf()} command ({@code close},
 * {@code fcntl}, {@code read}, {@code open}, {@code perf_event_open}, {@code unlink},
 * {@code mount}): named by the call itself, with no stand-in {@link io.bpf4j.api.Operation}.
 */
final class SysError {
    private SysError() {
    }

    /**
     * The exception for a failed system call ({@code rc} is -errno).
     *
     * @param call the call as its manual page names it
     * @param object what it acted on, or null
     * @param rc the negative result
     * @param detail more text, or null
     */
    static BpfException of(String call, String object, long rc, String detail) {
        int errno = (int) -rc;
        return new BpfException(Kernel.BACKEND, call, object, Errno.fromLinux(errno), errno, detail);
    }
}
