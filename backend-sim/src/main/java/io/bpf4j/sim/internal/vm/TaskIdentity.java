package io.bpf4j.sim.internal.vm;

import java.util.Objects;

/**
 * The task a program runs on behalf of, as {@code bpf_get_current_pid_tgid},
 * {@code bpf_get_current_uid_gid} and {@code bpf_get_current_comm} report it.
 *
 * @param pid the thread id (the kernel's {@code pid})
 * @param tgid the process id (the kernel's {@code tgid})
 * @param uid the user id
 * @param gid the group id
 * @param comm the task name, at most 15 bytes as the kernel keeps it
 */
public record TaskIdentity(int pid, int tgid, int uid, int gid, String comm) {
    /** Checks the name. */
    public TaskIdentity {
        Objects.requireNonNull(comm, "comm");
    }

    /**
     * The identity of the JVM's process, with the pid as both thread and process id.
     *
     * @return an identity named {@code java}
     */
    public static TaskIdentity ofThisProcess() {
        int pid = (int) ProcessHandle.current().pid();
        return new TaskIdentity(pid, pid, 0, 0, "java");
    }
}
