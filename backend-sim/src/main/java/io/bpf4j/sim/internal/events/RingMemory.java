package io.bpf4j.sim.internal.events;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A ring's memory as the kernel lays it out: a consumer and a producer position (unsigned 64-bit,
 * native order) and a data area of a power-of-two size, mapped once (records that run past the
 * end wrap to offset 0; the reader copies them). Direct buffers, so the reader's atomic views
 * work on them. The producing side writes through here with release semantics; the consuming
 * side is the api's reader.
 */
public final class RingMemory {
    /** 64-bit positions, native order. */
    public static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
    /** 32-bit headers, native order. */
    public static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

    final ByteBuffer consumer = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
    final ByteBuffer producer = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
    final ByteBuffer data;
    private final int size;
    private final int mask;
    /** Whether user space produces ({@code USER_RINGBUF}), which decides who may write what. */
    final boolean user;
    /** The waiters of readers of this ring. */
    public final Waiters waiters = new Waiters();

    /**
     * Allocates the memory.
     *
     * @param size the data size, a power of two
     */
    public RingMemory(int size) {
        this(size, false);
    }

    /**
     * Allocates the memory of a ring that the kernel or user space produces into.
     *
     * <p>A user ring's data area is allocated twice its size: the kernel maps it twice back to
     * back, and user space writes a record that runs past the end on into the second copy
     * ({@code user_ring_buffer__reserve} does). A Java buffer cannot alias itself, so the two
     * halves are separate memory here; the simulator reads each record where its producer wrote
     * it, from its header's offset on without wrapping, which is what a producer that writes
     * records in one piece (every libbpf-style writer) sees on Linux.
     *
     * @param size the data size, a power of two
     * @param user whether user space produces
     */
    public RingMemory(int size, boolean user) {
        this.size = size;
        this.mask = size - 1;
        this.user = user;
        this.data = ByteBuffer.allocateDirect(user ? 2 * size : size).order(ByteOrder.nativeOrder());
    }

    /**
     * The data size.
     *
     * @return bytes
     */
    public int size() {
        return size;
    }

    /**
     * The consumer position, read with acquire.
     *
     * @return the position
     */
    public long consumer() {
        return (long) LONG.getAcquire(consumer, 0);
    }

    /**
     * The producer position, read with acquire.
     *
     * @return the position
     */
    public long producer() {
        return (long) LONG.getAcquire(producer, 0);
    }

    /**
     * Publishes the producer position with release.
     *
     * @param p the position
     */
    public void publish(long p) {
        LONG.setRelease(producer, 0, p);
    }

    /**
     * Writes a 32-bit value at a position, with release (how record headers are committed).
     *
     * @param pos the position; 8-byte aligned, so it never wraps
     * @param v the value
     */
    public void putIntRelease(long pos, int v) {
        INT.setRelease(data, (int) (pos & mask), v);
    }

    /**
     * Writes a 32-bit value at a position.
     *
     * @param pos the position, 4-byte aligned
     * @param v the value
     */
    public void putInt(long pos, int v) {
        data.putInt((int) (pos & mask), v);
    }

    /**
     * Writes a 16-bit value at a position.
     *
     * @param pos the position, 2-byte aligned
     * @param v the value
     */
    public void putShort(long pos, int v) {
        data.putShort((int) (pos & mask), (short) v);
    }

    /**
     * Writes a 64-bit value at a position.
     *
     * @param pos the position, 8-byte aligned
     * @param v the value
     */
    public void putLong(long pos, long v) {
        data.putLong((int) (pos & mask), v);
    }

    /**
     * Copies bytes in at a position, wrapping at the end.
     *
     * @param pos the position
     * @param src the bytes
     * @param len how many of them
     * @param padTo zero bytes after them up to this length
     */
    public void put(long pos, byte[] src, int len, int padTo) {
        for (int i = 0; i < padTo; i++) {
            data.put((int) ((pos + i) & mask), i < len ? src[i] : 0);
        }
    }

    /**
     * Publishes the consumer position with release (a user ring's consumer is the kernel).
     *
     * @param p the position
     */
    public void consumed(long p) {
        LONG.setRelease(consumer, 0, p);
    }

    /**
     * Reads a 32-bit record header with acquire.
     *
     * @param pos the record's position, 8-byte aligned
     * @return the header's length word
     */
    public int headerAcquire(long pos) {
        return (int) INT.getAcquire(data, (int) (pos & mask));
    }

    /**
     * Copies bytes out, from the offset of {@code pos} on without wrapping (a user ring's data
     * area is twice its size).
     *
     * @param pos the position
     * @param dst where to
     */
    public void getUnwrapped(long pos, byte[] dst) {
        data.get((int) (pos & mask), dst, 0, dst.length);
    }

    /**
     * Copies bytes in, from the offset of {@code pos} on without wrapping.
     *
     * @param pos the position
     * @param src the bytes
     */
    public void putUnwrapped(long pos, byte[] src) {
        data.put((int) (pos & mask), src, 0, src.length);
    }

    /**
     * A view for a reader: positions and data, writable only on the consuming side.
     *
     * @param onClose what unmapping does
     * @param perf whether this is a perf ring, whose readiness is a wake-up rather than data
     * @return the ring
     */
    public SimRing map(Runnable onClose, boolean perf) {
        if (user) {
            // ringbuf_map_mmap_user(): the consumer page is the kernel's, the rest user space's.
            return new SimRing(this, consumer.asReadOnlyBuffer(), producer, data, onClose, false);
        }
        return new SimRing(this, consumer, producer.asReadOnlyBuffer(), data.asReadOnlyBuffer(), onClose, perf);
    }
}
