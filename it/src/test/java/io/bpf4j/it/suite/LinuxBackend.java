package io.bpf4j.it.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

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
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * The real kernel. As root on Linux it must be available: a suite that finds it missing there
 * fails instead of skipping. It mounts bpffs when missing, pins under a directory of its own,
 * and fails the run when a bpf descriptor leaks.
 */
final class LinuxBackend implements Backend {
    private static final Path BPFFS = Path.of("/sys/fs/bpf");

    private final Path pinDir = BPFFS.resolve("bpf4j-it-" + ProcessHandle.current().pid());
    private List<String> bpfFdsAtOpen;

    @Override
    public Bpf open() {
        Assumptions.assumeTrue(System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("linux"),
                "the linux backend runs on Linux only");
        BpfProvider linux = Bpf.providers().stream().filter(p -> p.name().equals("linux")).findFirst()
                .orElseThrow(() -> new AssertionError("no linux provider on the test class path"));
        Availability a = linux.availability();
        if (!a.available()) {
            if (isRoot()) fail("running as root on Linux, yet the linux backend is unavailable: " + a.reason(), a.cause());
            Assumptions.abort("the linux backend is unavailable: " + a.reason());
        }
        bpfFdsAtOpen = bpfFds();
        return Bpf.open("linux");
    }

    static boolean isRoot() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/status"))) {
            return lines.filter(l -> l.startsWith("Uid:")).anyMatch(l -> l.split("\\s+")[2].equals("0"));
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public Profile profile() {
        return Profile.linux();
    }

    @Override
    public String pinDir() {
        try {
            if (!isBpffs()) {
                Files.createDirectories(BPFFS);
                Process p = new ProcessBuilder("mount", "-t", "bpf", "bpf", BPFFS.toString()).inheritIO().start();
                if (p.waitFor() != 0 || !isBpffs()) fail("bpffs is not mounted at " + BPFFS + " and mount failed");
            }
            Files.createDirectories(pinDir);
            return pinDir.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static boolean isBpffs() throws IOException {
        try (Stream<String> lines = Files.lines(Path.of("/proc/mounts"))) {
            return lines.map(l -> l.split(" ")).anyMatch(f -> f[1].equals(BPFFS.toString()) && f[2].equals("bpf"));
        }
    }

    @Override
    public void unpin(String path) {
        try {
            Files.deleteIfExists(Path.of(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public int loopbackIfindex() {
        try {
            return Integer.parseInt(Files.readString(Path.of("/sys/class/net/lo/ifindex")).trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void finish() {
        try {
            if (Files.isDirectory(pinDir)) {
                try (DirectoryStream<Path> left = Files.newDirectoryStream(pinDir)) {
                    for (Path p : left) Files.deleteIfExists(p);
                }
                Files.delete(pinDir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (bpfFdsAtOpen != null) assertEquals(bpfFdsAtOpen, bpfFds(), "bpf descriptors leaked by the suite");
    }

    /** This process's descriptors that refer to bpf objects (maps, programs, links, BTF). */
    static List<String> bpfFds() {
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("anon_inode:bpf") || target.startsWith("anon_inode:btf")) {
                        out.add(fd.getFileName() + " -> " + target);
                    }
                } catch (IOException gone) {
                    // the directory stream's own descriptor, closed by now
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.sort(null);
        return out;
    }
}
