package io.bpf4j.api.events;

import io.bpf4j.api.MappedRing;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reads one {@code BPF_MAP_TYPE_RINGBUF}'s records as libbpf's {@code ringbuf_process_ring()}
 * does against {@code kernel/bpf/ringbuf.c}: the producer position and each header are read with
 * acquire, a header with the busy bit ends the pass (the kernel is still writing that record), a
 * discarded record is skipped, and the consumer position is published with release after every
 * record, so the kernel can reuse the space at once.
 *
 * <p>Every length is checked against what the producer published before anything is read, so a
 * corrupt ring throws {@link CorruptRingException} instead of sending the reader outside it.
 */
final class RingConsumer {
    static final int BUSY = 1 << 31;
    static final int DISCARD = 1 << 30;
    static final int HDR = 8;

    private final String name;
    private final int index;
    private final RecordHandler handler;
    private final ByteBuffer consumerPos;
    private final ByteBuffer producerPos;
    private final ByteBuffer data;
    private final int size;
    private final int mask;
    private final boolean twice;
    private long consumer;
    private ByteBuffer scratch;

    RingConsumer(String name, int index, MappedRing ring, RecordHandler handler) {
        this.name = name;
        this.index = index;
        this.handler = handler;
        this.size = ring.size();
        this.consumerPos = ring.consumerPosition();
        this.producerPos = ring.producerPosition();
        this.data = Positions.nativeView(ring.data());
        Positions.check(name, consumerPos, producerPos, data, size);
        this.mask = size - 1;
        this.twice = data.capacity() >= 2L * size;
        this.consumer = Positions.acquire(consumerPos);
    }

    private CorruptRingException corrupt(long at, String detail) {
        return new CorruptRingException(name, index, at, detail);
    }

    int drain(EventRecord rec, Poller poller) {
        int n = 0;
        long c = consumer;
        boolean more = true;
        while (more) {
            more = false;
            long p = Positions.acquire(producerPos);
            long avail = p - c;
            if (avail < 0 || avail > size || (avail & 7) != 0) {
                throw corrupt(c, "the producer position " + Long.toUnsignedString(p) + " is not within " + size
                        + " bytes ahead of the consumer in 8-byte steps");
            }
            while (c != p) {
                int off = (int) (c & mask);
                int hdr = (int) Positions.INT.getAcquire(data, off);
                if ((hdr & BUSY) != 0) return n;
                int len = hdr & ~(BUSY | DISCARD);
                long total = ((long) len + HDR + 7) & ~7L;
                if (total > p - c) {
                    throw corrupt(c, "a record of " + len + " bytes runs past the " + (p - c) + " bytes the producer published");
                }
                c += total;
                consumer = c;
                more = true;
                if ((hdr & DISCARD) != 0) {
                    Positions.release(consumerPos, c);
                    continue;
                }
                deliver(rec, off + HDR, len);
                n++;
                if (poller.closing()) return n;
            }
        }
        return n;
    }

    /** Hands a record over; it counts as consumed even when the handler throws. */
    private void deliver(EventRecord rec, int start, int len) {
        ByteBuffer b = data;
        int at = start;
        if (!twice) {
            at = start & mask;
            if (at + len > size) {
                b = wrapped(at, len);
                at = 0;
            }
        }
        rec.set(b, at, len, -1, index);
        try {
            handler.onRecord(rec);
        } finally {
            rec.end();
            Positions.release(consumerPos, consumer);
        }
    }

    /** Copies a record that runs past the end of a once-mapped ring into the reused scratch. */
    private ByteBuffer wrapped(int at, int len) {
        if (scratch == null || scratch.capacity() < len) {
            scratch = ByteBuffer.allocate(Math.max(len, scratch == null ? 256 : 2 * scratch.capacity()))
                    .order(ByteOrder.nativeOrder());
        }
        int first = size - at;
        data.get(at, scratch.array(), 0, first);
        data.get(0, scratch.array(), first, len - first);
        return scratch;
    }
}
