package io.bpf4j.api;

import java.nio.ByteBuffer;

/**
 * A ring that a backend maps into the process for the event readers and writers of
 * {@code io.bpf4j.api.events}: the memory of a {@code RINGBUF} or {@code USER_RINGBUF} map
 * ({@link Bpf#ringBufferMap(int)}), or one CPU's output ring of a {@code PERF_EVENT_ARRAY}
 * ({@link Bpf#perfBufferOpen(int, int, int, int, boolean)}). It is a backend primitive: agents
 * use the readers, which own their rings and never touch them after closing them.
 *
 * <p><b>Layout</b>, as Linux lays it out ({@code kernel/bpf/ringbuf.c},
 * {@code include/uapi/linux/perf_event.h}) and eBPF for Windows copies for its ring buffer:
 * <ul>
 *   <li>{@link #consumerPosition()} and {@link #producerPosition()} each hold an unsigned 64-bit
 *       byte position in native byte order at index 0. Positions only grow; a position's offset
 *       in the data is {@code position & (size() - 1)}. For a perf ring they are the
 *       {@code data_tail} and {@code data_head} of {@code struct perf_event_mmap_page}.</li>
 *   <li>{@link #data()} holds the records: at least {@link #size()} bytes, a power of two. When
 *       its capacity is at least twice the size, the data is mapped twice back to back (as Linux
 *       and eBPF for Windows map ring buffers), so a record that runs past the end reads on in one
 *       piece; otherwise such a record wraps to offset 0.</li>
 *   <li>Ring buffer records start with an 8-byte header ({@code struct bpf_ringbuf_hdr}: a 32-bit
 *       length whose bit 31 says "still being written" and bit 30 "discarded", then 32 bits the
 *       reader ignores) and are padded to 8 bytes. Perf rings hold {@code perf_event_header}
 *       records ({@code PERF_RECORD_SAMPLE} with {@code PERF_SAMPLE_RAW}, {@code PERF_RECORD_LOST}).</li>
 * </ul>
 *
 * <p><b>Who writes what.</b> The side that consumes writes the consumer position, the side that
 * produces writes the producer position and the records: for {@code RINGBUF} and perf rings the
 * kernel produces, for {@code USER_RINGBUF} the process does. Buffers are read-only where the
 * platform maps the memory read-only, so a wrong write throws
 * {@link java.nio.ReadOnlyBufferException} rather than faulting. Positions are read with acquire
 * and written with release semantics, e.g. through
 * {@link java.lang.invoke.MethodHandles#byteBufferViewVarHandle}.
 *
 * <p><b>Lifetime.</b> {@link #close()} unmaps the ring (a perf ring also leaves its array and
 * closes its event); it is idempotent. The buffers must not be used after it: on some native
 * bindings reading unmapped memory ends the process.
 */
public interface MappedRing extends AutoCloseable {

    /**
     * The consumer position, an unsigned 64-bit value in native byte order at index 0.
     *
     * @return a buffer of at least 8 bytes; writable only for the consuming side
     */
    ByteBuffer consumerPosition();

    /**
     * The producer position, an unsigned 64-bit value in native byte order at index 0.
     *
     * @return a buffer of at least 8 bytes; writable only for the producing side
     */
    ByteBuffer producerPosition();

    /**
     * The data area: {@link #size()} bytes, or twice that when mapped twice.
     *
     * @return the data, writable only for the producing side
     */
    ByteBuffer data();

    /**
     * The size of the data area in bytes.
     *
     * @return a power of two
     */
    int size();

    /**
     * Faster reads of the same memory for the event readers, where the backend has them. The
     * readers go through this per record, several times: on JDK 22 and later each access through
     * the {@code ByteBuffer}s, or through a {@code MemorySegment} per region, checks the
     * segment's bounds and session, and the acquire read of each record header makes the
     * compiler load those again for the next access. A backend can read at absolute addresses
     * instead, with one comparison of its own per access, which made the ring buffer reader
     * about 1.5 times as fast on JDK 25. The readers use the buffers when this is null. Like the
     * buffers, the reads must not be used after {@link #close()}; the readers guarantee it by
     * unmapping only after their polling thread left.
     *
     * @return the reads, or null (the default)
     */
    default Reads reads() {
        return null;
    }

    /**
     * Reads of a ring's memory: the positions, with acquire and release, and the data area at
     * offsets from the start of {@link #data()}. Offsets are checked against the mapped region
     * (an offset outside it throws {@link IndexOutOfBoundsException}); multi-byte values are in
     * native byte order and need not be aligned, except the atomic ones, which are 8- or
     * 4-byte aligned in every ring.
     */
    interface Reads {
        /**
         * The consumer position, read with acquire.
         *
         * @return the position
         */
        long consumerAcquire();

        /**
         * Publishes the consumer position with release; only for the consuming side.
         *
         * @param position the new position
         */
        void consumerRelease(long position);

        /**
         * The producer position, read with acquire.
         *
         * @return the position
         */
        long producerAcquire();

        /**
         * A 32-bit value of the data area read with acquire (a ring buffer record's header).
         *
         * @param offset a 4-byte aligned offset in the data area
         * @return the value
         */
        int intAcquire(int offset);

        /**
         * One byte of the data area.
         *
         * @param offset the offset
         * @return the byte
         */
        byte getByte(int offset);

        /**
         * A 16-bit value of the data area.
         *
         * @param offset the offset
         * @return the value
         */
        short getShort(int offset);

        /**
         * A 32-bit value of the data area.
         *
         * @param offset the offset
         * @return the value
         */
        int getInt(int offset);

        /**
         * A 64-bit value of the data area.
         *
         * @param offset the offset
         * @return the value
         */
        long getLong(int offset);

        /**
         * Copies bytes of the data area.
         *
         * @param offset where in the data area
         * @param dst where to copy to
         * @param dstOffset where in {@code dst}
         * @param count how many bytes
         */
        void get(int offset, byte[] dst, int dstOffset, int count);
    }

    /** Unmaps the ring and releases what the backend holds for it; later calls do nothing. */
    @Override
    void close();
}
