package io.bpf4j.sim.internal.vm;

/**
 * A {@code BPF_MAP_TYPE_RINGBUF} as programs see it.
 *
 * <p>Records are handed out as arrays rather than as slices of one buffer so that an
 * implementation need not map its data area twice as the kernel does; it still accounts the
 * space (header and 8-byte rounding) at reservation time and must show committed records to
 * readers in reservation order, as the kernel does.
 */
public interface VmRingBuffer extends VmMap {
    /**
     * Reserves a record ({@code bpf_ringbuf_reserve}).
     *
     * @param size the record size in bytes
     * @return a zero-filled array of exactly {@code size} bytes that the program fills in place,
     *     or {@code null} when there is no room (the helper then returns NULL)
     */
    byte[] reserve(int size);

    /**
     * Commits a reserved record ({@code bpf_ringbuf_submit}).
     *
     * @param record an array returned by {@link #reserve}
     * @param flags {@code BPF_RB_NO_WAKEUP} 1 or {@code BPF_RB_FORCE_WAKEUP} 2, or 0
     */
    void submit(byte[] record, long flags);

    /**
     * Drops a reserved record ({@code bpf_ringbuf_discard}); readers skip it.
     *
     * @param record an array returned by {@link #reserve}
     * @param flags as for {@link #submit}
     */
    void discard(byte[] record, long flags);

    /**
     * Copies a record in and commits it ({@code bpf_ringbuf_output}).
     *
     * @param data the record; the array is the caller's and may be kept
     * @param flags as for {@link #submit}
     * @return 0, or {@code -EAGAIN} when there is no room
     */
    int output(byte[] data, long flags);

    /**
     * Answers {@code bpf_ringbuf_query}.
     *
     * @param flags {@code BPF_RB_AVAIL_DATA} 0, {@code BPF_RB_RING_SIZE} 1,
     *     {@code BPF_RB_CONS_POS} 2 or {@code BPF_RB_PROD_POS} 3
     * @return the value asked for, 0 for unknown flags
     */
    long query(long flags);
}
