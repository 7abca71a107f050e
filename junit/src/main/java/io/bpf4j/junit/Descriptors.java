package io.bpf4j.junit;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** This process' descriptors of BPF objects and perf events, from {@code /proc/self/fd}. */
final class Descriptors {
    private Descriptors() {
    }

    /**
     * The descriptors, as "fd -&gt; target", sorted; empty where there is no {@code /proc} (the
     * simulator's own count covers its runs there).
     */
    static List<String> list() {
        List<String> out = new ArrayList<>();
        Path self = Path.of("/proc/self/fd");
        if (!Files.isDirectory(self)) return out;
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(self)) {
            for (Path fd : fds) {
                try {
                    String t = Files.readSymbolicLink(fd).toString();
                    if (t.startsWith("anon_inode:bpf") || t.startsWith("anon_inode:btf") || t.startsWith("anon_inode:[bpf")
                            || t.equals("anon_inode:[perf_event]")) {
                        out.add(fd.getFileName() + " -> " + t);
                    }
                } catch (IOException gone) {
                    // The stream's own descriptor, closed by now.
                }
            }
        } catch (IOException e) {
            return out;
        }
        out.sort(null);
        return out;
    }
}
