package io.bpf4j.api.events;

import io.bpf4j.api.RingWaiter;
import java.util.concurrent.locks.LockSupport;

/**
 * Waits on a virtual thread's behalf. A native wait ({@code epoll_wait}) pins the carrier of the
 * virtual thread that makes it; so a reader polled from a virtual thread hands each wait to this
 * platform thread and parks, which frees the carrier, until the wait is over.
 *
 * <p>One reader is polled by one thread at a time, so there is at most one request: the
 * requester publishes a sequence number, the helper waits and publishes it back, then unparks
 * the requester. Started on the first such wait and stopped with the reader; allocates nothing
 * per wait.
 */
final class Handoff implements Runnable {
    private final RingWaiter waiter;
    private final Thread thread;
    private volatile Thread requester;
    private volatile int timeoutMillis;
    private volatile long requested;
    private volatile long served;
    private volatile RuntimeException failure;
    private volatile boolean stopped;

    Handoff(RingWaiter waiter) {
        this.waiter = waiter;
        this.thread = new Thread(this, "bpf4j-events-wait");
        thread.setDaemon(true);
        thread.start();
    }

    /** Waits through the helper; the calling (virtual) thread parks meanwhile. */
    boolean await(int millis) {
        requester = Thread.currentThread();
        timeoutMillis = millis;
        long seq = requested + 1;
        requested = seq;
        LockSupport.unpark(thread);
        while (served != seq) LockSupport.park(this);
        RuntimeException e = failure;
        if (e != null) {
            failure = null;
            throw e;
        }
        return true;
    }

    @Override
    public void run() {
        long done = 0;
        while (!stopped) {
            long seq = requested;
            if (seq == done) {
                LockSupport.park(this);
                continue;
            }
            try {
                waiter.await(timeoutMillis);
            } catch (RuntimeException e) {
                failure = e;
            }
            done = seq;
            served = seq;
            LockSupport.unpark(requester);
        }
    }

    /** Ends the helper; called only when no wait is in progress. */
    void stop() {
        stopped = true;
        LockSupport.unpark(thread);
    }
}
