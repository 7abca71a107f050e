package io.bpf4j.sim;

import java.util.List;
import java.util.Objects;

/**
 * What happened when the simulator fed one event to a hook: every program that ran, in order,
 * with its return value, and the hook's verdict computed from them as the kernel does.
 *
 * @param verdict the hook's outcome: an XDP action, a TCX action, {@link Hooks#ALLOW} or
 *     {@link Hooks#DENY} for cgroup hooks, the AND of the return values for tracepoint perf
 *     events, 0 for raw tracepoints (whose return values the kernel ignores)
 * @param runs the programs that ran, in order; empty when nothing is attached
 * @param packet for packet hooks, the packet as the programs left it (XDP head and tail
 *     adjustments and stores included); empty otherwise
 * @param mark for skb hooks, {@code skb->mark} after the programs ran; for socket creation,
 *     {@code sk->sk_mark}; 0 otherwise
 */
public record HookResult(int verdict, List<Run> runs, byte[] packet, int mark) {
    /**
     * Copies the lists.
     *
     * @param verdict the verdict
     * @param runs the runs
     * @param packet the packet
     * @param mark the mark
     */
    public HookResult {
        runs = List.copyOf(runs);
        packet = Objects.requireNonNull(packet, "packet").clone();
    }

    /**
     * The packet as the programs left it.
     *
     * @return a copy
     */
    @Override
    public byte[] packet() {
        return packet.clone();
    }

    /**
     * The return values of the programs that ran, in order.
     *
     * @return one value per run
     */
    public int[] returnValues() {
        return runs.stream().mapToInt(Run::returnValue).toArray();
    }

    /**
     * The ids of the programs that ran, in order.
     *
     * @return one id per run
     */
    public int[] programIds() {
        return runs.stream().mapToInt(Run::programId).toArray();
    }

    /**
     * One program's run.
     *
     * @param programId the program's id
     * @param programName the program's name, possibly empty
     * @param returnValue the low 32 bits of {@code r0}, as {@code bpf_prog_run()} returns them
     */
    public record Run(int programId, String programName, int returnValue) {
    }
}
