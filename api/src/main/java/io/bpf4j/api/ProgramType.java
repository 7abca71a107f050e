package io.bpf4j.api;

/**
 * Program types.
 *
 * <p>Constants are named as in the Linux uapi ({@code include/uapi/linux/bpf.h}, Linux 6.18)
 * without the prefix. The numbers each platform uses live in the backends; a backend that has
 * no such type reports it unsupported in {@link Capabilities}.
 */
public enum ProgramType {
    /** The kernel's {@code BPF_PROG_TYPE_UNSPEC}. */
    UNSPEC,
    /** The kernel's {@code BPF_PROG_TYPE_SOCKET_FILTER}. */
    SOCKET_FILTER,
    /** The kernel's {@code BPF_PROG_TYPE_KPROBE}. */
    KPROBE,
    /** The kernel's {@code BPF_PROG_TYPE_SCHED_CLS}. */
    SCHED_CLS,
    /** The kernel's {@code BPF_PROG_TYPE_SCHED_ACT}. */
    SCHED_ACT,
    /** The kernel's {@code BPF_PROG_TYPE_TRACEPOINT}. */
    TRACEPOINT,
    /** The kernel's {@code BPF_PROG_TYPE_XDP}. */
    XDP,
    /** The kernel's {@code BPF_PROG_TYPE_PERF_EVENT}. */
    PERF_EVENT,
    /** The kernel's {@code BPF_PROG_TYPE_CGROUP_SKB}. */
    CGROUP_SKB,
    /** The kernel's {@code BPF_PROG_TYPE_CGROUP_SOCK}. */
    CGROUP_SOCK,
    /** The kernel's {@code BPF_PROG_TYPE_LWT_IN}. */
    LWT_IN,
    /** The kernel's {@code BPF_PROG_TYPE_LWT_OUT}. */
    LWT_OUT,
    /** The kernel's {@code BPF_PROG_TYPE_LWT_XMIT}. */
    LWT_XMIT,
    /** The kernel's {@code BPF_PROG_TYPE_SOCK_OPS}. */
    SOCK_OPS,
    /** The kernel's {@code BPF_PROG_TYPE_SK_SKB}. */
    SK_SKB,
    /** The kernel's {@code BPF_PROG_TYPE_CGROUP_DEVICE}. */
    CGROUP_DEVICE,
    /** The kernel's {@code BPF_PROG_TYPE_SK_MSG}. */
    SK_MSG,
    /** The kernel's {@code BPF_PROG_TYPE_RAW_TRACEPOINT}. */
    RAW_TRACEPOINT,
    /** The kernel's {@code BPF_PROG_TYPE_CGROUP_SOCK_ADDR}. */
    CGROUP_SOCK_ADDR,
    /** The kernel's {@code BPF_PROG_TYPE_LWT_SEG6LOCAL}. */
    LWT_SEG6LOCAL,
    /** The kernel's {@code BPF_PROG_TYPE_LIRC_MODE2}. */
    LIRC_MODE2,
    /** The kernel's {@code BPF_PROG_TYPE_SK_REUSEPORT}. */
    SK_REUSEPORT,
    /** The kernel's {@code BPF_PROG_TYPE_FLOW_DISSECTOR}. */
    FLOW_DISSECTOR,
    /** The kernel's {@code BPF_PROG_TYPE_CGROUP_SYSCTL}. */
    CGROUP_SYSCTL,
    /** The kernel's {@code BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE}. */
    RAW_TRACEPOINT_WRITABLE,
    /** The kernel's {@code BPF_PROG_TYPE_CGROUP_SOCKOPT}. */
    CGROUP_SOCKOPT,
    /** The kernel's {@code BPF_PROG_TYPE_TRACING}. */
    TRACING,
    /** The kernel's {@code BPF_PROG_TYPE_STRUCT_OPS}. */
    STRUCT_OPS,
    /** The kernel's {@code BPF_PROG_TYPE_EXT}. */
    EXT,
    /** The kernel's {@code BPF_PROG_TYPE_LSM}. */
    LSM,
    /** The kernel's {@code BPF_PROG_TYPE_SK_LOOKUP}. */
    SK_LOOKUP,
    /** The kernel's {@code BPF_PROG_TYPE_SYSCALL}. */
    SYSCALL,
    /** The kernel's {@code BPF_PROG_TYPE_NETFILTER}. */
    NETFILTER;
}
