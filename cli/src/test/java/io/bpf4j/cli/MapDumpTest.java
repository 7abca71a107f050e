package io.bpf4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfMap;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.testsupport.Commands;
import io.bpf4j.testsupport.Host;
import io.bpf4j.testsupport.Need;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bpf4j map dump} typed through BTF: the {@code "formatted"} objects equal
 * {@code bpftool -j map dump}'s for the same maps on the kernel (typed_maps.c has a type of every
 * kind bpftool formats; global_data.c's maps are data sections), and the simulator formats the
 * same bytes the same way.
 */
class MapDumpTest {
    /** A struct flow key: 10.0.0.1 in network order read as a little-endian u32, port 80, TCP. */
    static final String FLOW_KEY = "0100000a50000600";
    /** A struct stats value with each member set (see typed_maps.c; offsets as clang lays them out). */
    static final String STATS = "fbc8d4fe60ea000090eefeff00000000fffffffffffffffffeffffffffffffff41016574683000000000000000005000bb"
            + "01901f3512fe0001020304fdffffff7f00000135001100";
    /** What bpftool 7.1 printed for that element on Linux 6.18 ({@code bpftool -j map dump}, its "formatted"). */
    static final String STATS_FORMATTED = "{\"key\":{\"addr\":167772161,\"port\":80,\"proto\":6,\"pad\":0},\"value\":{\"s8\":-5,"
            + "\"u8\":200,\"s16\":-300,\"u16\":60000,\"s32\":-70000,\"u64\":18446744073709551615,\"s64\":-2,\"c\":65,\"ok\":true,"
            + "\"name\":\"eth0\",\"ports\":[80,443,8080],\"bits\":{\"hi\":\"0x5\",\"lo\":\"0x123\",\"neg\":\"0xfe\"},"
            + "\"u\":{\"as_u32\":67305985,\"as_bytes\":[1,2,3,4]},\"color\":\"BLUE\",\"last\":{\"addr\":16777343,\"port\":53,"
            + "\"proto\":17,\"pad\":0}}}";

    private static CliRun ok(String... args) {
        CliRun r = CliRun.of(args);
        assertEquals(0, r.code(), String.join(" ", args) + ": " + r.err() + r.out());
        return r;
    }

    static String typed() throws Exception {
        return Path.of(MapDumpTest.class.getResource("/typed/typed_maps.o").toURI()).toString();
    }

    static String object(String name) throws Exception {
        return Path.of(MapDumpTest.class.getResource("/objects/" + name).toURI()).toString();
    }

    /** Fills typed_maps' maps through the command, on whichever backend the options name. */
    private static void fill(String dir, int cpus, String... backend) {
        ok(with(backend, "map", "update", dir + "/by_flow", FLOW_KEY, STATS));
        ok(with(backend, "map", "update", dir + "/per_cpu_flows", "01000000", "0102030405000600".repeat(cpus)));
        ok(with(backend, "map", "update", dir + "/colors", "01000000", "07000000"));
        ok(with(backend, "map", "update", dir + "/colors", "02000000", "f0ffffff"));
    }

    private static String[] with(String[] options, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of(options));
        return all.toArray(new String[0]);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> formatted(String json) {
        List<Object> out = new ArrayList<>();
        for (Object e : (List<Object>) MiniJson.parseExact(json)) out.add(((Map<String, Object>) e).get("formatted"));
        return out;
    }

    @Test
    void typedDumpsEqualBpftools() throws Exception {
        KernelHere.assumeBackend("linux");
        Need.tool("bpftool");
        Path dir = Path.of("/sys/fs/bpf", Host.fresh("cli-typed"));
        try {
            ok("object", "load", typed(), "--pin", dir.toString(), "--backend", "linux");
            ok("object", "load", object("global_data.o"), "--pin", dir + "/g", "--backend", "linux");
            fill(dir.toString(), Host.possibleCpus(), "--backend", "linux");
            for (String m : List.of("by_flow", "per_cpu_flows", "colors", "g/_rodata", "g/_rodata_greeting", "g/_data", "g/_bss")) {
                String path = dir + "/" + m;
                List<Object> ours = formatted(ok("map", "dump", path, "--json", "--backend", "linux").out());
                List<Object> theirs = formatted(Commands.run("bpftool", "-j", "map", "dump", "pinned", path));
                assertFalse(theirs.isEmpty() || theirs.contains(null), m + ": bpftool formats it: " + theirs);
                assertEquals(theirs, ours, m);
            }
            assertEquals(List.of(MiniJson.parseExact(STATS_FORMATTED)),
                    formatted(ok("map", "dump", dir + "/by_flow", "--json", "--backend", "linux").out()));
            assertEquals(List.of("key: 0  value: \"RED\"", "key: 1  value: \"GREEN\"", "key: 2  value: -16"),
                    ok("map", "dump", dir + "/colors", "--backend", "linux").out().strip().lines().toList());
            assertEquals("key: 00000000  value: {\".rodata.greeting\":[{\"greeting\":\"hello\"}]}",
                    ok("map", "dump", dir + "/g/_rodata_greeting", "--backend", "linux").out().strip());
            // --format hex: the bytes only, as without BTF.
            CliRun hex = ok("map", "dump", dir + "/colors", "--format", "hex", "--json", "--backend", "linux");
            assertFalse(hex.out().contains("formatted"), hex.out());
            assertTrue(ok("map", "dump", dir + "/colors", "--format", "hex", "--backend", "linux").out()
                    .startsWith("key 00000000  value 00000000"));
        } finally {
            Host.deleteTree(dir);
        }
    }

    @Test
    void formatJsonNeedsBtf() {
        KernelHere.assumeBackend("linux");
        try (Bpf bpf = Bpf.open("linux"); BpfMap plain = BpfMap.create(bpf, MapSpec.of(MapType.HASH, 4, 8, 8))) {
            String id = Integer.toString(plain.info().id());
            CliRun r = CliRun.of("map", "dump", id, "--format", "json", "--backend", "linux");
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().contains("--format json") && r.err().contains("no BTF"), r.err());
            CliRun bad = CliRun.of("map", "dump", id, "--format", "yaml", "--backend", "linux");
            assertEquals(2, bad.code(), bad.err());
            assertTrue(bad.err().contains("--format: 'yaml'"), bad.err());
            assertEquals("[]", ok("map", "dump", id, "--json", "--backend", "linux").out().strip(), "no BTF: hex, no formatted");
        }
    }

    @Test
    void theSimulatorFormatsTheSameBytesAsBpftoolDid(@TempDir Path tmp) throws Exception {
        String state = tmp.resolve("session").toString();
        ok("object", "load", typed(), "--pin", "/sys/fs/bpf/t", "--sim-state", state);
        ok("object", "load", object("global_data.o"), "--pin", "/sys/fs/bpf/t/g", "--sim-state", state);
        fill("/sys/fs/bpf/t", Host.possibleCpus(), "--sim-state", state);
        assertEquals(List.of(MiniJson.parseExact(STATS_FORMATTED)),
                formatted(ok("map", "dump", "/sys/fs/bpf/t/by_flow", "--json", "--sim-state", state).out()));
        assertEquals(List.of("key: 0  value: \"RED\"", "key: 1  value: \"GREEN\"", "key: 2  value: -16"),
                ok("map", "dump", "/sys/fs/bpf/t/colors", "--sim-state", state).out().strip().lines().toList());
        String cpu = "{\"cpu\":%d,\"value\":{\"addr\":%d,\"port\":%d,\"proto\":%d,\"pad\":0}}";
        List<String> zero = new ArrayList<>();
        List<String> one = new ArrayList<>();
        for (int c = 0; c < Host.possibleCpus(); c++) {
            zero.add(String.format(cpu, c, 0, 0, 0));
            one.add(String.format(cpu, c, 67305985, 5, 6));
        }
        assertEquals(List.of(MiniJson.parseExact("{\"key\":0,\"values\":[" + String.join(",", zero) + "]}"),
                MiniJson.parseExact("{\"key\":1,\"values\":[" + String.join(",", one) + "]}")),
                formatted(ok("map", "dump", "/sys/fs/bpf/t/per_cpu_flows", "--json", "--sim-state", state).out()));
        // bpftool's data sections, as it printed them for the same object on the kernel.
        assertEquals(List.of(MiniJson.parseExact("{\"value\":{\".data\":[{\"total\":100}]}}")),
                formatted(ok("map", "dump", "/sys/fs/bpf/t/g/_data", "--json", "--sim-state", state).out()));
    }
}
