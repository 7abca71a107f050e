package io.bpf4j.api.events;

import io.bpf4j.api.RingWaiter;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Cleaner;
import java.time.Duration;

/**
 * The lifecycle and the wait loop every reader shares.
 *
 * <p>State is one {@link AtomicInteger}: {@link #CLOSED} once {@link #close()} began,
 * {@link #BUSY} while a thread is inside {@code poll}, {@code consume} or {@code add}. Only one
 * thread may be inside at a time (a second one, or a callback re-entering its own reader, gets
 * {@link IllegalStateException}). Closing wakes the waiter; the rings are released by whichever
 * comes last, {@code close()} or the busy thread leaving, so memory is never unmapped under a
 * thread that is reading it, and {@code close()} never waits for a callback.
 */
final class Poller {
    private static final Cleaner CLEANER = Cleaner.create();
    private static final int CLOSED = 1;
    private static final int BUSY = 2;

    /** Drains every ring of a reader once; returns how many records it delivered. */
    interface Source {
        int drain();
    }

    private final String what;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Poller.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * {@code CLOSED} and {@code BUSY}. A volatile field rather than an {@code AtomicInteger}:
     * the readers check it after every record, and the field is one load where the atomic's
     * value is two (the reference, then the value).
     */
    private volatile int state;
    private final Resources resources;
    private final RingWaiter waiter;
    private final Cleaner.Cleanable cleanable;

    Poller(Object owner, String what, RingWaiter waiter, Resources resources) {
        this.what = what;
        this.waiter = waiter;
        this.resources = resources;
        resources.waiter(waiter);
        this.cleanable = CLEANER.register(owner, resources);
    }

    /** Enters the reader, or throws when it is closed or busy. Allocates nothing. */
    void enter() {
        for (;;) {
            int s = state;
            if ((s & CLOSED) != 0) throw new IllegalStateException(what + " is closed");
            if ((s & BUSY) != 0) {
                throw new IllegalStateException(what + " is being used already (by another thread, or from its own callback)");
            }
            if (STATE.compareAndSet(this, s, s | BUSY)) return;
        }
    }

    /** Leaves the reader; releases the rings when it was closed meanwhile. */
    void exit() {
        for (;;) {
            int s = state;
            if (STATE.compareAndSet(this, s, s & ~BUSY)) {
                if ((s & CLOSED) != 0) cleanable.clean();
                return;
            }
        }
    }

    /** Whether close() has begun: drains stop after the record in hand. */
    boolean closing() {
        return (state & CLOSED) != 0;
    }

    void close() {
        for (;;) {
            int s = state;
            if ((s & CLOSED) != 0) return;
            if (STATE.compareAndSet(this, s, s | CLOSED)) {
                if ((s & BUSY) != 0) {
                    waiter.wakeup();
                } else {
                    cleanable.clean();
                }
                return;
            }
        }
    }

    static long nanos(Duration timeout) {
        if (timeout.isNegative()) return -1;
        try {
            return timeout.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }

    int consume(Source src) {
        enter();
        try {
            return src.drain();
        } finally {
            exit();
        }
    }

    int poll(long timeoutNanos, Source src) {
        enter();
        try {
            int n = src.drain();
            if (n > 0 || timeoutNanos == 0) return n;
            boolean forever = timeoutNanos < 0 || timeoutNanos == Long.MAX_VALUE;
            long deadline = System.nanoTime() + (forever ? 0 : timeoutNanos);
            for (;;) {
                int millis = -1;
                if (!forever) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) return 0;
                    millis = (int) Math.min(Integer.MAX_VALUE, (left + 999_999) / 1_000_000);
                }
                if (closing()) return 0;
                if (VirtualThreads.current()) {
                    resources.handoff().await(millis);
                } else {
                    waiter.await(millis);
                }
                if (closing()) return 0;
                n = src.drain();
                if (n > 0) return n;
            }
        } finally {
            exit();
        }
    }
}
