package io.bpf4j.it.container;

import io.bpf4j.api.Bpf;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.Operation;
import io.bpf4j.api.Support;
import io.bpf4j.it.suite.CellCapabilities;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * What runs in a cell of the privilege matrix (inside its container, or as the host process the
 * cell describes): it prints, one {@value #PREFIX}line each, the process' privileges as the
 * kernel shows them, what {@link Bpf#open()} did, the report's claims, {@code bpf4j probe --json}
 * and the capability suite's results ({@link CellCapabilities}). The matrix on the host parses
 * these lines and decides; this side judges nothing.
 */
public final class CellMain {
    /** Every line meant for the matrix starts with this. */
    public static final String PREFIX = "cell| ";

    private CellMain() {
    }

    /**
     * Runs the cell.
     *
     * @param args unused; the cell is configured by {@link CellCapabilities}'s system properties
     * @throws Exception when the cell cannot run at all
     */
    public static void main(String[] args) throws Exception {
        String status = Files.readString(Path.of("/proc/self/status"));
        String capEff = field(status, "CapEff:");
        System.setProperty(CellCapabilities.CAP_EFF, capEff);
        String unpriv = read("/proc/sys/kernel/unprivileged_bpf_disabled");
        System.setProperty(CellCapabilities.UNPRIVILEGED, unpriv);
        out("capEff=" + capEff);
        out("uid=" + field(status, "Uid:").split("\\s+")[1]);
        out("seccomp=" + field(status, "Seccomp:"));
        out("unprivilegedBpfDisabled=" + unpriv);
        String kptr = read("/proc/sys/kernel/kptr_restrict");
        String paranoid = read("/proc/sys/kernel/perf_event_paranoid");
        boolean rawDumps = kptr.equals("0") && Integer.parseInt(paranoid) <= 1;
        System.setProperty(CellCapabilities.RAW_DUMPS, String.valueOf(rawDumps));
        out("kptrRestrict=" + kptr);
        out("perfEventParanoid=" + paranoid);
        out("bpffs=" + bpffs());
        boolean opened = open();
        probe();
        if (opened) suite();
        out("done");
    }

    private static boolean open() {
        Bpf bpf;
        try {
            bpf = Bpf.open();
        } catch (RuntimeException e) {
            out("open=failed " + e.getClass().getSimpleName() + ": " + oneLine(e.getMessage()));
            return false;
        }
        try (bpf) {
            out("open=ok " + bpf.getClass().getName());
            for (Operation op : Operation.values()) {
                Support s = bpf.capabilities().operation(op);
                out("claim " + op + "=" + (s.supported() ? "yes" : "no " + oneLine(s.reason())));
            }
            pinAtDefault(bpf);
        }
        return true;
    }

    /** Pins a map at /sys/fs/bpf itself, where the bpffs cells have none or a read-only one. */
    private static void pinAtDefault(Bpf bpf) {
        if (!bpf.capabilities().operation(Operation.OBJ_PIN).supported()) return;
        int fd = bpf.mapCreate(MapSpec.of(MapType.ARRAY, 4, 4, 1));
        Path path = Path.of("/sys/fs/bpf/bpf4j-cell-" + ProcessHandle.current().pid());
        try {
            bpf.objPin(fd, path.toString());
            Files.deleteIfExists(path);
            out("pinAtSysFsBpf=ok");
        } catch (RuntimeException | IOException e) {
            out("pinAtSysFsBpf=" + e.getClass().getSimpleName() + ": " + oneLine(e.getMessage()));
        } finally {
            bpf.closeFd(fd);
        }
    }

    /** {@code bpf4j probe --json}, the command users run, as a process of its own (it exits). */
    private static void probe() throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElseThrow());
        if (Runtime.version().feature() >= 22) cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.bpf4j.cli.Main", "probe", "--json"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) p.destroyForcibly();
        for (String l : text.split("\n")) out("probe " + l);
        out("probeExit=" + p.exitValue());
    }

    private static void suite() {
        Launcher launcher = LauncherFactory.create();
        int[] counts = new int[3];
        launcher.execute(LauncherDiscoveryRequestBuilder.request()
                .selectors(DiscoverySelectors.selectClass(CellCapabilities.class)).build(), new TestExecutionListener() {
                    @Override
                    public void executionSkipped(TestIdentifier id, String reason) {
                        counts[2]++;
                        out("test " + id.getDisplayName() + "=SKIPPED " + oneLine(reason));
                    }

                    @Override
                    public void executionFinished(TestIdentifier id, TestExecutionResult r) {
                        if (!id.isTest() && r.getStatus() == TestExecutionResult.Status.SUCCESSFUL) return;
                        String why = r.getThrowable().map(t -> t.getClass().getSimpleName() + ": " + oneLine(t.getMessage()))
                                .orElse("");
                        switch (r.getStatus()) {
                            case SUCCESSFUL -> counts[0]++;
                            case FAILED -> counts[1]++;
                            default -> counts[2]++;
                        }
                        out("test " + id.getDisplayName() + "=" + r.getStatus() + (why.isEmpty() ? "" : " " + why));
                    }
                });
        out("suite passed=" + counts[0] + " failed=" + counts[1] + " skipped=" + counts[2]);
    }

    private static String bpffs() throws IOException {
        String state = "absent";
        for (String l : Files.readAllLines(Path.of("/proc/self/mounts"))) {
            String[] f = l.split(" ");
            if (f.length > 3 && f[1].equals("/sys/fs/bpf") && f[2].equals("bpf")) {
                state = List.of(f[3].split(",")).contains("ro") ? "ro" : "rw";
            }
        }
        return state;
    }

    private static String field(String status, String name) {
        for (String l : status.split("\n")) {
            if (l.startsWith(name)) return l.substring(name.length()).strip();
        }
        throw new IllegalStateException("no " + name + " in /proc/self/status");
    }

    private static String read(String path) {
        try {
            return Files.readString(Path.of(path)).strip();
        } catch (IOException e) {
            return "unreadable (" + e + ")";
        }
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replace('\n', ' ').replace('\r', ' ');
    }

    private static synchronized void out(String line) {
        System.out.println(PREFIX + line);
        System.out.flush();
    }
}
