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
    void wrappedRecordsOfEveryKindAndSizeAreReadFromTheirCopy() {
        // A sample larger than the reader's first scratch (256 bytes), a lost record and a
        // sample each running past the end, with ordinary records between them.
        CraftedRing cpu0 = new CraftedRing(4096, false);
        cpu0.publish(4096 - 200);
        cpu0.cons.putLong(0, 4096 - 200);
        byte[] big = new byte[1000];
        for (int i = 0; i < big.length; i++) big[i] = (byte) (i * 13 + 1);
        List<String> got = new ArrayList<>();
        List<String> lost = new ArrayList<>();
        long[] words = new long[4];
        EventRecord[] kept = new EventRecord[1];
        try (PerfBufferReader reader = fake.perfArray(4, cpu0).perfBufferReader(PerfBufferOptions.DEFAULTS, r -> {
            byte[] all = r.toByteArray();
            got.add(all.length + ":" + all[0] + ":" + all[all.length - 1]);
            if (all.length >= 1000) {
                // Every accessor reads the copy, at both ends and across the ring's end.
                words[0] = r.getLong(0);
                words[1] = r.getInt(996);
                words[2] = r.getShort(180);
                words[3] = r.getByte(999);
                byte[] part = new byte[16];
                r.getBytes(180, part, 0, 16);
                for (int i = 0; i < 16; i++) assertEquals(big[180 + i], part[i]);
            }
            kept[0] = r;
        }, (cpu, n) -> lost.add(cpu + ":" + n))) {
            cpu0.sample(big);                       // 1016 bytes from 3896: runs past the end
            cpu0.sample(text("mid"));
            assertEquals(2, reader.consume(), "the big sample and mid");
            assertEquals(List.of("1004:" + big[0] + ":0", "4:109:0"), got, "1000 bytes and the kernel's padding");
            java.nio.ByteBuffer expect = java.nio.ByteBuffer.wrap(big).order(java.nio.ByteOrder.nativeOrder());
            assertEquals(expect.getLong(0), words[0]);
            assertEquals(expect.getInt(996), words[1]);
            assertEquals(expect.getShort(180), words[2]);
            assertEquals(big[999], words[3]);
            skipTo(cpu0, 4096 - 8);
            cpu0.lost(7);                           // 24 bytes from 4088: wraps after 8
            assertEquals(0, reader.consume());
            assertEquals(List.of("0:7"), lost, "the lost count comes from the copy");
            skipTo(cpu0, 4096 - 16);
            cpu0.sample(text("0123456789abcdef"));  // 32 bytes from 4080: wraps after 16
            cpu0.sample(text("end"));
            assertEquals(2, reader.consume());
            assertEquals("20:48:0", got.get(2), "16 bytes of text and the kernel's padding, from the copy");
            assertEquals("4:101:0", got.get(3), "the next record reads the ring again");
            assertEquals(cpu0.producer, cpu0.consumer());
            assertThrows(IllegalStateException.class, () -> kept[0].getLong(0), "a copied view ends with its callback too");
        }
    }

    /** Moves both positions to {@code offset} within the ring, as if records up to there were read. */
    private static void skipTo(CraftedRing ring, int offset) {
        long p = ring.producer + ((offset - (ring.producer & 4095)) & 4095);
        ring.publish(p);
        ring.cons.putLong(0, p);
    }

    @Test
    void aWrappedSampleWithABadRawSizeIsCorruptAndNotConsumed() {
        CraftedRing cpu0 = new CraftedRing(4096, false);
        cpu0.publish(4096 - 16);
        cpu0.cons.putLong(0, 4096 - 16);
        List<String> got = new ArrayList<>();
        try (PerfBufferReader reader = fake.perfArray(4, cpu0).perfBufferReader(PerfBufferOptions.DEFAULTS,
                r -> got.add(text(r)), LostHandler.IGNORE)) {
            long at = cpu0.sample(text("0123456789abcdef"));
            cpu0.putInt(at + 8, 999);
            CorruptRingException e = assertThrows(CorruptRingException.class, reader::consume);
            assertEquals(at, e.position());
            assertEquals(at, cpu0.consumer(), "the corrupt record is not consumed");
            assertEquals(List.of(), got);
        }
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
