package io.bpf4j.it.safety;

import io.bpf4j.api.Bpf;
import io.bpf4j.it.LinuxKernel;
import io.bpf4j.testsupport.Need;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** The Linux backend for the safety tests, and the descriptor counts they check. */
final class RealLinux {
    private RealLinux() {
    }

    /** Opens the kernel backend ({@link LinuxKernel}: skips without root, fails as root when it cannot run). */
    static Bpf open() {
        return LinuxKernel.open();
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

    /** bpffs, mounted when it is not ({@link Need#bpffs()}). */
    static Path bpffs() {
        return Need.bpffs();
    }
}
