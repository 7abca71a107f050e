package io.bpf4j.sim.internal.events;

/**
 * The waiters registered on one ring: what the kernel's wait queue of a ring buffer or perf event
 * is. Programs signal it (under the simulator's lock); readers add and remove themselves.
 */
public final class Waiters {
    /** An empty one. */
    public Waiters() {
    }

    private volatile SimWaiter[] all = new SimWaiter[0];

    synchronized void add(SimWaiter w) {
        SimWaiter[] a = java.util.Arrays.copyOf(all, all.length + 1);
        a[a.length - 1] = w;
        all = a;
    }

    synchronized void remove(SimWaiter w) {
        SimWaiter[] a = all;
        for (int i = 0; i < a.length; i++) {
            if (a[i] == w) {
                SimWaiter[] b = new SimWaiter[a.length - 1];
                System.arraycopy(a, 0, b, 0, i);
                System.arraycopy(a, i + 1, b, i, a.length - i - 1);
                all = b;
                return;
            }
        }
    }

    /** Wakes every waiter ({@code wake_up_all} on the ring's queue). */
    public void signal() {
        for (SimWaiter w : all) w.signal();
    }
}
