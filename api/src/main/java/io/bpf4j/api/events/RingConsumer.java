package io.bpf4j.api.events;

import io.bpf4j.api.MappedRing;
import java.nio.ByteBuffer;

/**
 * Reads one {@code BPF_MAP_TYPE_RINGBUF}'s records as libbpf's {@code ringbuf_process_ring()}
 * does against {@code kernel/bpf/ringbuf.c}: the producer position and each header are read with
 * acquire, a header with the busy bit ends the pass (the kernel is still writing that record), a
 * discarded record is skipped, and the consumer position is published with release every
 * {@value #PUBLISH_EVERY} records, when the pass ends, and when a handler throws, so the kernel
 * gets its space back as the reader goes. (The kernel wakes a reader only when a record is
 * committed at the published consumer position; a reader that waits has published everything it
 * read, and epoll on a ring buffer reports data that is there, so no wake-up is missed.)
 *
 * <p>Every length is checked against what the producer published before anything is read, so a
 * corrupt ring throws {@link CorruptRingException} instead of sending the reader outside it.
 */
final class RingConsumer {
    static final int BUSY = 1 << 31;
    static final int DISCARD = 1 << 30;
    static final int HDR = 8;
    /** Records between two publications of the consumer position within a pass. */
    static final int PUBLISH_EVERY = 16;

    private final String name;
    private final int index;
    private final RecordHandler handler;
    private final ByteBuffer consumerPos;
    private final ByteBuffer producerPos;
    private final ByteBuffer data;
    /** The ring's memory: the backend's faster reads, or the buffers above. */
    private final MappedRing.Reads mem;
    private final int size;
    private final int mask;
    private final boolean twice;
    /** A wrapped record's bytes, for a ring mapped once; grown as needed, kept between records. */
    private byte[] scratch = new byte[Positions.FIRST_COPY];

    RingConsumer(String name, int index, MappedRing ring, RecordHandler handler) {
        this.name = name;
        this.index = index;
        this.handler = handler;
        this.size = ring.size();
        this.consumerPos = ring.consumerPosition();
        this.producerPos = ring.producerPosition();
        this.data = Positions.nativeView(ring.data());
        Positions.check(name, consumerPos, producerPos, data, size);
        this.mem = Positions.reads(ring, consumerPos, producerPos, data);
        this.mask = size - 1;
        this.twice = data.capacity() >= 2L * size;
    }

    private CorruptRingException corrupt(long at, String detail) {
        return new CorruptRingException(name, index, at, detail);
    }

    int drain(EventRecord rec, Poller poller) {
        // What the loop reads is in locals: after each header's acquire read (and after a
        // handler call that is not inlined) the compiler reloads every field it touches.
        MappedRing.Reads m = mem;
        RecordHandler h = handler;
        int size = this.size;
        int mask = this.mask;
        boolean twice = this.twice;
        // Read afresh, as libbpf does: whoever consumed last (this reader, or another consumer
        // of the same map between two drains) left it there.
        long c = m.consumerAcquire();
        long published = c;
        int unpublished = PUBLISH_EVERY;
        int n = 0;
        rec.source(m, -1, index);
        try {
            for (;;) {
                long p = m.producerAcquire();
                long avail = p - c;
                if (avail < 0 || avail > size || (avail & 7) != 0) {
                    throw corrupt(c, "the producer position " + Long.toUnsignedString(p) + " is not within " + size
                            + " bytes ahead of the consumer in 8-byte steps");
                }
                if (avail == 0) return n;
                while (c != p) {
                    int off = (int) (c & mask);
                    int hdr = m.intAcquire(off);
                    if ((hdr & BUSY) != 0) return n;
                    int len = hdr & ~(BUSY | DISCARD);
                    long total = ((long) len + HDR + 7) & ~7L;
                    if (total > p - c) {
                        throw corrupt(c, "a record of " + len + " bytes runs past the " + (p - c)
                                + " bytes the producer published");
                    }
                    // Before the handler runs: a record whose handler throws counts as consumed.
                    c += total;
                    if ((hdr & DISCARD) != 0) continue;
                    if (twice) {
                        rec.start(off + HDR, len);
                    } else {
                        startOnce(rec, off + HDR, len);
                    }
                    try {
                        h.onRecord(rec);
                    } finally {
                        rec.end();
                    }
                    n++;
                    // The kernel gets space back every few records, not only when the pass ends,
                    // as libbpf gives it back after each (a release store per record costs more
                    // than the record here).
                    if (--unpublished == 0) {
                        unpublished = PUBLISH_EVERY;
                        m.consumerRelease(c);
                        published = c;
                    }
                    if (poller.closing()) return n;
                }
            }
        } finally {
            // Also when a handler threw. Unchanged, it is left alone: another consumer of the
            // same map may have moved it on since.
            if (c != published) m.consumerRelease(c);
        }
    }

    /** Points the view at a record of a once-mapped ring, copied out first if it wraps. */
    private void startOnce(EventRecord rec, int start, int len) {
        int at = start & mask;
        if (at + len > size) {
            rec.startCopy(wrapped(at, len), 0, len);
        } else {
            rec.start(at, len);
        }
    }

    /** Copies a record that runs past the end of a once-mapped ring into the reused scratch. */
    private byte[] wrapped(int at, int len) {
        scratch = Positions.atLeast(scratch, len);
        int first = size - at;
        mem.get(at, scratch, 0, first);
        mem.get(0, scratch, first, len - first);
        return scratch;
    }
}
