package io.bpf4j.it.diff;

import com.sun.jna.Library;
import com.sun.jna.Native;
import io.bpf4j.api.Availability;
import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;

/**
 * The host side of a differential run: whether the real kernel can be the oracle here, the
 * thread the kernel side runs on (pinned to CPU 0, optionally inside a network namespace), and
 * the host objects a scenario needs (bpffs directory, network namespace, cgroup), named with
 * {@link #prefix()} so leftovers are found.
 */
public final class DiffHost {
    private DiffHost() {
    }

    /** The libc calls the harness makes itself. */
    interface LibC extends Library {
        LibC INSTANCE = Native.load("c", LibC.class);

        int open(String path, int flags);

        int close(int fd);

        int setns(int fd, int nstype);

        int sched_setaffinity(int pid, long size, long[] mask);

        int sched_getcpu();
    }

    private static final int CLONE_NEWNET = 0x40000000;
    private static final AtomicInteger SEQ = new AtomicInteger();
    static final Path BPFFS = Path.of("/sys/fs/bpf");

    /** Possible CPUs of this machine; the simulator is built with the same number. */
    public static final int CPUS = possibleCpus();

    /** Skips off Linux or without root; fails when root on Linux cannot use bpf(). */
    public static void requireKernel() {
        Assumptions.assumeTrue(System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("linux"),
                "differential tests need the Linux kernel as their oracle");
        Assumptions.assumeTrue(isRoot(), "differential tests need root: this process' effective uid is not 0");
        BpfProvider linux = Bpf.providers().stream().filter(p -> p.name().equals("linux")).findFirst()
                .orElseThrow(() -> new AssertionError("no linux provider on the test class path"));
        Availability a = linux.availability();
        if (!a.available()) throw new AssertionError("root on Linux, yet the linux backend is unavailable: " + a.reason(), a.cause());
    }

    static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) return line.split("\\s+")[2].equals("0");
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    static String prefix() {
        return "b4jdiff" + ProcessHandle.current().pid() % 100000;
    }

    static String fresh(String kind) {
        return prefix() + kind + SEQ.incrementAndGet();
    }

    private static int possibleCpus() {
        try {
            String s = Files.readString(Path.of("/sys/devices/system/cpu/possible")).trim();
            int n = 0;
            for (String part : s.split(",")) {
                String[] r = part.split("-");
                n += r.length == 1 ? 1 : Integer.parseInt(r[1]) - Integer.parseInt(r[0]) + 1;
            }
            return n;
        } catch (IOException | RuntimeException e) {
            return Runtime.getRuntime().availableProcessors();
        }
    }

    /**
     * Runs {@code body} on a fresh thread pinned to CPU 0 (the simulator runs syscalls on CPU 0,
     * which decides LRU eviction), inside network namespace {@code netns} when it is not null.
     */
    static <T> T onCpu0(String netns, Callable<T> body) {
        FutureTask<T> task = new FutureTask<>(() -> {
            if (LibC.INSTANCE.sched_setaffinity(0, 8, new long[] {1L}) != 0) {
                throw new IllegalStateException("sched_setaffinity(cpu 0): errno " + Native.getLastError());
            }
            if (netns != null) {
                int fd = LibC.INSTANCE.open("/run/netns/" + netns, 0x80000 /* O_RDONLY|O_CLOEXEC */);
                if (fd < 0) throw new IllegalStateException("open /run/netns/" + netns + ": errno " + Native.getLastError());
                try {
                    if (LibC.INSTANCE.setns(fd, CLONE_NEWNET) != 0) {
                        throw new IllegalStateException("setns(" + netns + "): errno " + Native.getLastError());
                    }
                } finally {
                    LibC.INSTANCE.close(fd);
                }
            }
            if (LibC.INSTANCE.sched_getcpu() != 0) throw new IllegalStateException("pinned thread is not on CPU 0");
            return body.call();
        });
        Thread t = new Thread(task, "diff-linux-cpu0");
        t.start();
        try {
            return task.get();
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException) throw (RuntimeException) c;
            if (c instanceof Error) throw (Error) c;
            throw new IllegalStateException(c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A directory on the real bpffs (mounted when missing) for one scenario's pins. */
    static Path makePinDir() {
        try {
            if (!isBpffs()) {
                Files.createDirectories(BPFFS);
                run("mount", "-t", "bpf", "bpf", BPFFS.toString());
                if (!isBpffs()) throw new IllegalStateException("bpffs is not mounted at " + BPFFS + " and mount failed");
            }
            Path dir = BPFFS.resolve(fresh("p"));
            Files.createDirectory(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes a scenario's pin directory and whatever pins it still holds. */
    static void removeDir(Path dir) {
        if (dir == null || !Files.isDirectory(dir)) return;
        try (DirectoryStream<Path> left = Files.newDirectoryStream(dir)) {
            for (Path p : left) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            Files.delete(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String cgroup2Root() {
        try {
            if (Files.exists(Path.of("/sys/fs/cgroup/unified/cgroup.procs"))) return "/sys/fs/cgroup/unified";
            for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
                String[] f = line.split(" ");
                if (f.length > 2 && f[2].equals("cgroup2")) return f[1];
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    /** Runs a command with a deadline; throws with its output when it fails. */
    static String run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", cmd) + " hung: " + out);
            }
            if (p.exitValue() != 0) throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean isBpffs() throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/mounts"))) {
            String[] f = l.split(" ");
            if (f[1].equals(BPFFS.toString()) && f[2].equals("bpf")) return true;
        }
        return false;
    }

    /** This process' descriptors of BPF objects, network namespaces, cgroups and bpffs paths. */
    public static List<String> descriptors() {
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                try {
                    String t = Files.readSymbolicLink(fd).toString();
                    if (t.startsWith("anon_inode:bpf") || t.startsWith("anon_inode:btf") || t.startsWith("anon_inode:[bpf")
                            || t.startsWith("net:[") || t.startsWith("/sys/fs/cgroup") || t.startsWith("/sys/fs/bpf")
                            || t.startsWith("/run/netns")) {
                        out.add(fd.getFileName() + " -> " + t);
                    }
                } catch (IOException gone) {
                    // the listing's own descriptor
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.sort(null);
        return out;
    }

    /** Host objects with this run's prefix that still exist. */
    static List<String> leftovers() {
        List<String> out = new ArrayList<>();
        String cg = cgroup2Root();
        for (String dir : new String[] {"/run/netns", cg, BPFFS.toString()}) {
            if (dir == null || !Files.isDirectory(Path.of(dir))) continue;
            try (DirectoryStream<Path> s = Files.newDirectoryStream(Path.of(dir), prefix() + "*")) {
                for (Path x : s) out.add(x.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }
}
