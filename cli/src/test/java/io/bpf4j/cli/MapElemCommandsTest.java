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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code bpf4j map dump|lookup|update|delete|getnext|push|pop|peek|freeze|pin} on the kernel, dumps held to bpftool's. */
class MapElemCommandsTest {
    private static CliRun ok(String... args) {
        CliRun r = CliRun.of(args);
        assertEquals(0, r.code(), String.join(" ", args) + ": " + r.err() + r.out());
        return r;
    }

    @Test
    @SuppressWarnings("unchecked")
    void elementsAreReadAndWrittenInHex() throws Exception {
        KernelHere.assumeBackend("linux");
        Path pin = Path.of("/sys/fs/bpf", Host.fresh("cli-map"));
        Path pin2 = Path.of("/sys/fs/bpf", Host.fresh("cli-map2"));
        try (Bpf bpf = Bpf.open("linux"); BpfMap hash = BpfMap.create(bpf, MapSpec.of(MapType.HASH, 4, 8, 8))) {
            hash.pin(pin.toString());
            String m = pin.toString();
            ok("map", "update", m, "01000000", "0x2a 0 0 0 0 0 0 0", "--backend", "linux");
            ok("map", "update", m, "02 00 00 00", "0700000000000000", "--backend", "linux");
            assertEquals("2a00000000000000", ok("map", "lookup", m, "01000000", "--backend", "linux").out().strip());
            CliRun dup = CliRun.of("map", "update", m, "01000000", "0000000000000000", "--noexist", "--backend", "linux");
            assertEquals(1, dup.code(), "EEXIST: " + dup.err());
            assertTrue(dup.err().contains("EEXIST"), dup.err());

            List<Map<String, Object>> dumped = (List<Map<String, Object>>) MiniJson.parse(ok("map", "dump", m, "--json", "--backend",
                    "linux").out());
            assertEquals(2, dumped.size(), "both elements: " + dumped);
            String first = ok("map", "getnext", m, "--backend", "linux").out().strip();
            assertTrue(first.equals("01000000") || first.equals("02000000"), first);
            ok("map", "delete", m, "01000000", "--backend", "linux");
            assertEquals(1, CliRun.of("map", "lookup", m, "01000000", "--backend", "linux").code(), "a missing key is a failed operation");
            assertEquals(2, CliRun.of("map", "lookup", m, "010000", "--backend", "linux").code(), "a short key is bad usage");
            ok("map", "pin", Integer.toString(hash.info().id()), pin2.toString(), "--backend", "linux");
            assertTrue(Files.exists(pin2));
            ok("map", "freeze", m, "--backend", "linux");
            CliRun frozen = CliRun.of("map", "update", m, "03000000", "0000000000000000", "--backend", "linux");
            assertEquals(1, frozen.code(), frozen.err());
        } finally {
            Files.deleteIfExists(pin);
            Files.deleteIfExists(pin2);
        }
        try (Bpf bpf = Bpf.open("linux"); BpfMap queue = BpfMap.create(bpf, MapSpec.of(MapType.QUEUE, 0, 4, 4));
                BpfMap pc = BpfMap.create(bpf, MapSpec.of(MapType.PERCPU_ARRAY, 4, 4, 1))) {
            String q = Integer.toString(queue.info().id());
            ok("map", "push", q, "0a000000", "--backend", "linux");
            ok("map", "push", q, "0b000000", "--backend", "linux");
            assertEquals("0a000000", ok("map", "peek", q, "--backend", "linux").out().strip());
            assertEquals("{\"value\":\"0a000000\"}", ok("map", "pop", q, "--json", "--backend", "linux").out().strip());
            assertEquals("0b000000", ok("map", "pop", q, "--backend", "linux").out().strip());
            assertEquals(1, CliRun.of("map", "pop", q, "--backend", "linux").code(), "empty");
            // Per-CPU values, per CPU.
            String v = ok("map", "lookup", Integer.toString(pc.info().id()), "00000000", "--backend", "linux").out().strip();
            assertTrue(v.startsWith("cpu0 00000000  cpu1 00000000"), v);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void dumpsAgreeWithBpftool() throws Exception {
        KernelHere.assumeBackend("linux");
        Need.tool("bpftool");
        try (Bpf bpf = Bpf.open("linux"); BpfMap hash = BpfMap.create(bpf, MapSpec.of(MapType.HASH, 4, 8, 8))) {
            String m = Integer.toString(hash.info().id());
            ok("map", "update", m, "1 0 0 0", "0x2a 0 0 0 0 0 0 0", "--backend", "linux");
            ok("map", "update", m, "hex 02 00 00 00", "0700000000000000", "--backend", "linux");
            List<Map<String, Object>> ours = (List<Map<String, Object>>) MiniJson.parse(ok("map", "dump", m, "--json", "--backend",
                    "linux").out());
            List<Map<String, Object>> theirs = (List<Map<String, Object>>) MiniJson.parse(Commands.run("bpftool", "-j", "map",
                    "dump", "id", m));
            List<String> a = new ArrayList<>();
            for (Map<String, Object> e : ours) a.add(e.get("key") + "=" + e.get("value"));
            List<String> b = new ArrayList<>();
            for (Map<String, Object> e : theirs) b.add(joined((List<Object>) e.get("key")) + "=" + joined((List<Object>) e.get("value")));
            assertEquals(b, a);
            assertEquals(2, a.size());
        }
    }

    private static String joined(List<Object> bytes) {
        StringBuilder sb = new StringBuilder();
        for (Object o : bytes) sb.append(String.valueOf(o).substring(2));
        return sb.toString();
    }
}
