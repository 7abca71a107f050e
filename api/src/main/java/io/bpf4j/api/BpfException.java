package io.bpf4j.api;

import java.util.Objects;

/**
 * A failed {@code bpf()} command (or its equivalent on a backend), or a failed system call
 * around one: which call, on which backend, with which portable {@link Errno} and raw platform
 * number.
 *
 * <p>The message reads like {@code linux: MAP_UPDATE_ELEM map "counts": E2BIG (7)}. Most
 * failures are of a {@code bpf()} command, named by its {@link Operation}. A few calls a
 * backend makes are no {@code bpf()} command at all ({@code close}, {@code fcntl} to duplicate
 * a descriptor, {@code read}, {@code open}, {@code perf_event_open}, {@code mmap}, {@code unlink},
 * {@code mount}): their failures are named by the system call, as in
 * {@code linux: close fd 12: EBADF (9)}, and have no operation. {@link #call()} names either.
 *
 * <p>Expected outcomes are not exceptions: a missing key is an empty result, a delete of a
 * missing key returns {@code false}.
 */
public class BpfException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final Operation operation;
    private final String call;
    private final String backend;
    private final Errno errno;
    private final int rawErrno;
    private final String object;

    /**
     * Creates the exception.
     *
     * @param backend the backend's name, e.g. {@code linux}
     * @param operation the command that failed
     * @param object what it acted on, e.g. {@code map "counts"}, or null
     * @param errno the portable errno
     * @param rawErrno the platform's number, or -1 when there was none
     * @param detail more text for the message, or null
     */
    public BpfException(String backend, Operation operation, String object, Errno errno, int rawErrno,
            String detail) {
        this(backend, Objects.requireNonNull(operation, "operation"), operation.name(), object, errno, rawErrno, detail);
    }

    /**
     * Creates the exception for a failed system call that is no {@code bpf()} command, such as
     * {@code close} or {@code perf_event_open}; {@link #operation()} is then null.
     *
     * @param backend the backend's name, e.g. {@code linux}
     * @param call the system call, as its manual page names it, e.g. {@code perf_event_open}
     * @param object what it acted on, e.g. {@code fd 12}, or null
     * @param errno the portable errno
     * @param rawErrno the platform's number, or -1 when there was none
     * @param detail more text for the message, or null
     */
    public BpfException(String backend, String call, String object, Errno errno, int rawErrno, String detail) {
        this(backend, null, requireCall(call), object, errno, rawErrno, detail);
    }

    private BpfException(String backend, Operation operation, String call, String object, Errno errno, int rawErrno,
            String detail) {
        super(format(backend, call, object, errno, rawErrno, detail));
        this.backend = Objects.requireNonNull(backend, "backend");
        this.operation = operation;
        this.call = call;
        this.errno = Objects.requireNonNull(errno, "errno");
        this.rawErrno = rawErrno;
        this.object = object;
    }

    private static String requireCall(String call) {
        if (call == null || call.isBlank()) throw new IllegalArgumentException("call: empty");
        return call;
    }

    private static String format(String backend, String call, String object, Errno errno, int raw,
            String detail) {
        StringBuilder sb = new StringBuilder().append(backend).append(": ").append(call);
        if (object != null) sb.append(' ').append(object);
        sb.append(": ").append(errno);
        if (raw >= 0) sb.append(" (").append(raw).append(')');
        if (detail != null && !detail.isEmpty()) sb.append(": ").append(detail);
        return sb.toString();
    }

    /**
     * The {@code bpf()} command that failed.
     *
     * @return the operation, or null when the failed call was no {@code bpf()} command (see
     *     {@link #call()})
     */
    public Operation operation() {
        return operation;
    }

    /**
     * The call that failed: the {@link Operation}'s name for a {@code bpf()} command (such as
     * {@code MAP_UPDATE_ELEM}), otherwise the system call's own name ({@code close},
     * {@code fcntl}, {@code read}, {@code open}, {@code perf_event_open}, {@code mmap},
     * {@code unlink}, {@code mount}).
     *
     * @return the call's name, never null
     */
    public String call() {
        return call;
    }

    /**
     * The backend that ran it.
     *
     * @return the backend's name
     */
    public String backend() {
        return backend;
    }

    /**
     * The portable error number.
     *
     * @return the errno, {@link Errno#UNKNOWN} when the raw number has no portable name
     */
    public Errno errno() {
        return errno;
    }

    /**
     * The platform's own number.
     *
     * @return the raw errno, or -1 when there was none (for example an unsupported operation)
     */
    public int rawErrno() {
        return rawErrno;
    }

    /**
     * What the operation acted on, such as {@code map "counts"}.
     *
     * @return a short description, or null
     */
    public String object() {
        return object;
    }
}
