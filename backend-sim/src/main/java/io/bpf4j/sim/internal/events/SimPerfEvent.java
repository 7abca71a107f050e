package io.bpf4j.sim.internal.events;

import io.bpf4j.sim.internal.kernel.KObject;
import io.bpf4j.sim.internal.kernel.Kernel;
import io.bpf4j.sim.internal.kernel.ObjKind;

/**
 * A BPF output perf event on one CPU ({@code perf_event_open} of {@code PERF_COUNT_SW_BPF_OUTPUT}
 * with {@code PERF_SAMPLE_RAW}) and its ring, written as {@code kernel/events/ring_buffer.c} writes
 * it (Linux 6.18): each output is a {@code PERF_RECORD_SAMPLE} ({@code perf_event_header}, then
 * {@code u32 size} and the data padded so the record ends on 8 bytes); when the ring lacks room
 * the sample is dropped and counted, and the next sample that fits is preceded by a
 * {@code PERF_RECORD_LOST} with the count. A ring holds at most {@code size - 8} bytes
 * ({@code CIRC_SPACE}).
 */
public final class SimPerfEvent extends KObject {
    static final int RECORD_LOST = 2;
    static final int RECORD_SAMPLE = 9;
    private static final int ENOSPC = 28;

    private final int cpu;
    private final int wakeup;
    private final boolean watermark;
    private final RingMemory ring;
    private long head;
    private long lost;
    private long sinceWakeup;

    /**
     * Creates the event and its ring.
     *
     * @param cpu the CPU it counts on
     * @param bytes the data size, a power of two
     * @param wakeup samples, or bytes with {@code watermark}, between wake-ups
     * @param watermark whether {@code wakeup} counts bytes
     */
    public SimPerfEvent(int cpu, int bytes, int wakeup, boolean watermark) {
        super(ObjKind.OTHER);
        this.cpu = cpu;
        this.wakeup = wakeup;
        this.watermark = watermark;
        this.ring = new RingMemory(bytes);
    }

    /**
     * The CPU.
     *
     * @return the CPU
     */
    public int cpu() {
        return cpu;
    }

    /**
     * The ring's memory, to map for a reader.
     *
     * @return the memory
     */
    public RingMemory ring() {
        return ring;
    }

    /**
     * Writes one sample, as {@code bpf_perf_event_output} does.
     *
     * @param sample the raw bytes
     * @return 0, or {@code -ENOSPC} when the ring is full (the sample is counted as lost)
     */
    public int output(byte[] sample) {
        int raw = ((sample.length + 4 + 7) & ~7) - 4;
        int size = 8 + 4 + raw;
        int total = size + (lost > 0 ? 24 : 0);
        long tail = ring.consumer();
        long space = (tail - (head + 1)) & (ring.size() - 1);
        if (space < total) {
            lost++;
            return -ENOSPC;
        }
        if (lost > 0) {
            ring.putInt(head, RECORD_LOST);
            ring.putShort(head + 4, 0);
            ring.putShort(head + 6, 24);
            ring.putLong(head + 8, 0);
            ring.putLong(head + 16, lost);
            head += 24;
            lost = 0;
        }
        ring.putInt(head, RECORD_SAMPLE);
        ring.putShort(head + 4, 0);
        ring.putShort(head + 6, size);
        ring.putInt(head + 8, raw);
        ring.put(head + 12, sample, sample.length, raw);
        head += size;
        ring.publish(head);
        sinceWakeup += watermark ? total : 1;
        if (sinceWakeup >= wakeup) {
            sinceWakeup = 0;
            ring.waiters.signal();
        }
        return 0;
    }

    @Override
    protected void destroy() {
    }

    @Override
    protected Kernel kernel() {
        return null;
    }

    @Override
    public String describe() {
        return "BPF output perf event on cpu " + cpu;
    }
}
