package io.bpf4j.api;

/**
 * Link types, as reported by link info.
 *
 * <p>Constants are named as in the Linux uapi ({@code include/uapi/linux/bpf.h}, Linux 6.18)
 * without the prefix. The numbers each platform uses live in the backends; a backend that has
 * no such type reports it unsupported in {@link Capabilities}.
 */
public enum LinkType {
    /** The kernel's {@code BPF_LINK_TYPE_UNSPEC}. */
    UNSPEC,
    /** The kernel's {@code BPF_LINK_TYPE_RAW_TRACEPOINT}. */
    RAW_TRACEPOINT,
    /** The kernel's {@code BPF_LINK_TYPE_TRACING}. */
    TRACING,
    /** The kernel's {@code BPF_LINK_TYPE_CGROUP}. */
    CGROUP,
    /** The kernel's {@code BPF_LINK_TYPE_ITER}. */
    ITER,
    /** The kernel's {@code BPF_LINK_TYPE_NETNS}. */
    NETNS,
    /** The kernel's {@code BPF_LINK_TYPE_XDP}. */
    XDP,
    /** The kernel's {@code BPF_LINK_TYPE_PERF_EVENT}. */
    PERF_EVENT,
    /** The kernel's {@code BPF_LINK_TYPE_KPROBE_MULTI}. */
    KPROBE_MULTI,
    /** The kernel's {@code BPF_LINK_TYPE_STRUCT_OPS}. */
    STRUCT_OPS,
    /** The kernel's {@code BPF_LINK_TYPE_NETFILTER}. */
    NETFILTER,
    /** The kernel's {@code BPF_LINK_TYPE_TCX}. */
    TCX,
    /** The kernel's {@code BPF_LINK_TYPE_UPROBE_MULTI}. */
    UPROBE_MULTI,
    /** The kernel's {@code BPF_LINK_TYPE_NETKIT}. */
    NETKIT,
    /** The kernel's {@code BPF_LINK_TYPE_SOCKMAP}. */
    SOCKMAP;
}
