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
    /** eBPF for Windows 1.5.0. */
    public static final String FULL = "full";
    /** eBPF for Windows 0.21.x: no {@code ebpf_canonicalize_pin_path}, 0.21's log, load and pin behaviour. */
    public static final String RELEASE_0_21 = "0.21";
    /** A NativeOnly build of 1.5.0: no JIT loading. */
    public static final String NATIVE_ONLY = "native-only";
    /** A NativeOnly build of 0.21.x. */
    public static final String NATIVE_ONLY_0_21 = "native-only-0.21";

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
     * @param variant {@link #FULL}, {@link #RELEASE_0_21}, {@link #NATIVE_ONLY} or {@link #NATIVE_ONLY_0_21}
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
            if (variant.equals(RELEASE_0_21) || variant.equals(NATIVE_ONLY_0_21)) cmd.add("-DSTANDIN_RELEASE=21");
            if (variant.equals(NATIVE_ONLY) || variant.equals(NATIVE_ONLY_0_21)) cmd.add("-DSTANDIN_NATIVE_ONLY");
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

    /**
     * The iphlpapi.dll stand-in ({@code src/test/c/iphlpapi}), built on first use. It needs only
     * gcc: its table is fixed and it asks the kernel nothing.
     *
     * @param complete true for all three exports, false for one without {@code ConvertInterfaceNameToLuidA}
     * @return its path
     */
    public static synchronized Path ipHelper(boolean complete) {
        String variant = complete ? "iphlpapi" : "iphlpapi-incomplete";
        Path p = BUILT.get(variant);
        if (p != null) return p;
        // Not an environment gap: on Windows the system's iphlpapi.dll is tested instead.
        Assumptions.assumeTrue(Host.linux(), "the stand-in is built with gcc on Linux; on Windows the real library is tested");
        Need.tool("gcc");
        try {
            Path out = Files.createDirectories(buildDir().resolve("standin"));
            Path lib = out.resolve("lib" + variant + "-standin.so");
            List<String> cmd = new ArrayList<>(List.of("gcc", "-shared", "-fPIC", "-O2", "-Wall", "-fvisibility=hidden"));
            if (!complete) cmd.add("-DSTANDIN_NO_NAME_TO_LUID");
            cmd.addAll(List.of("-o", lib.toString(), sources().resolve("iphlpapi/standin_iphlpapi.c").toString()));
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

    /**
     * How many calls reached the iphlpapi stand-in in this JVM.
     *
     * @param library a built iphlpapi stand-in
     * @return the count
     */
    public static int ipHelperCalls(Path library) {
        return com.sun.jna.NativeLibrary.getInstance(library.toAbsolutePath().toString())
                .getFunction("standin_iphlpapi_calls").invokeInt(new Object[0]);
    }

    /**
     * How often the stand-in met what would end the process on Windows (the C runtime's
     * invalid-parameter handler, a kernel divide by zero), counted instead.
     *
     * @param library a built stand-in
     * @return the count so far in this JVM
     */
    public static int invalidParameters(Path library) {
        return com.sun.jna.NativeLibrary.getInstance(library.toAbsolutePath().toString())
                .getFunction("standin_invalid_parameters").invokeInt(new Object[0]);
    }

    /**
     * Sets the stand-in's per-thread Win32 last error, as an unrelated Windows call on this thread
     * would.
     *
     * @param library a built stand-in
     * @param error the value
     */
    public static void setLastError(Path library, int error) {
        com.sun.jna.NativeLibrary.getInstance(library.toAbsolutePath().toString())
                .getFunction("SetLastError").invokeVoid(new Object[] {error});
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
