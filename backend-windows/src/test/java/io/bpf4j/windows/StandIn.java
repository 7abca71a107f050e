package io.bpf4j.windows;

import io.bpf4j.testsupport.Host;
import io.bpf4j.testsupport.Mounts;
import io.bpf4j.testsupport.Need;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Builds the ebpfapi.dll stand-in ({@code src/test/c}) with gcc into the build directory, once
 * per variant and JVM, with this run's bpffs pin directory and cgroup compiled in. Tests that
 * need it skip with the reason when gcc, root or bpffs is missing (and fail in CI, see
 * {@link Need}); off Linux they skip, since Windows tests the real library.
 */
public final class StandIn {
    /** The full library. */
    public static final String FULL = "full";
    /** An older library: no batches, pin listing, canonicalization, attach by fds or native load. */
    public static final String MINIMAL = "minimal";

    private static final Map<String, Path> BUILT = new ConcurrentHashMap<>();
    private static final long PID = ProcessHandle.current().pid();

    private StandIn() {
    }

    /** The bpffs directory that holds this run's pins. */
    public static Path pinDir() {
        return Path.of("/sys/fs/bpf", "bpf4j-win-" + PID);
    }

    /** The cgroup standing in for "all compartments", or null when cgroup v2 is not mounted. */
    public static Path cgroup() {
        return Mounts.cgroup2().map(root -> root.resolve("bpf4j-win-" + PID)).orElse(null);
    }

    /**
     * The library, built on first use.
     *
     * @param variant {@link #FULL} or {@link #MINIMAL}
     * @return its path
     */
    public static synchronized Path library(String variant) {
        Path p = BUILT.get(variant);
        if (p != null) {
            ensureDirectories();   // a test class before this one may have cleaned up
            return p;
        }
        // Not an environment gap: on Windows the real ebpfapi.dll is tested instead (the Windows CI job).
        Assumptions.assumeTrue(Host.linux(), "the stand-in is served by the Linux kernel; on Windows the real library is tested");
        // The stand-in serves bpf() from the real kernel (root), pins on bpffs and is built with gcc.
        Need.root();
        Need.bpffs();
        Need.tool("gcc");
        try {
            Path src = sources();
            Path out = buildDir().resolve("standin");
            Files.createDirectories(out);
            ensureDirectories();
            Path cg = cgroup();
            Path lib = out.resolve("libebpfapi-standin-" + variant + ".so");
            List<String> cmd = new ArrayList<>(List.of("gcc", "-shared", "-fPIC", "-O2", "-Wall", "-fvisibility=hidden",
                    "-DBPF4J_STANDIN_PIN_DIR=\"" + pinDir() + "\""));
            if (cg != null) cmd.add("-DBPF4J_STANDIN_CGROUP=\"" + cg + "\"");
            if (variant.equals(MINIMAL)) cmd.add("-DSTANDIN_MINIMAL");
            cmd.addAll(List.of("-o", lib.toString()));
            try (Stream<Path> files = Files.list(src)) {
                files.filter(f -> f.toString().endsWith(".c")).sorted().forEach(f -> cmd.add(f.toString()));
            }
            Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String output = new String(proc.getInputStream().readAllBytes());
            if (proc.waitFor() != 0) throw new AssertionError("gcc failed:\n" + output);
            BUILT.put(variant, lib);
            return lib;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static void ensureDirectories() {
        try {
            Files.createDirectories(pinDir());
            Path cg = cgroup();
            if (cg != null) Files.createDirectories(cg);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path sources() {
        Path base = Path.of(System.getProperty("basedir", "."));
        for (Path p : List.of(base.resolve("src/test/c"), base.resolve("../backend-windows/src/test/c"))) {
            if (Files.isDirectory(p)) return p;
        }
        throw new AssertionError("stand-in sources not found under " + base.toAbsolutePath());
    }

    private static Path buildDir() {
        try {
            Path classes = Path.of(StandIn.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return classes.getParent();
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    /** Removes this run's pins, pin directory and cgroup. */
    public static void cleanUp() {
        try {
            Path dir = pinDir();
            if (Files.isDirectory(dir)) {
                try (Stream<Path> left = Files.list(dir)) {
                    for (Path p : (Iterable<Path>) left::iterator) Files.deleteIfExists(p);
                }
                Files.deleteIfExists(dir);
            }
            Path cg = cgroup();
            if (cg != null && Files.isDirectory(cg)) Files.deleteIfExists(cg);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
