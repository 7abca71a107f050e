package io.bpf4j.api;

/** Element flags of lookup, update and the batch commands. */
public final class UpdateFlags {
    private UpdateFlags() {
    }

    /** Create or replace ({@code BPF_ANY}). */
    public static final long ANY = 0;
    /** Create only; EEXIST if the key exists ({@code BPF_NOEXIST}). */
    public static final long NOEXIST = 1;
    /** Replace only; ENOENT if the key is missing. For queue and stack: overwrite the oldest when full ({@code BPF_EXIST}). */
    public static final long EXIST = 2;
    /** Take the value's spin lock ({@code BPF_F_LOCK}). */
    public static final long LOCK = 4;
}
