package io.bpf4j.api.events;

import io.bpf4j.api.MappedRing;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A ring in memory the test controls, laid out as the kernel lays out a ring buffer or a perf
 * ring; the test plays the kernel's part (writes records, moves the producer position).
 */
final class CraftedRing implements MappedRing {
    static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
    static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

    final ByteBuffer cons = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
    final ByteBuffer prod = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
    final ByteBuffer data;
    final int size;
    final boolean twice;
    long producer;
    volatile boolean closed;
    int closes;
    /** A user ring buffer: the process produces, so producer and data are writable and the consumer is not. */
    boolean user;

    CraftedRing(int size, boolean twice) {
        this.size = size;
        this.twice = twice;
        this.data = ByteBuffer.allocateDirect(twice ? 2 * size : size).order(ByteOrder.nativeOrder());
    }

    long consumer() {
        return (long) LONG.getAcquire(cons, 0);
    }

    void publish(long p) {
        producer = p;
        LONG.setRelease(prod, 0, p);
    }

    /** Writes bytes at a ring offset, wrapping (and mirroring into the second mapping). */
    void put(long pos, byte[] b) {
        for (int i = 0; i < b.length; i++) putByte(pos + i, b[i]);
    }

    void putByte(long pos, byte v) {
        int off = (int) (pos & (size - 1));
        data.put(off, v);
        if (twice) data.put(off + size, v);
    }

    void putInt(long pos, int v) {
        byte[] b = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(v).array();
        put(pos, b);
    }

    void putLong(long pos, long v) {
        byte[] b = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(v).array();
        put(pos, b);
    }

    // ---- ring buffer records (kernel/bpf/ringbuf.c)

    /** Reserves a record as the kernel does: header with the busy bit; returns its position. */
    long reserve(int len) {
        long at = producer;
        putInt(at, len | RingConsumer.BUSY);
        putInt(at + 4, 0);
        publish(at + ((len + 8 + 7) & ~7L));
        return at;
    }

    void commit(long at, int len, boolean discard) {
        putInt(at, discard ? len | RingConsumer.DISCARD : len);
    }

    /** A committed record holding {@code payload}. */
    long output(byte[] payload) {
        long at = reserve(payload.length);
        put(at + 8, payload);
        commit(at, payload.length, false);
        return at;
    }

    /** A committed 8-byte record holding a long, written without allocating. */
    void outputLong(long v) {
        long at = producer;
        int off = (int) (at & (size - 1));
        data.putLong(off + 8, v);
        if (twice) data.putLong(off + 8 + size, v);
        INT.setRelease(data, off, 8);
        if (twice) INT.setRelease(data, off + size, 8);
        publish(at + 16);
    }

    // ---- perf records (include/uapi/linux/perf_event.h)

    /** A PERF_RECORD_SAMPLE with PERF_SAMPLE_RAW, padded as the kernel pads it. */
    long sample(byte[] raw) {
        int rawSize = ((raw.length + 4 + 7) & ~7) - 4;
        int sz = 8 + 4 + rawSize;
        long at = producer;
        putInt(at, PerfConsumer.RECORD_SAMPLE);
        putInt(at + 4, sz << 16);
        putInt(at + 8, rawSize);
        put(at + 12, raw);
        for (int i = raw.length; i < rawSize; i++) putByte(at + 12 + i, (byte) 0);
        publish(at + sz);
        return at;
    }

    long lost(long count) {
        long at = producer;
        putInt(at, PerfConsumer.RECORD_LOST);
        putInt(at + 4, 24 << 16);
        putLong(at + 8, 77);
        putLong(at + 16, count);
        publish(at + 24);
        return at;
    }

    long otherRecord(int type, int sz) {
        long at = producer;
        putInt(at, type);
        putInt(at + 4, sz << 16);
        publish(at + sz);
        return at;
    }

    @Override
    public ByteBuffer consumerPosition() {
        return user ? cons.asReadOnlyBuffer() : cons;
    }

    @Override
    public ByteBuffer producerPosition() {
        return user ? prod : prod.asReadOnlyBuffer();
    }

    @Override
    public ByteBuffer data() {
        return user ? data : data.asReadOnlyBuffer();
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public synchronized void close() {
        closes++;
        closed = true;
    }
}
