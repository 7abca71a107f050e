package io.bpf4j.api;

/**
 * Output of {@code BPF_PROG_QUERY}: what is attached at a hook, in run order.
 *
 * @param attachFlags the hook's attach flags
 * @param programIds ids of the attached programs, in order
 * @param programAttachFlags each program's flags (cgroups), or an empty array
 * @param linkIds for each program the link holding it, or 0; empty where the hook has no links
 * @param linkAttachFlags each link's flags, or an empty array
 * @param revision the hook's revision (mprog hooks), else 0
 */
public record QueryResult(int attachFlags, int[] programIds, int[] programAttachFlags, int[] linkIds,
        int[] linkAttachFlags, long revision) {
}
