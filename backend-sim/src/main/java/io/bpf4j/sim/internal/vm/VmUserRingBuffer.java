package io.bpf4j.sim.internal.vm;

/**
 * A {@code BPF_MAP_TYPE_USER_RINGBUF} as programs see it: user space produces, the program's
 * {@code bpf_user_ringbuf_drain} consumes.
 */
public interface VmUserRingBuffer extends VmMap {
    /**
     * Drains samples as {@code bpf_user_ringbuf_drain} does, with its return codes: the number
     * of samples handed to the callback or skipped as discarded, less the discarded ones;
     * {@code -EINVAL} for unknown flags or a malformed ring, {@code -E2BIG} for a sample larger
     * than the ring or than a dynptr can describe, {@code -EBUSY} while another drain runs.
     *
     * @param flags 0, {@code BPF_RB_NO_WAKEUP} 1 or {@code BPF_RB_FORCE_WAKEUP} 2
     * @param callback called with each sample
     * @return the count or a negative errno
     */
    long drain(long flags, SampleCallback callback);

    /** The program's callback, as the drain calls it. */
    @FunctionalInterface
    interface SampleCallback {
        /**
         * Hands one sample to the program.
         *
         * @param sample a copy of the sample; what the program writes into it is copied back
         * @return the callback's {@code r0}: 0 to go on, 1 to stop
         */
        long call(byte[] sample);
    }
}
