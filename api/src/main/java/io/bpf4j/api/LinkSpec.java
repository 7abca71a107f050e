package io.bpf4j.api;

import java.util.Objects;

/**
 * Attributes of {@code BPF_LINK_CREATE}.
 *
 * {@snippet :
 * // A TCX ingress link that runs before every other program on the interface:
 * LinkSpec spec = new LinkSpec(progFd, ifindex, AttachType.TCX_INGRESS, AttachFlags.BEFORE,
 *         new LinkOptions.Mprog(0, 0));
 * }
 *
 * @param progFd the program
 * @param target the target slot: a cgroup, netns, map or perf event descriptor, an interface
 *     index (XDP, TCX, netkit), a BTF object (tracing), or 0; on eBPF for Windows, which has no
 *     cgroups, the network compartment id of the sock_addr and sock_ops hooks (0: every one)
 * @param attachType the hook
 * @param flags hook-specific flags ({@link AttachFlags} for mprog hooks, XDP mode flags for XDP,
 *     {@code BPF_F_KPROBE_MULTI_RETURN} ...)
 * @param options the hook's own attributes; {@link LinkOptions.None} when it has none
 */
public record LinkSpec(int progFd, int target, AttachType attachType, int flags, LinkOptions options) {
    /**
     * Checks required fields.
     *
     * @throws NullPointerException naming the missing attribute
     */
    public LinkSpec {
        Objects.requireNonNull(attachType, "attachType");
        options = options == null ? LinkOptions.None.INSTANCE : options;
    }

    /**
     * A link with no hook-specific options.
     *
     * @param progFd the program
     * @param target the target descriptor or ifindex
     * @param attachType the hook
     * @param flags flags
     * @return the spec
     */
    public static LinkSpec of(int progFd, int target, AttachType attachType, int flags) {
        return new LinkSpec(progFd, target, attachType, flags, LinkOptions.None.INSTANCE);
    }
}
