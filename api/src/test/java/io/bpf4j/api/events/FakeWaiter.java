package io.bpf4j.api.events;

import io.bpf4j.api.MappedRing;
import io.bpf4j.api.RingWaiter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/** A waiter the test signals by hand. */
final class FakeWaiter implements RingWaiter {
    final List<MappedRing> rings = new ArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private boolean signalled;
    private boolean woken;
    volatile boolean closed;
    volatile int waits;
    volatile Thread lastWaiter;

    @Override
    public void add(MappedRing ring) {
        rings.add(ring);
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

    @Override
    public boolean await(int timeoutMillis) {
        if (closed) throw new IllegalStateException("waiter used after close");
        waits++;
        lastWaiter = Thread.currentThread();
        lock.lock();
        try {
            long left = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            while (!signalled && !woken) {
                if (timeoutMillis < 0) {
                    changed.awaitUninterruptibly();
                } else {
                    if (left <= 0) return false;
                    left = changed.awaitNanos(left);
                }
            }
            signalled = false;
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void wakeup() {
        lock.lock();
        try {
            woken = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        closed = true;
    }
}
