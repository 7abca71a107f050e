package io.bpf4j.api;

/**
 * Attach types, for {@code BPF_PROG_ATTACH}, {@code BPF_LINK_CREATE} and the expected
 * attach type of a program load.
 *
 * <p>Constants are named as in the Linux uapi ({@code include/uapi/linux/bpf.h}, Linux 6.18)
 * without the prefix. The numbers each platform uses live in the backends; a backend that has
 * no such type reports it unsupported in {@link Capabilities}.
 */
public enum AttachType {
    /** The kernel's {@code BPF_CGROUP_INET_INGRESS}. */
    CGROUP_INET_INGRESS,
    /** The kernel's {@code BPF_CGROUP_INET_EGRESS}. */
    CGROUP_INET_EGRESS,
    /** The kernel's {@code BPF_CGROUP_INET_SOCK_CREATE}. */
    CGROUP_INET_SOCK_CREATE,
    /** The kernel's {@code BPF_CGROUP_SOCK_OPS}. */
    CGROUP_SOCK_OPS,
    /** The kernel's {@code BPF_SK_SKB_STREAM_PARSER}. */
    SK_SKB_STREAM_PARSER,
    /** The kernel's {@code BPF_SK_SKB_STREAM_VERDICT}. */
    SK_SKB_STREAM_VERDICT,
    /** The kernel's {@code BPF_CGROUP_DEVICE}. */
    CGROUP_DEVICE,
    /** The kernel's {@code BPF_SK_MSG_VERDICT}. */
    SK_MSG_VERDICT,
    /** The kernel's {@code BPF_CGROUP_INET4_BIND}. */
    CGROUP_INET4_BIND,
    /** The kernel's {@code BPF_CGROUP_INET6_BIND}. */
    CGROUP_INET6_BIND,
    /** The kernel's {@code BPF_CGROUP_INET4_CONNECT}. */
    CGROUP_INET4_CONNECT,
    /** The kernel's {@code BPF_CGROUP_INET6_CONNECT}. */
    CGROUP_INET6_CONNECT,
    /** The kernel's {@code BPF_CGROUP_INET4_POST_BIND}. */
    CGROUP_INET4_POST_BIND,
    /** The kernel's {@code BPF_CGROUP_INET6_POST_BIND}. */
    CGROUP_INET6_POST_BIND,
    /** The kernel's {@code BPF_CGROUP_UDP4_SENDMSG}. */
    CGROUP_UDP4_SENDMSG,
    /** The kernel's {@code BPF_CGROUP_UDP6_SENDMSG}. */
    CGROUP_UDP6_SENDMSG,
    /** The kernel's {@code BPF_LIRC_MODE2}. */
    LIRC_MODE2,
    /** The kernel's {@code BPF_FLOW_DISSECTOR}. */
    FLOW_DISSECTOR,
    /** The kernel's {@code BPF_CGROUP_SYSCTL}. */
    CGROUP_SYSCTL,
    /** The kernel's {@code BPF_CGROUP_UDP4_RECVMSG}. */
    CGROUP_UDP4_RECVMSG,
    /** The kernel's {@code BPF_CGROUP_UDP6_RECVMSG}. */
    CGROUP_UDP6_RECVMSG,
    /** The kernel's {@code BPF_CGROUP_GETSOCKOPT}. */
    CGROUP_GETSOCKOPT,
    /** The kernel's {@code BPF_CGROUP_SETSOCKOPT}. */
    CGROUP_SETSOCKOPT,
    /** The kernel's {@code BPF_TRACE_RAW_TP}. */
    TRACE_RAW_TP,
    /** The kernel's {@code BPF_TRACE_FENTRY}. */
    TRACE_FENTRY,
    /** The kernel's {@code BPF_TRACE_FEXIT}. */
    TRACE_FEXIT,
    /** The kernel's {@code BPF_MODIFY_RETURN}. */
    MODIFY_RETURN,
    /** The kernel's {@code BPF_LSM_MAC}. */
    LSM_MAC,
    /** The kernel's {@code BPF_TRACE_ITER}. */
    TRACE_ITER,
    /** The kernel's {@code BPF_CGROUP_INET4_GETPEERNAME}. */
    CGROUP_INET4_GETPEERNAME,
    /** The kernel's {@code BPF_CGROUP_INET6_GETPEERNAME}. */
    CGROUP_INET6_GETPEERNAME,
    /** The kernel's {@code BPF_CGROUP_INET4_GETSOCKNAME}. */
    CGROUP_INET4_GETSOCKNAME,
    /** The kernel's {@code BPF_CGROUP_INET6_GETSOCKNAME}. */
    CGROUP_INET6_GETSOCKNAME,
    /** The kernel's {@code BPF_XDP_DEVMAP}. */
    XDP_DEVMAP,
    /** The kernel's {@code BPF_CGROUP_INET_SOCK_RELEASE}. */
    CGROUP_INET_SOCK_RELEASE,
    /** The kernel's {@code BPF_XDP_CPUMAP}. */
    XDP_CPUMAP,
    /** The kernel's {@code BPF_SK_LOOKUP}. */
    SK_LOOKUP,
    /** The kernel's {@code BPF_XDP}. */
    XDP,
    /** The kernel's {@code BPF_SK_SKB_VERDICT}. */
    SK_SKB_VERDICT,
    /** The kernel's {@code BPF_SK_REUSEPORT_SELECT}. */
    SK_REUSEPORT_SELECT,
    /** The kernel's {@code BPF_SK_REUSEPORT_SELECT_OR_MIGRATE}. */
    SK_REUSEPORT_SELECT_OR_MIGRATE,
    /** The kernel's {@code BPF_PERF_EVENT}. */
    PERF_EVENT,
    /** The kernel's {@code BPF_TRACE_KPROBE_MULTI}. */
    TRACE_KPROBE_MULTI,
    /** The kernel's {@code BPF_LSM_CGROUP}. */
    LSM_CGROUP,
    /** The kernel's {@code BPF_STRUCT_OPS}. */
    STRUCT_OPS,
    /** The kernel's {@code BPF_NETFILTER}. */
    NETFILTER,
    /** The kernel's {@code BPF_TCX_INGRESS}. */
    TCX_INGRESS,
    /** The kernel's {@code BPF_TCX_EGRESS}. */
    TCX_EGRESS,
    /** The kernel's {@code BPF_TRACE_UPROBE_MULTI}. */
    TRACE_UPROBE_MULTI,
    /** The kernel's {@code BPF_CGROUP_UNIX_CONNECT}. */
    CGROUP_UNIX_CONNECT,
    /** The kernel's {@code BPF_CGROUP_UNIX_SENDMSG}. */
    CGROUP_UNIX_SENDMSG,
    /** The kernel's {@code BPF_CGROUP_UNIX_RECVMSG}. */
    CGROUP_UNIX_RECVMSG,
    /** The kernel's {@code BPF_CGROUP_UNIX_GETPEERNAME}. */
    CGROUP_UNIX_GETPEERNAME,
    /** The kernel's {@code BPF_CGROUP_UNIX_GETSOCKNAME}. */
    CGROUP_UNIX_GETSOCKNAME,
    /** The kernel's {@code BPF_NETKIT_PRIMARY}. */
    NETKIT_PRIMARY,
    /** The kernel's {@code BPF_NETKIT_PEER}. */
    NETKIT_PEER,
    /** The kernel's {@code BPF_TRACE_KPROBE_SESSION}. */
    TRACE_KPROBE_SESSION,
    /** The kernel's {@code BPF_TRACE_UPROBE_SESSION}. */
    TRACE_UPROBE_SESSION;
}
