package io.bpf4j.it.events;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.Bpf;
import io.bpf4j.api.events.PerfBufferOptions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The agent-style event tests, written once and run on the kernel (events are the test thread's
 * own {@code getpid()} calls) and on the simulator (events fed through {@code sim.hooks()}): the
 * reader gets exactly the events the test caused, in order (per CPU for perf buffers), with the
 * program's contents; a producer that outruns the consumer loses events only where the program
 * counts failed sends (ring buffer) or the kernel reports lost samples (perf buffer).
 */
abstract class AgentEventsContract {
    private static final Duration WAIT = Duration.ofSeconds(20);

    /** The backend, open for the whole class. */
    abstract Bpf bpf();

    /** The thread id the program filters on: the one whose calls {@link #cause(int)} makes. */
    abstract int tid();

    /** Makes {@code n} calls of {@code getpid} seen by the tracepoint, from that thread. */
    abstract void cause(int n);

    /**
     * Runs {@code r} with every event on one CPU: the kernel reports a CPU's lost perf samples
     * only when that CPU writes again, so a test that must hear of every loss keeps to one CPU.
     */
    abstract void onOneCpu(Runnable r);

    private void checkContents(List<GetpidAgent.Event> events, boolean perf) {
        for (GetpidAgent.Event e : events) {
            assertEquals(tid(), e.tid(), "the thread the program saw");
            if (perf) assertEquals(e.readerCpu(), e.cpu(), "the ring a sample arrived in is its CPU's");
            else assertEquals(-1, e.readerCpu());
        }
    }

    /** Per CPU (or for all, with -1 as the CPU of ring buffer records), the sequence numbers rise. */
    private static void inOrderPerCpu(List<GetpidAgent.Event> events) {
        Map<Integer, Long> last = new HashMap<>();
        for (GetpidAgent.Event e : events) {
            Long before = last.put(e.readerCpu(), e.seq());
            assertTrue(before == null || before < e.seq(), "cpu " + e.readerCpu() + ": " + before + " then " + e.seq());
        }
    }

    private static TreeSet<Long> seqs(List<GetpidAgent.Event> events) {
        TreeSet<Long> s = new TreeSet<>();
        for (GetpidAgent.Event e : events) assertTrue(s.add(e.seq()), "seq " + e.seq() + " delivered twice");
        return s;
    }

    @Test
    void aRingBufferDeliversExactlyTheCausedEventsInOrder() {
        try (GetpidAgent agent = GetpidAgent.ringBuffer(bpf(), tid(), 1 << 16)) {
            agent.start();
            cause(500);
            agent.awaitEvents(500, WAIT);
            assertEquals(0, agent.consume(), "nothing beyond the 500");
            assertEquals(500, agent.events.size());
            for (int i = 0; i < 500; i++) assertEquals(i, agent.events.get(i).seq(), "in the order of the calls");
            checkContents(agent.events, false);
            assertArrayEquals(new long[] {500, 0}, agent.counters());
        }
    }

    @Test
    void aPerfBufferDeliversExactlyTheCausedEventsInOrderPerCpu() {
        try (GetpidAgent agent = GetpidAgent.perfBuffer(bpf(), tid(), PerfBufferOptions.DEFAULTS)) {
            agent.start();
            cause(500);
            agent.awaitEvents(500, WAIT);
            assertEquals(0, agent.consume());
            assertEquals(500, agent.events.size());
            TreeSet<Long> s = seqs(agent.events);
            assertEquals(0L, s.first());
            assertEquals(499L, s.last());
            inOrderPerCpu(agent.events);
            checkContents(agent.events, true);
            assertArrayEquals(new long[] {500, 0}, agent.counters());
            assertEquals(0, agent.lostSamples());
        }
    }

    @Test
    void aRingBufferThatOverflowsLosesOnlyWhatTheProgramCounted() {
        // 24-byte records (8 header, 16 data), at most 4095 bytes in flight: 170 fit.
        try (GetpidAgent agent = GetpidAgent.ringBuffer(bpf(), tid(), 4096)) {
            agent.start();
            cause(1000);
            assertEquals(170, agent.consume());
            long[] c = agent.counters();
            assertEquals(1000, c[0]);
            assertEquals(830, c[1], "reserve failures the program counted");
            for (int i = 0; i < 170; i++) assertEquals(i, agent.events.get(i).seq(), "the first 170 calls fitted");
            cause(10);
            agent.awaitEvents(180, WAIT);
            assertEquals(180, agent.events.size(), "room again once read");
            for (int i = 170; i < 180; i++) assertEquals(830 + i, agent.events.get(i).seq());
            checkContents(agent.events, false);
        }
    }

    @Test
    void aPerfBufferThatOverflowsReportsEveryLostSample() {
        // 32-byte samples (header, u32 size, 16 bytes padded to 20) in one page: 127 fit.
        try (GetpidAgent agent = GetpidAgent.perfBuffer(bpf(), tid(), PerfBufferOptions.DEFAULTS.withPagesPerCpu(1))) {
            agent.start();
            onOneCpu(() -> {
                cause(1000);
                assertEquals(127, agent.consume(), "a page holds 127 samples");
                assertEquals(0, agent.lostSamples(), "the loss is reported with the next sample that fits");
                cause(1);
                assertEquals(1, agent.consume());
            });
            assertEquals(873, agent.lostSamples());
            assertEquals(1, agent.losses.size());
            assertEquals(agent.events.get(127).readerCpu(), (int) agent.losses.get(0)[0], "reported by the CPU that lost them");
            assertEquals(873, agent.losses.get(0)[1]);
            long[] c = agent.counters();
            assertEquals(1001, c[0]);
            assertEquals(873, c[1], "the losses the kernel reported are the sends the program saw fail");
            for (int i = 0; i < 127; i++) assertEquals(i, agent.events.get(i).seq());
            assertEquals(1000, agent.events.get(127).seq(), "the call after the losses");
            checkContents(agent.events, true);
        }
    }
}
