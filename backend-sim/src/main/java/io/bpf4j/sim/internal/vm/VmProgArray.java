package io.bpf4j.sim.internal.vm;

/** A {@code BPF_MAP_TYPE_PROG_ARRAY}, the jump table of {@code bpf_tail_call}. */
public interface VmProgArray extends VmMap {
    /**
     * The program at an index.
     *
     * @param index the slot, 0 to {@code maxEntries() - 1}
     * @return the loaded program, or {@code null} for an empty slot
     */
    VmProgram program(int index);
}
