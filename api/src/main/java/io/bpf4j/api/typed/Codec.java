package io.bpf4j.api.typed;

import io.bpf4j.api.btf.Btf;

/**
 * Turns a Java value into the bytes of a map key or value and back: a fixed size, and the
 * layout the program's C type has (little-endian numbers, C alignment inside records). The
 * factories are in {@link Codecs}.
 *
 * <p>Codecs hold no state: one can serve many maps and threads.
 *
 * @param <T> the Java type
 */
public interface Codec<T> {
    /**
     * The encoded size in bytes.
     *
     * @return the size
     */
    int size();

    /**
     * The C alignment of the type, for placing it in a record: a number's size, a record's
     * largest member alignment, 1 for bytes.
     *
     * @return the alignment, a power of two
     */
    int alignment();

    /**
     * Writes a value.
     *
     * @param value the value, not null
     * @param dst the buffer
     * @param offset where the {@link #size()} bytes go
     * @throws IllegalArgumentException when the value does not fit (e.g. 256 for {@code u8})
     */
    void encode(T value, byte[] dst, int offset);

    /**
     * Reads a value.
     *
     * @param src the buffer
     * @param offset where the {@link #size()} bytes are
     * @return the value
     */
    T decode(byte[] src, int offset);

    /**
     * Checks that a BTF type has this codec's layout, as a map created from a C program's
     * definition carries it: the same size, and for records each member at the same offset with
     * the same size. Typedefs and qualifiers are looked through.
     *
     * @param btf the map's BTF
     * @param typeId the key or value type
     * @param what what is checked, for the message (e.g. {@code "value"})
     * @throws IllegalArgumentException on a mismatch, naming the field
     */
    default void checkBtf(Btf btf, int typeId, String what) {
        BtfLayout.checkSize(btf, typeId, size(), what, this);
    }
}
