package io.bpf4j.sim.internal.vm;

/** A {@code BPF_MAP_TYPE_PERF_EVENT_ARRAY}, the sink of {@code bpf_perf_event_output}. */
public interface VmPerfEventArray extends VmMap {
    /**
     * Appends a sample to the perf buffer at an index (usually a CPU number).
     *
     * @param index the slot; the helper already resolved {@code BPF_F_CURRENT_CPU}
     * @param sample the sample bytes, a fresh array the map may keep
     * @param cpu the CPU the program runs on
     * @return 0, {@code -ENOENT} when no perf event is installed at {@code index},
     *     {@code -EOPNOTSUPP} when the event is on another CPU, {@code -EINVAL} when it is no BPF
     *     output event, or {@code -ENOSPC} when its buffer is full
     */
    int output(int index, byte[] sample, int cpu);
}
