package io.bpf4j.api;

import java.util.Objects;

/**
 * Attributes of {@code BPF_PROG_ATTACH} and {@code BPF_PROG_DETACH}.
 *
 * @param target the target: a cgroup, netns or map descriptor, or a network interface index
 *     (TCX, netkit); the kernel reads both from one slot
 * @param progFd the program to attach or detach (0 to detach whatever is attached, where the
 *     hook allows it)
 * @param attachType the hook
 * @param flags {@link AttachFlags} bits
 * @param replaceFd with {@link AttachFlags#REPLACE}: the program to replace, else 0
 * @param relative with {@link AttachFlags#BEFORE} / {@link AttachFlags#AFTER}: the relative
 *     program or link, as a descriptor or (with {@link AttachFlags#ID}) an id; else 0
 * @param expectedRevision mprog hooks: fail with ESTALE unless the hook is at this revision; 0
 *     to skip the check
 */
public record AttachSpec(int target, int progFd, AttachType attachType, int flags, int replaceFd, int relative,
        long expectedRevision) {
    /**
     * Checks the attach type.
     *
     * @throws NullPointerException if {@code attachType} is null
     */
    public AttachSpec {
        Objects.requireNonNull(attachType, "attachType");
        if (expectedRevision < 0) throw new IllegalArgumentException("expectedRevision: negative");
    }

    /**
     * A plain attach.
     *
     * @param target target descriptor or ifindex
     * @param progFd the program
     * @param attachType the hook
     * @param flags {@link AttachFlags} bits
     * @return the spec
     */
    public static AttachSpec of(int target, int progFd, AttachType attachType, int flags) {
        return new AttachSpec(target, progFd, attachType, flags, 0, 0, 0);
    }
}
