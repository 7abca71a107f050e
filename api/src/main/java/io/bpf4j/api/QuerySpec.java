package io.bpf4j.api;

import java.util.Objects;

/**
 * Attributes of {@code BPF_PROG_QUERY}.
 *
 * @param target the cgroup, netns or map descriptor, or the interface index
 * @param attachType the hook
 * @param queryFlags {@code BPF_F_QUERY_EFFECTIVE} (1) for the programs that really run on a cgroup
 */
public record QuerySpec(int target, AttachType attachType, int queryFlags) {
    /** {@code BPF_F_QUERY_EFFECTIVE}: list the effective programs of a cgroup. */
    public static final int EFFECTIVE = 1;

    /**
     * Checks the attach type.
     *
     * @throws NullPointerException if {@code attachType} is null
     */
    public QuerySpec {
        Objects.requireNonNull(attachType, "attachType");
    }
}
