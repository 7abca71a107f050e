package io.bpf4j.sim.internal.vm;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Where {@code bpf_trace_printk} writes: the simulator's {@code trace_pipe}. Thread-safe and
 * bounded; when full, the oldest lines go, as in the kernel's ring.
 */
public final class TraceLog {
    private final ArrayDeque<String> lines = new ArrayDeque<>();
    private final int capacity;
    private long dropped;

    /** Creates a log keeping the last 10,000 lines. */
    public TraceLog() {
        this(10_000);
    }

    /**
     * Creates a log.
     *
     * @param capacity the number of lines kept
     */
    public TraceLog(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity: " + capacity + " is not positive");
        }
        this.capacity = capacity;
    }

    /**
     * Appends a line.
     *
     * @param line the formatted message, without trailing newline
     */
    public synchronized void add(String line) {
        if (lines.size() == capacity) {
            lines.removeFirst();
            dropped++;
        }
        lines.addLast(line);
    }

    /**
     * The lines logged so far.
     *
     * @return a copy, oldest first
     */
    public synchronized List<String> lines() {
        return new ArrayList<>(lines);
    }

    /**
     * Removes and returns the lines logged so far, as reading {@code trace_pipe} does.
     *
     * @return the lines, oldest first
     */
    public synchronized List<String> drain() {
        List<String> out = new ArrayList<>(lines);
        lines.clear();
        return out;
    }

    /**
     * The number of lines dropped because the log was full.
     *
     * @return the count since creation
     */
    public synchronized long dropped() {
        return dropped;
    }
}
