package io.bpf4j.api.events;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.BpfMap;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The perf buffer reader against per-CPU rings the test writes as the kernel would. */
class PerfBufferReaderTest {
    private final FakeBpf fake = new FakeBpf();

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** The sample without the kernel's padding: the test's strings never end in NUL. */
    private static String text(EventRecord r) {
        String s = new String(r.toByteArray(), StandardCharsets.US_ASCII);
        return s.replace("\0", "");
    }

    @Test
    void samplesLossesAndOtherRecordsPerCpu() {
        CraftedRing cpu0 = new CraftedRing(4096, false);
        CraftedRing cpu1 = new CraftedRing(4096, false);
        BpfMap array = fake.perfArray(4, cpu0, cpu1);
        List<String> got = new ArrayList<>();
        List<String> lost = new ArrayList<>();
        try (PerfBufferReader reader = array.perfBufferReader(PerfBufferOptions.DEFAULTS,
                r -> got.add(r.cpu() + "/" + r.source() + ":" + text(r) + ":" + r.length()),
                (cpu, n) -> lost.add(cpu + ":" + n))) {
            assertArrayEquals(new int[] {0, 1}, reader.cpus());
            cpu0.sample(text("abcd"));
            cpu0.lost(3);
            cpu0.otherRecord(14, 16); // PERF_RECORD_THROTTLE-like: skipped
            cpu0.sample(text("0123456789"));
            cpu1.sample(text("z"));
            cpu1.lost(2);
            assertEquals(3, reader.consume());
            assertEquals(List.of("0/0:abcd:4", "0/0:0123456789:12", "1/1:z:4"), got, "raw sizes padded to 8 with the u32");
            assertEquals(List.of("0:3", "1:2"), lost);
            assertEquals(5, reader.lostSamples());
            assertEquals(cpu0.producer, cpu0.consumer(), "data_tail published");
            assertEquals(cpu1.producer, cpu1.consumer());
        }
        assertTrue(cpu0.closed && cpu1.closed);
        assertTrue(fake.waiter.closed);
    }

    @Test
    void offlineCpusAreSkipped() {
        CraftedRing cpu1 = new CraftedRing(4096, false);
        try (PerfBufferReader reader = fake.perfArray(4, null, cpu1).perfBufferReader(PerfBufferOptions.DEFAULTS, r -> { },
                LostHandler.IGNORE)) {
            assertArrayEquals(new int[] {1}, reader.cpus());
        }
    }

    @Test
    void aSampleThatWrapsTheRingIsCopiedWhole() {
        CraftedRing cpu0 = new CraftedRing(4096, false);
        cpu0.publish(4096 - 24);
        cpu0.cons.putLong(0, 4096 - 24);
        byte[] payload = new byte[60];
        for (int i = 0; i < payload.length; i++) payload[i] = (byte) (i + 1);
        List<byte[]> got = new ArrayList<>();
        try (PerfBufferReader reader = fake.perfArray(4, cpu0).perfBufferReader(PerfBufferOptions.DEFAULTS,
                r -> got.add(r.toByteArray()), LostHandler.IGNORE)) {
            cpu0.sample(payload);
            cpu0.sample(text("after"));
            assertEquals(2, reader.consume());
        }
        byte[] first = new byte[60];
        System.arraycopy(got.get(0), 0, first, 0, 60);
        assertArrayEquals(payload, first);
        assertEquals(60, got.get(0).length, "60 + 4 is already a multiple of 8");
    }

    @Test
    void aHandlerExceptionLeavesTheTailJustPastItsRecord() {
        CraftedRing cpu0 = new CraftedRing(4096, false);
        List<String> got = new ArrayList<>();
        IllegalStateException boom = new IllegalStateException("boom");
        try (PerfBufferReader reader = fake.perfArray(4, cpu0).perfBufferReader(PerfBufferOptions.DEFAULTS, r -> {
            got.add(text(r));
            if (got.size() == 2) throw boom;
        }, LostHandler.IGNORE)) {
            cpu0.sample(text("a"));
            long second = cpu0.sample(text("b"));
            long third = cpu0.sample(text("c"));
            assertSame(boom, assertThrows(IllegalStateException.class, reader::consume));
            assertEquals(third, cpu0.consumer());
            assertTrue(third > second);
            assertEquals(1, reader.consume());
            assertEquals(List.of("a", "b", "c"), got);
        }
    }

    @Test
    void malformedRecordsAreCorruptAndNothingPastThemIsRead() {
        int[][] cases = {{9, 0}, {9, 12}, {2, 16}, {9, 8192}};
        for (int[] c : cases) {
            CraftedRing cpu0 = new CraftedRing(4096, false);
            List<String> got = new ArrayList<>();
            try (PerfBufferReader reader = fake.perfArray(4, cpu0).perfBufferReader(PerfBufferOptions.DEFAULTS,
                    r -> got.add(text(r)), LostHandler.IGNORE)) {
                cpu0.sample(text("ok"));
                long bad = cpu0.producer;
                cpu0.putInt(bad, c[0]);
                cpu0.putInt(bad + 4, c[1] << 16);
                cpu0.publish(bad + 16);
                CorruptRingException e = assertThrows(CorruptRingException.class, reader::consume,
                        "type " + c[0] + " size " + c[1]);
                assertEquals(bad, e.position());
                assertEquals(List.of("ok"), got);
                assertEquals(bad, cpu0.consumer(), "the good record is consumed, the bad one is not");
            }
        }
        CraftedRing cpu0 = new CraftedRing(4096, false);
        try (PerfBufferReader reader = fake.perfArray(4, cpu0).perfBufferReader(PerfBufferOptions.DEFAULTS, r -> { },
                LostHandler.IGNORE)) {
            long at = cpu0.sample(text("x"));
            cpu0.putInt(at + 8, 1000);
            assertThrows(CorruptRingException.class, reader::consume, "a raw size past the record");
            cpu0.publish(cpu0.producer + 8192);
            assertThrows(CorruptRingException.class, reader::consume, "data_head beyond the ring");
        }
    }

    @Test
    void optionsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new PerfBufferOptions(3, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new PerfBufferOptions(8, 1, 64));
        assertThrows(IllegalArgumentException.class, () -> new PerfBufferOptions(8, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> PerfBufferOptions.DEFAULTS.withWakeupEvents(0));
        assertEquals(new PerfBufferOptions(16, 0, 4096), PerfBufferOptions.DEFAULTS.withWatermark(4096));
        assertEquals(new PerfBufferOptions(64, 8, 0), PerfBufferOptions.DEFAULTS.withPagesPerCpu(64).withWakeupEvents(8));
    }
}
