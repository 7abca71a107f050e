package io.bpf4j.api.events;

/**
 * A ring holds something no kernel writes: a record whose length runs past what the producer
 * published, a producer position out of range, a malformed perf header. The reader stops before
 * the bad record, having read nothing outside the ring; it stays where it is, so every later
 * {@code poll} or {@code consume} throws again rather than skip data silently.
 */
public final class CorruptRingException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final int source;
    private final long position;

    CorruptRingException(String ring, int source, long position, String detail) {
        super(ring + ": corrupt at position " + Long.toUnsignedString(position) + ": " + detail);
        this.source = source;
        this.position = position;
    }

    /**
     * The ring: the map's index in a {@link RingBufferReader}, the CPU in a {@link PerfBufferReader}.
     *
     * @return the source, as {@link EventRecord#source()} numbers them
     */
    public int source() {
        return source;
    }

    /**
     * The consumer position where the bad record starts.
     *
     * @return the position
     */
    public long position() {
        return position;
    }
}
