package io.bpf4j.api;

/** Bits of {@link ProgramSpec#flags()}, the {@code prog_flags} of {@code BPF_PROG_LOAD}. */
public final class ProgramFlags {
    private ProgramFlags() {
    }

    /** Verify as if on a strict-alignment architecture ({@code BPF_F_STRICT_ALIGNMENT}). */
    public static final int STRICT_ALIGNMENT = 1;
    /** Skip alignment checks ({@code BPF_F_ANY_ALIGNMENT}). */
    public static final int ANY_ALIGNMENT = 1 << 1;
    /** Randomise upper halves of 32-bit results, for testing ({@code BPF_F_TEST_RND_HI32}). */
    public static final int TEST_RND_HI32 = 1 << 2;
    /** Print verifier state statistics ({@code BPF_F_TEST_STATE_FREQ}). */
    public static final int TEST_STATE_FREQ = 1 << 3;
    /** The program may sleep ({@code BPF_F_SLEEPABLE}). */
    public static final int SLEEPABLE = 1 << 4;
    /** XDP program handles multi-buffer frames ({@code BPF_F_XDP_HAS_FRAGS}). */
    public static final int XDP_HAS_FRAGS = 1 << 5;
    /** XDP program is bound to its device ({@code BPF_F_XDP_DEV_BOUND_ONLY}). */
    public static final int XDP_DEV_BOUND_ONLY = 1 << 6;
    /** Check register invariants, for testing ({@code BPF_F_TEST_REG_INVARIANTS}). */
    public static final int TEST_REG_INVARIANTS = 1 << 7;
    /** {@link ProgramSpec#tokenFd()} is set ({@code BPF_F_TOKEN_FD}). */
    public static final int TOKEN_FD = 1 << 16;
}
