package io.bpf4j.api.events;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.BpfMap;
import io.bpf4j.api.MapType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The ring buffer reader against rings the test writes as the kernel would. */
class RingBufferReaderTest {
    private final FakeBpf fake = new FakeBpf();

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static String text(EventRecord r) {
        return new String(r.toByteArray(), StandardCharsets.US_ASCII);
    }

    @Test
    void deliversCommittedRecordsInOrderSkipsDiscardedAndStopsAtBusy() {
        CraftedRing ring = new CraftedRing(4096, true);
        List<String> got = new ArrayList<>();
        try (RingBufferReader reader = fake.map(5, MapType.RINGBUF, ring).ringBufferReader(r -> got.add(text(r)))) {
            ring.output(text("one"));
            long skipped = ring.reserve(5);
            ring.commit(skipped, 5, true);
            ring.output(text("three"));
            long busy = ring.reserve(4);
            ring.output(text("after-busy"));
            assertEquals(2, reader.consume());
            assertEquals(List.of("one", "three"), got);
            assertEquals(busy, ring.consumer(), "the consumer stops at the record still being written");
            ring.put(busy + 8, text("four"));
            ring.commit(busy, 4, false);
            assertEquals(2, reader.consume());
            assertEquals(List.of("one", "three", "four", "after-busy"), got);
            assertEquals(ring.producer, ring.consumer());
            assertEquals(0, reader.consume());
        }
        assertTrue(ring.closed);
    }

    @Test
    void aRecordRunningPastTheEndReadsWholeOnceOrTwiceMapped() {
        for (boolean twice : new boolean[] {true, false}) {
            CraftedRing ring = new CraftedRing(4096, twice);
            ring.publish(4096 - 16);
            ring.cons.putLong(0, 4096 - 16);
            byte[] big = new byte[300]; // larger than a reader's first copy buffer
            for (int i = 0; i < big.length; i++) big[i] = (byte) (i * 7);
            List<byte[]> got = new ArrayList<>();
            try (RingBufferReader reader = fake.map(6, MapType.RINGBUF, ring).ringBufferReader(r -> got.add(r.toByteArray()))) {
                ring.output(big);
                ring.output(text("next"));
                assertEquals(2, reader.consume());
            }
            assertArrayEquals(big, got.get(0), "twice mapped: " + twice);
            assertArrayEquals(text("next"), got.get(1));
        }
    }

    @Test
    void aHandlerExceptionPropagatesAndTheRecordIsNeitherLostNorRepeated() {
        CraftedRing ring = new CraftedRing(4096, true);
        List<String> got = new ArrayList<>();
        RuntimeException boom = new RuntimeException("boom");
        try (RingBufferReader reader = fake.map(5, MapType.RINGBUF, ring).ringBufferReader(r -> {
            String s = text(r);
            got.add(s);
            if (s.equals("b")) throw boom;
        })) {
            for (String s : List.of("a", "b", "c", "d")) ring.output(text(s));
            assertSame(boom, assertThrows(RuntimeException.class, reader::consume));
            assertEquals(List.of("a", "b"), got);
            assertEquals(32, ring.consumer(), "the consumer position is past the record that threw");
            assertEquals(2, reader.poll(Duration.ZERO));
            assertEquals(List.of("a", "b", "c", "d"), got);
        }
    }

    @Test
    void aCorruptLengthStopsBeforeTheRecordAndKeepsStopping() {
        CraftedRing ring = new CraftedRing(4096, true);
        List<String> got = new ArrayList<>();
        try (RingBufferReader reader = fake.map(5, MapType.RINGBUF, ring).ringBufferReader(r -> got.add(text(r)))) {
            ring.output(text("good"));
            long bad = ring.output(text("bad!"));
            ring.putInt(bad, 5000);
            CorruptRingException e = assertThrows(CorruptRingException.class, reader::consume);
            assertEquals(bad, e.position());
            assertEquals(0, e.source());
            assertTrue(e.getMessage().contains("5000"), e.getMessage());
            assertTrue(e.getMessage().contains("map \"m5\""), e.getMessage());
            assertEquals(List.of("good"), got);
            assertEquals(bad, ring.consumer());
            assertThrows(CorruptRingException.class, reader::consume);
        }
    }

    @Test
    void producerPositionsOutOfRangeAreCorrupt() {
        for (long p : new long[] {-8, 4096 + 8, 12}) {
            CraftedRing ring = new CraftedRing(4096, true);
            try (RingBufferReader reader = fake.map(5, MapType.RINGBUF, ring).ringBufferReader(r -> { })) {
                ring.publish(p);
                assertThrows(CorruptRingException.class, reader::consume, "producer at " + p);
            }
        }
    }

    @Test
    void theViewEndsWithTheCallbackAndChecksItsBounds() {
        CraftedRing ring = new CraftedRing(4096, true);
        AtomicReference<EventRecord> kept = new AtomicReference<>();
        try (RingBufferReader reader = fake.map(5, MapType.RINGBUF, ring).ringBufferReader(r -> {
            kept.set(r);
            assertEquals(0x0807060504030201L, r.getLong(0));
            assertEquals(0x04030201, r.getInt(0));
            assertEquals(0x0201, r.getShort(0));
            assertEquals(9, r.getByte(8));
            assertEquals(-1, r.cpu());
            assertThrows(IndexOutOfBoundsException.class, () -> r.getLong(2));
            assertThrows(IndexOutOfBoundsException.class, () -> r.getByte(-1));
            assertThrows(IndexOutOfBoundsException.class, () -> r.getBytes(0, new byte[20], 0, 10));
        })) {
            ring.output(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
            assertEquals(1, reader.consume());
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> kept.get().getInt(0));
        assertTrue(e.getMessage().contains("after its callback"), e.getMessage());
    }

    @Test
    void recordsOfSeveralMapsSayWhichMapTheyCameFrom() {
        CraftedRing a = new CraftedRing(4096, true);
        CraftedRing b = new CraftedRing(8192, true);
        List<String> got = new ArrayList<>();
        RecordHandler h = r -> got.add(r.source() + ":" + text(r));
        try (RingBufferReader reader = fake.map(5, MapType.RINGBUF, a).ringBufferReader(h)) {
            reader.add(fake.map(6, MapType.RINGBUF, b), h);
            assertEquals(2, reader.rings());
            b.output(text("x"));
            a.output(text("y"));
            assertEquals(2, reader.consume());
        }
        assertEquals(List.of("0:y", "1:x"), got);
        assertTrue(a.closed && b.closed);
    }

    @Test
    void wrongMapTypesAreRefusedByName() {
        BpfMap hash = fake.map(7, MapType.HASH, null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> hash.ringBufferReader(r -> { }));
        assertTrue(e.getMessage().contains("HASH") && e.getMessage().contains("RINGBUF"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> hash.perfBufferReader(PerfBufferOptions.DEFAULTS, r -> { },
                LostHandler.IGNORE));
        assertTrue(e.getMessage().contains("HASH") && e.getMessage().contains("PERF_EVENT_ARRAY"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, hash::userRingBufferWriter);
        assertTrue(e.getMessage().contains("HASH") && e.getMessage().contains("USER_RINGBUF"), e.getMessage());
        BpfMap user = fake.map(8, MapType.USER_RINGBUF, null);
        e = assertThrows(IllegalArgumentException.class, () -> user.ringBufferReader(r -> { }));
        assertTrue(e.getMessage().contains("USER_RINGBUF"), e.getMessage());
    }

    @Test
    void useAfterCloseIsAnIllegalStateAndCloseIsIdempotent() {
        CraftedRing ring = new CraftedRing(4096, true);
        RingBufferReader reader = fake.map(5, MapType.RINGBUF, ring).ringBufferReader(r -> { });
        reader.close();
        reader.close();
        assertTrue(reader.isClosed());
        assertEquals(1, ring.closes);
        assertTrue(fake.waiter.closed);
        assertThrows(IllegalStateException.class, reader::consume);
        assertThrows(IllegalStateException.class, () -> reader.poll(Duration.ZERO));
        assertThrows(IllegalStateException.class, () -> reader.add(fake.map(9, MapType.RINGBUF, new CraftedRing(4096, true)),
                r -> { }));
    }

    @Test
    void closeFromAnotherThreadWakesAPollAndUnmapsOnlyAfterItLeft() throws Exception {
        CraftedRing ring = new CraftedRing(4096, true);
        RingBufferReader reader = fake.map(5, MapType.RINGBUF, ring).ringBufferReader(r -> { });
        AtomicReference<Object> result = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            try {
                result.set(reader.poll(Duration.ofMillis(-1)));
            } catch (Throwable e) {
                result.set(e);
            }
            done.countDown();
        });
        t.start();
        while (fake.waiter.waits == 0) Thread.sleep(1);
        Thread.sleep(20);
        assertFalse(ring.closed, "the poll is still inside");
        long start = System.nanoTime();
        reader.close();
        assertTrue(done.await(5, TimeUnit.SECONDS), "poll did not return after close");
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2));
        assertEquals(0, result.get());
        t.join();
        assertTrue(ring.closed);
        assertTrue(fake.waiter.closed);
    }

    @Test
    void closeInsideTheHandlerTakesEffectWhenItReturns() {
        CraftedRing ring = new CraftedRing(4096, true);
        List<String> got = new ArrayList<>();
        RingBufferReader[] self = new RingBufferReader[1];
        self[0] = fake.map(5, MapType.RINGBUF, ring).ringBufferReader(r -> {
            got.add(text(r));
            self[0].close();
            assertFalse(ring.closed, "unmapped under the handler");
        });
        ring.output(text("a"));
        ring.output(text("b"));
        assertEquals(1, self[0].consume());
        assertEquals(List.of("a"), got);
        assertTrue(ring.closed);
    }

    @Test
    void aSecondThreadOrARecursivePollIsRefused() throws Exception {
        CraftedRing ring = new CraftedRing(4096, true);
        AtomicReference<Throwable> inner = new AtomicReference<>();
        RingBufferReader[] self = new RingBufferReader[1];
        CountDownLatch inHandler = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        self[0] = fake.map(5, MapType.RINGBUF, ring).ringBufferReader(r -> {
            try {
                self[0].consume();
            } catch (Throwable e) {
                inner.set(e);
            }
            inHandler.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try (RingBufferReader reader = self[0]) {
            ring.output(text("x"));
            Thread t = new Thread(reader::consume);
            t.start();
            inHandler.await();
            assertTrue(inner.get() instanceof IllegalStateException, String.valueOf(inner.get()));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> reader.poll(Duration.ZERO));
            assertTrue(e.getMessage().contains("being used already"), e.getMessage());
            release.countDown();
            t.join();
        }
    }

    @Test
    void aPollWaitsForTheWaiterAndDeliversWhatCame() throws Exception {
        CraftedRing ring = new CraftedRing(4096, true);
        List<String> got = new ArrayList<>();
        try (RingBufferReader reader = fake.map(5, MapType.RINGBUF, ring).ringBufferReader(r -> got.add(text(r)))) {
            assertEquals(0, reader.poll(Duration.ofMillis(30)), "nothing came");
            Thread producer = new Thread(() -> {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
                ring.output(text("late"));
                fake.waiter.signal();
            });
            producer.start();
            assertEquals(1, reader.poll(Duration.ofSeconds(10)));
            producer.join();
        }
        assertEquals(List.of("late"), got);
    }
}
