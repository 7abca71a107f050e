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
 * A mapped ring read at absolute addresses through one constant segment over the whole address
 * space, with this class checking each offset against the mapped region itself. A segment per
 * region costs every access a load of the segment's bounds and of its session's state and owner,
 * and the acquire read of each record header makes the compiler load them again for the next
 * access: profiled on JDK 25, those checks were most of the ring buffer reader's loop. Against a
 * {@code static final} segment of the global scope they fold away; what is left is the constant
 * segment's compare against its (unreachable) end, the alignment check of the atomic reads, and
 * this class's comparison with the region's length, kept so that no offset leaves the mapping
 * whatever the reader computed (leaving it out measured no faster). The memory needs no session: the ring's owner unmaps it, and the readers unmap
 * only after their polling thread left.
 */
final class FfmRingReads implements MappedRing.Reads {
    private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
    // Coordinates (MemorySegment, long offset), as ValueLayout.varHandle() has them since JDK 22.
    private static final VarHandle LONG = JAVA_LONG.varHandle();
    private static final VarHandle INT = JAVA_INT.varHandle();

    private final long consumer;
    private final long producer;
    private final long data;
    private final int dataLength;

    FfmRingReads(long consumer, long producer, long data, int dataLength) {
        if (consumer == 0 || producer == 0 || data == 0 || dataLength <= 0) {
            throw new IllegalArgumentException("ring: unmapped region");
        }
        this.consumer = consumer;
        this.producer = producer;
        this.data = data;
        this.dataLength = dataLength;
    }

    /** The address of {@code size} bytes at {@code offset} of the data area, checked to lie in it. */
    private long at(int offset, int size) {
        if (offset < 0 || offset > dataLength - size) {
            throw new IndexOutOfBoundsException(size + " bytes at " + offset + " are outside the ring's " + dataLength + " bytes");
        }
        return data + offset;
    }

    @Override
    public long consumerAcquire() {
        return (long) LONG.getAcquire(ALL, consumer);
    }

    @Override
    public void consumerRelease(long position) {
        LONG.setRelease(ALL, consumer, position);
    }

    @Override
    public long producerAcquire() {
        return (long) LONG.getAcquire(ALL, producer);
    }

    @Override
    public int intAcquire(int offset) {
        return (int) INT.getAcquire(ALL, at(offset, 4));
    }

    @Override
    public byte getByte(int offset) {
        return ALL.get(JAVA_BYTE, at(offset, 1));
    }

    @Override
    public short getShort(int offset) {
        return ALL.get(JAVA_SHORT_UNALIGNED, at(offset, 2));
    }

    @Override
    public int getInt(int offset) {
        return ALL.get(JAVA_INT_UNALIGNED, at(offset, 4));
    }

    @Override
    public long getLong(int offset) {
        return ALL.get(JAVA_LONG_UNALIGNED, at(offset, 8));
    }

    @Override
    public void get(int offset, byte[] dst, int dstOffset, int count) {
        if (count < 0) throw new IndexOutOfBoundsException("count " + count);
        MemorySegment.copy(ALL, JAVA_BYTE, at(offset, count), dst, dstOffset, count);
    }
}
