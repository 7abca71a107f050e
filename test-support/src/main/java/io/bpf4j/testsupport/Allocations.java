package io.bpf4j.testsupport;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.Method;

/**
 * Measures what a hot path allocates per call, with the JVM's per-thread allocation counter
 * ({@code com.sun.management.ThreadMXBean}, reached reflectively so that modules which do not
 * read java.management can use it).
 */
public final class Allocations {
    private static final int WARM_UP = 50_000;
    private static final int CALLS = 200_000;
    /**
     * Windows measured at most. On a loaded machine the compiler's queue can hold the hot path's
     * final compilation back for several windows (measured: six windows of 1.2 million calls each
     * at a steady 40 bytes per call, while other builds ran on both cores); a real per-call
     * allocation fails all of them.
     */
    private static final int WINDOWS = 30;
    private static volatile byte[] sink;

    private Allocations() {
    }

    /**
     * Runs {@code round} after a warm-up and fails unless it allocates under 0.05 bytes per call.
     * A control allocation proves first that the counter counts.
     *
     * <p>The claim is about the compiled steady state: code the JIT has not optimised yet (on a
     * loaded machine that can take longer than the warm-up) allocates temporaries that escape
     * analysis later removes. So windows of calls are measured until one is clean; a real
     * per-call allocation shows in every window and fails.
     *
     * @param round one round of calls
     * @param callsPerRound how many calls one round makes
     * @throws Exception when the counter cannot be reached
     */
    public static void assertNone(Runnable round, int callsPerRound) throws Exception {
        Object mx = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
        Class<?> sun = Class.forName("com.sun.management.ThreadMXBean");
        Need.that(sun.isInstance(mx), "the JVM has no com.sun.management.ThreadMXBean");
        Need.that((Boolean) sun.getMethod("isThreadAllocatedMemorySupported").invoke(mx),
                "the JVM cannot count allocated bytes per thread");
        sun.getMethod("setThreadAllocatedMemoryEnabled", boolean.class).invoke(mx, true);
        Method allocated = sun.getMethod("getThreadAllocatedBytes", long.class);
        for (int i = 0; i < WARM_UP; i++) round.run();
        long c0 = allocatedBytes(mx, allocated);
        sink = new byte[4096];
        assertTrue(allocatedBytes(mx, allocated) - c0 >= 4096, "the allocation counter does not count");
        String last = "";
        for (int window = 0; window < WINDOWS; window++) {
            long before = allocatedBytes(mx, allocated);
            for (int i = 0; i < CALLS; i++) round.run();
            long after = allocatedBytes(mx, allocated);
            double perCall = (after - before) / ((double) CALLS * callsPerRound);
            if (perCall < 0.05) return;
            last = "allocated " + (after - before) + " bytes over " + (long) CALLS * callsPerRound + " calls ("
                    + perCall + " per call)";
        }
        fail(last + " in each of " + WINDOWS + " windows; where this thread allocated in one more window:\n"
                + AllocationSites.record(() -> {
                    for (int i = 0; i < CALLS; i++) round.run();
                }));
    }

    private static long allocatedBytes(Object mx, Method m) throws Exception {
        return (Long) m.invoke(mx, Thread.currentThread().getId());
    }
}
