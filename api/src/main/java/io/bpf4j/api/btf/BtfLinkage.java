package io.bpf4j.api.btf;

/**
 * The linkage of a {@link BtfKind#FUNC} ({@code enum btf_func_linkage}) or of a
 * {@link BtfKind#VAR} ({@code BTF_VAR_STATIC}, {@code BTF_VAR_GLOBAL_ALLOCATED},
 * {@code BTF_VAR_GLOBAL_EXTERN}); both number them 0, 1, 2.
 */
public enum BtfLinkage {
    /** 0: visible in its compilation unit only. */
    STATIC,
    /** 1: global; for a variable, global and allocated here. */
    GLOBAL,
    /** 2: declared here, defined elsewhere. */
    EXTERN;

    private static final BtfLinkage[] BY_NUMBER = values();

    /**
     * The number on the wire.
     *
     * @return 0, 1 or 2
     */
    public int number() {
        return ordinal();
    }

    /**
     * The linkage with a wire number.
     *
     * @param number 0, 1 or 2
     * @return the linkage
     * @throws IllegalArgumentException for any other number
     */
    public static BtfLinkage of(int number) {
        if (number < 0 || number >= BY_NUMBER.length) throw new IllegalArgumentException("number: no linkage " + number);
        return BY_NUMBER[number];
    }
}
