package io.bpf4j.it.container;

import java.util.List;

/**
 * One cell of the privilege matrix: the privileges a container runs bpf4j with, as
 * {@code docker run} flags. What the cell expects is not written here: it follows from the
 * {@code CapEff} the process reads inside ({@link Privileges}).
 */
enum Cell {
    /** {@code docker run IMAGE}: Docker's default capabilities and seccomp profile. */
    DEFAULT("docker defaults", List.of(), List.of(), false, null, Bpffs.NONE),
    /** {@code --cap-add SYS_ADMIN --security-opt seccomp=unconfined}. */
    SYS_ADMIN("CAP_SYS_ADMIN, seccomp unconfined", List.of("SYS_ADMIN"), List.of(), true, null, Bpffs.RW),
    /** {@code --cap-drop ALL --cap-add BPF --cap-add PERFMON --cap-add NET_ADMIN --security-opt seccomp=unconfined}. */
    NARROW("CAP_BPF, CAP_PERFMON, CAP_NET_ADMIN only, seccomp unconfined", List.of("BPF", "PERFMON", "NET_ADMIN"),
            List.of("ALL"), true, null, Bpffs.RW),
    /** {@code --user 1000:1000 --cap-drop ALL --security-opt seccomp=unconfined}. */
    USER("user 1000 without capabilities, seccomp unconfined", List.of(), List.of("ALL"), true, "1000:1000", Bpffs.RW),
    /** As {@link #SYS_ADMIN}, with nothing mounted at /sys/fs/bpf (pins go to a bpffs mounted elsewhere). */
    NO_BPFFS("CAP_SYS_ADMIN, seccomp unconfined, no bpffs at /sys/fs/bpf", List.of("SYS_ADMIN"), List.of(), true, null,
            Bpffs.NONE),
    /** As {@link #SYS_ADMIN}, with bpffs mounted read-only at /sys/fs/bpf (pins go to a bpffs mounted elsewhere). */
    BPFFS_READ_ONLY("CAP_SYS_ADMIN, seccomp unconfined, bpffs read-only at /sys/fs/bpf", List.of("SYS_ADMIN"), List.of(),
            true, null, Bpffs.RO);

    /** What the container has at /sys/fs/bpf. */
    enum Bpffs {
        /** nothing: the sysfs directory, not a bpffs */
        NONE,
        /** a bpffs directory of the host, writable */
        RW,
        /** a bpffs directory of the host, read-only */
        RO
    }

    final String title;
    final List<String> capAdd;
    final List<String> capDrop;
    final boolean seccompUnconfined;
    final String user;
    final Bpffs bpffs;

    Cell(String title, List<String> capAdd, List<String> capDrop, boolean seccompUnconfined, String user, Bpffs bpffs) {
        this.title = title;
        this.capAdd = capAdd;
        this.capDrop = capDrop;
        this.seccompUnconfined = seccompUnconfined;
        this.user = user;
        this.bpffs = bpffs;
    }

    /** The {@code docker run} flags of this cell, for messages and the docs. */
    String flags() {
        StringBuilder b = new StringBuilder();
        if (user != null) b.append(" --user ").append(user);
        for (String c : capDrop) b.append(" --cap-drop ").append(c);
        for (String c : capAdd) b.append(" --cap-add ").append(c);
        if (seccompUnconfined) b.append(" --security-opt seccomp=unconfined");
        return b.toString().strip();
    }

    /** Whether Docker's default seccomp profile is in effect and denies bpf() (it admits it by CAP_SYS_ADMIN only). */
    boolean seccompDeniesBpf() {
        return !seccompUnconfined && !capAdd.contains("SYS_ADMIN");
    }
}
