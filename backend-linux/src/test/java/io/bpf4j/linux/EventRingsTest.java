package io.bpf4j.linux;

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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.BpfException;
import io.bpf4j.api.BpfMap;
import io.bpf4j.api.BpfProgram;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.MappedRing;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.RingWaiter;
import io.bpf4j.api.TestRunSpec;
import io.bpf4j.api.asm.Asm;
import io.bpf4j.api.asm.Helper;
import io.bpf4j.api.events.PerfBufferOptions;
import io.bpf4j.api.events.PerfBufferReader;
import io.bpf4j.api.events.RingBufferReader;
import io.bpf4j.testsupport.LeakCheck;
import io.bpf4j.testsupport.Need;
import java.nio.ByteOrder;
import java.nio.ReadOnlyBufferException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The ring primitives against the kernel: what is mapped where, with which rights, and the
 * readers on top reading what programs run with {@code BPF_PROG_TEST_RUN} wrote. (The agent-style
 * tests on tracepoints are in the it module.)
 */
@ExtendWith(LeakCheck.class)
class EventRingsTest {
    private static LinuxBpf bpf;

    /** Why this machine cannot run the class, or null (see {@link Need#inBeforeAll}). */
    private static String skip;

    @BeforeAll
    static void open() throws Exception {
        skip = Need.inBeforeAll(RealKernel::require);
        if (skip != null) return;
        bpf = RealKernel.open();
    }

    @BeforeEach
    void needKernel() {
        Need.still(skip);
    }

    @AfterAll
    static void close() {
        if (bpf != null) bpf.close();
    }

    /** {@code bpf_ringbuf_output(ring, &(u64){42 + i}, 8, 0)}, i counted in r6 of one run. */
    private static long[] ringbufOutput(int ringFd, long value) {
        return new Asm().lddw(R1, value).stxdw(R10, -8, R1)
                .ldMapFd(R1, ringFd).mov64(R2, R10).add64(R2, -8).mov64(R3, 8).mov64(R4, 0)
                .call(Helper.RINGBUF_OUTPUT).mov64(R0, 0).exit().toArray();
    }

    @Test
    void aRingBufferIsMappedAsTheKernelLaysItOut() {
        try (BpfMap ring = BpfMap.create(bpf, MapSpec.of(MapType.RINGBUF, 0, 0, 8192));
                MappedRing m = bpf.ringBufferMap(ring.fd())) {
            assertEquals(8192, m.size());
            assertEquals(16384, m.data().capacity(), "the data area is mapped twice");
            assertTrue(m.producerPosition().isReadOnly());
            assertTrue(m.data().isReadOnly());
            assertFalse(m.consumerPosition().isReadOnly());
            assertEquals(0, m.producerPosition().order(ByteOrder.nativeOrder()).getLong(0));
            assertThrows(ReadOnlyBufferException.class, () -> m.data().put(0, (byte) 1));
        }
        try (BpfMap user = BpfMap.create(bpf, MapSpec.of(MapType.USER_RINGBUF, 0, 0, 4096));
                MappedRing m = bpf.ringBufferMap(user.fd())) {
            assertTrue(m.consumerPosition().isReadOnly(), "the kernel consumes a user ring buffer");
            assertFalse(m.producerPosition().isReadOnly());
            assertFalse(m.data().isReadOnly());
        }
        try (BpfMap hash = BpfMap.create(bpf, MapSpec.of(MapType.HASH, 4, 4, 1))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> bpf.ringBufferMap(hash.fd()));
            assertTrue(e.getMessage().contains("HASH"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> bpf.ringBufferMap(-1));
    }

    @Test
    void theReaderReadsWhatATestRunWrote() {
        try (BpfMap ring = BpfMap.create(bpf, MapSpec.of(MapType.RINGBUF, 0, 0, 1 << 16));
                BpfProgram p = BpfProgram.load(bpf, ProgramSpec.of(ProgramType.SOCKET_FILTER, ringbufOutput(ring.fd(), 42), "GPL"))) {
            List<Long> got = new ArrayList<>();
            try (RingBufferReader reader = ring.ringBufferReader(r -> got.add(r.getLong(0)))) {
                p.testRun(TestRunSpec.ofData(new byte[64]).withRepeat(100));
                assertEquals(100, reader.poll(Duration.ofSeconds(5)));
            }
            assertEquals(100, got.size());
            assertTrue(got.stream().allMatch(v -> v == 42));
        }
    }

    @Test
    void aPerfRingIsStoredInItsArrayAndLeavesItOnClose() {
        // XDP: bpf_perf_event_output(ctx, array, BPF_F_CURRENT_CPU, &(u64){7}, 8)
        try (BpfMap array = BpfMap.create(bpf, MapSpec.of(MapType.PERF_EVENT_ARRAY, 4, 4, bpf.possibleCpus()))) {
            long[] insns = new Asm().mov64(R6, R1).lddw(R1, 7).stxdw(R10, -8, R1)
                    .mov64(R1, R6).ldMapFd(R2, array.fd()).lddw(R3, 0xffffffffL).mov64(R4, R10).add64(R4, -8).mov64(R5, 8)
                    .call(Helper.PERF_EVENT_OUTPUT).exit().toArray();
            try (BpfProgram p = BpfProgram.load(bpf, ProgramSpec.of(ProgramType.XDP, insns, "GPL"))) {
                assertEquals(-2, p.testRun(TestRunSpec.ofData(new byte[64])).retval(), "ENOENT: no ring yet");
                List<String> got = new ArrayList<>();
                try (PerfBufferReader reader = array.perfBufferReader(PerfBufferOptions.DEFAULTS.withPagesPerCpu(2),
                        r -> got.add(r.cpu() + ":" + r.getLong(0) + ":" + r.length()), (cpu, n) -> got.add("lost " + n))) {
                    assertEquals(online(), reader.cpus().length);
                    assertEquals(0, p.testRun(TestRunSpec.ofData(new byte[64]).withRepeat(10)).retval());
                    assertEquals(10, reader.poll(Duration.ofSeconds(5)));
                }
                assertEquals(10, got.size());
                assertTrue(got.stream().allMatch(s -> s.endsWith(":7:12")), "8 bytes padded to 12: " + got);
                assertEquals(-2, p.testRun(TestRunSpec.ofData(new byte[64])).retval(), "the ring left the array");
            }
        }
    }

    private static int online() {
        try {
            return io.bpf4j.linux.internal.Cpus.count(Files.readString(Path.of("/sys/devices/system/cpu/online")));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void theWaiterWakesForDataAndForGood() throws Exception {
        try (BpfMap ring = BpfMap.create(bpf, MapSpec.of(MapType.RINGBUF, 0, 0, 4096));
                BpfProgram p = BpfProgram.load(bpf, ProgramSpec.of(ProgramType.SOCKET_FILTER, ringbufOutput(ring.fd(), 1), "GPL"));
                MappedRing m = bpf.ringBufferMap(ring.fd());
                RingWaiter w = bpf.ringWaiter()) {
            w.add(m);
            assertFalse(w.await(10), "nothing to read");
            p.testRun(TestRunSpec.ofData(new byte[64]));
            assertTrue(w.await(1000), "a record is waiting");
            m.consumerPosition().order(ByteOrder.nativeOrder()).putLong(0, 16);
            assertFalse(w.await(10), "consumed");
            w.wakeup();
            assertTrue(w.await(-1));
            assertTrue(w.await(-1), "a wake-up stays");
        }
    }

    @Test
    void perfBufferArgumentsAreCheckedBeforeTheKernel() {
        assertThrows(IllegalArgumentException.class, () -> bpf.perfBufferOpen(-1, 0, 1, 1, false));
        assertThrows(IllegalArgumentException.class, () -> bpf.perfBufferOpen(3, -1, 1, 1, false));
        assertThrows(IllegalArgumentException.class, () -> bpf.perfBufferOpen(3, 0, 3, 1, false));
        assertThrows(IllegalArgumentException.class, () -> bpf.perfBufferOpen(3, 0, 1, 0, false));
        try (BpfMap hash = BpfMap.create(bpf, MapSpec.of(MapType.HASH, 4, 4, 1));
                BpfMap array = BpfMap.create(bpf, MapSpec.of(MapType.PERF_EVENT_ARRAY, 4, 4, 1))) {
            // A hash map would take the event's number as a value: refused before any event is opened.
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> bpf.perfBufferOpen(hash.fd(), 0, 1, 1, false));
            assertTrue(e.getMessage().contains("HASH"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> bpf.perfBufferOpen(array.fd(), 1, 1, 1, false));
            assertTrue(e.getMessage().contains("1 entries"), e.getMessage());
        }
        assertThrows(BpfException.class, () -> bpf.perfBufferOpen(999_999, 0, 1, 1, false), "EBADF");
    }
}
