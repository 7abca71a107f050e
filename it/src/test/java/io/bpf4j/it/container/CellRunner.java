package io.bpf4j.it.container;

import com.github.dockerjava.api.model.Capability;
import io.bpf4j.it.suite.CellCapabilities;
import io.bpf4j.testsupport.Host;
import io.bpf4j.testsupport.Need;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.startupcheck.IndefiniteWaitOneShotStartupCheckStrategy;
import org.testcontainers.utility.DockerImageName;

/**
 * Runs {@link CellMain} with a cell's privileges: in a container of {@link CellImage}, with the
 * test class path mounted read-only, or, for {@link Cell#NARROW} where the Docker daemon does not
 * know CAP_BPF by name (Debian's Docker 20.10), as a process on the host that holds exactly those
 * capabilities as ambient ones under an unprivileged uid ({@code setpriv}), saying so.
 */
final class CellRunner {
    /** Where a cell's pins go when /sys/fs/bpf is not a writable bpffs in it. */
    static final String PINS = "/run/bpf4j-pins";
    private static final int NOBODY = 65534;

    private CellRunner() {
    }

    /** The class path the cell runs with: this test run's, not surefire's manifest-only jar. */
    static List<String> classPath() {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> out = new ArrayList<>();
        for (String e : cp.split(java.io.File.pathSeparator)) {
            if (!e.isEmpty() && Files.exists(Path.of(e))) out.add(e);
        }
        return out;
    }

    /**
     * Runs a cell in a container.
     *
     * @param cell the cell
     * @param lie an operation for the report to claim wrongly, or null
     * @return what it printed
     * @throws UnknownCapability when the daemon does not know one of the cell's capabilities
     */
    static CellOutput inContainer(Cell cell, String lie) {
        CellImage image = CellImage.get();
        List<String> cp = classPath();
        List<String> mounted = new ArrayList<>();
        Path pins = freshBpffsDir(cell.user == null ? 0 : Integer.parseInt(cell.user.split(":")[0]));
        // An empty directory of its own, not the host's /sys/fs/bpf: the host's pins are none of the cell's business.
        Path readOnly = cell.bpffs == Cell.Bpffs.RO ? freshBpffsDir(0) : null;
        String pinDir = cell.bpffs == Cell.Bpffs.RW ? "/sys/fs/bpf" : PINS;
        try (GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(image.name()))) {
            for (int i = 0; i < cp.size(); i++) {
                c.withFileSystemBind(cp.get(i), "/cp/" + i, BindMode.READ_ONLY);
                mounted.add("/cp/" + i);
            }
            if (cell.bpffs == Cell.Bpffs.RW) {
                c.withFileSystemBind(pins.toString(), "/sys/fs/bpf", BindMode.READ_WRITE);
            } else {
                c.withFileSystemBind(pins.toString(), PINS, BindMode.READ_WRITE);
                if (readOnly != null) c.withFileSystemBind(readOnly.toString(), "/sys/fs/bpf", BindMode.READ_ONLY);
            }
            if (Need.ci()) c.withEnv("CI", "true"); // a need missing in the cell fails there too
            List<String> cmd = new ArrayList<>(List.of(image.java(), "-XX:-UsePerfData"));
            if (Runtime.version().feature() >= 22) cmd.add("--enable-native-access=ALL-UNNAMED");
            cmd.addAll(List.of("-Djava.io.tmpdir=/tmp", "-D" + CellCapabilities.PIN_DIR + "=" + pinDir,
                    "-D" + CellCapabilities.LIE + "=" + (lie == null ? "" : lie), "-cp", String.join(":", mounted),
                    CellMain.class.getName()));
            c.withCommand(cmd.toArray(String[]::new));
            c.withCreateContainerCmdModifier(create -> {
                var host = create.getHostConfig();
                if (!cell.capDrop.isEmpty()) host.withCapDrop(caps(cell.capDrop));
                if (!cell.capAdd.isEmpty()) host.withCapAdd(caps(cell.capAdd));
                if (cell.seccompUnconfined) host.withSecurityOpts(List.of("seccomp=unconfined"));
                if (cell.user != null) create.withUser(cell.user);
            });
            c.withStartupCheckStrategy(new IndefiniteWaitOneShotStartupCheckStrategy());
            c.withStartupTimeout(Duration.ofMinutes(10));
            try {
                c.start();
            } catch (RuntimeException e) {
                String why = String.valueOf(e) + causes(e);
                if (why.contains("unknown capability")) throw new UnknownCapability(why);
                String logs = "";
                try {
                    logs = c.getLogs();
                } catch (RuntimeException ignored) {
                    // the container never ran: the exception says why
                }
                throw new AssertionError("cell " + cell + " (" + cell.flags() + ") did not run to the end: " + why + "\n" + logs, e);
            }
            return new CellOutput(c.getLogs());
        } finally {
            Host.deleteTree(pins);
            if (readOnly != null) Host.deleteTree(readOnly);
        }
    }

    /**
     * Runs {@link Cell#NARROW} as a host process: uid 65534, ambient, inheritable, permitted and
     * bounding sets of CAP_BPF, CAP_PERFMON and CAP_NET_ADMIN, nothing else.
     *
     * @param lie an operation for the report to claim wrongly, or null
     * @return what it printed
     */
    static CellOutput onHostWithAmbientCaps(String lie) throws IOException, InterruptedException {
        Path setpriv = Need.tool("setpriv");
        Path copy = Files.createTempDirectory("bpf4j-cell-cp");
        Path pins = freshBpffsDir(NOBODY);
        try {
            List<String> cp = new ArrayList<>();
            int i = 0;
            for (String e : classPath()) {
                Path to = copy.resolve(String.valueOf(i++));
                copyTree(Path.of(e), to);
                cp.add(to.toString());
            }
            readableByAll(copy);
            String caps = "-all,+bpf,+perfmon,+net_admin";
            List<String> cmd = new ArrayList<>(List.of(setpriv.toString(), "--reuid=" + NOBODY, "--regid=" + NOBODY,
                    "--clear-groups", "--inh-caps=" + caps, "--ambient-caps=" + caps, "--bounding-set=" + caps, "--",
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:-UsePerfData"));
            if (Runtime.version().feature() >= 22) cmd.add("--enable-native-access=ALL-UNNAMED");
            if (Need.ci()) cmd.add("-D" + Need.CI_PROPERTY + "=true");
            cmd.addAll(List.of("-Djava.io.tmpdir=/tmp", "-D" + CellCapabilities.PIN_DIR + "=" + pins,
                    "-D" + CellCapabilities.LIE + "=" + (lie == null ? "" : lie), "-cp", String.join(":", cp),
                    CellMain.class.getName()));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).directory(copy.toFile()).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError("the host cell did not finish:\n" + out);
            }
            return new CellOutput(out);
        } finally {
            Host.deleteTree(copy);
            Host.deleteTree(pins);
        }
    }

    /** A directory of the host's bpffs for one cell's pins, owned by the uid the cell runs as. */
    private static Path freshBpffsDir(int uid) {
        try {
            Path dir = Files.createDirectories(Need.bpffs().resolve(Host.fresh("c")));
            Files.setAttribute(dir, "unix:uid", uid);
            Files.setAttribute(dir, "unix:gid", uid);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Capability[] caps(List<String> names) {
        return names.stream().map(Capability::valueOf).toArray(Capability[]::new);
    }

    private static String causes(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) b.append("; ").append(t);
        return b.toString();
    }

    private static void copyTree(Path from, Path to) throws IOException {
        if (Files.isRegularFile(from)) {
            Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES);
            return;
        }
        try (var files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path t = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) Files.createDirectories(t);
                else Files.copy(f, t);
            }
        }
    }

    private static void readableByAll(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString(
                        Files.isDirectory(f) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
    }

    /** The Docker daemon refused a capability by name. */
    static final class UnknownCapability extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnknownCapability(String why) {
            super(why);
        }
    }
}
