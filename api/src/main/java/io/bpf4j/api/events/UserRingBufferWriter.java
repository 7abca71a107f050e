package io.bpf4j.api.events;

import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfMap;
import io.bpf4j.api.MapType;
import io.bpf4j.api.MappedRing;
import io.bpf4j.api.RingWaiter;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;

/**
 * Writes records into a {@code BPF_MAP_TYPE_USER_RINGBUF} map, which programs drain with
 * {@code bpf_user_ringbuf_drain}, as libbpf's {@code user_ring_buffer__reserve} and
 * {@code __submit} do against {@code kernel/bpf/ringbuf.c}: a reservation writes its header with
 * the busy bit and publishes the producer position with release; submitting (or discarding)
 * clears the busy bit with an atomic exchange, after which the kernel may read the record.
 *
 * {@snippet :
 * try (UserRingBufferWriter w = commands.userRingBufferWriter()) {
 *     UserRingBufferWriter.Reservation r = w.reserve(16);      // null when the ring is full
 *     if (r != null) {
 *         r.putLong(0, 42).putLong(8, 7).submit();
 *     }
 * }
 * }
 *
 * <p>A writer is used by one thread at a time (a second one gets {@link IllegalStateException}),
 * as libbpf's is; {@link #close()} may come from any thread and wakes a waiting
 * {@link #reserve(int, Duration)}. Reservations must be submitted or discarded in any order
 * before the kernel can drain past them. Available where the backend maps user ring buffers
 * (Linux and the simulator).
 */
public final class UserRingBufferWriter implements AutoCloseable {
    /** {@code DYNPTR_MAX_SIZE}: the kernel refuses to drain a larger sample ({@code bpf_dynptr_check_size}). */
    static final int DYNPTR_MAX = (1 << 24) - 1;

    private final Resources resources = new Resources();
    private final Poller poller;
    private final ByteBuffer consumerPos;
    private final ByteBuffer producerPos;
    private final ByteBuffer data;
    private final int size;
    private final int mask;
    private final int maxRecord;
    private long producer;

    private UserRingBufferWriter(BpfMap map) {
        Bpf bpf = map.bpf();
        RingWaiter waiter = bpf.ringWaiter();
        this.poller = new Poller(this, "user ring buffer writer", waiter, resources);
        try {
            MappedRing ring = bpf.ringBufferMap(map.fd());
            resources.ring(ring);
            size = ring.size();
            consumerPos = ring.consumerPosition();
            producerPos = ring.producerPosition();
            data = Positions.nativeView(ring.data());
            Positions.check("user ring buffer (" + RingBufferReader.describe(map) + ")", consumerPos, producerPos, data, size);
            if (data.capacity() < 2L * size) {
                throw new IllegalStateException("the backend maps the user ring buffer's data once; the writer needs it twice");
            }
            waiter.add(ring);
        } catch (RuntimeException e) {
            poller.close();
            throw e;
        }
        mask = size - 1;
        maxRecord = Math.min(size - RingConsumer.HDR, DYNPTR_MAX);
        producer = Positions.acquire(producerPos);
    }

    /**
     * Opens a writer.
     *
     * @param map a {@code USER_RINGBUF} map; the writer does not need the handle afterwards
     * @return the writer
     * @throws IllegalArgumentException when the map is no {@code USER_RINGBUF}
     * @throws io.bpf4j.api.BpfUnsupportedException when the backend cannot map it
     */
    public static UserRingBufferWriter open(BpfMap map) {
        Objects.requireNonNull(map, "map");
        if (map.type() != MapType.USER_RINGBUF) {
            throw new IllegalArgumentException("map: " + RingBufferReader.describe(map) + " is a " + map.type()
                    + " map, not USER_RINGBUF");
        }
        return new UserRingBufferWriter(map);
    }

    /**
     * The largest record the ring takes: its size less the 8-byte header, at most 2^24 - 1 bytes.
     *
     * @return bytes
     */
    public int maxRecordSize() {
        return maxRecord;
    }

    /**
     * Reserves room for a record, without waiting.
     *
     * @param length the record's length in bytes
     * @return the reservation, or null when the ring has no room now
     * @throws IllegalArgumentException when {@code length} is negative or above {@link #maxRecordSize()}
     * @throws IllegalStateException when closed, or used by another thread
     */
    public Reservation reserve(int length) {
        checkLength(length);
        poller.enter();
        try {
            return tryReserve(length);
        } finally {
            poller.exit();
        }
    }

    /**
     * Reserves room for a record, waiting up to {@code timeout} for the kernel to drain enough.
     *
     * @param length the record's length in bytes
     * @param timeout how long to wait at most; negative waits without limit
     * @return the reservation, or null when the timeout passed or the writer was closed meanwhile
     * @throws IllegalArgumentException when {@code length} is negative or above {@link #maxRecordSize()}
     * @throws IllegalStateException when closed, or used by another thread
     */
    public Reservation reserve(int length, Duration timeout) {
        checkLength(length);
        long nanos = Poller.nanos(Objects.requireNonNull(timeout, "timeout"));
        Reservation[] got = new Reservation[1];
        poller.poll(nanos, () -> {
            got[0] = tryReserve(length);
            return got[0] == null ? 0 : 1;
        });
        return got[0];
    }

    /**
     * Writes a whole record: reserve, copy, submit.
     *
     * @param src the bytes
     * @param offset where they start in {@code src}
     * @param length how many
     * @return false when the ring has no room now
     * @throws IllegalArgumentException when {@code length} is above {@link #maxRecordSize()}
     * @throws IllegalStateException when closed, or used by another thread
     */
    public boolean write(byte[] src, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, src.length);
        checkLength(length);
        poller.enter();
        try {
            long at = reserveAt(length);
            if (at < 0) return false;
            data.put((int) ((at & mask) + RingConsumer.HDR), src, offset, length);
            commit(at, length, false);
            return true;
        } finally {
            poller.exit();
        }
    }

    private void checkLength(int length) {
        if (length < 0 || length > maxRecord) {
            throw new IllegalArgumentException("length: " + length + " is not from 0 to the ring's largest record, " + maxRecord);
        }
    }

    private Reservation tryReserve(int length) {
        long at = reserveAt(length);
        return at < 0 ? null : new Reservation(at, length);
    }

    /** Reserves as {@code user_ring_buffer__reserve}; the position of the header, or -1. */
    private long reserveAt(int length) {
        long total = ((long) length + RingConsumer.HDR + 7) & ~7L;
        long cons = Positions.acquire(consumerPos);
        long used = producer - cons;
        if (used < 0 || used > size) {
            throw new CorruptRingException("user ring buffer", 0, cons, "the consumer position is not within " + size
                    + " bytes behind the producer");
        }
        if (size - used < total) return -1;
        long at = producer;
        int off = (int) (at & mask);
        Positions.INT.setOpaque(data, off, length | RingConsumer.BUSY);
        Positions.INT.setOpaque(data, off + 4, 0);
        producer = at + total;
        Positions.release(producerPos, producer);
        return at;
    }

    private void commit(long at, int length, boolean discard) {
        int len = discard ? length | RingConsumer.DISCARD : length;
        Positions.INT.getAndSet(data, (int) (at & mask), len);
    }

    /**
     * Closes the writer; a waiting {@link #reserve(int, Duration)} returns null at once. Records
     * reserved and not yet submitted stay busy, and the kernel drains no further than them.
     */
    @Override
    public void close() {
        poller.close();
    }

    /**
     * Room reserved in the ring for one record, written in place and then submitted or
     * discarded. Values are written in the platform's byte order.
     */
    public final class Reservation {
        private final long at;
        private final int length;
        private boolean done;

        private Reservation(long at, int length) {
            this.at = at;
            this.length = length;
        }

        /**
         * The record's length.
         *
         * @return bytes
         */
        public int length() {
            return length;
        }

        private int index(int index, int n) {
            if (done) throw new IllegalStateException("reservation: already submitted or discarded");
            Objects.checkFromIndexSize(index, n, length);
            return (int) (at & mask) + RingConsumer.HDR + index;
        }

        /**
         * Writes a byte.
         *
         * @param index from the record's start
         * @param v the value
         * @return this reservation
         */
        public Reservation putByte(int index, byte v) {
            poller.enter();
            try {
                data.put(index(index, 1), v);
            } finally {
                poller.exit();
            }
            return this;
        }

        /**
         * Writes a 32-bit value.
         *
         * @param index from the record's start
         * @param v the value
         * @return this reservation
         */
        public Reservation putInt(int index, int v) {
            poller.enter();
            try {
                data.putInt(index(index, 4), v);
            } finally {
                poller.exit();
            }
            return this;
        }

        /**
         * Writes a 64-bit value.
         *
         * @param index from the record's start
         * @param v the value
         * @return this reservation
         */
        public Reservation putLong(int index, long v) {
            poller.enter();
            try {
                data.putLong(index(index, 8), v);
            } finally {
                poller.exit();
            }
            return this;
        }

        /**
         * Copies bytes in.
         *
         * @param index from the record's start
         * @param src the bytes
         * @param offset where they start in {@code src}
         * @param count how many
         * @return this reservation
         */
        public Reservation putBytes(int index, byte[] src, int offset, int count) {
            Objects.checkFromIndexSize(offset, count, src.length);
            poller.enter();
            try {
                data.put(index(index, count), src, offset, count);
            } finally {
                poller.exit();
            }
            return this;
        }

        /** Hands the record to the kernel. */
        public void submit() {
            end(false);
        }

        /** Gives the room back unread: the kernel skips the record. */
        public void discard() {
            end(true);
        }

        private void end(boolean discard) {
            poller.enter();
            try {
                index(0, 0);
                done = true;
                commit(at, length, discard);
            } finally {
                poller.exit();
            }
        }
    }
}
