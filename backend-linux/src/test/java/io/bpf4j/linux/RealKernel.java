package io.bpf4j.linux;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.bpf4j.api.Availability;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Shared set-up of the tests that run against the real kernel: root check, the backend,
 * bpffs, a private cgroup, and counting BPF descriptors for the leak check.
 */
final class RealKernel {
    private RealKernel() {
    }

    /** Skips (never passes) when not root or when the backend cannot run here, saying why. */
    static LinuxBpf open() {
        assumeTrue(isRoot(), "needs root for bpf(): this process' effective uid is not 0");
        Availability a = new LinuxProvider().availability();
        assumeTrue(a.available(), () -> "linux backend unavailable: " + a.reason());
        return (LinuxBpf) new LinuxProvider().open();
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

    /**
     * Descriptors the tests can leak: BPF objects (maps, programs, links, BTF, iterators), perf
     * events, network namespaces, cgroup directories and bpffs files.
     */
    static long bpfDescriptors() {
        long n = 0;
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            for (Path p : (Iterable<Path>) s::iterator) {
                try {
                    String t = Files.readSymbolicLink(p).toString();
                    if (t.startsWith("anon_inode:bpf") || t.startsWith("anon_inode:btf") || t.startsWith("anon_inode:[bpf")
                            || t.equals("anon_inode:[perf_event]") || t.startsWith("net:[") || t.startsWith("/sys/fs/cgroup")
                            || t.startsWith("/sys/fs/bpf")) {
                        n++;
                    }
                } catch (IOException e) {
                    // closed meanwhile (the listing's own descriptor)
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return n;
    }

    /** Runs a command, failing the test when it fails. */
    static String run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static boolean mountedAs(String dir, String fstype) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
                String[] f = line.split(" ");
                if (f.length > 2 && f[1].equals(dir) && f[2].equals(fstype)) return true;
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    /** A private directory on bpffs, mounting bpffs at /sys/fs/bpf when it is missing. */
    static Path bpffsDir(String name) throws IOException {
        if (!mountedAs("/sys/fs/bpf", "bpf")) run("mount", "-t", "bpf", "bpf", "/sys/fs/bpf");
        Path dir = Path.of("/sys/fs/bpf", "bpf4j-linux-" + name + "-" + ProcessHandle.current().pid());
        Files.createDirectories(dir);
        return dir;
    }

    /** The cgroup v2 mount point, or null. */
    static String cgroup2() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/self/mounts"));
            for (String line : lines) {
                String[] f = line.split(" ");
                if (f.length > 2 && f[2].equals("cgroup2")) return f[1];
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    /** Opens a file or directory read-only through the native chokepoint; close with closeFd. */
    static int openReadOnly(String path) {
        io.bpf4j.linux.internal.sys.Syscalls sys = io.bpf4j.linux.internal.sys.NativeBinding.load().syscalls();
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocateDirect(path.length() * 3 + 1);
        b.put(path.getBytes(java.nio.charset.StandardCharsets.UTF_8)).put((byte) 0);
        int fd = sys.open(sys.address(b), 0x80000 /* O_RDONLY | O_CLOEXEC */, 0);
        if (fd < 0) throw new IllegalStateException("open " + path + ": errno " + -fd);
        return fd;
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (var s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted(java.util.Comparator.reverseOrder())::iterator) Files.deleteIfExists(p);
        }
    }
}
