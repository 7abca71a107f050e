package io.bpf4j.api.object;

/**
 * How a program of an object is attached, derived from its section name as libbpf does. Some
 * hooks are fully named by the section ({@code tracepoint/syscalls/sys_enter_getpid}); others
 * take their target when attached (an interface, a cgroup, a binary).
 */
public enum Hook {
    /** Not attached by convention: run it with a test run, or attach it by hand (socket filters, tc classifiers, syscall programs ...). */
    NONE(false),
    /** {@code tracepoint/CATEGORY/NAME}, {@code tp/CATEGORY/NAME}: a perf event link; the section names the target. */
    TRACEPOINT(true),
    /** {@code raw_tp/NAME}, {@code raw_tracepoint/NAME} (and {@code .w}): the section names the target. */
    RAW_TRACEPOINT(true),
    /** {@code kprobe/FUNCTION[+OFFSET]}, {@code kretprobe/FUNCTION}: the section names the target. */
    KPROBE(true),
    /** {@code uprobe/...}, {@code uretprobe/...}: the binary and offset are given when attaching. */
    UPROBE(false),
    /** {@code kprobe.multi/PATTERN}: attached with the functions given when attaching. */
    KPROBE_MULTI(false),
    /** {@code uprobe.multi/...}: attached with the binary and offsets given when attaching. */
    UPROBE_MULTI(false),
    /** {@code xdp}: the interface is given when attaching. */
    XDP(false),
    /** {@code tcx/ingress}, {@code tcx/egress}, {@code tc/ingress}, {@code tc/egress}: the interface is given when attaching. */
    TCX(false),
    /** {@code netkit/primary}, {@code netkit/peer}: the netkit interface is given when attaching. */
    NETKIT(false),
    /** {@code cgroup_skb/...}, {@code cgroup/...}, {@code sockops}: the cgroup is given when attaching. */
    CGROUP(false),
    /** {@code flow_dissector}, {@code sk_lookup}: the network namespace is given when attaching. */
    NETNS(false),
    /** {@code sk_skb/...}, {@code sk_msg}: the sockmap or sockhash is given when attaching. */
    SOCKMAP(false),
    /** {@code fentry/}, {@code fexit/}, {@code fmod_ret/}, {@code tp_btf/}, {@code freplace/}: BTF-typed tracing. */
    TRACING(true),
    /** {@code lsm/HOOK}, {@code lsm_cgroup/HOOK}: BPF LSM. */
    LSM(true),
    /** {@code iter/TARGET}: an iterator link. */
    ITER(true),
    /** {@code perf_event}: the perf event is given when attaching. */
    PERF_EVENT(false),
    /** {@code netfilter}: the hook options are given when attaching. */
    NETFILTER(false),
    /** {@code struct_ops/...}: attached through its struct_ops map. */
    STRUCT_OPS(false);

    private final boolean named;

    Hook(boolean named) {
        this.named = named;
    }

    /**
     * Whether the section name says everything needed to attach (the target comes from it).
     *
     * @return true for tracepoints, raw tracepoints, kprobes and BTF-typed hooks
     */
    public boolean targetInSection() {
        return named;
    }
}
