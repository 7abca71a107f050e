package io.bpf4j.api.events;

import io.bpf4j.api.MappedRing;
import java.nio.ByteBuffer;

/**
 * A ring's reads through its buffers, for backends that offer no faster ones (JNA's buffers,
 * made by JNI, check nothing but their bounds), and over a reader's heap scratch buffer, where
 * the positions are null.
 */
final class BufferReads implements MappedRing.Reads {
    private final ByteBuffer consumer;
    private final ByteBuffer producer;
    private final ByteBuffer data;

    BufferReads(ByteBuffer consumer, ByteBuffer producer, ByteBuffer data) {
        this.consumer = consumer;
        this.producer = producer;
        this.data = data;
    }

    @Override
    public long consumerAcquire() {
        return Positions.acquire(consumer);
    }

    @Override
    public void consumerRelease(long position) {
        Positions.release(consumer, position);
    }

    @Override
    public long producerAcquire() {
        return Positions.acquire(producer);
    }

    @Override
    public int intAcquire(int offset) {
        return (int) Positions.INT.getAcquire(data, offset);
    }

    @Override
    public byte getByte(int offset) {
        return data.get(offset);
    }

    @Override
    public short getShort(int offset) {
        return data.getShort(offset);
    }

    @Override
    public int getInt(int offset) {
        return data.getInt(offset);
    }

    @Override
    public long getLong(int offset) {
        return data.getLong(offset);
    }

    @Override
    public void get(int offset, byte[] dst, int dstOffset, int count) {
        data.get(offset, dst, dstOffset, count);
    }
}
