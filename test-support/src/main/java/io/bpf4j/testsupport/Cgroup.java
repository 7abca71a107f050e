package io.bpf4j.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A cgroup v2 directory the test made, named with {@link Host#prefix()}, and the processes the
 * test places in it. {@link #close()} moves stragglers out and removes the directory, even when
 * the test failed.
 */
public final class Cgroup implements AutoCloseable {
    private final Path dir;

    private Cgroup(Path dir) {
        this.dir = dir;
    }

    /**
     * Makes a fresh cgroup under the cgroup v2 root.
     *
     * @return it
     */
    public static Cgroup create() {
        Need.root();
        Path dir = Need.cgroup2().resolve(Host.fresh("cg"));
        try {
            Files.createDirectory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("mkdir " + dir, e);
        }
        return new Cgroup(dir);
    }

    /**
     * Its directory.
     *
     * @return the path under the cgroup v2 mount
     */
    public Path dir() {
        return dir;
    }

    /**
     * Runs a command as a process of this cgroup: a shell moves itself in, then execs the
     * command, so every packet and system call of the command belongs to the cgroup.
     *
     * @param cmd the command and its arguments
     * @return what it did
     */
    public Commands.Result runInside(List<String> cmd) {
        StringBuilder script = new StringBuilder("echo $$ > '" + dir.resolve("cgroup.procs") + "' && exec");
        for (String a : cmd) script.append(" '").append(a.replace("'", "'\\''")).append('\'');
        List<String> sh = new ArrayList<>(List.of("sh", "-c", script.toString()));
        return Commands.exec(sh);
    }

    @Override
    public void close() {
        try {
            Path procs = dir.resolve("cgroup.procs");
            for (int i = 0; i < 50 && Files.exists(procs); i++) {
                String left = Files.readString(procs).strip();
                if (left.isEmpty()) break;
                Path parent = dir.getParent().resolve("cgroup.procs");
                for (String pid : left.split("\\s+")) {
                    try {
                        Files.writeString(parent, pid);
                    } catch (IOException gone) {
                        // exited meanwhile
                    }
                }
                TimeUnit.MILLISECONDS.sleep(20);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("removing " + dir, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return dir.toString();
    }
}
