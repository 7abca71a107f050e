package io.bpf4j.it.attach;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A cgroup v2 directory made by the test under {@code /sys/fs/cgroup/unified} (or wherever
 * cgroup2 is mounted), and the processes the test places in it. {@link #close()} waits for those
 * processes, moves stragglers out and removes the directory, even when the test failed.
 */
final class TestCgroup implements AutoCloseable {
    final Path dir;

    TestCgroup() {
        String root = cgroup2Root();
        Assumptions.assumeTrue(root != null, "needs a cgroup v2 mount (none in /proc/self/mounts)");
        dir = Path.of(root, Host.name("cg"));
        try {
            Files.createDirectory(dir);
        } catch (IOException e) {
            throw new IllegalStateException("mkdir " + dir + ": " + e, e);
        }
    }

    static String cgroup2Root() {
        try {
            if (Files.isDirectory(Path.of("/sys/fs/cgroup/unified")) && Files.exists(Path.of("/sys/fs/cgroup/unified/cgroup.procs"))) {
                return "/sys/fs/cgroup/unified";
            }
            for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
                String[] f = line.split(" ");
                if (f.length > 2 && f[2].equals("cgroup2")) return f[1];
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    String path() {
        return dir.toString();
    }

    /**
     * Runs a command as a process of this cgroup: the shell moves itself in before it execs the
     * command, so every packet and system call of the command belongs to the cgroup.
     */
    Host.Result runInside(String command) {
        return Host.exec("sh", "-c", "echo $$ > " + dir.resolve("cgroup.procs") + " && exec " + command);
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
            throw new IllegalStateException("removing " + dir + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
