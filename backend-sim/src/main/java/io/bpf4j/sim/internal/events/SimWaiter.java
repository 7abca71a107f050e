package io.bpf4j.sim.internal.events;

import io.bpf4j.api.MappedRing;
import io.bpf4j.api.RingWaiter;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The simulator's {@code epoll}: a wait returns at once when a ring buffer has data (readiness is
 * level-triggered on {@code producer != consumer}, as {@code ringbuf_map_poll_kern} answers), a
 * user ring buffer has room ({@code ringbuf_map_poll_user}: not entirely full) or a
 * perf ring was woken since the last wait (as {@code perf_poll} takes {@code rb->poll}); otherwise
 * it blocks until a ring signals, {@link #wakeup()} is called or the time is up.
 */
public final class SimWaiter implements RingWaiter {
    /** An empty one. */
    public SimWaiter() {
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private SimRing[] rings = new SimRing[0];
    private boolean signalled;
    private boolean woken;
    private boolean closed;

    @Override
    public void add(MappedRing ring) {
        if (!(ring instanceof SimRing r)) throw new IllegalArgumentException("ring: not mapped by the simulator");
        lock.lock();
        try {
            if (closed) throw new IllegalStateException("waiter: closed");
            SimRing[] a = java.util.Arrays.copyOf(rings, rings.length + 1);
            a[a.length - 1] = r;
            rings = a;
            r.memory().waiters.add(this);
        } finally {
            lock.unlock();
        }
    }

    void signal() {
        lock.lock();
        try {
            signalled = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private boolean ready() {
        for (SimRing r : rings) {
            RingMemory m = r.memory();
            if (m.user) {
                // ringbuf_map_poll_user(): writable while the ring is not entirely full.
                if (m.producer() - m.consumer() < m.size()) return true;
            } else if (!r.perf && m.producer() != m.consumer()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean await(int timeoutMillis) {
        lock.lock();
        try {
            long left = TimeUnit.MILLISECONDS.toNanos(Math.max(0, timeoutMillis));
            for (;;) {
                if (woken || signalled || ready()) {
                    signalled = false;
                    return true;
                }
                if (timeoutMillis < 0) {
                    changed.awaitUninterruptibly();
                } else {
                    if (left <= 0) return false;
                    try {
                        left = changed.awaitNanos(left);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return true;
                    }
                }
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void wakeup() {
        lock.lock();
        try {
            if (closed) return;
            woken = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) return;
            closed = true;
            for (SimRing r : rings) r.memory().waiters.remove(this);
            rings = new SimRing[0];
        } finally {
            lock.unlock();
        }
    }
}
