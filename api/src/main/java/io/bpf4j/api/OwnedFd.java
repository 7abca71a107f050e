package io.bpf4j.api;

import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The one owner of a descriptor. It closes the descriptor exactly once, on {@link #close()} or,
 * as a safety net only, when the handle becomes unreachable; and it keeps the descriptor open
 * while a call made through the handle is in flight, so that number cannot be closed and
 * handed to another object in the middle of that call.
 *
 * <p>State is one {@link AtomicInteger}: bit 0 says closing, the other bits count calls in
 * flight. A call increments the count unless closing is set; {@link #close()} sets closing,
 * waits for the count to drain, then closes. Calls are single system calls, so the wait is
 * short; the hot path is two uncontended atomic operations and allocates nothing.
 */
final class OwnedFd implements AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create();
    private static final int CLOSED = -1;
    private static final int CLOSING = 1;
    private static final int CALL = 2;

    private final Bpf bpf;
    private final int number;
    private final AtomicInteger state = new AtomicInteger();
    /** The descriptor until close, release or the cleaner takes it; then {@link #CLOSED}. */
    private final AtomicInteger owned;
    private final Cleaner.Cleanable cleanable;

    OwnedFd(Bpf bpf, int fd) {
        if (fd < 0) throw new IllegalArgumentException("fd: negative (" + fd + ")");
        this.bpf = bpf;
        this.number = fd;
        this.owned = new AtomicInteger(fd);
        // The action holds the counter and backend, never the handle, so the handle can become
        // unreachable. It runs only then, when no call can be in flight (a call holds the handle).
        this.cleanable = CLEANER.register(this, new Forgotten(bpf, owned));
    }

    /** Closes a forgotten descriptor quietly: nobody is left to tell. */
    private static final class Forgotten implements Runnable {
        private final Bpf bpf;
        private final AtomicInteger owned;

        Forgotten(Bpf bpf, AtomicInteger owned) {
            this.bpf = bpf;
            this.owned = owned;
        }

        @Override
        public void run() {
            int n = owned.getAndSet(CLOSED);
            if (n == CLOSED) return;
            try {
                bpf.closeFd(n);
            } catch (RuntimeException ignored) {
                // A cleaner thread has no caller to report to; the descriptor was still handed to close.
            }
        }
    }

    Bpf bpf() {
        return bpf;
    }

    /** The descriptor; the owner describes itself only when it is closed, so hot paths allocate nothing. */
    int get(BpfObject owner) {
        if ((state.get() & CLOSING) != 0) throw closed(owner);
        return number;
    }

    /**
     * Starts a call: the descriptor stays open until {@link #endCall()}.
     *
     * @return the descriptor
     * @throws IllegalStateException if the handle is closed or closing
     */
    int beginCall(BpfObject owner) {
        // One atomic add, not a read and a compare-and-set: a call that finds closing set takes
        // its count back and throws; close() waits for the count to drain, so it only waits
        // for that undo too.
        int s = state.getAndAdd(CALL);
        if ((s & CLOSING) != 0) {
            state.getAndAdd(-CALL);
            throw closed(owner);
        }
        return number;
    }

    /** Ends a call started by {@link #beginCall(BpfObject)}. */
    void endCall() {
        state.addAndGet(-CALL);
    }

    boolean isClosed() {
        return (state.get() & CLOSING) != 0;
    }

    /** Gives up ownership: the caller now owns the descriptor. */
    int release(BpfObject owner) {
        if (!markClosing()) throw closed(owner);
        awaitCalls();
        int n = owned.getAndSet(CLOSED);
        cleanable.clean(); // deregisters; the action finds the descriptor already taken
        if (n == CLOSED) throw closed(owner);
        return n;
    }

    /**
     * Closes the descriptor once calls in flight have returned. A failure of the close itself
     * is thrown: only the cleaner is quiet.
     */
    @Override
    public void close() {
        if (!markClosing()) return;
        awaitCalls();
        int n = owned.getAndSet(CLOSED);
        cleanable.clean();
        if (n != CLOSED) bpf.closeFd(n);
    }

    /** Sets the closing bit; false when it was already set. */
    private boolean markClosing() {
        for (;;) {
            int s = state.get();
            if ((s & CLOSING) != 0) return false;
            if (state.compareAndSet(s, s | CLOSING)) return true;
        }
    }

    private void awaitCalls() {
        for (int spins = 0; state.get() != CLOSING; spins++) {
            if (spins < 100) Thread.onSpinWait();
            else LockSupport.parkNanos(20_000);
        }
    }

    private static IllegalStateException closed(BpfObject owner) {
        return new IllegalStateException(owner.describe() + " is closed");
    }
}
