package io.bpf4j.api.events;

import io.bpf4j.api.MappedRing;
import java.util.Objects;

/**
 * One record as a reader hands it to its {@link RecordHandler}: a read-only view of the record's
 * bytes where they lie in the ring (or, for a record that wraps the ring's end on a platform that
 * maps the data once, in the reader's reused scratch buffer). Nothing is copied and nothing is
 * allocated per record: a reader has one {@code EventRecord} and points it at each record in
 * turn.
 *
 * <p>The view is valid only during the callback. Afterwards every accessor throws
 * {@link IllegalStateException}, so a view kept by mistake cannot read the next record's bytes, or
 * memory the reader has given back. Copy what must outlive the callback ({@link #getBytes},
 * {@link #toByteArray()}).
 *
 * <p>Multi-byte values are read in the platform's byte order (little-endian on x86-64 and arm64),
 * which is how a program running on the same machine wrote them. Indexes are relative to the
 * record's first byte and checked against its {@link #length()}.
 */
public final class EventRecord {
    /**
     * The ring's memory, always the source's: a record copied out (one that wraps the end of a
     * ring mapped once) is read from {@link #copy}, so the reads of every other record go to one
     * {@code Reads} class, which the JIT inlines without a type check.
     */
    private MappedRing.Reads buf;
    /** The bytes of a copied-out record during its callback; null otherwise. */
    private byte[] copy;
    private int base;
    /** The record's length during the callback, -1 outside it: one field says both. */
    private int length = -1;
    private int cpu = -1;
    private int source;

    EventRecord() {
    }

    /** Where the next records come from: set once per pass over a ring, not per record. */
    void source(MappedRing.Reads buf, int cpu, int source) {
        this.buf = buf;
        this.copy = null;
        this.cpu = cpu;
        this.source = source;
    }

    /** Points the view at a record of the current source's memory for the callback. */
    void start(int base, int length) {
        this.base = base;
        this.length = length;
    }

    /** Points the view at a record copied out of the ring, {@code length} bytes at {@code base} of {@code bytes}. */
    void startCopy(byte[] bytes, int base, int length) {
        Objects.checkFromIndexSize(base, length, bytes.length);
        this.copy = bytes;
        this.base = base;
        this.length = length;
    }

    void end() {
        length = -1;
        // Only after a copied record: a reference store per record would cost a GC write barrier.
        if (copy != null) copy = null;
    }

    /**
     * Where a read of {@code size} bytes at {@code index} lies in the memory. An ended record's
     * length of -1 fails the same comparison as an index outside it, so the hot path checks once.
     */
    private int at(int index, int size) {
        int len = length;
        if ((index | size) < 0 || size > len - index) throw outside(index, size, len);
        return base + index;
    }

    private static RuntimeException outside(int index, int size, int len) {
        if (len < 0) return ended();
        return new IndexOutOfBoundsException("record: " + size + " bytes at " + index + " are outside its " + len + " bytes");
    }

    private static IllegalStateException ended() {
        return new IllegalStateException("record: used after its callback returned");
    }

    /**
     * The record's length in bytes. A perf buffer record is a {@code PERF_SAMPLE_RAW} sample,
     * which the kernel pads so that the sample ends on 8 bytes: up to 7 zero bytes may follow what
     * the program wrote.
     *
     * @return the length
     * @throws IllegalStateException after the callback returned
     */
    public int length() {
        int len = length;
        if (len < 0) throw ended();
        return len;
    }

    /**
     * The CPU whose perf ring held the record.
     *
     * @return the CPU, or -1 for ring buffer records, which do not say
     */
    public int cpu() {
        return cpu;
    }

    /**
     * Where the record came from: for a {@link RingBufferReader}, the index of its map in the
     * order the maps were added (0 for the first); for a {@link PerfBufferReader}, the CPU.
     *
     * @return the source
     */
    public int source() {
        return source;
    }

    /**
     * One byte.
     *
     * @param index from the record's start
     * @return the byte
     * @throws IndexOutOfBoundsException outside the record
     * @throws IllegalStateException after the callback returned
     */
    public byte getByte(int index) {
        int i = at(index, 1);
        byte[] c = copy;
        return c == null ? buf.getByte(i) : c[i];
    }

    /**
     * A 16-bit value in native byte order.
     *
     * @param index from the record's start
     * @return the value
     * @throws IndexOutOfBoundsException when it does not lie within the record
     * @throws IllegalStateException after the callback returned
     */
    public short getShort(int index) {
        int i = at(index, 2);
        byte[] c = copy;
        return c == null ? buf.getShort(i) : (short) Positions.ARRAY_SHORT.get(c, i);
    }

    /**
     * A 32-bit value in native byte order.
     *
     * @param index from the record's start
     * @return the value
     * @throws IndexOutOfBoundsException when it does not lie within the record
     * @throws IllegalStateException after the callback returned
     */
    public int getInt(int index) {
        int i = at(index, 4);
        byte[] c = copy;
        return c == null ? buf.getInt(i) : (int) Positions.ARRAY_INT.get(c, i);
    }

    /**
     * A 64-bit value in native byte order.
     *
     * @param index from the record's start
     * @return the value
     * @throws IndexOutOfBoundsException when it does not lie within the record
     * @throws IllegalStateException after the callback returned
     */
    public long getLong(int index) {
        int i = at(index, 8);
        byte[] c = copy;
        return c == null ? buf.getLong(i) : (long) Positions.ARRAY_LONG.get(c, i);
    }

    /**
     * Copies bytes out, allocating nothing.
     *
     * @param index from the record's start
     * @param dst where to copy to
     * @param dstOffset where in {@code dst}
     * @param count how many bytes
     * @throws IndexOutOfBoundsException when the range lies outside the record or {@code dst}
     * @throws IllegalStateException after the callback returned
     */
    public void getBytes(int index, byte[] dst, int dstOffset, int count) {
        int from = at(index, count);
        Objects.checkFromIndexSize(dstOffset, count, dst.length);
        byte[] c = copy;
        if (c == null) buf.get(from, dst, dstOffset, count);
        else System.arraycopy(c, from, dst, dstOffset, count);
    }

    /**
     * A copy of the whole record, for keeping it past the callback.
     *
     * @return a new array of {@link #length()} bytes
     * @throws IllegalStateException after the callback returned
     */
    public byte[] toByteArray() {
        byte[] out = new byte[length()];
        getBytes(0, out, 0, out.length);
        return out;
    }

    @Override
    public String toString() {
        return length >= 0 ? "EventRecord[source=" + source + ", cpu=" + cpu + ", length=" + length + "]" : "EventRecord[ended]";
    }
}
