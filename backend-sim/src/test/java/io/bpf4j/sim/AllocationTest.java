package io.bpf4j.sim;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.bpf4j.api.BpfMap;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;

/**
 * The element commands allocate nothing per call on hash and array maps, with caller buffers:
 * lookup, update, delete and next key, hits and misses, as on the native backends.
 */
class AllocationTest extends SimTestBase {
    private static final int CALLS = 200_000;
    private static volatile byte[] sink;

    /**
     * {@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes}, reached reflectively
     * because the test is compiled inside module io.bpf4j.sim, which does not read
     * java.management.
     */
    private static long allocatedBytes(Object mx, Method m) throws Exception {
        return (Long) m.invoke(mx, Thread.currentThread().getId());
    }

    /** Runs {@code round} many times after a warm-up and fails if it allocates per call. */
    private static void assertAllocatesNothing(Runnable round, int callsPerRound) throws Exception {
        Object mx = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
        Class<?> sun = Class.forName("com.sun.management.ThreadMXBean");
        assumeTrue(sun.isInstance(mx), "the JVM has no com.sun.management.ThreadMXBean");
        assumeTrue((Boolean) sun.getMethod("isThreadAllocatedMemorySupported").invoke(mx),
                "the JVM cannot count allocated bytes per thread");
        sun.getMethod("setThreadAllocatedMemoryEnabled", boolean.class).invoke(mx, true);
        Method allocated = sun.getMethod("getThreadAllocatedBytes", long.class);
        for (int i = 0; i < 50_000; i++) round.run(); // warm up: JIT, free lists, slots
        // Control: the counter sees a known allocation, so a zero below means something.
        long c0 = allocatedBytes(mx, allocated);
        sink = new byte[4096];
        assertTrue(allocatedBytes(mx, allocated) - c0 >= 4096, "the allocation counter does not count");
        long before = allocatedBytes(mx, allocated);
        for (int i = 0; i < CALLS; i++) round.run();
        long after = allocatedBytes(mx, allocated);
        double perCall = (after - before) / ((double) CALLS * callsPerRound);
        assertTrue(perCall < 0.05, "allocated " + (after - before) + " bytes over " + (long) CALLS * callsPerRound
                + " calls (" + perCall + " per call)");
    }

    @Test
    void hashElementCommandsAllocateNothing() throws Exception {
        int m = sim.mapCreate(MapSpec.of(MapType.HASH, 4, 8, 1024));
        try {
            byte[] key = {1, 0, 0, 0};
            byte[] other = {2, 0, 0, 0};
            byte[] missing = {9, 0, 0, 0};
            byte[] value = new byte[8];
            byte[] next = new byte[4];
            sim.mapUpdateElem(m, other, value, 0);
            assertAllocatesNothing(() -> {
                sim.mapUpdateElem(m, key, value, 0);
                sim.mapUpdateElem(m, key, value, 0);
                sim.mapLookupElem(m, key, value, 0);
                sim.mapLookupElem(m, missing, value, 0);
                sim.mapGetNextKey(m, null, next);
                sim.mapGetNextKey(m, key, next);
                sim.mapDeleteElem(m, key);
                sim.mapDeleteElem(m, missing);
            }, 8);
        } finally {
            sim.closeFd(m);
        }
    }

    @Test
    void arrayElementCommandsAllocateNothing() throws Exception {
        int m = sim.mapCreate(MapSpec.of(MapType.ARRAY, 4, 8, 16));
        int pc = sim.mapCreate(MapSpec.of(MapType.PERCPU_ARRAY, 4, 12, 16));
        try {
            byte[] key = {3, 0, 0, 0};
            byte[] last = {15, 0, 0, 0};
            byte[] value = new byte[8];
            byte[] values = new byte[16 * sim.possibleCpus()];
            byte[] next = new byte[4];
            assertAllocatesNothing(() -> {
                sim.mapUpdateElem(m, key, value, 0);
                sim.mapLookupElem(m, key, value, 0);
                sim.mapGetNextKey(m, key, next);
                sim.mapGetNextKey(m, last, next);
                sim.mapUpdateElem(pc, key, values, 0);
                sim.mapLookupElem(pc, key, values, 0);
            }, 6);
        } finally {
            sim.closeFd(m);
            sim.closeFd(pc);
        }
    }

    @Test
    void ownedMapHandlesAllocateNothingOnTheirBufferMethods() throws Exception {
        try (BpfMap map = BpfMap.create(sim, MapSpec.of(MapType.HASH, 4, 8, 16).withName("named"))) {
            byte[] key = {1, 0, 0, 0};
            byte[] value = new byte[8];
            byte[] next = new byte[4];
            assertAllocatesNothing(() -> {
                map.update(key, value, 0);
                map.lookup(key, value);
                map.nextKey(null, next);
                map.delete(key);
            }, 4);
            assertFalse(map.lookup(key, value));
        }
    }
}
