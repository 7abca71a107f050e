package io.bpf4j.it.suite;

import static org.junit.jupiter.api.Assertions.fail;

import io.bpf4j.api.Availability;
import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfException;
import io.bpf4j.api.Errno;
import io.bpf4j.testsupport.Host;
import io.bpf4j.testsupport.Mounts;
import io.bpf4j.testsupport.Need;
import io.bpf4j.api.AttachType;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.windows.WindowsBpf;
import io.bpf4j.windows.WindowsProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * eBPF for Windows. On Windows it opens the installed {@code ebpfapi.dll} and must be available
 * (the Windows CI job installs it). Elsewhere it builds the ABI stand-in from
 * {@code backend-windows/src/test/c} with gcc and opens the backend on it through
 * {@code -Dbpf4j.windows.library}, set only while the provider binds, so no other test sees a
 * Windows backend. The stand-in serves the ABI from the Linux kernel: it needs root and bpffs,
 * and the run fails when a bpf descriptor leaks, as on Linux.
 */
final class WindowsBackend implements Backend {
    private static final String LIBRARY = "bpf4j.windows.library";
    private static final String IPHLPAPI = "bpf4j.windows.iphlpapi";
    private static final long PID = ProcessHandle.current().pid();

    private final boolean windows = System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("windows");
    /** One per JVM: the stand-in is built once with it compiled in, and a library loads once per JVM. */
    private static final Path PIN_DIR = Mounts.BPFFS.resolve(Host.prefix() + "win");
    private Path cgroup;
    private final String calls;
    private final String binding;
    private Bpf bpf;

    /** The default: {@code bpf()} for the shared commands, the binding the JDK allows. */
    WindowsBackend() {
        this(null, null);
    }

    /**
     * A backend with a chosen call path and binding.
     *
     * @param calls {@code syscall} or {@code libbpf} (the functions of efW's bpf.h), or null
     * @param binding {@code ffm} or {@code jna}, or null
     */
    WindowsBackend(String calls, String binding) {
        this.calls = calls;
        this.binding = binding;
    }

    /** Sets the backend's properties only while it binds and opens, so no other test sees them. */
    private <T> T withProperties(java.util.function.Supplier<T> action, String library, String iphlpapi) {
        synchronized (System.getProperties()) {
            String[] keys = {LIBRARY, IPHLPAPI, "bpf4j.windows.calls", "bpf4j.native"};
            String[] values = {library, iphlpapi, calls, binding};
            String[] before = new String[keys.length];
            for (int i = 0; i < keys.length; i++) {
                before[i] = System.getProperty(keys[i]);
                if (values[i] != null) System.setProperty(keys[i], values[i]);
            }
            try {
                return action.get();
            } finally {
                for (int i = 0; i < keys.length; i++) {
                    if (before[i] == null) System.clearProperty(keys[i]);
                    else System.setProperty(keys[i], before[i]);
                }
            }
        }
    }

    /** Whether the backend runs on the stand-in rather than eBPF for Windows itself. */
    boolean standIn() {
        return !windows;
    }

    @Override
    public Bpf open() {
        WindowsProvider provider = new WindowsProvider();
        Availability a;
        if (windows) {
            a = withProperties(provider::availability, null, null);
            if (!a.available()) fail("on Windows the CI installs eBPF for Windows, yet the backend is unavailable: " + a.reason(), a.cause());
        } else {
            Path lib = buildStandIn();
            a = withProperties(provider::availability, lib.toString(), ipHelperStandIn(lib.getParent()).toString());
            if (!a.available()) fail("the stand-in " + lib + " was built, yet the windows backend is unavailable: " + a.reason(), a.cause());
        }
        bpf = withProperties(provider::open, null, null);
        String mode = ((io.bpf4j.windows.internal.WinBackend) bpf).callMode();
        if (calls != null && !mode.startsWith(calls)) fail("asked for " + calls + " calls, got " + mode);
        if (binding != null && !mode.contains(" via " + binding)) fail("asked for the " + binding + " binding, got " + mode);
        return bpf;
    }

    /**
     * The iphlpapi.dll stand-in ({@code backend-windows/src/test/c/iphlpapi}), its own library beside
     * the ebpfapi one, so interface names resolve from its fixed table (with "lo" at 1, see
     * {@link #loopbackName()}).
     */
    private static Path ipHelperStandIn(Path out) {
        Path base = Path.of(System.getProperty("basedir", "."));
        Path src = base.resolve("../backend-windows/src/test/c/iphlpapi/standin_iphlpapi.c").normalize();
        if (!Files.isRegularFile(src)) src = base.resolve("backend-windows/src/test/c/iphlpapi/standin_iphlpapi.c");
        if (!Files.isRegularFile(src)) fail("iphlpapi stand-in source not found beside " + base.toAbsolutePath());
        Path lib = out.resolve("libiphlpapi-standin.so");
        try {
            Process p = new ProcessBuilder("gcc", "-shared", "-fPIC", "-O2", "-fvisibility=hidden", "-o", lib.toString(),
                    src.toString()).redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) fail("gcc failed to build the iphlpapi stand-in:\n" + log);
            lib.toFile().deleteOnExit();
            return lib;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private Path buildStandIn() {
        // The stand-in serves bpf() from the Linux kernel, pins on bpffs and is built with gcc.
        Need.root();
        Need.bpffs();
        Need.tool("gcc");
        Path base = Path.of(System.getProperty("basedir", "."));
        Path src = base.resolve("../backend-windows/src/test/c").normalize();
        if (!Files.isDirectory(src)) src = base.resolve("backend-windows/src/test/c");
        if (!Files.isDirectory(src)) fail("stand-in sources not found beside " + base.toAbsolutePath());
        try {
            Files.createDirectories(PIN_DIR);
            cgroup = Mounts.cgroup2().map(root -> root.resolve(PIN_DIR.getFileName().toString())).orElse(null);
            if (cgroup != null) Files.createDirectories(cgroup);
            Path out = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"), "bpf4j-it-win-" + PID));
            // Registered first, deleted last: the JVM deletes in reverse order, and a folder only when empty.
            out.toFile().deleteOnExit();
            Path lib = out.resolve("libebpfapi-standin.so");
            List<String> cmd = new ArrayList<>(List.of("gcc", "-shared", "-fPIC", "-O2", "-fvisibility=hidden",
                    "-DBPF4J_STANDIN_PIN_DIR=\"" + PIN_DIR + "\"", "-o", lib.toString()));
            if (cgroup != null) cmd.add("-DBPF4J_STANDIN_CGROUP=\"" + cgroup + "\"");
            try (Stream<Path> files = Files.list(src)) {
                files.filter(f -> f.toString().endsWith(".c")).sorted().forEach(f -> cmd.add(f.toString()));
            }
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) fail("gcc failed to build the stand-in:\n" + log);
            lib.toFile().deleteOnExit();
            return lib;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public String pinDir() {
        return "BPF:\\bpf4j-it-" + PID;
    }

    @Override
    public void unpin(String path) {
        try {
            bpf.objUnpin(path);
        } catch (BpfException e) {
            if (e.errno() != Errno.ENOENT) throw e;
        }
    }

    @Override
    public int loopbackIfindex() {
        if (windows) return 1;   // Windows' loopback pseudo-interface
        try {
            return Integer.parseInt(Files.readString(Path.of("/sys/class/net/lo/ifindex")).trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Windows names its loopback interface "Loopback Pseudo-Interface 1". The stand-in's bpf() runs
     * on the Linux kernel, whose loopback is "lo", and its iphlpapi table answers that name with 1.
     */
    @Override
    public String loopbackName() {
        return windows ? "Loopback Pseudo-Interface 1" : "lo";
    }

    /** The compartment id that stands for every compartment in legacy sock_addr attach. */
    int allCompartments() {
        return 0;
    }

    @Override
    public Profile profile() {
        return Profile.windows();
    }

    /** On Windows, XDP programs need xdp-for-windows beside eBPF for Windows; the stand-in always has them. */
    @Override
    public void assumeXdp(Bpf bpf) {
        if (!windows) return;
        io.bpf4j.api.Support xdp = bpf.capabilities().programType(ProgramType.XDP);
        org.junit.jupiter.api.Assumptions.assumeTrue(xdp.supported(), () -> "XDP programs need xdp-for-windows: " + xdp.reason());
    }

    /** Legacy attach goes to sock_addr hooks, for every compartment (a cgroup on the stand-in). */
    @Override
    public int hookTarget() {
        Need.that(canAttachSockAddr(), "no cgroup v2 to stand in for the compartments");
        return allCompartments();
    }

    /** Links are XDP links on the loopback interface, made with ebpf_program_attach_by_fds. */
    @Override
    public ProgramSpec linkProgram(Profile profile) {
        return ProgramSpec.of(ProgramType.XDP, Programs.returning(2), "GPL");
    }

    @Override
    public int link(Bpf bpf, Profile profile, int progFd) {
        byte[] ifindex = java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(loopbackIfindex()).array();
        return ((WindowsBpf) bpf).programAttach(progFd, AttachType.XDP, ifindex);
    }

    /** The programs of the XDP links on loopback, from link info (a detached link reports no interface). */
    @Override
    public Set<Integer> linkedAt(Bpf bpf, Profile profile) {
        Set<Integer> out = new java.util.HashSet<>();
        io.bpf4j.api.LinkDetails here = new io.bpf4j.api.LinkDetails.Xdp(loopbackIfindex());
        for (int id = bpf.linkGetNextId(0); id != 0; id = bpf.linkGetNextId(id)) {
            int fd;
            try {
                fd = bpf.linkGetFdById(id);
            } catch (BpfException gone) {
                if (gone.errno() == Errno.ENOENT) continue; // another process's link, closed meanwhile
                throw gone;
            }
            try {
                io.bpf4j.api.LinkInfo info = bpf.linkGetInfo(fd);
                if (here.equals(info.details())) out.add(info.progId());
            } finally {
                bpf.closeFd(fd);
            }
        }
        return out;
    }

    /** Whether a cgroup stands in for the compartments (stand-in), or Windows itself attaches. */
    boolean canAttachSockAddr() {
        return windows || cgroup != null;
    }

    @Override
    public void finish() {
        if (windows) return;
        try {
            if (Files.isDirectory(PIN_DIR)) {
                try (Stream<Path> left = Files.list(PIN_DIR)) {
                    for (Path p : (Iterable<Path>) left::iterator) Files.deleteIfExists(p);
                }
                Files.delete(PIN_DIR);
            }
            if (cgroup != null) Files.deleteIfExists(cgroup);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
