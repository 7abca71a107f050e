package io.bpf4j.api.btf;

/**
 * What a CO-RE relocation asks for ({@code enum bpf_core_relo_kind}, Linux 6.18 uapi
 * {@code include/uapi/linux/bpf.h}), numbered as there.
 */
public enum CoreReloKind {
    /** 0: a field's byte offset. */
    FIELD_BYTE_OFFSET,
    /** 1: a field's size in bytes. */
    FIELD_BYTE_SIZE,
    /** 2: whether a field exists. */
    FIELD_EXISTS,
    /** 3: whether a field is signed. */
    FIELD_SIGNED,
    /** 4: the left shift that extracts a bitfield from a u64. */
    FIELD_LSHIFT_U64,
    /** 5: the right shift that extracts a bitfield from a u64. */
    FIELD_RSHIFT_U64,
    /** 6: the type's id in the program's own BTF. */
    TYPE_ID_LOCAL,
    /** 7: the type's id in the target's BTF. */
    TYPE_ID_TARGET,
    /** 8: whether the type exists in the target. */
    TYPE_EXISTS,
    /** 9: the type's size in the target. */
    TYPE_SIZE,
    /** 10: whether an enumerator exists. */
    ENUMVAL_EXISTS,
    /** 11: an enumerator's value. */
    ENUMVAL_VALUE,
    /** 12: whether the target's type matches the local one ({@code bpf_core_type_matches}). */
    TYPE_MATCHES;

    private static final CoreReloKind[] BY_NUMBER = values();

    /**
     * The number in {@code bpf_core_relo.kind}.
     *
     * @return the number
     */
    public int number() {
        return ordinal();
    }

    /**
     * The kind with a number.
     *
     * @param number {@code bpf_core_relo.kind}
     * @return the kind
     * @throws IllegalArgumentException when Linux 6.18 has no such kind
     */
    public static CoreReloKind of(int number) {
        if (number < 0 || number >= BY_NUMBER.length) throw new IllegalArgumentException("number: no CO-RE relocation kind " + number);
        return BY_NUMBER[number];
    }

    static boolean known(int number) {
        return number >= 0 && number < BY_NUMBER.length;
    }
}
