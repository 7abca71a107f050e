package io.bpf4j.api.btf;

import java.util.Objects;

/**
 * A member of a struct or union ({@code struct btf_member}).
 *
 * @param name the member's name, empty for an anonymous member (a nested anonymous struct or union)
 * @param typeId the member's type
 * @param bitOffset where the member starts, in bits from the start of the struct (unsigned; at
 *     most 24 bits when the struct's {@code kind_flag} is set)
 * @param bitfieldSize the bitfield's width in bits when the struct's {@code kind_flag} is set and
 *     the member is a bitfield, else 0 (without {@code kind_flag} a bitfield is described by its
 *     {@link BtfType.Int} type instead)
 */
public record BtfMember(String name, int typeId, int bitOffset, int bitfieldSize) {
    /**
     * Checks the fields.
     *
     * @throws IllegalArgumentException when the name is null or the bitfield size is not 0 to 255
     */
    public BtfMember {
        Objects.requireNonNull(name, "name");
        if (bitfieldSize < 0 || bitfieldSize > 255) throw new IllegalArgumentException("bitfieldSize: " + bitfieldSize + " not in 0..255");
    }

    /**
     * The member's offset in bytes, for members that start on a byte.
     *
     * @return {@code bitOffset / 8}
     */
    public int byteOffset() {
        return Integer.divideUnsigned(bitOffset, 8);
    }
}
