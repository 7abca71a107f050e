package io.bpf4j.it.suite;

import io.bpf4j.testsupport.LeakCheck;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The bad-input fuzz on the linux backend, with the process' own files as foreign descriptors. */
class LinuxBadInputFuzzTest extends BadInputFuzz {
    private final Backend backend = new LinuxBackend();

    @Override
    protected Backend backend() {
        return backend;
    }

    /** Descriptors of this process that are not BPF objects (jar files, the standard streams). */
    @Override
    int[] foreignDescriptors() {
        List<Integer> out = new ArrayList<>(List.of(-1, 0, 1, 2, 100_000, Integer.MAX_VALUE));
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                try {
                    if (Files.readSymbolicLink(fd).toString().endsWith(".jar")) out.add(Integer.parseInt(fd.getFileName().toString()));
                } catch (IOException gone) {
                    // the listing's own descriptor
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    void checkNothingLeaked() {
        List<String> now = LeakCheck.descriptors();
        if (!now.equals(((LinuxBackend) backend).descriptorsAtOpen())) leaked("descriptors: " + now);
    }
}
