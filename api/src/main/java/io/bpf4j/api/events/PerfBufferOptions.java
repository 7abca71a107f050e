package io.bpf4j.api.events;

import io.bpf4j.internal.rules.EventRules;

/**
 * How a {@link PerfBufferReader} sets up each CPU's ring: its size, and when the kernel wakes a
 * waiting {@code poll} (after every N samples, or once a number of bytes is waiting). Waking on
 * every sample gives the lowest latency; waking less often costs fewer wake-ups under load, while
 * {@code poll} still delivers what is waiting when its timeout passes.
 *
 * @param pagesPerCpu each CPU's ring, in pages: a power of two
 * @param wakeupEvents wake after this many samples, or 0 when {@code watermarkBytes} is set
 * @param watermarkBytes wake once this many bytes are waiting, or 0 when {@code wakeupEvents} is set
 */
public record PerfBufferOptions(int pagesPerCpu, int wakeupEvents, int watermarkBytes) {
    /** 16 pages per CPU (64 KiB with 4 KiB pages), woken on every sample. */
    public static final PerfBufferOptions DEFAULTS = new PerfBufferOptions(16, 1, 0);

    /**
     * Checks the options.
     *
     * @throws IllegalArgumentException naming the parameter: pages that are no power of two, or
     *     not exactly one of {@code wakeupEvents} and {@code watermarkBytes} positive
     */
    public PerfBufferOptions {
        if (pagesPerCpu < 1 || Integer.bitCount(pagesPerCpu) != 1 || pagesPerCpu > EventRules.MAX_PERF_PAGES) {
            throw new IllegalArgumentException("pagesPerCpu: " + pagesPerCpu + " is not a power of two from 1 to "
                    + EventRules.MAX_PERF_PAGES);
        }
        if (wakeupEvents < 0) throw new IllegalArgumentException("wakeupEvents: negative (" + wakeupEvents + ")");
        if (watermarkBytes < 0) throw new IllegalArgumentException("watermarkBytes: negative (" + watermarkBytes + ")");
        if ((wakeupEvents > 0) == (watermarkBytes > 0)) {
            throw new IllegalArgumentException("wakeupEvents/watermarkBytes: exactly one must be positive (" + wakeupEvents
                    + ", " + watermarkBytes + ")");
        }
    }

    /**
     * The same options with another ring size.
     *
     * @param pages pages per CPU, a power of two
     * @return new options
     */
    public PerfBufferOptions withPagesPerCpu(int pages) {
        return new PerfBufferOptions(pages, wakeupEvents, watermarkBytes);
    }

    /**
     * Wake a waiting poll after every {@code n} samples.
     *
     * @param n at least 1
     * @return new options
     */
    public PerfBufferOptions withWakeupEvents(int n) {
        if (n < 1) throw new IllegalArgumentException("n: " + n + " is below 1");
        return new PerfBufferOptions(pagesPerCpu, n, 0);
    }

    /**
     * Wake a waiting poll once {@code bytes} bytes are waiting in a CPU's ring.
     *
     * @param bytes at least 1
     * @return new options
     */
    public PerfBufferOptions withWatermark(int bytes) {
        if (bytes < 1) throw new IllegalArgumentException("bytes: " + bytes + " is below 1");
        return new PerfBufferOptions(pagesPerCpu, 0, bytes);
    }
}
