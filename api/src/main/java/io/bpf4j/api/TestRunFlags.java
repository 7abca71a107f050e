package io.bpf4j.api;

/** Bits of {@link TestRunSpec#flags()}. */
public final class TestRunFlags {
    private TestRunFlags() {
    }

    /** Run on {@link TestRunSpec#cpu()} ({@code BPF_F_TEST_RUN_ON_CPU}). */
    public static final int RUN_ON_CPU = 1;
    /** XDP: send the resulting frames for real ({@code BPF_F_TEST_XDP_LIVE_FRAMES}). */
    public static final int XDP_LIVE_FRAMES = 1 << 1;
    /** SKB: checksum complete ({@code BPF_F_TEST_SKB_CHECKSUM_COMPLETE}). */
    public static final int SKB_CHECKSUM_COMPLETE = 1 << 2;
}
