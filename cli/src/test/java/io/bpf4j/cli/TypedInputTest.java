package io.bpf4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * Keys and values given as JSON typed through the map's BTF: what {@code map dump} prints is
 * accepted back by {@code map update|lookup|delete|getnext}, and the bytes it makes are the ones
 * bpftool formats as the same JSON (on the kernel) and the hex form gives (on both backends).
 */
class TypedInputTest {
    private static final String STATS = MapDumpTest.STATS_FORMATTED;
    /** The struct stats value of {@link MapDumpTest#STATS_FORMATTED}, as JSON text. */
    private static final String STATS_VALUE = STATS.substring(STATS.indexOf(",\"value\":") + 9, STATS.length() - 1);
    private static final String FLOW = "{\"addr\":167772161,\"port\":80,\"proto\":6,\"pad\":0}";

    private static CliRun ok(String... args) {
        CliRun r = CliRun.of(args);
        assertEquals(0, r.code(), String.join(" ", args) + ": " + r.err() + r.out());
        return r;
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

    /** Writes typed_maps' maps with typed input only, and checks them through hex and typed reads. */
    private static void typedRoundTrip(String dir, String... backend) {
        ok(with(backend, "map", "update", dir + "/by_flow", FLOW, STATS_VALUE));
        assertEquals(List.of(MiniJson.parseExact(STATS)), formatted(ok(with(backend, "map", "dump", dir + "/by_flow", "--json")).out()));
        // The key given typed finds the element written from hex by the other test's bytes: same bytes.
        assertEquals(ok(with(backend, "map", "lookup", dir + "/by_flow", MapDumpTest.FLOW_KEY)).out(),
                ok(with(backend, "map", "lookup", dir + "/by_flow", FLOW)).out());
        // Members left out are zero; enums by name; scalars with json:.
        ok(with(backend, "map", "update", dir + "/by_flow", "{\"addr\":1}", "{\"color\":\"GREEN\",\"name\":\"lo\"}"));
        String partial = ok(with(backend, "map", "dump", dir + "/by_flow", "--json")).out();
        Object expected = MiniJson.parseExact("{\"key\":{\"addr\":1,\"port\":0,\"proto\":0,\"pad\":0},\"value\":"
                + STATS_VALUE.replaceAll("(?<=[:\\[,])-?[0-9]+", "0").replace("true", "false").replace("\"0x5\"", "\"0x0\"")
                        .replace("\"0x123\"", "\"0x0\"").replace("\"0xfe\"", "\"0x0\"").replace("\"eth0\"", "\"lo\"")
                        .replace("\"BLUE\"", "\"GREEN\"") + "}");
        assertTrue(formatted(partial).contains(expected), expected + " in " + partial);
        ok(with(backend, "map", "update", dir + "/colors", "json:2", "json:\"BLUE\""));
        ok(with(backend, "map", "update", dir + "/colors", "json:0", "json:-16"));
        assertEquals(List.of("key: 0  value: -16", "key: 1  value: \"RED\"", "key: 2  value: \"BLUE\""),
                ok(with(backend, "map", "dump", dir + "/colors")).out().strip().lines().toList());
        assertEquals("02000000", ok(with(backend, "map", "getnext", dir + "/colors", "json:1")).out().strip());
        ok(with(backend, "map", "delete", dir + "/by_flow", "{\"addr\":1}"));
        // A per-CPU value: one JSON value per possible CPU.
        List<String> cpus = new ArrayList<>();
        for (int c = 0; c < Host.possibleCpus(); c++) cpus.add("{\"addr\":" + c + ",\"port\":" + (c + 1) + "}");
        ok(with(backend, "map", "update", dir + "/per_cpu_flows", "json:1", "[" + String.join(",", cpus) + "]"));
        StringBuilder hex = new StringBuilder();
        for (int c = 0; c < Host.possibleCpus(); c++) {
            if (c > 0) hex.append("  ");
            hex.append("cpu").append(c).append(' ').append(String.format("%02x000000%02x000000", c, c + 1));
        }
        assertEquals(hex.toString(), ok(with(backend, "map", "lookup", dir + "/per_cpu_flows", "json:1")).out().strip());
    }

    @Test
    void typedInputOnTheKernelIsWhatBpftoolFormatsBack() throws Exception {
        KernelHere.assumeBackend("linux");
        Need.tool("bpftool");
        Path dir = Path.of("/sys/fs/bpf", Host.fresh("cli-typed-in"));
        try {
            ok("object", "load", MapDumpTest.typed(), "--pin", dir.toString(), "--backend", "linux");
            typedRoundTrip(dir.toString(), "--backend", "linux");
            ok("map", "update", dir + "/by_flow", FLOW, STATS_VALUE, "--backend", "linux");
            List<Object> theirs = formatted(Commands.run("bpftool", "-j", "map", "dump", "pinned", dir + "/by_flow"));
            assertEquals(List.of(MiniJson.parseExact(STATS)), theirs);
            // A map without BTF: JSON is refused, with the way out.
            try (Bpf bpf = Bpf.open("linux"); BpfMap plain = BpfMap.create(bpf, MapSpec.of(MapType.HASH, 4, 8, 8))) {
                CliRun r = CliRun.of("map", "update", Integer.toString(plain.info().id()), "json:1", "0", "--backend", "linux");
                assertEquals(2, r.code(), r.err());
                assertTrue(r.err().contains("KEY: given as JSON, but the map has no BTF type for its key; give it in hex"), r.err());
            }
        } finally {
            Host.deleteTree(dir);
        }
    }

    @Test
    void typedInputInASimulatorSession(@TempDir Path tmp) throws Exception {
        String state = tmp.resolve("session").toString();
        ok("object", "load", MapDumpTest.typed(), "--pin", "/sys/fs/bpf/t", "--sim-state", state);
        typedRoundTrip("/sys/fs/bpf/t", "--sim-state", state);
    }

    @Test
    void badTypedInputIsAUsageErrorNamingThePart(@TempDir Path tmp) throws Exception {
        String state = tmp.resolve("session").toString();
        ok("object", "load", MapDumpTest.typed(), "--pin", "/sys/fs/bpf/t", "--sim-state", state);
        String m = "/sys/fs/bpf/t/by_flow";
        Map<List<String>, String> cases = Map.of(
                List.of("{\"adr\":1}", STATS_VALUE), "KEY: struct flow has no member \"adr\"",
                List.of("{\"port\":70000}", STATS_VALUE), "KEY.port: 70000 is outside 0..65535",
                List.of(FLOW, "{\"ports\":[1,2,3,4]}"), "VALUE.ports: 4 elements given, the array holds 3",
                List.of(FLOW, "{\"color\":\"PINK\"}"), "VALUE.color: \"PINK\" is not an enumerator of enum color",
                List.of(FLOW, "{\"name\":\"a-name-far-too-long\"}"), "VALUE.name: \"a-name-far-too-long\" is 19 characters",
                List.of("{\"addr\":1,}", STATS_VALUE), "KEY: not JSON at character 11",
                List.of(FLOW, "{\"s8\":1.5}"), "VALUE.s8: 1.5 is not an integer",
                List.of(FLOW, "{\"u\":[]}"), "VALUE.u: a list given, an object of the members of union");
        for (Map.Entry<List<String>, String> c : cases.entrySet()) {
            CliRun r = CliRun.of("map", "update", m, c.getKey().get(0), c.getKey().get(1), "--sim-state", state);
            assertEquals(2, r.code(), c.getKey() + ": " + r.err());
            assertTrue(r.err().contains(c.getValue()), c.getKey() + ": " + r.err());
        }
    }
}
