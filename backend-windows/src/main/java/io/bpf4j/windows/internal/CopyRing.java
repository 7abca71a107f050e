package io.bpf4j.windows.internal;

import io.bpf4j.api.MappedRing;
import io.bpf4j.windows.internal.sys.EbpfApi;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One CPU's perf ring that the backend owns: efW's callback thread copies each record into it in
 * Linux's perf layout ({@code include/uapi/linux/perf_event.h}: {@code struct perf_event_header
 * {u32 type; u16 misc; u16 size}}, then for {@code PERF_RECORD_SAMPLE} with {@code PERF_SAMPLE_RAW}
 * {@code u32 size; char data[size]}, for {@code PERF_RECORD_LOST} {@code u64 id; u64 lost}; records
 * 8-byte aligned), and the portable reader drains it on its own thread. The raw data is padded
 * with zeros as Linux pads it, so a reader sees the same lengths on both systems.
 *
 * <p>Single producer (the callback, under this ring's lock) and single consumer (the reader), as
 * on Linux: the producer publishes {@code data_head} with release after writing the record and
 * reads {@code data_tail} with acquire before reusing space; the reader does the converse. The
 * data is in the Java heap's direct memory, mapped once: a record that runs past the end wraps
 * to offset 0, which the reader handles. A record larger than a {@code u16} header can say
 * (65,535 bytes) or than free space is dropped and counted, like a record efW lost.
 */
final class CopyRing implements MappedRing {
    static final int RECORD_LOST = 2;
    static final int RECORD_SAMPLE = 9;
    private static final VarHandle POS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    final int cpu;
    private final PerfOps.Session session;
    private final EbpfApi api;
    private final int size;
    private final ByteBuffer data;
    private final ByteBuffer head = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
    private final ByteBuffer tail = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
    private final ByteBuffer dataView;
    private final ByteBuffer headView;
    private final int wakeup;
    private final boolean watermark;
    // Guarded by this.
    private long produced;
    private long pendingLost;
    private long sinceWake;
    private long event;
    private boolean closed;

    CopyRing(PerfOps.Session session, EbpfApi api, int cpu, int size, int wakeup, boolean watermark) {
        this.session = session;
        this.api = api;
        this.cpu = cpu;
        this.size = size;
        this.wakeup = wakeup;
        this.watermark = watermark;
        this.data = ByteBuffer.allocateDirect(size).order(ByteOrder.nativeOrder());
        this.dataView = data.asReadOnlyBuffer().order(ByteOrder.nativeOrder());
        this.headView = head.asReadOnlyBuffer().order(ByteOrder.nativeOrder());
    }

    /** The waiter's auto-reset event, signalled as the wake-up settings say; 0 detaches it. */
    synchronized void attach(long event) {
        this.event = closed ? 0 : event;
    }

    /** Copies a record from efW's memory; on efW's thread. */
    synchronized void sample(long address, int length) {
        if (closed) return;
        flushLost();
        // Padded as Linux pads PERF_SAMPLE_RAW (u32 size plus data to a multiple of 8), so a record
        // reads the same on both systems.
        long raw = ((Integer.toUnsignedLong(length) + 4 + 7) & ~7L) - 4;
        long total = 12 + raw;
        if (total > 0xFFF8 || total > free()) {
            pendingLost++;
            flushLost();
            return;
        }
        long at = produced;
        putHeader(at, RECORD_SAMPLE, (int) total);
        int off = (int) ((at + 8) & (size - 1));
        data.putInt(off, (int) raw);
        copyIn(at + 12, api.view(address, length), length);
        for (long p = at + 12 + length; p < at + total; p++) data.put((int) (p & (size - 1)), (byte) 0);
        publish(total);
        sinceWake += watermark ? total : 1;
        if (sinceWake >= wakeup) signal();
    }

    /** Records dropped before they reached this ring. */
    synchronized void lost(long count) {
        if (closed || count <= 0) return;
        pendingLost += count;
        flushLost();
    }

    /** Writes the pending loss as one PERF_RECORD_LOST when it fits; keeps it pending otherwise. */
    private void flushLost() {
        if (pendingLost == 0 || free() < 24) return;
        long at = produced;
        putHeader(at, RECORD_LOST, 24);
        // 24 bytes from an 8-aligned position: the two u64s each sit whole before or after the end.
        data.putLong((int) ((at + 8) & (size - 1)), 0);
        data.putLong((int) ((at + 16) & (size - 1)), pendingLost);
        pendingLost = 0;
        publish(24);
        signal();
    }

    private long free() {
        return size - (produced - (long) POS.getAcquire(tail, 0));
    }

    private void putHeader(long at, int type, int total) {
        int off = (int) (at & (size - 1));
        data.putInt(off, type);
        data.putShort(off + 4, (short) 0);
        data.putShort(off + 6, (short) total);
    }

    private void copyIn(long at, ByteBuffer src, int length) {
        int off = (int) (at & (size - 1));
        int first = Math.min(length, size - off);
        data.put(off, src, 0, first);
        if (first < length) data.put(0, src, first, length - first);
    }

    private void publish(long total) {
        produced += total;
        POS.setRelease(head, 0, produced);
    }

    private void signal() {
        sinceWake = 0;
        if (event != 0) api.setEvent(event);
    }

    @Override
    public ByteBuffer consumerPosition() {
        return tail;
    }

    @Override
    public ByteBuffer producerPosition() {
        return headView;
    }

    @Override
    public ByteBuffer data() {
        return dataView;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) return;
            closed = true;
            event = 0;
        }
        // Outside the lock: freeing the perf buffer waits for callbacks, which take this lock.
        session.release(this);
    }
}
