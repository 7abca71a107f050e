package io.bpf4j.api;

/**
 * Program types.
 *
 * <p>Constants are named as in the Linux uapi ({@code include/uapi/linux/bpf.h}, Linux 6.18)
 * without the prefix. The numbers each platform uses live in the backends; a backend that has
 * no such type reports it unsupported in {@link Capabilities}.
 *
 * <p>The last constants, from {@link #BIND} on, are eBPF for Windows' own program types
 * ({@code enum bpf_prog_type} of its {@code include/ebpf_structs.h}), which Linux does not have
 * ({@link #windowsOnly()}): Linux backends report them unsupported and refuse them before any
 * call. They follow Linux's types so that a Linux type's number stays its position.
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
    NETFILTER,
    /**
     * eBPF for Windows only: {@code BPF_PROG_TYPE_BIND} (Windows number 2), socket bind
     * operations, attached to {@code BPF_ATTACH_TYPE_BIND}; registered by NetEbpfExt
     * (include/ebpf_structs.h@Release-v0.21.0:199, @v1.5.0:209).
     */
    BIND,
    /**
     * eBPF for Windows only: {@code BPF_PROG_TYPE_NETEVENT} (Windows number 5), network events;
     * registered by ntosebpfext, a separate project
     * (include/ebpf_structs.h@Release-v0.21.0:236, @v1.5.0:250).
     */
    NETEVENT,
    /**
     * eBPF for Windows only: {@code BPF_PROG_TYPE_PROCESS} (Windows number 6), process creation and
     * deletion; registered by ntosebpfext (include/ebpf_structs.h@Release-v0.21.0:248, @v1.5.0:262).
     */
    PROCESS,
    /**
     * eBPF for Windows 0.21.x only: {@code BPF_PROG_TYPE_XDP_TEST} (Windows number 998), which
     * NetEbpfExt registered through 0.21.x (include/ebpf_structs.h@Release-v0.21.0:258); gone from
     * 1.0.0-rc1 (absent from include/ebpf_structs.h@Release-v1.0.0-rc1:181-259).
     */
    XDP_TEST,
    /**
     * eBPF for Windows only: {@code BPF_PROG_TYPE_SAMPLE} (Windows number 999), the program type of
     * efW's sample extension, a test driver (include/ebpf_structs.h@Release-v0.21.0:267, @v1.5.0:271).
     */
    SAMPLE;

    /**
     * Whether this is one of eBPF for Windows' own program types, which Linux does not have.
     *
     * @return true for {@link #BIND}, {@link #NETEVENT}, {@link #PROCESS}, {@link #XDP_TEST} and
     *     {@link #SAMPLE}
     */
    public boolean windowsOnly() {
        return ordinal() > NETFILTER.ordinal();
    }
}
