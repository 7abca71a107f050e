package io.bpf4j.it.suite;

import io.bpf4j.api.Bpf;
import io.bpf4j.it.LinuxKernel;
import io.bpf4j.testsupport.Host;
import io.bpf4j.testsupport.LeakCheck;
import io.bpf4j.testsupport.Need;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The real kernel. As root on Linux it must be available: a suite that finds it missing there
 * fails instead of skipping ({@link LinuxKernel}). It pins under a bpffs directory of its own,
 * named so that the leak check finds it if it is left behind.
 */
final class LinuxBackend implements Backend {
    private Path pinDir;
    private List<String> descriptorsAtOpen;

    @Override
    public Bpf open() {
        LinuxKernel.require();
        descriptorsAtOpen = LeakCheck.descriptors();
        return Bpf.open("linux");
    }

    /** This process' descriptors of the leak-checked kinds when {@link #open()} ran. */
    List<String> descriptorsAtOpen() {
        return descriptorsAtOpen;
    }

    @Override
    public Profile profile() {
        return Profile.linux();
    }

    @Override
    public String pinDir() {
        try {
            if (pinDir == null) pinDir = Need.bpffs().resolve(Host.fresh("s"));
            Files.createDirectories(pinDir);
            return pinDir.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
        if (pinDir != null) Host.deleteTree(pinDir);
    }
}
