package io.bpf4j.it.events;

import static io.bpf4j.api.asm.Register.R0;
import static io.bpf4j.api.asm.Register.R1;
import static io.bpf4j.api.asm.Register.R10;
import static io.bpf4j.api.asm.Register.R2;
import static io.bpf4j.api.asm.Register.R3;
import static io.bpf4j.api.asm.Register.R4;
import static io.bpf4j.api.asm.Register.R5;
import static io.bpf4j.api.asm.Register.R6;
import static io.bpf4j.api.asm.Register.R7;
import static io.bpf4j.api.asm.Register.R9;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.BpfMap;
import io.bpf4j.api.BpfProgram;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.TestRunSpec;
import io.bpf4j.api.asm.Asm;
import io.bpf4j.api.asm.Helper;
import io.bpf4j.api.events.PerfBufferOptions;
import io.bpf4j.api.events.PerfBufferReader;
import io.bpf4j.api.events.RingBufferReader;
import io.bpf4j.it.KernelTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

/**
 * The readers against the kernel where only the kernel can tell: a producer running flat out on
 * another thread ({@code BPF_PROG_TEST_RUN} with a repeat count) while the reader consumes, so
 * positions and headers cross CPUs for real; wake-ups through epoll; handler exceptions.
 */
class KernelEventsTest extends KernelTest {
    /**
     * XDP: numbers each run with a counter (slot 0 of a 16-byte array value) and sends the number
     * to a ring buffer or perf buffer; counts failed sends in the value's second half.
     */
    static long[] producer(int counters, int out, boolean perf) {
        Asm a = new Asm().mov64(R6, R1)
                .stw(R10, -4, 0).mov64(R2, R10).add64(R2, -4).ldMapFd(R1, counters).call(Helper.MAP_LOOKUP_ELEM)
                .jeq(R0, 0, "out").mov64(R9, R0)
                .mov64(R7, 1).atomicFetchAdd64(R9, 0, R7).stxdw(R10, -16, R7);
        if (perf) {
            a.mov64(R1, R6).ldMapFd(R2, out).lddw(R3, 0xffffffffL).mov64(R4, R10).add64(R4, -16).mov64(R5, 8)
                    .call(Helper.PERF_EVENT_OUTPUT);
        } else {
            a.ldMapFd(R1, out).mov64(R2, R10).add64(R2, -16).mov64(R3, 8).mov64(R4, 0).call(Helper.RINGBUF_OUTPUT);
        }
        return a.jeq(R0, 0, "out").mov64(R1, 1).atomicAdd64(R9, 8, R1)
                .label("out").mov64(R0, 2).exit().toArray();
    }

    static long failures(BpfMap counters) {
        byte[] v = new byte[16];
        counters.lookup(new byte[4], v);
        return java.nio.ByteBuffer.wrap(v).order(java.nio.ByteOrder.nativeOrder()).getLong(8);
    }

    @Test
    void aRingBufferReadWhileAProducerRunsFlatOutLosesNothingUncounted() throws Exception {
        int runs = 200_000;
        try (BpfMap counters = BpfMap.create(bpf, MapSpec.of(MapType.ARRAY, 4, 16, 1));
                BpfMap ring = BpfMap.create(bpf, MapSpec.of(MapType.RINGBUF, 0, 0, 1 << 16));
                BpfProgram p = BpfProgram.load(bpf, ProgramSpec.of(ProgramType.XDP, producer(counters.fd(), ring.fd(), false),
                        "GPL"))) {
            long[] last = {-1};
            long[] got = {0};
            long[] disorder = {0};
            try (RingBufferReader reader = ring.ringBufferReader(r -> {
                long seq = r.getLong(0);
                if (seq <= last[0]) disorder[0]++;
                last[0] = seq;
                got[0]++;
            })) {
                CompletableFuture<Void> producer = CompletableFuture.runAsync(
                        () -> p.testRun(TestRunSpec.ofData(new byte[64]).withRepeat(runs)));
                while (!producer.isDone()) reader.poll(Duration.ofMillis(10));
                producer.get();
                reader.consume();
            }
            long failed = failures(counters);
            assertEquals(0, disorder[0], "records out of order");
            assertEquals(runs, got[0] + failed, "delivered " + got[0] + ", failed " + failed);
            // The program outruns any reader; more than a full ring (4095 records) delivered shows
            // the reader consumed while the kernel produced.
            assertTrue(got[0] > (1 << 16) / 16, "delivered while the producer ran: " + got[0]);
            System.out.println("ring buffer under a flat-out producer: " + got[0] + " delivered, " + failed + " refused");
        }
    }

    @Test
    void aPerfBufferReadWhileAProducerRunsFlatOutAccountsForEverySample() throws Exception {
        int runs = 100_000;
        try (BpfMap counters = BpfMap.create(bpf, MapSpec.of(MapType.ARRAY, 4, 16, 1));
                BpfMap array = BpfMap.create(bpf, MapSpec.of(MapType.PERF_EVENT_ARRAY, 4, 4, bpf.possibleCpus()));
                BpfProgram p = BpfProgram.load(bpf, ProgramSpec.of(ProgramType.XDP, producer(counters.fd(), array.fd(), true),
                        "GPL"))) {
            long[] lastPerCpu = new long[bpf.possibleCpus()];
            java.util.Arrays.fill(lastPerCpu, -1);
            long[] got = {0};
            long[] disorder = {0};
            try (PerfBufferReader reader = array.perfBufferReader(PerfBufferOptions.DEFAULTS.withPagesPerCpu(8).withWakeupEvents(64),
                    r -> {
                        long seq = r.getLong(0);
                        if (seq <= lastPerCpu[r.cpu()]) disorder[0]++;
                        lastPerCpu[r.cpu()] = seq;
                        got[0]++;
                    }, (cpu, n) -> { })) {
                CompletableFuture<Void> producer = CompletableFuture.runAsync(
                        () -> p.testRun(TestRunSpec.ofData(new byte[64]).withRepeat(runs)));
                while (!producer.isDone()) reader.poll(Duration.ofMillis(10));
                producer.get();
                reader.consume();
                // Losses are reported with the next sample that fits on the CPU that lost them:
                // one more run on each CPU.
                int[] extra = {0};
                for (int cpu : reader.cpus()) {
                    Affinity.runOn(cpu, () -> p.testRun(TestRunSpec.ofData(new byte[64])));
                    extra[0]++;
                }
                reader.consume();
                long failed = failures(counters);
                assertTrue(got[0] > 8 * 4096 / 24, "more than a CPU's ring delivered while the producer ran: " + got[0]);
                assertEquals(0, disorder[0], "samples out of order on a CPU");
                assertEquals(runs + extra[0], got[0] + reader.lostSamples());
                assertEquals(failed, reader.lostSamples(), "reported losses are the sends the program saw fail");
                System.out.println("perf buffer under a flat-out producer: " + got[0] + " delivered, " + reader.lostSamples()
                        + " lost");
            }
        }
    }

    @Test
    void closeFromAnotherThreadWakesAPollBlockedInEpoll() throws Exception {
        try (BpfMap ring = BpfMap.create(bpf, MapSpec.of(MapType.RINGBUF, 0, 0, 4096))) {
            RingBufferReader reader = ring.ringBufferReader(r -> { });
            CompletableFuture<Integer> polled = CompletableFuture.supplyAsync(() -> reader.poll(Duration.ofMinutes(5)));
            Thread.sleep(100);
            assertTrue(!polled.isDone(), "nothing to read");
            long t0 = System.nanoTime();
            reader.close();
            assertEquals(0, polled.get(10, TimeUnit.SECONDS));
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(ms < 2000, "woken after " + ms + " ms");
            assertThrows(IllegalStateException.class, () -> reader.poll(Duration.ZERO));
        }
    }

    @Test
    void aHandlerExceptionOnTheKernelLeavesTheRestForTheNextPoll() {
        try (BpfMap counters = BpfMap.create(bpf, MapSpec.of(MapType.ARRAY, 4, 16, 1));
                BpfMap ring = BpfMap.create(bpf, MapSpec.of(MapType.RINGBUF, 0, 0, 1 << 16));
                BpfProgram p = BpfProgram.load(bpf, ProgramSpec.of(ProgramType.XDP, producer(counters.fd(), ring.fd(), false),
                        "GPL"))) {
            List<Long> got = new ArrayList<>();
            IllegalStateException boom = new IllegalStateException("boom");
            try (RingBufferReader reader = ring.ringBufferReader(r -> {
                got.add(r.getLong(0));
                if (got.size() == 3) throw boom;
            })) {
                p.testRun(TestRunSpec.ofData(new byte[64]).withRepeat(10));
                assertSame(boom, assertThrows(IllegalStateException.class, () -> reader.poll(Duration.ofSeconds(5))));
                assertEquals(List.of(0L, 1L, 2L), got);
                assertEquals(7, reader.poll(Duration.ofSeconds(5)));
                assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L), got);
            }
        }
    }

    /**
     * Java 17 has no virtual threads: the JDK 17 run leaves this test out by its tag (it/pom.xml),
     * and a run on another JDK below 21 skips it.
     */
    @Test
    @Tag("jdk21")
    @EnabledForJreRange(min = JRE.JAVA_21)
    void virtualThreadsWaitingInPollDoNotHoldTheirCarriers() throws Exception {
        Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
        java.lang.reflect.Method start = Class.forName("java.lang.Thread$Builder").getMethod("start", Runnable.class);
        // More pollers than the scheduler has carriers: if a poll pinned its carrier, the last
        // virtual thread could not run.
        int pollers = 2 * Runtime.getRuntime().availableProcessors() + 2;
        List<BpfMap> maps = new ArrayList<>();
        List<RingBufferReader> readers = new ArrayList<>();
        List<CompletableFuture<Integer>> results = new ArrayList<>();
        try {
            for (int i = 0; i < pollers; i++) {
                BpfMap m = BpfMap.create(bpf, MapSpec.of(MapType.RINGBUF, 0, 0, 4096));
                maps.add(m);
                RingBufferReader r = m.ringBufferReader(x -> { });
                readers.add(r);
                CompletableFuture<Integer> f = new CompletableFuture<>();
                results.add(f);
                start.invoke(builder, (Runnable) () -> {
                    try {
                        f.complete(r.poll(Duration.ofMinutes(5)));
                    } catch (Throwable t) {
                        f.completeExceptionally(t);
                    }
                });
            }
            Thread.sleep(200);
            CompletableFuture<Boolean> ran = new CompletableFuture<>();
            start.invoke(builder, (Runnable) () -> ran.complete(true));
            assertTrue(ran.get(10, TimeUnit.SECONDS), "a virtual thread ran while " + pollers + " others waited in poll");
        } finally {
            for (RingBufferReader r : readers) r.close();
            for (CompletableFuture<Integer> f : results) assertEquals(0, f.get(10, TimeUnit.SECONDS));
            for (BpfMap m : maps) m.close();
        }
    }
}
