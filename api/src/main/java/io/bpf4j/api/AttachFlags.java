package io.bpf4j.api;

/** Bits of the {@code attach_flags} of {@code BPF_PROG_ATTACH} and the mprog link flags. */
public final class AttachFlags {
    private AttachFlags() {
    }

    /** Cgroup: a descendant may override this program ({@code BPF_F_ALLOW_OVERRIDE}). */
    public static final int ALLOW_OVERRIDE = 1;
    /** Cgroup: several programs run in order ({@code BPF_F_ALLOW_MULTI}). */
    public static final int ALLOW_MULTI = 1 << 1;
    /** Replace the program given as {@code replaceFd} ({@code BPF_F_REPLACE}). */
    public static final int REPLACE = 1 << 2;
    /** Mprog: insert before the relative object, or first ({@code BPF_F_BEFORE}). */
    public static final int BEFORE = 1 << 3;
    /** Mprog: insert after the relative object, or last ({@code BPF_F_AFTER}). */
    public static final int AFTER = 1 << 4;
    /** Mprog: the relative object is given by id, not descriptor ({@code BPF_F_ID}). */
    public static final int ID = 1 << 5;
    /** Mprog: the relative object is a link ({@code BPF_F_LINK}). */
    public static final int LINK = 1 << 13;
}
