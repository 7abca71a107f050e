package io.bpf4j.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Facts about the machine the tests run on, read from {@code /proc} and {@code /sys}, and the
 * names tests give the host objects they make.
 */
public final class Host {
    private static final AtomicInteger SEQ = new AtomicInteger();

    private Host() {
    }

    /**
     * Whether this is Linux.
     *
     * @return true on Linux
     */
    public static boolean linux() {
        return System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("linux");
    }

    /**
     * Whether this process runs as root.
     *
     * @return true when the effective uid is 0
     */
    public static boolean root() {
        return "0".equals(effectiveUid());
    }

    /** The effective uid from {@code /proc/self/status}, or "unknown". */
    static String effectiveUid() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/status"))) {
            return lines.filter(l -> l.startsWith("Uid:")).map(l -> l.split("\\s+")[2]).findFirst().orElse("unknown");
        } catch (IOException | UncheckedIOException e) {
            return "unknown";
        }
    }

    /**
     * The kernel release, as {@code uname -r} prints it.
     *
     * @return e.g. {@code 6.18.44}; off Linux, the JVM's {@code os.version}
     */
    public static String kernelRelease() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip();
        } catch (IOException e) {
            return System.getProperty("os.version");
        }
    }

    /**
     * The number of possible CPUs ({@code /sys/devices/system/cpu/possible}), which sizes per-CPU
     * map values.
     *
     * @return at least 1
     */
    public static int possibleCpus() {
        try {
            String s = Files.readString(Path.of("/sys/devices/system/cpu/possible")).strip();
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
     * The name every host object a test makes (network namespace, cgroup, pin) starts with, so
     * that {@link LeakCheck} finds what a test left behind.
     *
     * @return {@code b4j} and a number of this process
     */
    public static String prefix() {
        return "b4j" + ProcessHandle.current().pid() % 100000;
    }

    /**
     * A fresh short name for a host object: {@link #prefix()}, the kind, a sequence number. Short
     * enough for an interface name (15 bytes) with two more letters.
     *
     * @param kind one or two letters saying what it names
     * @return the name
     */
    public static String fresh(String kind) {
        return prefix() + kind + SEQ.incrementAndGet();
    }

    /**
     * Deletes a directory tree, deepest first; nothing when it does not exist.
     *
     * @param dir the tree
     */
    public static void deleteTree(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("deleting " + dir, e);
        }
    }
}
