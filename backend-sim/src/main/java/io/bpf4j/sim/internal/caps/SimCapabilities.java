package io.bpf4j.sim.internal.caps;

import io.bpf4j.api.AttachType;
import io.bpf4j.api.Capabilities;
import io.bpf4j.api.LinkType;
import io.bpf4j.api.MapType;
import io.bpf4j.api.Operation;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.Support;
import io.bpf4j.sim.internal.attach.AttachCmds;
import io.bpf4j.sim.internal.maps.MapFactory;
import io.bpf4j.sim.internal.prog.ProgLoader;

/**
 * The simulator's exact capability report, built from the same tables the commands consult, so
 * what is reported supported works and everything else throws with the same reason.
 */
public final class SimCapabilities {
    private SimCapabilities() {
    }

    /**
     * Why an operation is not simulated, or null.
     *
     * @param op the operation
     * @return the reason, or null
     */
    public static String unsupported(Operation op) {
        switch (op) {
            case ITER_CREATE: return "not simulated: BPF iterators need kernel objects to iterate";
            case TASK_FD_QUERY: return "not simulated: there are no processes or perf events";
            case TOKEN_CREATE: return "not simulated: BPF tokens need a delegating bpffs mount";
            case PROG_STREAM_READ_BY_FD: return "not simulated: program streams";
            case MAP_MMAP: return "not simulated: map values are not kept in memory the process could map;"
                    + " global variables are read and written through map lookup and update";
            case PROG_JITED: return "not simulated: the simulator interprets programs and has no JIT compiler, so there is no"
                    + " machine code to read";
            default: return null;
        }
    }

    /**
     * Why a link type is not simulated, or null.
     *
     * @param t the link type
     * @return the reason, or null
     */
    public static String unsupported(LinkType t) {
        switch (t) {
            case CGROUP: case XDP: case TCX: case NETKIT: case RAW_TRACEPOINT: case PERF_EVENT: return null;
            case UNSPEC: return "not a link type";
            default: return "not simulated: " + t + " links need a real kernel object";
        }
    }

    private static Support of(String why) {
        return why == null ? Support.YES : Support.no(why);
    }

    /**
     * Builds the report.
     *
     * @return the capabilities
     */
    public static Capabilities build() {
        Capabilities.Builder b = Capabilities.builder();
        for (Operation op : Operation.values()) b.operation(op, of(unsupported(op)));
        for (MapType t : MapType.values()) b.mapType(t, t == MapType.UNSPEC ? Support.no("not a map type") : of(MapFactory.unsupported(t)));
        for (ProgramType t : ProgramType.values()) {
            b.programType(t, t == ProgramType.UNSPEC ? Support.no("not a program type") : of(ProgLoader.unsupported(t)));
        }
        for (AttachType t : AttachType.values()) b.attachType(t, of(AttachCmds.unsupported(t)));
        for (LinkType t : LinkType.values()) b.linkType(t, of(unsupported(t)));
        return b.build();
    }
}
