package io.bpf4j.sim.internal.prog;

import static io.bpf4j.api.AttachType.*;

import io.bpf4j.api.AttachType;
import io.bpf4j.api.ProgramType;
import java.util.EnumSet;
import java.util.Set;

/** Which program type each attach type takes ({@code attach_type_to_prog_type()} in {@code syscall.c}). */
public final class AttachRules {
    /** The attach types of {@code BPF_PROG_TYPE_CGROUP_SOCK_ADDR}. */
    public static final Set<AttachType> SOCK_ADDR = EnumSet.of(CGROUP_INET4_BIND, CGROUP_INET6_BIND,
            CGROUP_INET4_CONNECT, CGROUP_INET6_CONNECT, CGROUP_UNIX_CONNECT, CGROUP_INET4_GETPEERNAME,
            CGROUP_INET6_GETPEERNAME, CGROUP_UNIX_GETPEERNAME, CGROUP_INET4_GETSOCKNAME, CGROUP_INET6_GETSOCKNAME,
            CGROUP_UNIX_GETSOCKNAME, CGROUP_UDP4_SENDMSG, CGROUP_UDP6_SENDMSG, CGROUP_UNIX_SENDMSG,
            CGROUP_UDP4_RECVMSG, CGROUP_UDP6_RECVMSG, CGROUP_UNIX_RECVMSG);

    private AttachRules() {
    }

    /**
     * The program type an attach type takes.
     *
     * @param a the attach type
     * @return the program type, or {@link ProgramType#UNSPEC} when {@code BPF_PROG_ATTACH} has none
     */
    public static ProgramType progType(AttachType a) {
        if (SOCK_ADDR.contains(a)) return ProgramType.CGROUP_SOCK_ADDR;
        switch (a) {
            case CGROUP_INET_INGRESS: case CGROUP_INET_EGRESS: return ProgramType.CGROUP_SKB;
            case CGROUP_INET_SOCK_CREATE: case CGROUP_INET_SOCK_RELEASE: case CGROUP_INET4_POST_BIND:
            case CGROUP_INET6_POST_BIND:
                return ProgramType.CGROUP_SOCK;
            case CGROUP_SOCK_OPS: return ProgramType.SOCK_OPS;
            case CGROUP_DEVICE: return ProgramType.CGROUP_DEVICE;
            case SK_MSG_VERDICT: return ProgramType.SK_MSG;
            case SK_SKB_STREAM_PARSER: case SK_SKB_STREAM_VERDICT: case SK_SKB_VERDICT: return ProgramType.SK_SKB;
            case LIRC_MODE2: return ProgramType.LIRC_MODE2;
            case FLOW_DISSECTOR: return ProgramType.FLOW_DISSECTOR;
            case CGROUP_SYSCTL: return ProgramType.CGROUP_SYSCTL;
            case CGROUP_GETSOCKOPT: case CGROUP_SETSOCKOPT: return ProgramType.CGROUP_SOCKOPT;
            case TRACE_ITER: case TRACE_RAW_TP: case TRACE_FENTRY: case TRACE_FEXIT: case MODIFY_RETURN:
                return ProgramType.TRACING;
            case LSM_MAC: case LSM_CGROUP: return ProgramType.LSM;
            case SK_LOOKUP: return ProgramType.SK_LOOKUP;
            case XDP: return ProgramType.XDP;
            case TCX_INGRESS: case TCX_EGRESS: case NETKIT_PRIMARY: case NETKIT_PEER: return ProgramType.SCHED_CLS;
            default: return ProgramType.UNSPEC;
        }
    }

    /**
     * Whether an attach type is a cgroup hook.
     *
     * @param a the attach type
     * @return true for cgroup hooks
     */
    public static boolean isCgroup(AttachType a) {
        switch (progType(a)) {
            case CGROUP_SKB: case CGROUP_SOCK: case CGROUP_SOCK_ADDR: case SOCK_OPS: case CGROUP_DEVICE:
            case CGROUP_SYSCTL: case CGROUP_SOCKOPT:
                return true;
            default:
                return a == LSM_CGROUP;
        }
    }

    /**
     * {@code bpf_prog_attach_check_attach_type()}: whether a program may attach at a hook.
     *
     * @param p the program
     * @param a the hook
     * @return true when allowed
     */
    public static boolean progFits(SimProgram p, AttachType a) {
        switch (p.type()) {
            case CGROUP_SOCK: case CGROUP_SOCK_ADDR: case CGROUP_SOCKOPT: case SK_LOOKUP:
                return a == p.expectedAttachType();
            case CGROUP_SKB:
                return progType(a) == ProgramType.CGROUP_SKB;
            case SCHED_CLS:
                return a == TCX_INGRESS || a == TCX_EGRESS || a == NETKIT_PRIMARY || a == NETKIT_PEER;
            case NETFILTER:
                return a == NETFILTER;
            case PERF_EVENT: case TRACEPOINT:
                return a == PERF_EVENT;
            default:
                ProgramType t = progType(a);
                return t != ProgramType.UNSPEC && t == p.type();
        }
    }
}
