package io.bpf4j.linux.internal;

import io.bpf4j.api.BpfException;
import io.bpf4j.api.Errno;
import io.bpf4j.api.Operation;
import io.bpf4j.linux.internal.uapi.BpfAttr;
import io.bpf4j.linux.internal.uapi.LinuxUapi;
import io.bpf4j.linux.internal.sys.Syscalls;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * What every command family shares: the native chokepoint, per-thread scratch, the capability
 * gate, the backend's open/closed state, and the way errors are reported.
 */
public final class Kernel {
    /** The backend's name in errors and reports. */
    public static final String BACKEND = "linux";

    final Syscalls sys;
    final int cpus;
    final Gate gate;
    private final ThreadLocal<Scratch> scratch;
    /** Every thread's scratch, so close() can let go of them; weak, so dead threads' go too. */
    private final Set<Scratch> scratches = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));
    private volatile boolean closed;

    /**
     * Creates the context.
     *
     * @param sys the native chokepoint
     * @param cpus the number of possible CPUs
     * @param preset a capability report to trust instead of probing, or null to probe
     */
    public Kernel(Syscalls sys, int cpus, io.bpf4j.api.Capabilities preset) {
        this.sys = sys;
        this.cpus = cpus;
        this.scratch = ThreadLocal.withInitial(() -> {
            Scratch s = new Scratch(sys);
            scratches.add(s);
            return s;
        });
        this.gate = new Gate(this, preset);
    }

    /**
     * The capability gate and prober of this backend.
     *
     * @return the gate
     */
    public Gate gate() {
        return gate;
    }

    /**
     * The number of possible CPUs.
     *
     * @return at least 1
     */
    public int cpus() {
        return cpus;
    }

    Scratch scratch() {
        return scratch.get();
    }

    /**
     * Starts a backend call on this thread: marks the thread's scratch busy, then checks the
     * backend is open. Pair with {@link #exit()} in a finally block. Allocates nothing.
     *
     * @throws IllegalStateException if the backend is closed
     */
    public void enter() {
        Scratch s = scratch.get();
        if (s.depth++ == 0) s.busy = true;
        if (closed) {
            exit();
            throw new IllegalStateException(BACKEND + " backend is closed");
        }
    }

    /** Ends a call started by {@link #enter()}. */
    public void exit() {
        Scratch s = scratch.get();
        if (--s.depth == 0) s.busy = false;
    }

    /**
     * Closes the backend: later calls throw, calls in progress on other threads are waited for,
     * and then every thread's scratch lets go of its native memory.
     */
    public void close() {
        closed = true;
        Scratch[] all;
        synchronized (scratches) {
            all = scratches.toArray(new Scratch[0]);
            scratches.clear();
        }
        Scratch own = scratch.get();
        for (Scratch s : all) {
            // The closing thread may itself be inside a call (depth > 0) only if close() was
            // reached from within the backend, which it is not; other threads finish first.
            while (s.busy && s != own) Thread.onSpinWait();
            s.release();
        }
        scratch.remove();
    }

    /**
     * Whether {@link #close()} has run.
     *
     * @return true once closed
     */
    public boolean isClosed() {
        return closed;
    }

    /** Runs a command on the thread's attribute buffer; result or -errno. */
    long bpf(Operation op, Scratch s) {
        return sys.bpf(LinuxUapi.cmd(op), s.attrAddr, s.attrSize());
    }

    /**
     * Runs a command that answers a new descriptor, and never lets that descriptor be 0.
     *
     * @return the descriptor, or -errno
     */
    long bpfFd(Operation op, Scratch s) {
        return fd(bpf(op, s));
    }

    /**
     * Takes a descriptor (or -errno) the kernel just answered and makes sure it is not 0. With
     * stdin closed the kernel hands out 0, and code everywhere treats 0 as "no descriptor" (the
     * kernel itself reads a zero {@code relative_fd} or {@code replace_bpf_fd} as absent), so a
     * BPF object on fd 0 would silently vanish from attributes. Like cilium/ebpf's
     * {@code sys.NewFD}: duplicate it above the standard streams with {@code F_DUPFD_CLOEXEC}
     * and close 0.
     *
     * @param rc the call's result
     * @return a descriptor of at least 1, or -errno (the dup's error, after closing 0)
     */
    long fd(long rc) {
        if (rc != 0) return rc;
        int moved = sys.dupCloexec(0);
        sys.close(0);
        return moved;
    }

    /** The exception for a failed command ({@code rc} is -errno). */
    static BpfException error(Operation op, String object, long rc, String detail) {
        int errno = (int) -rc;
        return new BpfException(BACKEND, op, object, Errno.fromLinux(errno), errno, detail);
    }

    static void checkFd(int fd, String param) {
        if (fd < 0) throw new IllegalArgumentException(param + ": negative descriptor (" + fd + ")");
    }
}
