package io.bpf4j.it.safety;

import static org.junit.jupiter.api.Assertions.fail;

import io.bpf4j.api.Availability;
import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/** The Linux backend for the safety tests, and the descriptor counts they check. */
final class RealLinux {
    static final Path BPFFS = Path.of("/sys/fs/bpf");

    private RealLinux() {
    }

    /** Opens the kernel backend, or skips where it cannot run (fails as root on Linux). */
    static Bpf open() {
        Assumptions.assumeTrue(System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("linux"),
                "the linux backend runs on Linux only");
        BpfProvider linux = Bpf.providers().stream().filter(p -> p.name().equals("linux")).findFirst()
                .orElseThrow(() -> new AssertionError("no linux provider on the test class path"));
        Availability a = linux.availability();
        if (!a.available()) {
            if (isRoot()) fail("running as root on Linux, yet the linux backend is unavailable: " + a.reason(), a.cause());
            Assumptions.abort("the linux backend is unavailable: " + a.reason());
        }
        return Bpf.open("linux");
    }

    static boolean isRoot() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/status"))) {
            return lines.filter(l -> l.startsWith("Uid:")).anyMatch(l -> l.split("\\s+")[2].equals("0"));
        } catch (IOException e) {
            return false;
        }
    }

    /** How many of this process' descriptors refer to BPF maps. */
    static int mapFds() {
        int n = 0;
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                try {
                    if (Files.readSymbolicLink(fd).toString().equals("anon_inode:bpf-map")) n++;
                } catch (IOException gone) {
                    // the listing's own descriptor, closed by now
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return n;
    }

    /** Whether bpffs is mounted, mounting it when it is not. */
    static Path bpffs() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/mounts"))) {
            if (lines.map(l -> l.split(" ")).anyMatch(f -> f[1].equals(BPFFS.toString()) && f[2].equals("bpf"))) {
                return BPFFS;
            }
            Process p = new ProcessBuilder("mount", "-t", "bpf", "bpf", BPFFS.toString()).inheritIO().start();
            if (p.waitFor() != 0) fail("bpffs is not mounted at " + BPFFS + " and mount failed");
            return BPFFS;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
