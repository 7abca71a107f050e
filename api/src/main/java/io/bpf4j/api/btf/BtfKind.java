package io.bpf4j.api.btf;

/**
 * The kinds of BTF type, numbered as {@code BTF_KIND_*} in the Linux 6.18 uapi
 * ({@code include/uapi/linux/btf.h}).
 */
public enum BtfKind {
    /** 0: {@code BTF_KIND_UNKN}, the type id 0, which stands for {@code void}. */
    VOID,
    /** 1: an integer. */
    INT,
    /** 2: a pointer. */
    PTR,
    /** 3: an array. */
    ARRAY,
    /** 4: a struct. */
    STRUCT,
    /** 5: a union. */
    UNION,
    /** 6: an enum of 32-bit values. */
    ENUM,
    /** 7: a forward declaration of a struct or union. */
    FWD,
    /** 8: a typedef. */
    TYPEDEF,
    /** 9: the {@code volatile} qualifier. */
    VOLATILE,
    /** 10: the {@code const} qualifier. */
    CONST,
    /** 11: the {@code restrict} qualifier. */
    RESTRICT,
    /** 12: a function: a name, a linkage and a {@link #FUNC_PROTO}. */
    FUNC,
    /** 13: a function's signature. */
    FUNC_PROTO,
    /** 14: a variable. */
    VAR,
    /** 15: a data section listing variables. */
    DATASEC,
    /** 16: a floating-point type. */
    FLOAT,
    /** 17: a tag on a declaration, or on one member or parameter of it. */
    DECL_TAG,
    /** 18: a tag on a type, placed before the pointer it annotates. */
    TYPE_TAG,
    /** 19: an enum of 64-bit values. */
    ENUM64;

    private static final BtfKind[] BY_NUMBER = values();

    /**
     * The kind's number on the wire.
     *
     * @return {@code BTF_KIND_*}
     */
    public int number() {
        return ordinal();
    }

    /**
     * The kind with a wire number.
     *
     * @param number {@code BTF_KIND_*}
     * @return the kind
     * @throws IllegalArgumentException when the number is no kind of Linux 6.18
     */
    public static BtfKind of(int number) {
        if (number < 0 || number >= BY_NUMBER.length) throw new IllegalArgumentException("number: no BTF kind " + number);
        return BY_NUMBER[number];
    }

    /**
     * Whether a wire number names a kind.
     *
     * @param number a {@code BTF_KIND_*} candidate
     * @return true for 1 to 19 (and 0, void, which is never encoded)
     */
    static boolean known(int number) {
        return number >= 0 && number < BY_NUMBER.length;
    }

    /** The kind without the test, for numbers already checked. */
    static BtfKind ofChecked(int number) {
        return BY_NUMBER[number];
    }
}
