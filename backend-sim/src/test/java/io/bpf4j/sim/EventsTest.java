package io.bpf4j.sim;

import static io.bpf4j.api.asm.Register.R0;
import static io.bpf4j.api.asm.Register.R1;
import static io.bpf4j.api.asm.Register.R10;
import static io.bpf4j.api.asm.Register.R2;
import static io.bpf4j.api.asm.Register.R3;
import static io.bpf4j.api.asm.Register.R4;
import static io.bpf4j.api.asm.Register.R5;
import static io.bpf4j.api.asm.Register.R6;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.BpfLink;
import io.bpf4j.api.BpfMap;
import io.bpf4j.api.BpfProgram;
import io.bpf4j.api.Errno;
import io.bpf4j.api.MapFlags;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.TestRunFlags;
import io.bpf4j.api.TestRunSpec;
import io.bpf4j.api.asm.Asm;
import io.bpf4j.api.asm.Helper;
import io.bpf4j.api.events.PerfBufferOptions;
import io.bpf4j.api.events.PerfBufferReader;
import io.bpf4j.api.events.RingBufferReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Ring buffers and perf event arrays in the simulator, read by the api's readers: the records
 * are where Linux puts them, space runs out as it does there, and readers wake when programs
 * write.
 */
class EventsTest extends SimTestBase {
    private static final long CURRENT_CPU = 0xffffffffL;

    /** A raw tracepoint program: {@code bpf_ringbuf_output(ring, &ctx[0] repeated to len bytes, len, flags)}. */
    private static long[] ringbufOutput(int ring, int len, long flags) {
        Asm a = new Asm().ldxdw(R3, R1, 0);
        for (int off = 8; off <= 256; off += 8) a.stxdw(R10, -off, R3);
        return a.ldMapFd(R1, ring).mov64(R2, R10).add64(R2, -256).mov64(R3, len).lddw(R4, flags)
                .call(Helper.RINGBUF_OUTPUT).exit().toArray();
    }

    /** A raw tracepoint program: {@code bpf_perf_event_output(ctx, array, index, &ctx[0], 8)}. */
    private static long[] perfOutput(int array, long index) {
        return new Asm().mov64(R6, R1).ldxdw(R2, R6, 0).stxdw(R10, -8, R2)
                .mov64(R1, R6).ldMapFd(R2, array).lddw(R3, index).mov64(R4, R10).add64(R4, -8).mov64(R5, 8)
                .call(Helper.PERF_EVENT_OUTPUT).exit().toArray();
    }

    private BpfProgram load(long[] insns) {
        return BpfProgram.load(sim, ProgramSpec.of(ProgramType.RAW_TRACEPOINT, insns, "GPL"));
    }

    private int fire(long arg) {
        return sim.hooks().rawTracepoint("sys_enter", arg).returnValues()[0];
    }

    @Test
    void ringRecordsThatWrapTheOnceMappedRingArriveWhole() {
        List<long[]> got = new ArrayList<>();
        try (BpfMap ring = BpfMap.create(sim, MapSpec.of(MapType.RINGBUF, 0, 0, 4096));
                BpfProgram p = load(ringbufOutput(ring.fd(), 200, 0));
                BpfLink l = p.attachRawTracepoint("sys_enter", 0);
                RingBufferReader reader = ring.ringBufferReader(r -> {
                    long[] v = new long[r.length() / 8];
                    for (int i = 0; i < v.length; i++) v[i] = r.getLong(8 * i);
                    got.add(v);
                })) {
            // 208-byte records: after 19 the 20th runs past 4096 and wraps.
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < 19; i++) assertEquals(0, fire(round * 100 + i));
                assertEquals(19, reader.consume());
            }
            assertEquals(57, got.size());
            for (int i = 0; i < got.size(); i++) {
                long want = (i / 19) * 100 + i % 19;
                assertEquals(25, got.get(i).length);
                for (long v : got.get(i)) assertEquals(want, v, "record " + i);
            }
        }
    }

    @Test
    void aReaderWakesWhenAProgramWritesAndNotBefore() throws Exception {
        try (BpfMap ring = BpfMap.create(sim, MapSpec.of(MapType.RINGBUF, 0, 0, 4096));
                BpfProgram p = load(ringbufOutput(ring.fd(), 8, 0));
                BpfLink l = p.attachRawTracepoint("sys_enter", 0);
                RingBufferReader reader = ring.ringBufferReader(r -> { })) {
            assertEquals(0, reader.poll(Duration.ofMillis(20)));
            CompletableFuture<Integer> polled = CompletableFuture.supplyAsync(() -> reader.poll(Duration.ofSeconds(30)));
            Thread.sleep(50);
            assertTrue(!polled.isDone(), "nothing was written yet");
            long t0 = System.nanoTime();
            fire(1);
            assertEquals(1, polled.get(10, TimeUnit.SECONDS));
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5));
        }
    }

    @Test
    void noWakeupAndForceWakeupFlagsAreHonoured() throws Exception {
        try (BpfMap ring = BpfMap.create(sim, MapSpec.of(MapType.RINGBUF, 0, 0, 4096));
                BpfProgram quiet = load(ringbufOutput(ring.fd(), 8, 1));
                BpfLink l = quiet.attachRawTracepoint("sys_enter", 0);
                RingBufferReader reader = ring.ringBufferReader(r -> { })) {
            // BPF_RB_NO_WAKEUP: no wake-up, but data is there, so a new wait returns at once
            // (ringbuf_map_poll_kern is level-triggered).
            fire(1);
            assertEquals(1, reader.poll(Duration.ofSeconds(5)));
        }
    }

    @Test
    void perfSamplesLossesAndCpus() {
        List<String> got = new ArrayList<>();
        List<String> lost = new ArrayList<>();
        try (BpfMap array = BpfMap.create(sim, MapSpec.of(MapType.PERF_EVENT_ARRAY, 4, 4, 2));
                BpfProgram p = load(perfOutput(array.fd(), CURRENT_CPU));
                BpfLink l = p.attachRawTracepoint("sys_enter", 0)) {
            assertEquals(-Errno.ENOENT.linux(), fire(9), "no ring in the array yet");
            try (PerfBufferReader reader = array.perfBufferReader(PerfBufferOptions.DEFAULTS.withPagesPerCpu(1),
                    r -> got.add(r.cpu() + ":" + r.getLong(0) + ":" + r.length()), (cpu, n) -> lost.add(cpu + ":" + n))) {
                assertArrayEquals(new int[] {0, 1}, reader.cpus());
                // 24 bytes a sample, at most 4096 - 8 bytes in the ring: 170 fit.
                for (int i = 0; i < 200; i++) assertEquals(i < 170 ? 0 : -Errno.ENOSPC.linux(), fire(i), "sample " + i);
                assertEquals(170, reader.consume());
                assertEquals(List.of(), lost, "the loss is reported with the next sample that fits");
                assertEquals(0, fire(1000));
                assertEquals(1, reader.consume());
                assertEquals(List.of("0:30"), lost);
                assertEquals(30, reader.lostSamples());
                assertEquals("0:1000:12", got.get(got.size() - 1));
                for (int i = 0; i < 170; i++) assertEquals("0:" + i + ":12", got.get(i));
                // A test run on CPU 1 writes to CPU 1's ring; an explicit index on another CPU is refused.
                int run = p.testRun(new TestRunSpec(null, 0, new byte[8], 0, 0, TestRunFlags.RUN_ON_CPU, 1, 0)).retval();
                assertEquals(0, run);
                assertEquals(1, reader.consume());
                assertEquals("1:0:12", got.get(got.size() - 1));
            }
            assertEquals(-Errno.ENOENT.linux(), fire(9), "the rings left the array with the reader");
        }
        try (BpfMap array = BpfMap.create(sim, MapSpec.of(MapType.PERF_EVENT_ARRAY, 4, 4, 2));
                BpfProgram p = load(perfOutput(array.fd(), 1));
                BpfLink l = p.attachRawTracepoint("sys_enter", 0);
                PerfBufferReader reader = array.perfBufferReader(PerfBufferOptions.DEFAULTS, r -> { }, (c, n) -> { })) {
            assertEquals(-Errno.EOPNOTSUPP.linux(), fire(1), "CPU 1's event written from CPU 0");
        }
    }

    @Test
    void perfEventArraysTakeOnlyPerfEventsAndLoseThemWithTheirLastDescriptor() {
        try (BpfMap array = BpfMap.create(sim, MapSpec.of(MapType.PERF_EVENT_ARRAY, 4, 4, 2));
                BpfMap hash = BpfMap.create(sim, MapSpec.of(MapType.HASH, 4, 4, 1))) {
            fails(Errno.EBADF, () -> array.update(u32(0), u32(hash.fd()), 0));
            fails(Errno.ENOTSUPP, () -> array.lookup(u32(0), new byte[4]));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> sim.perfBufferOpen(hash.fd(), 0, 1, 1, false));
            assertTrue(e.getMessage().contains("HASH"), e.getMessage());
        }
        int fd = sim.mapCreate(MapSpec.of(MapType.PERF_EVENT_ARRAY, 4, 4, 1).withFlags(MapFlags.PRESERVE_ELEMS));
        sim.closeFd(fd);
    }

    @Test
    void aMappingKeepsItsRingBufferAlive() {
        List<Long> got = new ArrayList<>();
        BpfMap ring = BpfMap.create(sim, MapSpec.of(MapType.RINGBUF, 0, 0, 4096));
        try (RingBufferReader reader = ring.ringBufferReader(r -> got.add(r.getLong(0)));
                BpfProgram p = load(ringbufOutput(ring.fd(), 8, 0));
                BpfLink l = p.attachRawTracepoint("sys_enter", 0)) {
            ring.close();
            fire(77);
            assertEquals(1, reader.consume());
            assertEquals(List.of(77L), got);
            assertEquals(1, sim.liveMaps());
        }
        assertEquals(0, sim.liveMaps(), "the last reference went with the reader and the program");
    }
}
