package io.bpf4j.api.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.MapType;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The user ring buffer writer against a ring the test drains as {@code __bpf_user_ringbuf_peek}
 * does (kernel/bpf/ringbuf.c): headers with busy and discard bits, 8-byte rounding, positions.
 */
class UserRingBufferWriterTest {
    private final FakeBpf fake = new FakeBpf();

    private static CraftedRing userRing() {
        CraftedRing r = new CraftedRing(4096, true);
        r.user = true;
        return r;
    }

    @Test
    void reserveWritesABusyHeaderAndSubmitClearsIt() {
        CraftedRing ring = userRing();
        try (UserRingBufferWriter w = fake.map(5, MapType.USER_RINGBUF, ring).userRingBufferWriter()) {
            assertEquals(4088, w.maxRecordSize());
            UserRingBufferWriter.Reservation r = w.reserve(12);
            assertNotNull(r);
            assertEquals(24, (long) CraftedRing.LONG.getAcquire(ring.prod, 0), "8-byte header, 12 rounded to 16");
            assertEquals(12 | RingConsumer.BUSY, ring.data.getInt(0));
            r.putLong(0, 0x1122334455667788L).putInt(8, 7);
            r.submit();
            assertEquals(12, ring.data.getInt(0));
            assertEquals(0x1122334455667788L, ring.data.getLong(8));
            assertEquals(7, ring.data.getInt(16));
            assertThrows(IllegalStateException.class, r::submit, "submitted twice");
            UserRingBufferWriter.Reservation d = w.reserve(1);
            d.discard();
            assertEquals(1 | RingConsumer.DISCARD, ring.data.getInt(24));
            assertTrue(w.write(new byte[] {9, 8, 7}, 0, 3));
            assertEquals(3, ring.data.getInt(40));
            assertEquals(9, ring.data.get(48));
        }
    }

    @Test
    void aFullRingRefusesUntilTheConsumerMoves() {
        CraftedRing ring = userRing();
        try (UserRingBufferWriter w = fake.map(5, MapType.USER_RINGBUF, ring).userRingBufferWriter()) {
            assertNotNull(w.reserve(4088 - 8));
            assertNull(w.reserve(8), "4088 of 4096 bytes used; a 16-byte record does not fit");
            assertFalse(w.write(new byte[8], 0, 8));
            assertNull(w.reserve(8, Duration.ofMillis(20)), "nobody drains");
            ring.cons.putLong(0, 4088);
            assertNotNull(w.reserve(8), "room after the kernel consumed");
            assertThrows(IllegalArgumentException.class, () -> w.reserve(4089));
            assertThrows(IllegalArgumentException.class, () -> w.reserve(-1));
        }
    }

    @Test
    void aWrappingReservationIsWrittenThroughTheSecondMapping() {
        CraftedRing ring = userRing();
        ring.prod.putLong(0, 4096 - 8);
        ring.cons.putLong(0, 4096 - 8);
        try (UserRingBufferWriter w = fake.map(5, MapType.USER_RINGBUF, ring).userRingBufferWriter()) {
            UserRingBufferWriter.Reservation r = w.reserve(16);
            r.putLong(0, 1).putLong(8, 2).submit();
            assertEquals(16, ring.data.getInt(4096 - 8));
            assertEquals(1, ring.data.getLong(4096));
            assertEquals(2, ring.data.getLong(4096 + 8));
        }
    }

    @Test
    void closeWakesAWaitingReserveAndEndsReservations() throws Exception {
        CraftedRing ring = userRing();
        UserRingBufferWriter w = fake.map(5, MapType.USER_RINGBUF, ring).userRingBufferWriter();
        UserRingBufferWriter.Reservation held = w.reserve(4000);
        Object[] result = new Object[1];
        Thread t = new Thread(() -> result[0] = w.reserve(200, Duration.ofSeconds(30)));
        t.start();
        while (fake.waiter.waits == 0) Thread.sleep(1);
        w.close();
        t.join(5000);
        assertFalse(t.isAlive(), "the waiting reserve did not return after close");
        assertNull(result[0]);
        assertTrue(ring.closed);
        assertThrows(IllegalStateException.class, held::submit);
        assertThrows(IllegalStateException.class, () -> w.reserve(8));
    }
}
