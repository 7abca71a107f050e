package io.bpf4j.sim;

import io.bpf4j.api.Operation;
import io.bpf4j.sim.internal.kernel.FdTable;
import io.bpf4j.sim.internal.kernel.KObject;
import io.bpf4j.sim.internal.kernel.Kernel;

/**
 * Fault injection for one simulator: makes chosen operations fail so that tests can exercise an
 * agent's error handling. An injected failure is indistinguishable from a kernel failure: the
 * same {@link io.bpf4j.api.BpfException} with the operation, the {@code sim} backend, the errno
 * and its Linux number. Lookups, deletes and next-key calls that are made to fail with
 * {@code ENOENT} report a missing key, as they would on a kernel.
 *
 * <p>A fault fires where the kernel could fail: after the descriptor and the arguments were
 * checked (a bad descriptor still gives {@code EBADF}), before the operation changes anything.
 * Faults are consulted in the order they were injected; the first that matches fires.
 *
 * {@snippet :
 * SimBpf sim = Simulator.builder().build();
 * int map = sim.mapCreate(MapSpec.of(MapType.HASH, 4, 8, 16));
 * sim.faults().inject(Fault.on(Operation.MAP_UPDATE_ELEM, Errno.ENOMEM).onFd(map).times(2));
 * // the next two updates of this map throw BpfException with errno ENOMEM; the third works
 * }
 */
public final class Faults {
    private final Kernel kernel;

    Faults(Kernel kernel) {
        this.kernel = kernel;
    }

    /**
     * Arms a fault.
     *
     * @param fault the fault
     * @return this, to chain
     * @throws IllegalArgumentException when the fault names a descriptor that is not open
     */
    public Faults inject(Fault fault) {
        synchronized (kernel) {
            kernel.checkOpen();
            KObject target = null;
            if (fault.fd() != 0) {
                FdTable.Entry e = kernel.fds().find(fault.fd());
                if (e == null) throw new IllegalArgumentException("fd: " + fault.fd() + " is not open");
                target = e.obj();
            }
            kernel.faults().add(fault.operation(), fault.errno(), target, fault.count());
        }
        return this;
    }

    /**
     * Shorthand: the next {@code times} calls of {@code op} fail with {@code errno}.
     *
     * @param op the operation
     * @param errno the errno
     * @param times how many calls
     * @return this, to chain
     */
    public Faults failNext(Operation op, io.bpf4j.api.Errno errno, int times) {
        return inject(Fault.on(op, errno).times(times));
    }

    /** Disarms every fault. */
    public void clear() {
        synchronized (kernel) {
            kernel.faults().clear();
        }
    }

    /**
     * How many faults are still armed.
     *
     * @return the count
     */
    public int armed() {
        synchronized (kernel) {
            return kernel.faults().size();
        }
    }
}
