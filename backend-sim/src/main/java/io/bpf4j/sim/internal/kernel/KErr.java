package io.bpf4j.sim.internal.kernel;

import io.bpf4j.api.BpfException;
import io.bpf4j.api.Errno;
import io.bpf4j.api.Operation;

/**
 * A failed simulated command, as the kernel would return it: an errno and, for the log, a detail.
 * Internal code throws it; the command boundary turns it into the {@link BpfException} a real
 * kernel failure would produce, so callers cannot tell the two apart.
 */
public final class KErr extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final Errno errno;
    private final String object;

    /**
     * Creates the error.
     *
     * @param errno the errno the kernel returns
     * @param object what it acted on ({@code map "counts"}), or null
     * @param detail why, for humans; null when the kernel says nothing
     */
    public KErr(Errno errno, String object, String detail) {
        super(detail, null, false, false);
        this.errno = errno;
        this.object = object;
    }

    /**
     * An error with no object and no detail.
     *
     * @param errno the errno
     * @return the error
     */
    public static KErr of(Errno errno) {
        return new KErr(errno, null, null);
    }

    /**
     * An error with a detail.
     *
     * @param errno the errno
     * @param detail why
     * @return the error
     */
    public static KErr of(Errno errno, String detail) {
        return new KErr(errno, null, detail);
    }

    /**
     * The errno.
     *
     * @return the errno
     */
    public Errno errno() {
        return errno;
    }

    /**
     * The same error, naming the object it acted on when it does not yet.
     *
     * @param obj the object's description
     * @return this error or a copy
     */
    public KErr on(String obj) {
        return object != null || obj == null ? this : new KErr(errno, obj, getMessage());
    }

    /**
     * The public exception for this error.
     *
     * @param op the command
     * @return the exception, as a kernel failure would read
     */
    public BpfException toBpf(Operation op) {
        return new BpfException(Kernel.BACKEND, op, object, errno, errno.linux(), getMessage());
    }
}
