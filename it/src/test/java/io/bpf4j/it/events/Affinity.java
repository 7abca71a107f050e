package io.bpf4j.it.events;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * Runs code on one CPU by pinning the calling thread there ({@code sched_setaffinity}), then
 * restores its CPU set. The kernel reports a perf ring's lost samples only with the next sample
 * written on that CPU, so a test that must see every loss reported writes on each CPU in turn.
 */
final class Affinity {
    /** The libc calls. */
    interface LibC extends Library {
        LibC INSTANCE = Native.load("c", LibC.class);

        int sched_getaffinity(int pid, long size, byte[] mask);

        int sched_setaffinity(int pid, long size, byte[] mask);
    }

    private static final int SET_SIZE = 128;

    private Affinity() {
    }

    static void runOn(int cpu, Runnable r) {
        byte[] old = new byte[SET_SIZE];
        if (LibC.INSTANCE.sched_getaffinity(0, SET_SIZE, old) != 0) throw new IllegalStateException("sched_getaffinity failed");
        byte[] one = new byte[SET_SIZE];
        one[cpu / 8] = (byte) (1 << (cpu % 8));
        if (LibC.INSTANCE.sched_setaffinity(0, SET_SIZE, one) != 0) throw new IllegalStateException("cpu " + cpu + " is not usable");
        try {
            r.run();
        } finally {
            LibC.INSTANCE.sched_setaffinity(0, SET_SIZE, old);
        }
    }
}
