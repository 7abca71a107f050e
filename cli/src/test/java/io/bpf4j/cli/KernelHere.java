package io.bpf4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Assumptions;

/**
 * Whether the linux backend must work here, decided from the machine and never from the
 * providers under test: Linux, root, and bpffs mounted at {@code /sys/fs/bpf}.
 */
final class KernelHere {
    private KernelHere() {
    }

    /** Null when the kernel backend must be available here, else why it need not be. */
    static String whyNot() {
        if (!System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("linux")) return "not Linux";
        try {
            List<String> status = Files.readAllLines(Path.of("/proc/self/status"));
            boolean root = status.stream().anyMatch(l -> l.startsWith("Uid:") && l.split("\\s+")[2].equals("0"));
            if (!root) return "not root: this process' effective uid is not 0";
            boolean bpffs = Files.readAllLines(Path.of("/proc/self/mounts")).stream()
                    .map(l -> l.split(" ")).anyMatch(f -> f.length > 2 && f[1].equals("/sys/fs/bpf") && f[2].equals("bpf"));
            if (!bpffs) return "bpffs is not mounted at /sys/fs/bpf";
        } catch (IOException e) {
            return "cannot read /proc: " + e;
        }
        return null;
    }

    static boolean expected() {
        return whyNot() == null;
    }

    /** Skips, saying why, unless the named backend must work here; the simulator works anywhere. */
    static void assumeBackend(String name) {
        if (name.equals("sim")) return;
        if (!name.equals("linux")) throw new IllegalArgumentException("backend: no rule for \"" + name + "\"");
        String why = whyNot();
        Assumptions.assumeTrue(why == null, () -> "the linux backend cannot run here: " + why);
    }
}
