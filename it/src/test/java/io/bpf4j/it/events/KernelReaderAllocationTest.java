package io.bpf4j.it.events;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.bpf4j.api.BpfMap;
import io.bpf4j.api.BpfProgram;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.TestRunSpec;
import io.bpf4j.api.events.PerfBufferOptions;
import io.bpf4j.api.events.PerfBufferReader;
import io.bpf4j.api.events.RingBufferReader;
import io.bpf4j.it.KernelTest;
import io.bpf4j.testsupport.Need;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;

/**
 * The readers allocate nothing per record on the kernel, waits included: a program run by
 * another thread ({@code BPF_PROG_TEST_RUN}, which allocates there) keeps the ring busy while the
 * test thread polls, and the test thread's allocation counter is read around the polls only, as
 * {@code io.bpf4j.testsupport.Allocations} does for single calls (with a control allocation, and
 * windows until the JIT settled).
 */
class KernelReaderAllocationTest extends KernelTest {
    private static final int RECORDS = 400_000;
    private static final int WINDOWS = 8;
    private static long allocated(com.sun.management.ThreadMXBean mx) {
        return mx.getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    /** Polls until {@code records} arrived while {@code producer} runs; fails unless a window is clean. */
    static double bytesPerRecord(BpfProgram producer, IntSupplier poll) throws Exception {
        java.lang.management.ThreadMXBean base = ManagementFactory.getThreadMXBean();
        Need.that(base instanceof com.sun.management.ThreadMXBean, "the JVM has no com.sun.management.ThreadMXBean");
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) base;
        mx.setThreadAllocatedMemoryEnabled(true);
        AtomicBoolean stop = new AtomicBoolean();
        Thread t = new Thread(() -> {
            while (!stop.get()) producer.testRun(TestRunSpec.ofData(new byte[64]).withRepeat(10_000));
        }, "producer");
        t.start();
        try {
            long c0 = allocated(mx);
            byte[] control = new byte[4096];
            assertTrue(allocated(mx) - c0 >= 4096 && control.length == 4096, "the allocation counter does not count");
            double best = Double.MAX_VALUE;
            for (int w = 0; w < WINDOWS; w++) {
                long got = 0;
                long before = allocated(mx);
                while (got < RECORDS) got += poll.getAsInt();
                long after = allocated(mx);
                best = Math.min(best, (after - before) / (double) got);
                if (best < 0.05) return best;
            }
            fail("the reader allocated " + best + " bytes per record in the best of " + WINDOWS + " windows");
            return best;
        } finally {
            stop.set(true);
            t.join();
        }
    }

    @Test
    void aRingBufferReaderAllocatesNothingPerRecord() throws Exception {
        try (BpfMap counters = BpfMap.create(bpf, MapSpec.of(MapType.ARRAY, 4, 16, 1));
                BpfMap ring = BpfMap.create(bpf, MapSpec.of(MapType.RINGBUF, 0, 0, 1 << 20));
                BpfProgram p = BpfProgram.load(bpf, ProgramSpec.of(ProgramType.XDP,
                        KernelEventsTest.producer(counters.fd(), ring.fd(), false), "GPL"))) {
            long[] sum = {0};
            try (RingBufferReader reader = ring.ringBufferReader(r -> sum[0] += r.getLong(0))) {
                Duration wait = Duration.ofMillis(100);
                double perRecord = bytesPerRecord(p, () -> reader.poll(wait));
                System.out.println("ring buffer reader: " + perRecord + " bytes allocated per record");
            }
        }
    }

    @Test
    void aPerfBufferReaderAllocatesNothingPerRecord() throws Exception {
        try (BpfMap counters = BpfMap.create(bpf, MapSpec.of(MapType.ARRAY, 4, 16, 1));
                BpfMap array = BpfMap.create(bpf, MapSpec.of(MapType.PERF_EVENT_ARRAY, 4, 4, bpf.possibleCpus()));
                BpfProgram p = BpfProgram.load(bpf, ProgramSpec.of(ProgramType.XDP,
                        KernelEventsTest.producer(counters.fd(), array.fd(), true), "GPL"))) {
            long[] sum = {0};
            try (PerfBufferReader reader = array.perfBufferReader(PerfBufferOptions.DEFAULTS.withPagesPerCpu(64),
                    r -> sum[0] += r.getLong(0), (cpu, n) -> sum[0] += n)) {
                Duration wait = Duration.ofMillis(100);
                double perRecord = bytesPerRecord(p, () -> reader.poll(wait));
                System.out.println("perf buffer reader: " + perRecord + " bytes allocated per record");
            }
        }
    }
}
