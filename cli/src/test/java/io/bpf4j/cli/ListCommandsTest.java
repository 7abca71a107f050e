package io.bpf4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfLink;
import io.bpf4j.api.BpfMap;
import io.bpf4j.api.BpfProgram;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.asm.Asm;
import io.bpf4j.api.asm.Register;
import io.bpf4j.testsupport.Commands;
import io.bpf4j.testsupport.Need;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code bpf4j prog|map|link list|show} on the kernel, held to {@code bpftool}'s view of the same
 * objects (ids, names, types, key and value sizes, entries, the link's program), and on the
 * simulator.
 */
class ListCommandsTest {
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> array(String json) {
        return (List<Map<String, Object>>) MiniJson.parse(json);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(String json) {
        return (Map<String, Object>) MiniJson.parse(json);
    }

    private static Map<String, Object> byId(List<Map<String, Object>> items, int id) {
        for (Map<String, Object> m : items) {
            if (((Number) m.get("id")).intValue() == id) return m;
        }
        throw new AssertionError("no id " + id + " in " + items);
    }

    private static long n(Map<String, Object> m, String k) {
        return ((Number) m.get(k)).longValue();
    }

    @Test
    void listsAgreeWithBpftool() throws Exception {
        KernelHere.assumeBackend("linux");
        Need.tool("bpftool");
        try (Bpf bpf = Bpf.open("linux");
                BpfMap map = BpfMap.create(bpf, MapSpec.of(MapType.LRU_HASH, 8, 16, 64).withName("cli_list_map"));
                BpfProgram prog = BpfProgram.load(bpf, ProgramSpec.of(ProgramType.XDP, new Asm().mov64(Register.R0, 2).exit().toArray(),
                        "GPL").withName("cli_list_prog"))) {
            int mapId = map.info().id();
            int progId = prog.info().id();

            CliRun r = CliRun.of("map", "list", "--json", "--backend", "linux");
            assertEquals(0, r.code(), r.err());
            Map<String, Object> ours = byId(array(r.out()), mapId);
            Map<String, Object> theirs = byId(array(Commands.run("bpftool", "-j", "map", "show")), mapId);
            for (String k : List.of("type", "name", "flags", "bytes_key", "bytes_value", "max_entries")) {
                assertEquals(String.valueOf(theirs.get(k)), String.valueOf(ours.get(k)), "map " + k);
            }
            assertEquals(List.of("lru_hash", 8L, 16L, 64L), List.of(ours.get("type"), n(ours, "bytes_key"), n(ours, "bytes_value"),
                    n(ours, "max_entries")));

            r = CliRun.of("prog", "list", "--json", "--backend", "linux");
            assertEquals(0, r.code(), r.err());
            Map<String, Object> p = byId(array(r.out()), progId);
            Map<String, Object> bp = byId(array(Commands.run("bpftool", "-j", "prog", "show")), progId);
            for (String k : List.of("type", "name", "tag", "gpl_compatible", "bytes_xlated", "bytes_jited")) {
                assertEquals(String.valueOf(bp.get(k)), String.valueOf(p.get(k)), "prog " + k);
            }
            assertEquals("xdp", p.get("type"));

            r = CliRun.of("prog", "show", Integer.toString(progId), "--backend", "linux");
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().startsWith(progId + ": xdp  name cli_list_prog  tag " + p.get("tag") + "  gpl"), r.out());
            r = CliRun.of("map", "show", "--json", Integer.toString(mapId), "--backend", "linux");
            assertEquals(mapId, n(object(r.out()), "id"));

            try (BpfLink link = prog.attachXdp("lo", io.bpf4j.api.XdpMode.GENERIC)) {
                int linkId = link.info().id();
                r = CliRun.of("link", "list", "--json", "--backend", "linux");
                assertEquals(0, r.code(), r.err());
                Map<String, Object> l = byId(array(r.out()), linkId);
                Map<String, Object> bl = byId(array(Commands.run("bpftool", "-j", "link", "show")), linkId);
                assertEquals(String.valueOf(bl.get("type")), String.valueOf(l.get("type")));
                assertEquals(n(bl, "prog_id"), n(l, "prog_id"));
                assertEquals(progId, n(l, "prog_id"));
            }
            r = CliRun.of("prog", "show", "2147483647", "--backend", "linux");
            assertEquals(1, r.code(), r.out());
            assertTrue(r.err().contains("ENOENT"), r.err());
        }
    }

    @Test
    void btfListAgreesWithBpftool() {
        KernelHere.assumeBackend("linux");
        Need.tool("bpftool");
        CliRun r = CliRun.of("btf", "list", "--json", "--backend", "linux");
        assertEquals(0, r.code(), r.err());
        Map<String, Object> vmlinux = null;
        for (Map<String, Object> m : array(r.out())) {
            if ("vmlinux".equals(m.get("name"))) vmlinux = m;
        }
        assertTrue(vmlinux != null && Boolean.TRUE.equals(vmlinux.get("kernel")), r.out());
        Map<String, Object> theirs = byId(array(Commands.run("bpftool", "-j", "btf", "show")), (int) n(vmlinux, "id"));
        assertEquals(n(theirs, "size"), n(vmlinux, "size"));
        assertEquals(theirs.get("name"), vmlinux.get("name"));
    }

    @Test
    void aFreshSimulatorHasNothingToList() {
        for (String kind : List.of("prog", "map", "link")) {
            CliRun r = CliRun.of(kind, "list", "--json", "--backend", "sim");
            assertEquals(0, r.code(), r.err());
            assertEquals("[]", r.out().strip());
        }
        CliRun r = CliRun.of("map", "show", "0", "--backend", "sim");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("ID: 0 is not an object id"), r.err());
    }
}
