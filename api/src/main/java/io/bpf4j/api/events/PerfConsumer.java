package io.bpf4j.api.events;

import io.bpf4j.api.MappedRing;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reads one CPU's perf ring as libbpf's {@code perf_event_read_simple()} does against
 * {@code kernel/events/ring_buffer.c}: {@code data_head} read with acquire, records walked up to
 * it, {@code data_tail} published with release when the pass ends (also when a handler throws).
 *
 * <p>Records are {@code struct perf_event_header} ({@code u32 type; u16 misc; u16 size}) and
 * 8-byte aligned ({@code include/uapi/linux/perf_event.h}, Linux 6.18). {@code PERF_RECORD_SAMPLE}
 * with {@code PERF_SAMPLE_RAW} carries {@code u32 size; char data[size]}; {@code PERF_RECORD_LOST}
 * carries {@code u64 id; u64 lost}; other types are skipped. The perf ring is mapped once, so a
 * record that runs past its end is copied into a reused scratch buffer.
 */
final class PerfConsumer {
    static final int RECORD_LOST = 2;
    static final int RECORD_SAMPLE = 9;
    static final int HDR = 8;
    private static final boolean NATIVE_LE = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    private final String name;
    private final int cpu;
    private final ByteBuffer tailPos;
    private final ByteBuffer headPos;
    private final ByteBuffer data;
    /** The ring's memory: the backend's faster reads, or the buffers above. */
    private final MappedRing.Reads mem;
    private final int size;
    private final int mask;
    private final boolean twice;
    private long lost;
    /**
     * Where the pass got to, published when it ends. A field stored per record: keeping it in a
     * local for the {@code finally} block (as the ring buffer reader does) made this loop about
     * 20% slower in {@code bench/run EventOps} on JDK 25.
     */
    private long tail;
    /** A wrapped record's bytes (the data area is mapped once); grown as needed, kept between records. */
    private byte[] scratch = new byte[Positions.FIRST_COPY];

    PerfConsumer(String name, int cpu, MappedRing ring) {
        this.name = name;
        this.cpu = cpu;
        this.size = ring.size();
        this.tailPos = ring.consumerPosition();
        this.headPos = ring.producerPosition();
        this.data = Positions.nativeView(ring.data());
        Positions.check(name, tailPos, headPos, data, size);
        this.mem = Positions.reads(ring, tailPos, headPos, data);
        this.mask = size - 1;
        this.twice = data.capacity() >= 2L * size;
    }

    int cpu() {
        return cpu;
    }

    long lost() {
        return lost;
    }

    private CorruptRingException corrupt(long at, String detail) {
        return new CorruptRingException(name, cpu, at, detail);
    }

    int drain(EventRecord rec, RecordHandler handler, LostHandler lostHandler, Poller poller) {
        MappedRing.Reads m = mem;
        long head = m.producerAcquire();
        long t = m.consumerAcquire();
        tail = t;
        long avail = head - t;
        if (avail < 0 || avail > size || (avail & 7) != 0 || (t & 7) != 0) {
            throw corrupt(t, "data_head " + Long.toUnsignedString(head) + " is not within " + size
                    + " bytes ahead of data_tail in 8-byte steps");
        }
        int n = 0;
        rec.source(m, cpu, cpu);
        try {
            while (t != head) {
                int off = (int) (t & mask);
                // The whole 8-byte header in one read: u32 type, u16 misc, u16 size.
                long header = m.getLong(off);
                int type = NATIVE_LE ? (int) header : (int) (header >>> 32);
                int sz = (int) (NATIVE_LE ? header >>> 48 : header) & 0xffff;
                if (sz < HDR || (sz & 7) != 0 || sz > head - t) {
                    throw corrupt(t, "a record of " + sz + " bytes (type " + type + ") is not 8-byte sized within the "
                            + (head - t) + " bytes the kernel published");
                }
                // A record that runs past the ring's end is copied out word by word, here in the
                // loop: with a call on this path (taken once per lap of the ring) C2 compiled a
                // real call into the loop, and every record read about half again as slowly
                // (bench/README.md, 2026-12-04 afternoon).
                boolean copied = !twice && off + sz > size;
                if (copied) {
                    byte[] c = scratch;
                    if (c.length < sz) scratch = c = Positions.atLeast(c, sz);
                    for (int i = 0; i < sz; i += 8) Positions.ARRAY_LONG.set(c, i, m.getLong((off + i) & mask));
                }
                if (type == RECORD_SAMPLE) {
                    int raw = sz < 12 ? -1 : copied ? (int) Positions.ARRAY_INT.get(scratch, 8) : m.getInt(off + 8);
                    if (raw < 0 || 12L + raw > sz) {
                        throw corrupt(t, "a sample of " + sz + " bytes claims " + Integer.toUnsignedString(raw) + " raw bytes");
                    }
                    t += sz;
                    tail = t;
                    if (copied) rec.startCopy(scratch, 12, raw);
                    else rec.start(off + 12, raw);
                    try {
                        handler.onRecord(rec);
                    } finally {
                        rec.end();
                    }
                    n++;
                } else if (type == RECORD_LOST) {
                    if (sz < 24) throw corrupt(t, "a lost record of " + sz + " bytes");
                    long count = copied ? (long) Positions.ARRAY_LONG.get(scratch, 16) : m.getLong(off + 16);
                    t += sz;
                    tail = t;
                    lost += count;
                    lostHandler.onLost(cpu, count);
                } else {
                    t += sz;
                    tail = t;
                }
                if (poller.closing()) break;
            }
        } finally {
            // Also when a handler threw: its record counts as consumed (tail moved past it first).
            m.consumerRelease(tail);
        }
        return n;
    }
}
