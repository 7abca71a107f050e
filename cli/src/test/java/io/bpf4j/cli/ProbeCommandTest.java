package io.bpf4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.AttachType;
import io.bpf4j.api.LinkType;
import io.bpf4j.api.MapType;
import io.bpf4j.api.Operation;
import io.bpf4j.api.ProgramType;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProbeCommandTest {
    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> json(Run r) {
        assertEquals(0, r.code(), r.err());
        return (Map<String, Object>) MiniJson.parse(r.out());
    }

    @Test
    @SuppressWarnings("unchecked")
    void jsonOnTheSimulatorHasEveryEntry() {
        Map<String, Object> root = json(run("probe", "--json", "--backend", "sim"));
        assertEquals("sim", root.get("backend"));
        List<Object> backends = (List<Object>) root.get("backends");
        assertTrue(backends.stream().anyMatch(b -> "sim".equals(((Map<String, Object>) b).get("name"))));
        for (Object b : backends) {
            Map<String, Object> m = (Map<String, Object>) b;
            assertInstanceOf(Boolean.class, m.get("available"));
            if (!(Boolean) m.get("available")) assertInstanceOf(String.class, m.get("reason"), m.toString());
        }
        Map<String, Object> caps = (Map<String, Object>) root.get("capabilities");
        checkSection(caps, "operations", Operation.values());
        checkSection(caps, "mapTypes", MapType.values());
        checkSection(caps, "programTypes", ProgramType.values());
        checkSection(caps, "attachTypes", AttachType.values());
        checkSection(caps, "linkTypes", LinkType.values());
    }

    @SuppressWarnings("unchecked")
    private static void checkSection(Map<String, Object> caps, String name, Enum<?>[] constants) {
        Map<String, Object> section = (Map<String, Object>) caps.get(name);
        assertNotNull(section, name);
        assertEquals(constants.length, section.size(), name);
        for (Enum<?> c : constants) {
            Map<String, Object> entry = (Map<String, Object>) section.get(c.name());
            assertNotNull(entry, name + "." + c.name());
            if (Boolean.FALSE.equals(entry.get("supported"))) {
                assertFalse(((String) entry.get("reason")).isBlank(), name + "." + c.name());
            } else {
                assertEquals(Map.of("supported", true), entry, name + "." + c.name());
            }
        }
    }

    @Test
    void windowsHereFailsWithTheReasonAndNonZeroExit() {
        org.junit.jupiter.api.Assumptions.assumeFalse(System.getProperty("os.name").startsWith("Windows"),
                "on Windows the windows backend may be installed");
        Run r = run("probe", "--json", "--backend", "windows");
        assertEquals(2, r.code());
        assertEquals("", r.out());
        assertTrue(r.err().contains("ebpfapi.dll not found"), r.err());
    }

    @Test
    void unknownBackendIsNamed() {
        Run r = run("probe", "--backend", "nope");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("no backend named \"nope\""), r.err());
    }

    /** Which branch to expect is decided from the machine (Linux, root, bpffs), not from the providers. */
    @Test
    void defaultIsTheKernelBackendWhenOneWorks() {
        Run r = run("probe", "--json");
        Map<String, Object> root = json(r);
        String whyNot = KernelHere.whyNot();
        if (whyNot == null) {
            assertEquals("linux", root.get("backend"), r.out());
            assertEquals("", r.err());
        } else if (!System.getProperty("os.name").startsWith("Windows")) {
            assertEquals("sim", root.get("backend"), "no kernel backend can run here (" + whyNot + ")");
            assertTrue(r.err().startsWith("bpf4j: no kernel backend is available, running on the simulator"), r.err());
        } else {
            org.junit.jupiter.api.Assumptions.abort("on Windows the default depends on eBPF for Windows being installed");
        }
    }

    @Test
    void textNamesTheBackendFirstAndListsSections() {
        Run r = run("probe", "--backend", "sim");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("backend: sim\n"), r.out());
        for (String s : List.of("operations (", "map types (", "program types (", "attach types (", "link types (")) {
            assertTrue(r.out().contains(s), s);
        }
    }
}
