package io.bpf4j.api;

/**
 * Output of {@code BPF_TASK_FD_QUERY}: what a perf event or raw tracepoint descriptor of a task
 * has attached.
 *
 * @param progId the attached program's id
 * @param fdType the kind of attachment ({@code BPF_FD_TYPE_*}: 0 raw tracepoint, 1 tracepoint,
 *     2 kprobe, 3 kretprobe, 4 uprobe, 5 uretprobe)
 * @param name the tracepoint name, kprobe function or uprobe file name
 * @param probeOffset the probe's offset
 * @param probeAddr the probe's address
 */
public record TaskFdQueryResult(int progId, int fdType, String name, long probeOffset, long probeAddr) {
}
