package io.bpf4j.api;

import java.util.Objects;

/**
 * A failed {@code bpf()} command (or its equivalent on a backend): which operation, on which
 * backend, with which portable {@link Errno} and raw platform number.
 *
 * <p>The message reads like {@code linux: MAP_UPDATE_ELEM map "counts": E2BIG (7)}. Expected
 * outcomes are not exceptions: a missing key is an empty result, a delete of a missing key
 * returns {@code false}.
 */
public class BpfException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final Operation operation;
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
        super(format(backend, operation, object, errno, rawErrno, detail));
        this.backend = Objects.requireNonNull(backend, "backend");
        this.operation = Objects.requireNonNull(operation, "operation");
        this.errno = Objects.requireNonNull(errno, "errno");
        this.rawErrno = rawErrno;
        this.object = object;
    }

    private static String format(String backend, Operation op, String object, Errno errno, int raw,
            String detail) {
        StringBuilder sb = new StringBuilder().append(backend).append(": ").append(op);
        if (object != null) sb.append(' ').append(object);
        sb.append(": ").append(errno);
        if (raw >= 0) sb.append(" (").append(raw).append(')');
        if (detail != null && !detail.isEmpty()) sb.append(": ").append(detail);
        return sb.toString();
    }

    /**
     * The command that failed.
     *
     * @return the operation
     */
    public Operation operation() {
        return operation;
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
