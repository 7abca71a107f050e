package io.bpf4j.api.object;

import io.bpf4j.api.AttachType;
import io.bpf4j.api.ProgramFlags;
import io.bpf4j.api.ProgramType;
import java.util.ArrayList;
import java.util.List;

/**
 * libbpf's section-name conventions ({@code section_defs[]} in {@code tools/lib/bpf/libbpf.c},
 * libbpf 1.5): a section name gives a program its type, the attach type it is verified for,
 * its load flags and its hook. A convention written {@code name+} matches {@code name} itself
 * and {@code name/anything}; one without {@code +} matches only exactly.
 */
final class Sections {

    /**
     * What a section name means.
     *
     * @param type the program type
     * @param expectedAttachType passed with the load, or null
     * @param flags {@link ProgramFlags} bits passed with the load
     * @param hook how it attaches
     * @param target what follows the convention's {@code /}, e.g. {@code syscalls/sys_enter_getpid}, or empty
     * @param refusal why a program of this section cannot be loaded, or null
     */
    record Convention(ProgramType type, AttachType expectedAttachType, int flags, Hook hook, String target, String refusal) {
        Convention(ProgramType type, AttachType expectedAttachType, int flags, Hook hook, String target) {
            this(type, expectedAttachType, flags, hook, target, null);
        }
    }

    private record Def(String name, boolean plus, ProgramType type, AttachType eat, int flags, Hook hook) {
    }

    private static final int SLEEP = ProgramFlags.SLEEPABLE;
    private static final int FRAGS = ProgramFlags.XDP_HAS_FRAGS;
    private static final List<Def> DEFS = new ArrayList<>();

    private static void def(String name, ProgramType type, AttachType eat, int flags, Hook hook) {
        boolean plus = name.endsWith("+");
        DEFS.add(new Def(plus ? name.substring(0, name.length() - 1) : name, plus, type, eat, flags, hook));
    }

    static {
        ProgramType kp = ProgramType.KPROBE;
        def("socket", ProgramType.SOCKET_FILTER, null, 0, Hook.NONE);
        def("sk_reuseport/migrate", ProgramType.SK_REUSEPORT, AttachType.SK_REUSEPORT_SELECT_OR_MIGRATE, 0, Hook.NONE);
        def("sk_reuseport", ProgramType.SK_REUSEPORT, AttachType.SK_REUSEPORT_SELECT, 0, Hook.NONE);
        def("kprobe+", kp, null, 0, Hook.KPROBE);
        def("uprobe+", kp, null, 0, Hook.UPROBE);
        def("uprobe.s+", kp, null, SLEEP, Hook.UPROBE);
        def("kretprobe+", kp, null, 0, Hook.KPROBE);
        def("uretprobe+", kp, null, 0, Hook.UPROBE);
        def("uretprobe.s+", kp, null, SLEEP, Hook.UPROBE);
        def("kprobe.multi+", kp, AttachType.TRACE_KPROBE_MULTI, 0, Hook.KPROBE_MULTI);
        def("kretprobe.multi+", kp, AttachType.TRACE_KPROBE_MULTI, 0, Hook.KPROBE_MULTI);
        def("kprobe.session+", kp, AttachType.TRACE_KPROBE_SESSION, 0, Hook.KPROBE_MULTI);
        def("uprobe.multi+", kp, AttachType.TRACE_UPROBE_MULTI, 0, Hook.UPROBE_MULTI);
        def("uretprobe.multi+", kp, AttachType.TRACE_UPROBE_MULTI, 0, Hook.UPROBE_MULTI);
        def("uprobe.session+", kp, AttachType.TRACE_UPROBE_SESSION, 0, Hook.UPROBE_MULTI);
        def("uprobe.multi.s+", kp, AttachType.TRACE_UPROBE_MULTI, SLEEP, Hook.UPROBE_MULTI);
        def("uretprobe.multi.s+", kp, AttachType.TRACE_UPROBE_MULTI, SLEEP, Hook.UPROBE_MULTI);
        def("uprobe.session.s+", kp, AttachType.TRACE_UPROBE_SESSION, SLEEP, Hook.UPROBE_MULTI);
        def("ksyscall+", kp, null, 0, Hook.KPROBE);
        def("kretsyscall+", kp, null, 0, Hook.KPROBE);
        def("usdt+", kp, null, 0, Hook.UPROBE);
        def("usdt.s+", kp, null, SLEEP, Hook.UPROBE);
        def("tc/ingress", ProgramType.SCHED_CLS, AttachType.TCX_INGRESS, 0, Hook.TCX);
        def("tc/egress", ProgramType.SCHED_CLS, AttachType.TCX_EGRESS, 0, Hook.TCX);
        def("tcx/ingress", ProgramType.SCHED_CLS, AttachType.TCX_INGRESS, 0, Hook.TCX);
        def("tcx/egress", ProgramType.SCHED_CLS, AttachType.TCX_EGRESS, 0, Hook.TCX);
        def("tc", ProgramType.SCHED_CLS, null, 0, Hook.NONE);
        def("classifier", ProgramType.SCHED_CLS, null, 0, Hook.NONE);
        def("action", ProgramType.SCHED_ACT, null, 0, Hook.NONE);
        def("netkit/primary", ProgramType.SCHED_CLS, AttachType.NETKIT_PRIMARY, 0, Hook.NETKIT);
        def("netkit/peer", ProgramType.SCHED_CLS, AttachType.NETKIT_PEER, 0, Hook.NETKIT);
        def("tracepoint+", ProgramType.TRACEPOINT, null, 0, Hook.TRACEPOINT);
        def("tp+", ProgramType.TRACEPOINT, null, 0, Hook.TRACEPOINT);
        def("raw_tracepoint+", ProgramType.RAW_TRACEPOINT, null, 0, Hook.RAW_TRACEPOINT);
        def("raw_tp+", ProgramType.RAW_TRACEPOINT, null, 0, Hook.RAW_TRACEPOINT);
        def("raw_tracepoint.w+", ProgramType.RAW_TRACEPOINT_WRITABLE, null, 0, Hook.RAW_TRACEPOINT);
        def("raw_tp.w+", ProgramType.RAW_TRACEPOINT_WRITABLE, null, 0, Hook.RAW_TRACEPOINT);
        def("tp_btf+", ProgramType.TRACING, AttachType.TRACE_RAW_TP, 0, Hook.TRACING);
        def("fentry+", ProgramType.TRACING, AttachType.TRACE_FENTRY, 0, Hook.TRACING);
        def("fmod_ret+", ProgramType.TRACING, AttachType.MODIFY_RETURN, 0, Hook.TRACING);
        def("fexit+", ProgramType.TRACING, AttachType.TRACE_FEXIT, 0, Hook.TRACING);
        def("fentry.s+", ProgramType.TRACING, AttachType.TRACE_FENTRY, SLEEP, Hook.TRACING);
        def("fmod_ret.s+", ProgramType.TRACING, AttachType.MODIFY_RETURN, SLEEP, Hook.TRACING);
        def("fexit.s+", ProgramType.TRACING, AttachType.TRACE_FEXIT, SLEEP, Hook.TRACING);
        def("freplace+", ProgramType.EXT, null, 0, Hook.TRACING);
        def("lsm+", ProgramType.LSM, AttachType.LSM_MAC, 0, Hook.LSM);
        def("lsm.s+", ProgramType.LSM, AttachType.LSM_MAC, SLEEP, Hook.LSM);
        def("lsm_cgroup+", ProgramType.LSM, AttachType.LSM_CGROUP, 0, Hook.LSM);
        def("iter+", ProgramType.TRACING, AttachType.TRACE_ITER, 0, Hook.ITER);
        def("iter.s+", ProgramType.TRACING, AttachType.TRACE_ITER, SLEEP, Hook.ITER);
        def("syscall", ProgramType.SYSCALL, null, SLEEP, Hook.NONE);
        def("xdp.frags/devmap", ProgramType.XDP, AttachType.XDP_DEVMAP, FRAGS, Hook.NONE);
        def("xdp/devmap", ProgramType.XDP, AttachType.XDP_DEVMAP, 0, Hook.NONE);
        def("xdp.frags/cpumap", ProgramType.XDP, AttachType.XDP_CPUMAP, FRAGS, Hook.NONE);
        def("xdp/cpumap", ProgramType.XDP, AttachType.XDP_CPUMAP, 0, Hook.NONE);
        def("xdp.frags", ProgramType.XDP, AttachType.XDP, FRAGS, Hook.XDP);
        def("xdp", ProgramType.XDP, AttachType.XDP, 0, Hook.XDP);
        def("perf_event", ProgramType.PERF_EVENT, null, 0, Hook.PERF_EVENT);
        def("lwt_in", ProgramType.LWT_IN, null, 0, Hook.NONE);
        def("lwt_out", ProgramType.LWT_OUT, null, 0, Hook.NONE);
        def("lwt_xmit", ProgramType.LWT_XMIT, null, 0, Hook.NONE);
        def("lwt_seg6local", ProgramType.LWT_SEG6LOCAL, null, 0, Hook.NONE);
        def("sockops", ProgramType.SOCK_OPS, AttachType.CGROUP_SOCK_OPS, 0, Hook.CGROUP);
        def("sk_skb/stream_parser", ProgramType.SK_SKB, AttachType.SK_SKB_STREAM_PARSER, 0, Hook.SOCKMAP);
        def("sk_skb/stream_verdict", ProgramType.SK_SKB, AttachType.SK_SKB_STREAM_VERDICT, 0, Hook.SOCKMAP);
        def("sk_skb/verdict", ProgramType.SK_SKB, AttachType.SK_SKB_VERDICT, 0, Hook.SOCKMAP);
        def("sk_skb", ProgramType.SK_SKB, null, 0, Hook.NONE);
        def("sk_msg", ProgramType.SK_MSG, AttachType.SK_MSG_VERDICT, 0, Hook.SOCKMAP);
        def("lirc_mode2", ProgramType.LIRC_MODE2, AttachType.LIRC_MODE2, 0, Hook.NONE);
        def("flow_dissector", ProgramType.FLOW_DISSECTOR, AttachType.FLOW_DISSECTOR, 0, Hook.NETNS);
        def("cgroup_skb/ingress", ProgramType.CGROUP_SKB, AttachType.CGROUP_INET_INGRESS, 0, Hook.CGROUP);
        def("cgroup_skb/egress", ProgramType.CGROUP_SKB, AttachType.CGROUP_INET_EGRESS, 0, Hook.CGROUP);
        def("cgroup/skb", ProgramType.CGROUP_SKB, null, 0, Hook.NONE);
        def("cgroup/sock_create", ProgramType.CGROUP_SOCK, AttachType.CGROUP_INET_SOCK_CREATE, 0, Hook.CGROUP);
        def("cgroup/sock_release", ProgramType.CGROUP_SOCK, AttachType.CGROUP_INET_SOCK_RELEASE, 0, Hook.CGROUP);
        def("cgroup/sock", ProgramType.CGROUP_SOCK, AttachType.CGROUP_INET_SOCK_CREATE, 0, Hook.CGROUP);
        def("cgroup/post_bind4", ProgramType.CGROUP_SOCK, AttachType.CGROUP_INET4_POST_BIND, 0, Hook.CGROUP);
        def("cgroup/post_bind6", ProgramType.CGROUP_SOCK, AttachType.CGROUP_INET6_POST_BIND, 0, Hook.CGROUP);
        ProgramType sa = ProgramType.CGROUP_SOCK_ADDR;
        def("cgroup/bind4", sa, AttachType.CGROUP_INET4_BIND, 0, Hook.CGROUP);
        def("cgroup/bind6", sa, AttachType.CGROUP_INET6_BIND, 0, Hook.CGROUP);
        def("cgroup/connect4", sa, AttachType.CGROUP_INET4_CONNECT, 0, Hook.CGROUP);
        def("cgroup/connect6", sa, AttachType.CGROUP_INET6_CONNECT, 0, Hook.CGROUP);
        def("cgroup/connect_unix", sa, AttachType.CGROUP_UNIX_CONNECT, 0, Hook.CGROUP);
        def("cgroup/sendmsg4", sa, AttachType.CGROUP_UDP4_SENDMSG, 0, Hook.CGROUP);
        def("cgroup/sendmsg6", sa, AttachType.CGROUP_UDP6_SENDMSG, 0, Hook.CGROUP);
        def("cgroup/sendmsg_unix", sa, AttachType.CGROUP_UNIX_SENDMSG, 0, Hook.CGROUP);
        def("cgroup/recvmsg4", sa, AttachType.CGROUP_UDP4_RECVMSG, 0, Hook.CGROUP);
        def("cgroup/recvmsg6", sa, AttachType.CGROUP_UDP6_RECVMSG, 0, Hook.CGROUP);
        def("cgroup/recvmsg_unix", sa, AttachType.CGROUP_UNIX_RECVMSG, 0, Hook.CGROUP);
        def("cgroup/getpeername4", sa, AttachType.CGROUP_INET4_GETPEERNAME, 0, Hook.CGROUP);
        def("cgroup/getpeername6", sa, AttachType.CGROUP_INET6_GETPEERNAME, 0, Hook.CGROUP);
        def("cgroup/getpeername_unix", sa, AttachType.CGROUP_UNIX_GETPEERNAME, 0, Hook.CGROUP);
        def("cgroup/getsockname4", sa, AttachType.CGROUP_INET4_GETSOCKNAME, 0, Hook.CGROUP);
        def("cgroup/getsockname6", sa, AttachType.CGROUP_INET6_GETSOCKNAME, 0, Hook.CGROUP);
        def("cgroup/getsockname_unix", sa, AttachType.CGROUP_UNIX_GETSOCKNAME, 0, Hook.CGROUP);
        def("cgroup/sysctl", ProgramType.CGROUP_SYSCTL, AttachType.CGROUP_SYSCTL, 0, Hook.CGROUP);
        def("cgroup/getsockopt", ProgramType.CGROUP_SOCKOPT, AttachType.CGROUP_GETSOCKOPT, 0, Hook.CGROUP);
        def("cgroup/setsockopt", ProgramType.CGROUP_SOCKOPT, AttachType.CGROUP_SETSOCKOPT, 0, Hook.CGROUP);
        def("cgroup/dev", ProgramType.CGROUP_DEVICE, AttachType.CGROUP_DEVICE, 0, Hook.CGROUP);
        def("struct_ops+", ProgramType.STRUCT_OPS, null, 0, Hook.STRUCT_OPS);
        def("struct_ops.s+", ProgramType.STRUCT_OPS, null, SLEEP, Hook.STRUCT_OPS);
        def("sk_lookup", ProgramType.SK_LOOKUP, AttachType.SK_LOOKUP, 0, Hook.NETNS);
        def("netfilter", ProgramType.NETFILTER, AttachType.NETFILTER, 0, Hook.NETFILTER);
    }

    private Sections() {
    }

    /**
     * The convention a section name follows.
     *
     * @param section the section's name
     * @return its meaning, or null when it follows none
     */
    static Convention of(String section) {
        for (Def d : DEFS) {
            String target;
            if (section.equals(d.name())) {
                target = "";
            } else if (d.plus() && section.startsWith(d.name()) && section.charAt(d.name().length()) == '/') {
                target = section.substring(d.name().length() + 1);
            } else {
                continue;
            }
            return new Convention(d.type(), d.eat(), d.flags(), d.hook(), target);
        }
        return null;
    }

    /** A few convention names, for the message when a section follows none. */
    static String examples() {
        return "xdp, tc, tcx/ingress, socket, kprobe/..., uprobe/..., tracepoint/CAT/NAME, raw_tp/..., fentry/..., "
                + "lsm/..., iter/..., cgroup_skb/ingress, cgroup/connect4, sk_skb/stream_verdict, sk_msg, syscall, ...";
    }
}
