package io.bpf4j.linux.internal.sys;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import io.bpf4j.api.MappedRing;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

/**
 * A mapped ring read through {@code MemorySegment}s of the global scope rather than through the
 * {@code ByteBuffer}s made from them, whose every access goes through the buffer's segment and
 * session. The segments need no session of their own: the ring's owner unmaps the memory, and
 * the readers unmap it only after their polling thread left. Bounds are still checked against
 * each mapped region; the producer's side is read-only.
 */
final class FfmRingReads implements MappedRing.Reads {
    // Coordinates (MemorySegment, long offset), as ValueLayout.varHandle() has them since JDK 22.
    private static final VarHandle LONG = JAVA_LONG.varHandle();
    private static final VarHandle INT = JAVA_INT.varHandle();

    private final MemorySegment consumer;
    private final MemorySegment producer;
    private final MemorySegment data;

    FfmRingReads(long consumer, long producer, long data, int dataLength) {
        this.consumer = MemorySegment.ofAddress(consumer).reinterpret(8);
        this.producer = MemorySegment.ofAddress(producer).reinterpret(8).asReadOnly();
        this.data = MemorySegment.ofAddress(data).reinterpret(dataLength).asReadOnly();
    }

    @Override
    public long consumerAcquire() {
        return (long) LONG.getAcquire(consumer, 0L);
    }

    @Override
    public void consumerRelease(long position) {
        LONG.setRelease(consumer, 0L, position);
    }

    @Override
    public long producerAcquire() {
        return (long) LONG.getAcquire(producer, 0L);
    }

    @Override
    public int intAcquire(int offset) {
        return (int) INT.getAcquire(data, (long) offset);
    }

    @Override
    public byte getByte(int offset) {
        return data.get(JAVA_BYTE, offset);
    }

    @Override
    public short getShort(int offset) {
        return data.get(JAVA_SHORT_UNALIGNED, offset);
    }

    @Override
    public int getInt(int offset) {
        return data.get(JAVA_INT_UNALIGNED, offset);
    }

    @Override
    public long getLong(int offset) {
        return data.get(JAVA_LONG_UNALIGNED, offset);
    }

    @Override
    public void get(int offset, byte[] dst, int dstOffset, int count) {
        MemorySegment.copy(data, JAVA_BYTE, offset, dst, dstOffset, count);
    }
}
