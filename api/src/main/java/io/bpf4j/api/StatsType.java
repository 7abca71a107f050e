package io.bpf4j.api;

/** What {@link Bpf#enableStats(StatsType)} turns on. */
public enum StatsType {
    /** Per-program run time and run count ({@code BPF_STATS_RUN_TIME}). */
    RUN_TIME
}
