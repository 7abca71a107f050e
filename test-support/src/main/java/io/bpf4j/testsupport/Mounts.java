package io.bpf4j.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The kernel file systems the tests use, as {@code /proc/self/mounts} lists them. */
public final class Mounts {
    /** Where bpffs is mounted. */
    public static final Path BPFFS = Path.of("/sys/fs/bpf");
    /** Where tracefs is mounted. */
    public static final Path TRACEFS = Path.of("/sys/kernel/tracing");

    private Mounts() {
    }

    /**
     * Whether a file system of the type is mounted at the directory.
     *
     * @param dir the mount point
     * @param fstype e.g. {@code bpf}, {@code tracefs}, {@code cgroup2}
     * @return true when mounted there
     */
    public static boolean mountedAs(Path dir, String fstype) {
        return mounts().stream().anyMatch(f -> f[1].equals(dir.toString()) && f[2].equals(fstype));
    }

    /**
     * The cgroup v2 hierarchy: {@code /sys/fs/cgroup/unified} on hybrid systems, else the first
     * cgroup2 mount.
     *
     * @return its mount point, or empty when cgroup v2 is not mounted
     */
    public static Optional<Path> cgroup2() {
        Path unified = Path.of("/sys/fs/cgroup/unified");
        if (mountedAs(unified, "cgroup2")) return Optional.of(unified);
        return mounts().stream().filter(f -> f[2].equals("cgroup2")).map(f -> Path.of(f[1])).findFirst();
    }

    /** Each line of {@code /proc/self/mounts} split into its fields; empty off Linux. */
    private static List<String[]> mounts() {
        Path p = Path.of("/proc/self/mounts");
        if (!Files.exists(p)) return List.of();
        try {
            return Files.readAllLines(p).stream().map(l -> l.split(" ")).filter(f -> f.length > 2).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
