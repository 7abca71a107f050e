package io.bpf4j.it.attach;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class that ends holding descriptors of the kinds attach code opens: BPF objects,
 * perf events, network namespaces, cgroup and bpffs directories. After the class it also checks
 * that no network namespace, cgroup or pin the tests name with {@link Host#prefix()} is left on
 * the host.
 */
final class LeakCheck implements BeforeAllCallback, AfterAllCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(LeakCheck.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getStore(NS).put("before", descriptors());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        @SuppressWarnings("unchecked")
        List<String> before = context.getStore(NS).get("before", List.class);
        String cls = context.getRequiredTestClass().getSimpleName();
        assertEquals(before, descriptors(), cls + " leaked descriptors");
        assertEquals(List.of(), leftovers(), cls + " left host objects behind");
    }

    /** This process' descriptors of the attach kinds, as "fd -> target", sorted. */
    static List<String> descriptors() {
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                try {
                    String t = Files.readSymbolicLink(fd).toString();
                    if (t.startsWith("anon_inode:bpf") || t.startsWith("anon_inode:btf") || t.startsWith("anon_inode:[bpf")
                            || t.equals("anon_inode:[perf_event]") || t.startsWith("net:[") || t.startsWith("/sys/fs/cgroup")
                            || t.startsWith("/sys/fs/bpf") || t.startsWith("/run/netns")) {
                        out.add(fd.getFileName() + " -> " + t);
                    }
                } catch (IOException gone) {
                    // the listing's own descriptor
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        out.sort(null);
        return out;
    }

    /** Network namespaces, cgroups and pins with this run's prefix that still exist. */
    static List<String> leftovers() {
        List<String> out = new ArrayList<>();
        String p = Host.prefix();
        String cg = TestCgroup.cgroup2Root();
        for (String dir : new String[] {"/run/netns", cg, "/sys/fs/bpf"}) {
            if (dir == null || !Files.isDirectory(Path.of(dir))) continue;
            try (DirectoryStream<Path> s = Files.newDirectoryStream(Path.of(dir), p + "*")) {
                for (Path x : s) out.add(x.toString());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }
}
