package io.bpf4j.api.events;

/**
 * Hears of perf samples the kernel dropped because a CPU's ring was full
 * ({@code PERF_RECORD_LOST}).
 */
@FunctionalInterface
public interface LostHandler {
    /** Ignores losses; {@link PerfBufferReader#lostSamples()} still counts them. */
    LostHandler IGNORE = (cpu, count) -> { };

    /**
     * Handles one loss report. An exception thrown here propagates as a {@link RecordHandler}'s
     * does, the report counting as delivered.
     *
     * @param cpu the CPU whose ring was full
     * @param count how many samples were dropped there since the last report
     */
    void onLost(int cpu, long count);
}
