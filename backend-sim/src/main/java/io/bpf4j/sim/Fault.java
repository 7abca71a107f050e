package io.bpf4j.sim;

import io.bpf4j.api.Errno;
import io.bpf4j.api.Operation;
import java.util.Objects;

/**
 * One injected failure: an operation fails with an errno, for every object or for the one a
 * descriptor refers to, a number of times or always. Immutable; build with {@link #on} and the
 * {@code with}-style methods, then hand to {@link Faults#inject(Fault)}.
 *
 * {@snippet :
 * Fault nextThreeUpdates = Fault.on(Operation.MAP_UPDATE_ELEM, Errno.ENOMEM).onFd(mapFd).times(3);
 * Fault everyLoad = Fault.on(Operation.PROG_LOAD, Errno.EPERM);
 * }
 */
public final class Fault {
    private final Operation operation;
    private final Errno errno;
    private final int fd;
    private final int times;

    private Fault(Operation operation, Errno errno, int fd, int times) {
        this.operation = operation;
        this.errno = errno;
        this.fd = fd;
        this.times = times;
    }

    /**
     * A fault that makes every call of an operation fail with an errno.
     *
     * @param operation the operation
     * @param errno what it fails with; must have a Linux number
     * @return the fault
     * @throws IllegalArgumentException when {@code errno} has no Linux number
     */
    public static Fault on(Operation operation, Errno errno) {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(errno, "errno");
        if (errno.linux() <= 0) throw new IllegalArgumentException("errno: " + errno + " has no Linux number");
        return new Fault(operation, errno, 0, -1);
    }

    /**
     * A copy limited to the object a descriptor refers to when the fault is injected (later calls
     * through any descriptor of that object fail; other objects are unaffected).
     *
     * @param fd an open descriptor of the simulator
     * @return the copy
     */
    public Fault onFd(int fd) {
        if (fd <= 0) throw new IllegalArgumentException("fd: " + fd);
        return new Fault(operation, errno, fd, times);
    }

    /**
     * A copy that fires only the next {@code n} times, then disarms.
     *
     * @param n at least 1
     * @return the copy
     */
    public Fault times(int n) {
        if (n < 1) throw new IllegalArgumentException("n: " + n + " is not positive");
        return new Fault(operation, errno, fd, n);
    }

    /**
     * A copy that fires every time until {@link Faults#clear()}.
     *
     * @return the copy
     */
    public Fault always() {
        return new Fault(operation, errno, fd, -1);
    }

    /**
     * The operation.
     *
     * @return the operation
     */
    public Operation operation() {
        return operation;
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
     * The descriptor naming the object, or 0 for every object.
     *
     * @return the descriptor
     */
    public int fd() {
        return fd;
    }

    /**
     * How many times it fires.
     *
     * @return the count, or -1 for always
     */
    public int count() {
        return times;
    }

    @Override
    public String toString() {
        return operation + " fails with " + errno + (fd != 0 ? " on fd " + fd : "") + (times < 0 ? " always" : " " + times + " time(s)");
    }
}
