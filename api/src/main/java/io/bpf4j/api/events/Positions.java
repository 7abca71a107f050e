package io.bpf4j.api.events;

import io.bpf4j.api.MappedRing;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Atomic views of ring memory: the 64-bit positions and the 32-bit record headers. The kernel
 * publishes with {@code smp_store_release} and reads with {@code smp_load_acquire}
 * ({@code kernel/bpf/ringbuf.c}, {@code kernel/events/ring_buffer.c}); these handles give the Java
 * side the same orderings on direct buffers, where aligned accesses are atomic.
 */
final class Positions {
    static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
    static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
    /** Native-order views of a {@code byte[]} holding a record copied out of a ring. */
    static final VarHandle ARRAY_SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.nativeOrder());
    static final VarHandle ARRAY_INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.nativeOrder());
    static final VarHandle ARRAY_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private Positions() {
    }

    static long acquire(ByteBuffer b) {
        return (long) LONG.getAcquire(b, 0);
    }

    static void release(ByteBuffer b, long v) {
        LONG.setRelease(b, 0, v);
    }

    /** A buffer's view with the platform's byte order (duplicates start big-endian). */
    static ByteBuffer nativeView(ByteBuffer b) {
        return b.duplicate().order(ByteOrder.nativeOrder());
    }

    /** The backend's reads of a ring, or reads through its buffers when it has none. */
    static MappedRing.Reads reads(MappedRing ring, ByteBuffer cons, ByteBuffer prod, ByteBuffer data) {
        MappedRing.Reads r = ring.reads();
        return r != null ? r : new BufferReads(cons, prod, data);
    }

    /** The size of a reader's first buffer for records copied out of a ring. */
    static final int FIRST_COPY = 256;

    /**
     * A buffer for a copied record of {@code len} bytes: {@code old} when it is large enough,
     * else a new one at least twice its size (its contents are not kept).
     */
    static byte[] atLeast(byte[] old, int len) {
        return old.length >= len ? old : new byte[Math.max(len, 2 * old.length)];
    }

    /** Checks what a backend handed over, so a malformed ring fails here and not mid-read. */
    static void check(String ring, ByteBuffer cons, ByteBuffer prod, ByteBuffer data, int size) {
        if (size < 8 || Integer.bitCount(size) != 1) throw new IllegalStateException(ring + ": size " + size + " is not a power of two");
        if (cons.capacity() < 8 || prod.capacity() < 8) throw new IllegalStateException(ring + ": positions need 8 bytes");
        if (!cons.isDirect() || !prod.isDirect() || !data.isDirect()) {
            throw new IllegalStateException(ring + ": ring memory must be direct buffers");
        }
        if (data.capacity() < size) {
            throw new IllegalStateException(ring + ": data area of " + data.capacity() + " bytes is smaller than its size " + size);
        }
    }
}
