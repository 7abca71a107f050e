package io.bpf4j.it.object;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfUnsupportedException;
import io.bpf4j.api.MapFlags;
import io.bpf4j.api.MapInfo;
import io.bpf4j.api.TestRunSpec;
import io.bpf4j.api.object.BpfCollection;
import io.bpf4j.api.object.LoadOptions;
import io.bpf4j.api.object.MapKind;
import io.bpf4j.api.object.ObjectFormatException;
import io.bpf4j.api.object.ObjectSpec;
import io.bpf4j.it.LinuxKernel;
import io.bpf4j.sim.Simulator;
import io.bpf4j.testsupport.LeakCheck;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * kconfig.o: {@code .kconfig} externs of every kind, filled from the running kernel's
 * configuration and release on the kernel, and from the load options' configuration and version
 * on any backend (the same values on the kernel and in the simulator); a strong extern nothing
 * sets, or a value that does not fit its type, is refused naming the extern.
 */
@ExtendWith(LeakCheck.class)
class KconfigTest {
    static final int XDP_PASS = 2;

    /** What the program copied: version, jit, ingress, lsm, hz, nr_cpus, never_set, hostname. */
    static List<Object> run(BpfCollection obj) {
        assertEquals(XDP_PASS, obj.program("read_kconfig").testRun(TestRunSpec.ofData(new byte[64])).retval());
        List<Object> out = new ArrayList<>();
        for (String v : List.of("version", "jit", "ingress", "lsm", "hz", "nr_cpus", "never_set")) out.add(obj.variable(v).getLong());
        out.add(new String(obj.variable("hostname").get(), StandardCharsets.US_ASCII));
        return out;
    }

    /** The kernel's configuration, read with zcat rather than the loader's reader. */
    static Map<String, String> kernelConfig() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("zcat", "/proc/config.gz").redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), text);
        Map<String, String> m = new HashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (line.startsWith("CONFIG_") && eq > 0) m.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return m;
    }

    static long triState(String v) {
        return v == null || v.equals("n") ? 0 : v.equals("y") ? 1 : 2;
    }

    @Test
    void onTheKernelTheyComeFromItsConfigurationAndRelease() throws Exception {
        Map<String, String> config = kernelConfig();
        String[] release = System.getProperty("os.version").split("[.-]");
        long version = Long.parseLong(release[0]) << 16 | Long.parseLong(release[1]) << 8 | Math.min(255, Long.parseLong(release[2]));
        String hostname = config.get("CONFIG_DEFAULT_HOSTNAME").replace("\"", "");
        hostname = (hostname.length() > 7 ? hostname.substring(0, 7) : hostname) + "\0".repeat(8 - Math.min(7, hostname.length()));
        List<Object> expected = List.of(version, triState(config.get("CONFIG_BPF_JIT")), triState(config.get("CONFIG_NET_SCH_INGRESS")),
                (long) config.getOrDefault("CONFIG_BPF_LSM", "n").charAt(0), Long.parseLong(config.get("CONFIG_HZ")),
                Long.parseLong(config.get("CONFIG_NR_CPUS")), 0L, hostname);
        try (Bpf bpf = LinuxKernel.open(); BpfCollection obj = Corpus.spec("kconfig.o").load(bpf)) {
            assertEquals(expected, run(obj));
            assertEquals(Long.parseLong(config.get("CONFIG_HZ")), obj.variable("CONFIG_HZ").getLong(), "readable by name from Java");
            // libbpf's .kconfig map: a frozen one-element array, read-only for programs, typed by its DATASEC.
            MapInfo info = obj.map(".kconfig").info();
            assertEquals("kconfig.kconfig", info.name());
            assertEquals(MapFlags.RDONLY_PROG | MapFlags.MMAPABLE, info.flags());
            assertEquals(Optional.empty(), obj.btfProblem(), "the externs' BTF was made loadable");
            assertEquals(obj.spec().map(".kconfig").btfValueTypeId(), info.btfValueTypeId());
            assertThrows(IllegalStateException.class, () -> obj.variable("CONFIG_HZ").setLong(1), "frozen");
        }
    }

    static final String CONFIG = String.join("\n", "# CONFIG_BPF4J_NEVER_SET is not set", "CONFIG_BPF_JIT=n",
            "CONFIG_NET_SCH_INGRESS=m", "CONFIG_BPF_LSM=m", "CONFIG_HZ=0x3e8", "CONFIG_NR_CPUS=4096",
            "CONFIG_DEFAULT_HOSTNAME=\"bpf4j-host\"");

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.bpf4j.it.object.Corpus#backends")
    void givenInTheOptionsTheyAreTheSameEverywhere(String backend) {
        LoadOptions opts = LoadOptions.defaults().withKconfig(CONFIG).withKernelVersion(5, 10, 300);
        try (Bpf bpf = Corpus.open(backend); BpfCollection obj = Corpus.spec("kconfig.o").load(bpf, opts)) {
            assertEquals(List.of(0x050affL, 0L, 2L, (long) 'm', 1000L, 4096L, 0L, "bpf4j-h\0"), run(obj));
        }
    }

    @Test
    void theSimulatorNamesEveryStrongExternNothingSets() {
        try (Bpf sim = Simulator.builder().build()) {
            BpfUnsupportedException e = assertThrows(BpfUnsupportedException.class, () -> Corpus.spec("kconfig.o").load(sim).close());
            assertTrue(e.getMessage().contains("LINUX_KERNEL_VERSION") && e.getMessage().contains("LoadOptions.withKernelVersion"),
                    e.getMessage());
            LoadOptions versioned = LoadOptions.defaults().withKernelVersion(6, 1, 0);
            e = assertThrows(BpfUnsupportedException.class, () -> Corpus.spec("kconfig.o").load(sim, versioned).close());
            for (String x : List.of("CONFIG_NR_CPUS", "CONFIG_HZ", "CONFIG_NET_SCH_INGRESS", "CONFIG_BPF_JIT", "CONFIG_BPF_LSM",
                    "CONFIG_DEFAULT_HOSTNAME")) {
                assertTrue(e.getMessage().contains(x), x + ": " + e.getMessage());
            }
            assertFalse(e.getMessage().contains("CONFIG_BPF4J_NEVER_SET"), "a __weak extern may stay unset: " + e.getMessage());
            assertTrue(e.getMessage().contains("LoadOptions.withKconfig"), e.getMessage());
            LoadOptions partial = versioned.withKconfig("CONFIG_HZ=100");
            e = assertThrows(BpfUnsupportedException.class, () -> Corpus.spec("kconfig.o").load(sim, partial).close());
            assertFalse(e.getMessage().contains("CONFIG_HZ"), e.getMessage());
            assertTrue(e.getMessage().contains("CONFIG_NR_CPUS"), e.getMessage());
        }
    }

    @Test
    void aValueThatDoesNotFitItsTypeIsRefusedNamingTheExtern() {
        String[][] cases = {
            {"CONFIG_BPF_JIT=m", "CONFIG_BPF_JIT", "tristate"},
            {"CONFIG_HZ=y", "CONFIG_HZ", "for bool, enum libbpf_tristate or char"},
            {"CONFIG_HZ=4294967296", "CONFIG_HZ", "does not fit its 4-byte integer"},
            {"CONFIG_HZ=12ab", "CONFIG_HZ", "is not a number"},
            {"CONFIG_DEFAULT_HOSTNAME=5", "CONFIG_DEFAULT_HOSTNAME", "is a number, for an integer type"},
            {"CONFIG_NR_CPUS=\"many\"", "CONFIG_NR_CPUS", "is a string, for a char array"},
        };
        try (Bpf sim = Simulator.builder().build()) {
            for (String[] c : cases) {
                LoadOptions opts = LoadOptions.defaults().withKernelVersion(6, 1, 0).withKconfig(CONFIG.replaceAll(
                        "(?m)^" + c[1] + "=.*$", "") + "\n" + c[0]);
                ObjectFormatException e = assertThrows(ObjectFormatException.class, () -> Corpus.spec("kconfig.o").load(sim, opts).close(),
                        c[0]);
                assertEquals(c[1], e.symbol(), e.getMessage());
                assertEquals(".kconfig", e.section());
                assertTrue(e.getMessage().contains(c[2]), c[0] + ": " + e.getMessage());
            }
        }
    }

    @Test
    void theSpecShowsTheExternsAsConstantsOfTheKconfigMap() {
        ObjectSpec spec = Corpus.spec("kconfig.o");
        assertEquals(MapKind.KCONFIG, spec.map(".kconfig").kind());
        assertTrue(spec.map(".kconfig").frozen());
        // libbpf's layout: by alignment (largest first), then size, then name.
        List<String> order = spec.variables().stream().filter(v -> v.map().equals(".kconfig"))
                .sorted(java.util.Comparator.comparingInt(io.bpf4j.api.object.ObjectVariable::offset))
                .map(io.bpf4j.api.object.ObjectVariable::name).toList();
        assertEquals(List.of("CONFIG_NR_CPUS", "CONFIG_BPF4J_NEVER_SET", "CONFIG_HZ", "CONFIG_NET_SCH_INGRESS",
                "LINUX_KERNEL_VERSION", "CONFIG_BPF_JIT", "CONFIG_BPF_LSM", "CONFIG_DEFAULT_HOSTNAME"), order);
        assertEquals(8 + 4 * 4 + 1 + 1 + 8, spec.map(".kconfig").valueSize());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> spec.withVariable("CONFIG_HZ", 1));
        assertTrue(e.getMessage().contains("LoadOptions.withKconfig"), e.getMessage());
    }
}
