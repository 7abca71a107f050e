package io.bpf4j.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The descriptor-leak check: {@code @ExtendWith(LeakCheck.class)} fails a test class that ends
 * holding descriptors of the kinds BPF code opens that it did not hold before, or that leaves a
 * host object named with {@link Host#prefix()} behind (a network namespace, a cgroup, a pin).
 * Harnesses that check per scenario compare {@link #descriptors()} themselves.
 *
 * <p>Only those kinds are counted: the JVM opens jars and sockets of its own as classes load.
 * Off Linux (the Windows CI job) there is nothing to count and the check passes.
 */
public final class LeakCheck implements BeforeAllCallback, AfterAllCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(LeakCheck.class);

    /** Used by JUnit through {@code @ExtendWith}. */
    public LeakCheck() {
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getStore(NS).put("before", descriptors());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        @SuppressWarnings("unchecked")
        List<String> before = context.getStore(NS).get("before", List.class);
        String cls = context.getRequiredTestClass().getSimpleName();
        assertEquals(before, descriptors(), cls + " leaked descriptors (fd -> what)");
        assertEquals(List.of(), leftovers(), cls + " left host objects behind");
    }

    /**
     * This process' descriptors of BPF objects (maps, programs, links, BTF, iterators), perf
     * events, network namespaces, cgroup and bpffs paths, as "fd -&gt; target", sorted.
     *
     * @return the list; empty off Linux
     */
    public static List<String> descriptors() {
        List<String> out = new ArrayList<>();
        Path self = Path.of("/proc/self/fd");
        if (!Files.isDirectory(self)) return out;
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(self)) {
            for (Path fd : fds) {
                try {
                    String t = Files.readSymbolicLink(fd).toString();
                    if (t.startsWith("anon_inode:bpf") || t.startsWith("anon_inode:btf") || t.startsWith("anon_inode:[bpf")
                            || t.equals("anon_inode:[perf_event]") || t.startsWith("net:[") || t.startsWith("/sys/fs/cgroup")
                            || t.startsWith("/sys/fs/bpf") || t.startsWith("/run/netns")) {
                        out.add(fd.getFileName() + " -> " + t);
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

    /**
     * Network namespaces, cgroups and bpffs entries named with this process' {@link Host#prefix()}
     * that still exist.
     *
     * @return their paths
     */
    public static List<String> leftovers() {
        List<String> out = new ArrayList<>();
        Optional<Path> cg = Host.linux() ? Mounts.cgroup2() : Optional.empty();
        for (Path dir : new Path[] {Path.of("/run/netns"), cg.orElse(null), Mounts.BPFFS}) {
            if (dir == null || !Files.isDirectory(dir)) continue;
            try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, Host.prefix() + "*")) {
                for (Path x : s) out.add(x.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }
}
