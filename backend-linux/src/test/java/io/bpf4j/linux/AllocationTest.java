package io.bpf4j.linux;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.testsupport.LeakCheck;
import io.bpf4j.testsupport.Need;
import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The element commands allocate nothing per call (per-thread scratch, layouts read into it or passed by handles). */
@ExtendWith(LeakCheck.class)
class AllocationTest {
    private static final int CALLS = 200_000;
    private static final int WINDOWS = 6;
    private static volatile byte[] sink;

    /**
     * {@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes}, reached reflectively
     * because the test is compiled inside module io.bpf4j.linux, which does not read
     * java.management.
     */
    private static long allocatedBytes(Object mx, Method m) throws Exception {
        return (Long) m.invoke(mx, Thread.currentThread().getId());
    }

    /** Runs {@code round} many times after a warm-up and fails if it allocates per call. */
    private static void assertAllocatesNothing(Runnable round, int callsPerRound) throws Exception {
        Object mx = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
        Class<?> sun = Class.forName("com.sun.management.ThreadMXBean");
        Need.that(sun.isInstance(mx), "the JVM has no com.sun.management.ThreadMXBean");
        Need.that((Boolean) sun.getMethod("isThreadAllocatedMemorySupported").invoke(mx),
                "the JVM cannot count allocated bytes per thread");
        sun.getMethod("setThreadAllocatedMemoryEnabled", boolean.class).invoke(mx, true);
        Method allocated = sun.getMethod("getThreadAllocatedBytes", long.class);
        for (int i = 0; i < 50_000; i++) round.run(); // warm up: JIT, scratch, gate
        // Control: the counter sees a known allocation, so a zero below means something.
        long c0 = allocatedBytes(mx, allocated);
        sink = new byte[4096];
        assertTrue(allocatedBytes(mx, allocated) - c0 >= 4096, "the allocation counter does not count");
        // The claim is about the compiled steady state: code the JIT has not optimised yet (on a
        // loaded machine that can take longer than the warm-up) allocates temporaries that
        // escape analysis later removes. So measure windows until one is clean; a real
        // per-call allocation shows in every window and fails.
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
        fail(last + " in each of " + WINDOWS + " windows");
    }

    @Test
    void ownedMapHandlesAllocateNothingOnTheirBufferMethods() throws Exception {
        try (LinuxBpf bpf = RealKernel.open();
             io.bpf4j.api.BpfMap map = io.bpf4j.api.BpfMap.create(bpf, MapSpec.of(MapType.HASH, 4, 8, 16).withName("named"))) {
            byte[] key = {1, 0, 0, 0};
            byte[] value = new byte[8];
            byte[] next = new byte[4];
            assertAllocatesNothing(() -> {
                map.update(key, value, 0);
                map.lookup(key, value);
                map.nextKey(null, next);
                map.delete(key);
            }, 4);
        }
    }

    @Test
    void elementCommandsAllocateNothing() throws Exception {
        LinuxBpf bpf = RealKernel.open();
        int m = bpf.mapCreate(MapSpec.of(MapType.HASH, 4, 8, 16));
        try {
            byte[] key = {1, 0, 0, 0};
            byte[] missing = {9, 0, 0, 0};
            byte[] value = new byte[8];
            byte[] next = new byte[4];
            Runnable round = () -> {
                bpf.mapUpdateElem(m, key, value, 0);
                bpf.mapLookupElem(m, key, value, 0);
                bpf.mapLookupElem(m, missing, value, 0);
                bpf.mapGetNextKey(m, null, next);
                bpf.mapDeleteElem(m, key);
                bpf.mapDeleteElem(m, missing);
            };
            assertAllocatesNothing(round, 6);
        } finally {
            bpf.closeFd(m);
            bpf.close();
        }
    }
}
