package io.bpf4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.testsupport.Host;
import io.bpf4j.testsupport.Need;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bpf4j object inspect} and {@code object load} on the test objects, on the simulator and the kernel. */
class ObjectCommandTest {
    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    private static String object(String name) throws URISyntaxException {
        return Path.of(ObjectCommandTest.class.getResource("/objects/" + name).toURI()).toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(CliRun r) {
        return (Map<String, Object>) MiniJson.parse(r.out());
    }

    @Test
    void inspectShowsProgramsMapsAndVariables() throws Exception {
        CliRun r = run("object", "inspect", object("global_data.o"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("file: global_data.o (object global_data), license \"GPL\", with BTF"), r.out());
        assertTrue(r.out().matches("(?s).*use_globals +section xdp +type XDP +attach XDP +insns +\\d+ +hook XDP.*"), r.out());
        assertTrue(r.out().matches("(?s).*\\.rodata +global_d\\.rodata +RODATA +ARRAY +key +4 value +5 max +1 flags 0x480.*"),
                r.out());
        assertTrue(r.out().matches("(?s).*verdict +\\.rodata +offset +0 size +4 +const volatile __u32 +\\(constant\\).*"), r.out());
    }

    @Test
    @SuppressWarnings("unchecked")
    void inspectJsonIsOneObject() throws Exception {
        CliRun r = run("object", "inspect", "--json", object("btf_maps.o"));
        assertEquals(0, r.code(), r.err());
        Map<String, Object> o = json(r);
        assertEquals("btf_maps", o.get("object"));
        List<Map<String, Object>> progs = (List<Map<String, Object>>) o.get("programs");
        assertEquals("use_btf_maps", progs.get(0).get("name"));
        assertEquals("XDP", progs.get(0).get("expectedAttachType"));
        List<Map<String, Object>> maps = (List<Map<String, Object>>) o.get("maps");
        Map<String, Object> outer = maps.get(0);
        assertEquals("ARRAY_OF_MAPS", outer.get("type"));
        assertEquals("ARRAY", ((Map<String, Object>) outer.get("innerMap")).get("type"));
        assertEquals("BY_NAME", maps.get(3).get("pinning"));
    }

    @Test
    void aMalformedFileIsNamedAndExitsTwo(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.o");
        Files.write(bad, Arrays.copyOf(Files.readAllBytes(Path.of(object("subprogs.o"))), 100));
        CliRun r = run("object", "inspect", bad.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("bpf4j: bad.o: "), r.err());
        r = run("object", "inspect", dir.resolve("missing.o").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("missing.o"), r.err());
    }

    @Test
    @SuppressWarnings("unchecked")
    void loadOnTheSimulatorPrintsIds() throws Exception {
        CliRun r = run("object", "load", "--backend", "sim", "--json", object("subprogs.o"));
        assertEquals(0, r.code(), r.err() + r.out());
        Map<String, Object> o = json(r);
        assertEquals("sim", o.get("backend"));
        List<Map<String, Object>> progs = (List<Map<String, Object>>) o.get("programs");
        assertEquals(List.of("sub_xdp", "sub_socket"), progs.stream().map(p -> p.get("name")).toList());
        assertTrue(progs.stream().allMatch(p -> ((Number) p.get("id")).intValue() > 0));
        assertEquals(List.of(".bss"), ((List<Map<String, Object>>) o.get("maps")).stream().map(m -> m.get("name")).toList());
        assertEquals(List.of(), o.get("failures"));
    }

    /** The simulator has no kernel BTF or configuration of its own: the options give them, from files. */
    @Test
    void loadOnTheSimulatorTakesTheKernelsBtfAndConfigurationFromFiles(@TempDir Path dir) throws Exception {
        CliRun r = run("object", "load", "--backend", "sim", object("kconfig.o"));
        assertEquals(1, r.code(), r.out());
        assertTrue((r.out() + r.err()).contains("LINUX_KERNEL_VERSION"), r.out() + r.err());
        Path config = dir.resolve("config");
        Files.writeString(config, String.join("\n", "CONFIG_BPF_JIT=y", "CONFIG_NET_SCH_INGRESS=m", "CONFIG_BPF_LSM=y",
                "CONFIG_HZ=250", "CONFIG_NR_CPUS=8", "CONFIG_DEFAULT_HOSTNAME=\"x\""));
        r = run("object", "load", "--backend", "sim", "--kconfig", config.toString(), "--kernel-version", "6.1.0", object("kconfig.o"));
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.out().contains("read_kconfig"), r.out());
        r = run("object", "load", "--backend", "sim", "--kernel-version", "6.1", object("kconfig.o"));
        assertEquals(2, r.code(), r.out());
        assertTrue(r.err().contains("--kernel-version: '6.1' is not X.Y.Z"), r.err());

        Need.path(Path.of("/sys/kernel/btf/vmlinux"), "the kernel's BTF");
        r = run("object", "load", "--backend", "sim", object("core.o"));
        assertEquals(1, r.code(), r.out());
        assertTrue((r.out() + r.err()).contains("LoadOptions.withTargetBtf"), r.out() + r.err());
        r = run("object", "load", "--backend", "sim", "--btf", "/sys/kernel/btf/vmlinux", object("core.o"));
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.out().contains("core_eth"), r.out());
    }

    @Test
    void loadOnTheKernelTellsEachFailureWithTheVerifierLog() throws Exception {
        Need.root();
        CliRun r = run("object", "load", "--backend", "linux", object("verifier_reject.o"));
        assertEquals(1, r.code(), r.out());
        assertTrue(r.out().startsWith("backend: linux"), r.out());
        assertTrue(r.out().contains("failed:\n  unchecked_read: linux: PROG_LOAD program \"unchecked_read\""), r.out());
        assertTrue(r.out().contains("    | ") && r.out().contains("invalid access to packet"), r.out());
    }

    @Test
    void loadWithPinLeavesEverythingPinned() throws Exception {
        Need.root();
        Need.bpffs();
        Path dir = Path.of("/sys/fs/bpf", Host.fresh("cli"));
        try {
            CliRun r = run("object", "load", "--backend", "linux", "--pin", dir.toString(), object("global_data.o"));
            assertEquals(0, r.code(), r.err() + r.out());
            for (String n : List.of("use_globals", "_rodata", "_data", "_bss", "_data_counters", "_rodata_greeting")) {
                assertTrue(Files.exists(dir.resolve(n)), n + " pinned in " + dir + ":\n" + r.out());
            }
        } finally {
            Host.deleteTree(dir);
        }
    }
}
