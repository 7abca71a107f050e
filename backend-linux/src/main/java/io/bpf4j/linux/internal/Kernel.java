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
    /**
     * Threads' scratches by the low bits of their thread id, in front of {@link #scratch}: a
     * ThreadLocal lookup (hash probe, weak-reference check) was a fifth of a map command's own
     * cost. Thread ids are never reused, so an entry whose id matches the caller's is that
     * caller's. Entries are written without synchronization: a reader sees null, another
     * thread's scratch (its id is final, so the mismatch is seen) or its own. Keeps at most
     * {@code THREAD_SLOTS} scratches of threads that have ended, until another thread takes
     * their slot or the backend closes.
     */
    private final Scratch[] byThread = new Scratch[THREAD_SLOTS];
    private static final int THREAD_SLOTS = 64;
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
            Scratch s = new Scratch(sys, Thread.currentThread().getId());
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
        long id = Thread.currentThread().getId();
        Scratch s = byThread[(int) id & (THREAD_SLOTS - 1)];
        return s != null && s.threadId == id ? s : scratchSlow(id);
    }

    private Scratch scratchSlow(long id) {
        Scratch s = scratch.get();
        byThread[(int) id & (THREAD_SLOTS - 1)] = s;
        return s;
    }

    /**
     * Starts a backend call on this thread: checks the backend is open and holds the thread's
     * scratch memory until {@link #exit(Scratch)}. Pair with that in a finally block. Allocates
     * nothing, and makes no atomic operation or fence: {@link #close()} never waits for calls,
     * it only drops its references to their memory (see {@link Scratch#release()}).
     *
     * @return the thread's scratch, for the call to use without looking it up again
     * @throws IllegalStateException if the backend is closed
     */
    Scratch enterScratch() {
        Scratch s = scratch();
        if (s.depth == 0) {
            if (closed || !s.begin()) {
                // A thread that first calls after close() made its scratch after close() let go of
                // the others; let go of it here.
                s.release();
                throw closedException();
            }
        } else if (closed) {
            throw closedException();
        }
        s.depth++;
        return s;
    }

    /**
     * Ends a call started by {@link #enterScratch()}.
     *
     * @param s what it returned
     */
    void exit(Scratch s) {
        if (--s.depth == 0) s.end();
    }

    /**
     * Starts a backend call on this thread, as {@link #enterScratch()}. Pair with {@link #exit()}
     * in a finally block.
     *
     * @throws IllegalStateException if the backend is closed
     */
    public void enter() {
        enterScratch();
    }

    /** Ends a call started by {@link #enter()}. */
    public void exit() {
        exit(scratch());
    }

    private static IllegalStateException closedException() {
        return new IllegalStateException(BACKEND + " backend is closed");
    }

    /**
     * Closes the backend: later calls throw, and every thread's scratch lets go of its native
     * memory. Calls in progress on other threads are not waited for: each keeps the memory it
     * uses until it returns, and the memory is freed once nothing refers to it.
     */
    public void close() {
        closed = true;
        Scratch[] all;
        synchronized (scratches) {
            all = scratches.toArray(new Scratch[0]);
            scratches.clear();
        }
        for (Scratch s : all) s.release();
        scratch.remove();
        java.util.Arrays.fill(byThread, null);
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
        return sys.bpf(LinuxUapi.cmd(op), s.attrAddr(), s.attrSize(), s.callState());
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
