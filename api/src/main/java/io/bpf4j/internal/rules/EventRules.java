package io.bpf4j.internal.rules;

/**
 * The input rules of the event ring primitives ({@code Bpf.ringBufferMap},
 * {@code Bpf.perfBufferOpen}), shared by every backend.
 */
public final class EventRules {
    /**
     * The largest perf ring a reader maps per CPU, in pages: 2^16 pages is 256 MiB with 4 KiB pages,
     * and keeps the data area within one {@link java.nio.ByteBuffer}.
     */
    public static final int MAX_PERF_PAGES = 1 << 16;

    private EventRules() {
    }

    /**
     * The arguments of {@code perfBufferOpen}.
     *
     * @param arrayFd the perf event array
     * @param cpu the CPU
     * @param pages the ring's pages
     * @param wakeup records or bytes between wake-ups
     * @throws IllegalArgumentException naming the parameter
     */
    public static void perfBufferOpen(int arrayFd, int cpu, int pages, int wakeup) {
        ObjRules.fd(arrayFd, "arrayFd");
        if (cpu < 0) throw new IllegalArgumentException("cpu: negative (" + cpu + ")");
        if (pages < 1 || Integer.bitCount(pages) != 1 || pages > MAX_PERF_PAGES) {
            throw new IllegalArgumentException("pages: " + pages + " is not a power of two from 1 to " + MAX_PERF_PAGES);
        }
        if (wakeup < 1) throw new IllegalArgumentException("wakeup: " + wakeup + " is below 1");
    }
}
