package io.bpf4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code bpf4j object inspect --flavor windows} on the eBPF for Windows test objects. */
class ObjectFlavorCommandTest {
    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    private static String object(String name) throws URISyntaxException {
        return Path.of(ObjectFlavorCommandTest.class.getResource("/objects/windows/" + name).toURI()).toString();
    }

    @Test
    void inspectReadsWindowsConventions() throws Exception {
        CliRun r = run("object", "inspect", "--flavor", "windows", object("efw_maps.o"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("file: efw_maps.o (object efw_maps), license \"MIT\", with BTF, eBPF for Windows"
                + " conventions"), r.out());
        assertTrue(r.out().matches("(?s).*count_xdp +section xdp +type XDP +attach XDP .*"), r.out());
        // eBPF for Windows' own program types, which only the Windows backend loads.
        assertTrue(r.out().matches("(?s).*watch_bind +section bind +type BIND +attach - .*"), r.out());
        assertTrue(r.out().matches("(?s).*sample +section sample_ext/extra +type SAMPLE +attach - .*"), r.out());
        assertTrue(!r.out().contains("not loadable"), r.out());
        assertTrue(r.out().matches("(?s).*events +events +LEGACY +RINGBUF +key +0 value +0 max +65536.*"), r.out());
    }

    @Test
    @SuppressWarnings("unchecked")
    void inspectJsonGivesWindowsProgramTypes() throws Exception {
        CliRun r = run("object", "inspect", "--json", "--flavor", "windows", object("efw_maps.o"));
        assertEquals(0, r.code(), r.err());
        Map<String, Object> o = (Map<String, Object>) MiniJson.parse(r.out());
        assertEquals("EBPF_FOR_WINDOWS", o.get("flavor"));
        List<Map<String, Object>> progs = (List<Map<String, Object>>) o.get("programs");
        Map<String, Map<String, Object>> byName = new java.util.HashMap<>();
        for (Map<String, Object> p : progs) byName.put((String) p.get("name"), p);
        assertNull(byName.get("count_xdp").get("notLoadable"));
        assertEquals("BIND", byName.get("watch_bind").get("type"));
        assertNull(byName.get("watch_bind").get("notLoadable"));
        assertEquals("PERCPU_ARRAY", ((List<Map<String, Object>>) o.get("maps")).get(2).get("type"));
    }

    @Test
    void withoutTheFlavorTheMessageNamesIt() throws Exception {
        CliRun r = run("object", "inspect", object("efw_maps.o"));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("ObjectFlavor.EBPF_FOR_WINDOWS"), r.err());
        r = run("object", "inspect", "--flavor", "efw", object("efw_maps.o"));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--flavor: 'efw' is neither libbpf nor windows"), r.err());
    }
}
