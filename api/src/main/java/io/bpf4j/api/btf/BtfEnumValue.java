package io.bpf4j.api.btf;

import java.util.Objects;

/**
 * One value of an enum ({@code struct btf_enum} or {@code struct btf_enum64}).
 *
 * @param name the enumerator's name
 * @param value its value: for a signed enum the signed value, for an unsigned one the unsigned
 *     value (an unsigned {@link BtfType.Enum64} value above {@link Long#MAX_VALUE} reads as
 *     negative; see {@link Long#toUnsignedString(long)})
 */
public record BtfEnumValue(String name, long value) {
    /**
     * Checks the fields.
     *
     * @throws NullPointerException when the name is null
     */
    public BtfEnumValue {
        Objects.requireNonNull(name, "name");
    }
}
