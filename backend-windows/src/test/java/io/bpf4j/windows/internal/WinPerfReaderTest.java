package io.bpf4j.windows.internal;

import static io.bpf4j.api.asm.Register.R0;
import static io.bpf4j.api.asm.Register.R1;
import static io.bpf4j.api.asm.Register.R10;
import static io.bpf4j.api.asm.Register.R2;
import static io.bpf4j.api.asm.Register.R3;
import static io.bpf4j.api.asm.Register.R4;
import static io.bpf4j.api.asm.Register.R5;
import static io.bpf4j.api.asm.Register.R6;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import io.bpf4j.api.BpfException;
import io.bpf4j.api.BpfMap;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.Operation;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.TestRunSpec;
import io.bpf4j.api.events.PerfBufferOptions;
import io.bpf4j.api.events.PerfBufferReader;
import io.bpf4j.windows.StandIn;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The perf buffer reader of {@code io.bpf4j.api.events} over the Windows backend, on the stand-in:
 * efW's asynchronous perf callbacks ({@code perf_buffer__new} at 0.21, {@code ebpf_perf_buffer__new}
 * with {@code EBPF_PERFBUF_FLAG_AUTO_CALLBACK} from 1.0.0-rc1) copy records into the backend's
 * rings, which {@code PerfBufferReader} drains. Records come from the stand-in's test-only
 * {@code standin_perf_output} (a chosen CPU) into efW-sized per-CPU rings, delivered on the
 * stand-in's own thread, as efW delivers them on its thread pool.
 */
class WinPerfReaderTest {

    @AfterAll
    static void cleanUp() {
        StandIn.cleanUp();
    }

    private static Function fn(String variant, String name) {
        return NativeLibrary.getInstance(StandIn.library(variant).toAbsolutePath().toString()).getFunction(name);
    }

    private static int emit(String variant, BpfMap map, int cpu, String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return fn(variant, "standin_perf_output").invokeInt(new Object[] {map.fd(), cpu, b, b.length});
    }

    /** Waits until efW's side (the stand-in) has handed every record to a callback that returned. */
    private static void drained(String variant, BpfMap map) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (fn(variant, "standin_perf_pending").invokeInt(new Object[] {map.fd()}) != 0) {
            assertTrue(System.nanoTime() < deadline, "the stand-in did not deliver within 20 s");
            sleep(5);
        }
    }

    /** Polls until n records arrived; fails past 20 s. */
    private static void pollFor(PerfBufferReader r, List<?> got, int n) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (got.size() < n) {
            assertTrue(System.nanoTime() < deadline, "only " + got.size() + " of " + n + " records within 20 s");
            r.poll(Duration.ofMillis(200));
        }
    }

    private static BpfMap array(WinBackend w, int ringBytes) {
        // On eBPF for Windows max_entries is each CPU's ring size in bytes (docs/windows.md).
        return BpfMap.create(w, MapSpec.of(MapType.PERF_EVENT_ARRAY, 0, 0, ringBytes));
    }

    record Got(int cpu, String text, int length) {
    }

    /** The record's text without the padding. */
    private static String text(io.bpf4j.api.events.EventRecord rec) {
        String s = new String(rec.toByteArray(), StandardCharsets.UTF_8);
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == 0) end--;
        return s.substring(0, end);
    }

    @ParameterizedTest
    @CsvSource({StandIn.FULL + ",ffm", StandIn.FULL + ",jna", StandIn.RELEASE_0_21 + ",ffm", StandIn.RELEASE_0_21 + ",jna"})
    void recordsArriveWithTheirContentsAndCpu(String variant, String binding) {
        WinBackend w = StandInBackendTest.open(variant, null, binding);
        assertTrue(w.capabilities().operation(Operation.PERF_BUFFER_OPEN).supported());
        int cpus = Math.min(4, w.possibleCpus());
        List<Got> got = new ArrayList<>();
        try (BpfMap map = array(w, 64 * 1024);
                PerfBufferReader r = PerfBufferReader.open(map, rec ->
                        got.add(new Got(rec.cpu(), new String(rec.toByteArray(), StandardCharsets.UTF_8), rec.length())),
                        (cpu, n) -> { throw new AssertionError(n + " lost on cpu " + cpu); })) {
            assertEquals(w.possibleCpus(), r.cpus().length, "a ring per CPU efW subscribes");
            for (int i = 0; i < 50; i++) {
                for (int c = 0; c < cpus; c++) assertEquals(0, emit(variant, map, c, "cpu" + c + "-" + i + "x".repeat(i)));
            }
            pollFor(r, got, 50 * cpus);
            assertEquals(50 * cpus, got.size());
            for (int c = 0; c < cpus; c++) {
                int cpu = c;
                List<Got> mine = got.stream().filter(g -> g.cpu() == cpu).toList();
                assertEquals(50, mine.size(), "cpu " + c);
                for (int i = 0; i < 50; i++) {
                    String want = "cpu" + c + "-" + i + "x".repeat(i);
                    int padded = ((want.length() + 4 + 7) & ~7) - 4;
                    assertEquals(want + "\0".repeat(padded - want.length()), mine.get(i).text(),
                            "in order per CPU, zero-padded as Linux pads raw samples");
                    assertEquals(padded, mine.get(i).length());
                }
            }
            assertEquals(0, r.lostSamples());
            assertEquals(0, r.poll(Duration.ofMillis(50)), "nothing more");
        }
    }

    /**
     * A program the kernel runs writes with {@code bpf_perf_event_output(ctx, array, BPF_F_CURRENT_CPU,
     * &(u64){cpu}, 8)}, its CPU from {@code bpf_get_smp_processor_id}: the record reaches the reader
     * with that CPU (the stand-in stores a Linux BPF_OUTPUT event per CPU in the kernel's array).
     */
    @ParameterizedTest
    @ValueSource(strings = {StandIn.FULL, StandIn.RELEASE_0_21})
    void aRecordOfAProgramArrivesWithTheCpuItRanOn(String variant) {
        WinBackend w = StandInBackendTest.open(variant, null, "ffm");
        List<long[]> got = new ArrayList<>();
        try (BpfMap map = array(w, 4096);
                PerfBufferReader r = PerfBufferReader.open(map, rec -> got.add(new long[] {rec.cpu(), rec.getLong(0), rec.length()}),
                        (c, n) -> { throw new AssertionError(n + " lost on cpu " + c); })) {
            long[] insns = new io.bpf4j.api.asm.Asm().mov64(R6, R1).call(io.bpf4j.api.asm.Helper.GET_SMP_PROCESSOR_ID)
                    .stxdw(R10, -8, R0).mov64(R1, R6).ldMapFd(R2, map.fd()).lddw(R3, 0xffffffffL).mov64(R4, R10)
                    .add64(R4, -8).mov64(R5, 8).call(io.bpf4j.api.asm.Helper.PERF_EVENT_OUTPUT).exit().toArray();
            int prog = w.progLoad(ProgramSpec.of(ProgramType.XDP, insns, "GPL")).fd();
            try {
                for (int i = 0; i < 3; i++) assertEquals(0, w.progTestRun(prog, TestRunSpec.ofData(new byte[64])).retval());
            } finally {
                w.closeFd(prog);
            }
            pollFor(r, got, 3);
            for (long[] g : got) {
                assertEquals(g[0], g[1], "the record's CPU is the one the program ran on");
                assertEquals(12, g[2], "8 bytes, padded by the kernel to 12 after the u32 size");
            }
        }
    }

    /** efW's own ring overflows before the reader subscribes: its lost callback reports the drop. */
    @ParameterizedTest
    @ValueSource(strings = {StandIn.FULL, StandIn.RELEASE_0_21})
    void lostSamplesEfwCountsArriveWithTheirCpu(String variant) {
        WinBackend w = StandInBackendTest.open(variant, null, "ffm");
        int cpu = w.possibleCpus() - 1;
        List<String> got = new ArrayList<>();
        List<long[]> lost = new ArrayList<>();
        try (BpfMap map = array(w, 4096)) {
            String big = "z".repeat(1000);
            for (int i = 0; i < 4; i++) assertEquals(0, emit(variant, map, cpu, big + i), "record " + i);
            assertEquals(29, emit(variant, map, cpu, big + 4), "EBPF_OUT_OF_SPACE: 4 x 1008 bytes fill 4096");
            assertEquals(29, emit(variant, map, cpu, big + 5));
            try (PerfBufferReader r = PerfBufferReader.open(map,
                    rec -> got.add(rec.cpu() + ":" + text(rec)),
                    (c, n) -> lost.add(new long[] {c, n}))) {
                pollFor(r, got, 4);
                drained(variant, map);
                r.consume();
                assertEquals(List.of(cpu + ":" + big + 0, cpu + ":" + big + 1, cpu + ":" + big + 2, cpu + ":" + big + 3), got);
                assertEquals(1, lost.size());
                assertEquals(cpu, lost.get(0)[0]);
                assertEquals(2, lost.get(0)[1]);
                assertEquals(2, r.lostSamples());
            }
        }
    }

    /** The reader's own ring overflows: the copy drops and counts, reported as Linux reports it, with the next record. */
    @Test
    void lostSamplesWhenTheReaderFallsBehind() {
        WinBackend w = StandInBackendTest.open(StandIn.FULL, null, "jna");
        List<String> got = new ArrayList<>();
        List<long[]> lost = new ArrayList<>();
        try (BpfMap map = array(w, 64 * 1024);
                PerfBufferReader r = PerfBufferReader.open(map, PerfBufferOptions.DEFAULTS.withPagesPerCpu(1),
                        rec -> got.add(text(rec)),
                        (c, n) -> lost.add(new long[] {c, n}))) {
            String big = "q".repeat(1000);
            // 1016 bytes each in the reader's 4096-byte ring: 4 fit, then a lost record, then no room.
            for (int i = 0; i < 20; i++) assertEquals(0, emit(StandIn.FULL, map, 0, big + i));
            drained(StandIn.FULL, map);
            assertEquals(4, r.consume());
            assertEquals(List.of(big + 0, big + 1, big + 2, big + 3), got);
            assertEquals(1, r.lostSamples(), "the first loss found room for its report");
            assertEquals(0, emit(StandIn.FULL, map, 0, "tail"));
            drained(StandIn.FULL, map);
            assertEquals(1, r.consume());
            assertEquals("tail", got.get(4));
            assertEquals(16, r.lostSamples(), "20 written, 4 read, the rest reported before the next record");
            assertEquals(2, lost.size());
            assertEquals(15, lost.get(1)[1]);
            assertEquals(0, lost.get(1)[0]);
        }
    }

    @Test
    void closingFromAnotherThreadWakesPoll() throws Exception {
        WinBackend w = StandInBackendTest.open(StandIn.RELEASE_0_21, null, "ffm");
        try (BpfMap map = array(w, 4096)) {
            PerfBufferReader r = PerfBufferReader.open(map, rec -> { }, (c, n) -> { });
            CountDownLatch polling = new CountDownLatch(1);
            AtomicInteger result = new AtomicInteger(-1);
            Thread poller = new Thread(() -> {
                polling.countDown();
                result.set(r.poll(Duration.ofMinutes(5)));
            });
            poller.start();
            polling.await();
            sleep(200);
            long t0 = System.nanoTime();
            r.close();
            poller.join(TimeUnit.SECONDS.toMillis(10));
            assertFalse(poller.isAlive(), "close woke the poll");
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(10));
            assertEquals(0, result.get());
        }
    }

    @Test
    void aRecordFromEfwsThreadWakesABlockedPoll() {
        WinBackend w = StandInBackendTest.open(StandIn.FULL, null, "ffm");
        try (BpfMap map = array(w, 4096);
                PerfBufferReader r = PerfBufferReader.open(map, rec -> { }, (c, n) -> { })) {
            Thread producer = new Thread(() -> {
                sleep(200);
                emit(StandIn.FULL, map, 0, "late");
            });
            producer.start();
            long t0 = System.nanoTime();
            assertEquals(1, r.poll(Duration.ofSeconds(20)));
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(10), "woken by the event, not the timeout");
        }
    }

    @Test
    void aReaderUsedAfterCloseThrowsAndTheArrayCanBeReadAgain() {
        WinBackend w = StandInBackendTest.open(StandIn.FULL, null, "ffm");
        List<String> got = new ArrayList<>();
        try (BpfMap map = array(w, 4096)) {
            PerfBufferReader r = PerfBufferReader.open(map, rec -> { }, (c, n) -> { });
            r.close();
            r.close();
            assertThrows(IllegalStateException.class, () -> r.poll(Duration.ZERO));
            assertThrows(IllegalStateException.class, r::consume);
            // The perf buffer was freed: efW accepts a new subscriber, and it gets what is written now.
            try (PerfBufferReader again = PerfBufferReader.open(map,
                    rec -> got.add(text(rec)), (c, n) -> { })) {
                assertEquals(0, emit(StandIn.FULL, map, 0, "again"));
                pollFor(again, got, 1);
                assertEquals(List.of("again"), got);
            }
        }
    }

    @Test
    void aSecondReaderOfTheSameArrayIsRefused() {
        WinBackend w = StandInBackendTest.open(StandIn.FULL, null, "ffm");
        try (BpfMap map = array(w, 4096);
                PerfBufferReader r = PerfBufferReader.open(map, rec -> { }, (c, n) -> { })) {
            BpfException e = assertThrows(BpfException.class, () -> PerfBufferReader.open(map, rec -> { }, (c, n) -> { }));
            assertEquals(Operation.PERF_BUFFER_OPEN, e.operation());
            assertTrue(e.getMessage().contains("already has a reader"), e.getMessage());
            assertEquals(0, r.consume(), "the first reader still works");
        }
    }

    @Test
    void aHandlersExceptionReachesPollAndNoRecordIsLostOrRepeated() {
        WinBackend w = StandInBackendTest.open(StandIn.FULL, null, "jna");
        List<String> got = new ArrayList<>();
        RuntimeException boom = new RuntimeException("handler failed");
        try (BpfMap map = array(w, 64 * 1024);
                PerfBufferReader r = PerfBufferReader.open(map, rec -> {
                    String s = text(rec);
                    got.add(s);
                    if (s.equals("e2") && got.size() == 3) throw boom;
                }, (c, n) -> { })) {
            for (int i = 0; i < 6; i++) assertEquals(0, emit(StandIn.FULL, map, 0, "e" + i));
            drained(StandIn.FULL, map);
            RuntimeException e = assertThrows(RuntimeException.class, r::consume);
            assertSame(boom, e);
            assertEquals(List.of("e0", "e1", "e2"), got);
            assertEquals(3, r.consume(), "the rest, from the record after the one that threw");
            assertEquals(List.of("e0", "e1", "e2", "e3", "e4", "e5"), got);
        }
    }

    @Test
    void wrongMapsAreRefused() {
        WinBackend w = StandInBackendTest.open(StandIn.FULL, null, "ffm");
        try (BpfMap hash = BpfMap.create(w, MapSpec.of(MapType.HASH, 4, 4, 4))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> w.perfBufferOpen(hash.fd(), 0, 1, 1, false));
            assertTrue(e.getMessage().contains("HASH"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> w.perfBufferOpen(hash.fd(), 0, 3, 1, false), "pages");
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
