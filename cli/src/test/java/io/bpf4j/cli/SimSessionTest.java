package io.bpf4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --sim-state FILE}: successive commands see one simulated kernel; unpinned objects die
 * with their command; a foreign, damaged or diverging file is refused naming it; concurrent
 * commands on one file all land.
 */
class SimSessionTest {
    @TempDir
    Path tmp;

    private String state() {
        return tmp.resolve("session").toString();
    }

    private static CliRun ok(String... args) {
        CliRun r = CliRun.of(args);
        assertEquals(0, r.code(), String.join(" ", args) + ": " + r.err() + r.out());
        return r;
    }

    private static String object(String name) throws Exception {
        return MapDumpTest.object(name);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(CliRun r) {
        return (List<Map<String, Object>>) MiniJson.parse(r.out());
    }

    @Test
    void objectsLoadedAndPinnedAreThereForTheNextCommand() throws Exception {
        CliRun load = ok("object", "load", object("btf_maps.o"), "--pin", "/sys/fs/bpf/agent", "--json", "--sim-state", state());
        assertTrue(load.err().contains("simulator") && load.err().contains(state()), "says the state is simulated: " + load.err());
        assertTrue(load.err().contains("0 earlier commands replayed"), load.err());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> progs = (List<Map<String, Object>>) ((Map<String, Object>) MiniJson.parse(load.out())).get("programs");
        Object progId = progs.get(0).get("id");

        List<Map<String, Object>> listed = list(ok("prog", "list", "--json", "--sim-state", state()));
        assertEquals(1, listed.size(), listed.toString());
        assertEquals(progId, listed.get(0).get("id"));
        assertEquals("use_btf_maps", listed.get(0).get("name"));
        List<String> maps = new ArrayList<>();
        for (Map<String, Object> m : list(ok("map", "list", "--json", "--sim-state", state()))) maps.add((String) m.get("name"));
        assertEquals(List.of("verdicts", "by_length", "per_cpu", "totals", "events"), maps);

        ok("map", "update", "/sys/fs/bpf/agent/by_length", "05000000", "0700000000000000", "--sim-state", state());
        ok("map", "update", "/sys/fs/bpf/agent/by_length", "06000000", "0800000000000000", "--sim-state", state());
        ok("map", "delete", "/sys/fs/bpf/agent/by_length", "06000000", "--sim-state", state());
        CliRun lookup = ok("map", "lookup", "/sys/fs/bpf/agent/by_length", "05000000", "--sim-state", state());
        assertEquals("0700000000000000", lookup.out().strip());
        assertTrue(lookup.err().contains("4 earlier commands replayed"), "lookup replays load, two updates, delete: " + lookup.err());
        assertEquals("key: 5  value: 7", ok("map", "dump", "/sys/fs/bpf/agent/by_length", "--sim-state", state()).out().strip());
        // Reads are not journaled: the next command still replays four.
        assertTrue(ok("map", "list", "--sim-state", state()).err().contains("4 earlier commands replayed"));
        // A failed update changed nothing and is not journaled either.
        assertEquals(1, CliRun.of("map", "update", "/sys/fs/bpf/agent/by_length", "05000000", "0000000000000000", "--noexist",
                "--sim-state", state()).code());
        assertTrue(ok("map", "list", "--sim-state", state()).err().contains("4 earlier commands replayed"));
    }

    @Test
    void unpinnedObjectsDieWithTheirCommand() throws Exception {
        ok("object", "load", object("subprogs.o"), "--sim-state", state());
        assertEquals(List.of(), list(ok("prog", "list", "--json", "--sim-state", state())));
        assertEquals(List.of(), list(ok("map", "list", "--json", "--sim-state", state())));
        // Their ids are gone too, as on a kernel: the next objects get new ones.
        CliRun again = ok("object", "load", object("subprogs.o"), "--pin", "/sys/fs/bpf/s", "--json", "--sim-state", state());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> progs = (List<Map<String, Object>>) ((Map<String, Object>) MiniJson.parse(again.out())).get("programs");
        List<Map<String, Object>> listed = list(ok("prog", "list", "--json", "--sim-state", state()));
        assertEquals(progs.size(), listed.size());
        assertTrue(((Number) listed.get(0).get("id")).intValue() > progs.size(), "ids after the first load's: " + listed);
    }

    @Test
    void testRunsThatWriteMapsAreKept() throws Exception {
        ok("object", "load", object("global_data.o"), "--pin", "/sys/fs/bpf/g", "--sim-state", state());
        int prog = ((Number) list(ok("prog", "list", "--json", "--sim-state", state())).get(0).get("id")).intValue();
        ok("prog", "run", Integer.toString(prog), "--data", "00".repeat(64), "--sim-state", state());
        ok("prog", "run", Integer.toString(prog), "--data", "00".repeat(32), "--sim-state", state());
        // .bss: last_len then calls, typed through the object's BTF.
        assertEquals("key: 00000000  value: {\".bss\":[{\"last_len\":32},{\"calls\":2}]}",
                ok("map", "dump", "/sys/fs/bpf/g/_bss", "--sim-state", state()).out().strip());
    }

    @Test
    void theFilesACommandReadAreKeptInTheSession() throws Exception {
        Path copy = tmp.resolve("agent.o");
        Files.copy(Path.of(object("btf_maps.o")), copy);
        ok("object", "load", copy.toString(), "--pin", "/sys/fs/bpf/agent", "--sim-state", state());
        Files.delete(copy);
        assertEquals(5, list(ok("map", "list", "--json", "--sim-state", state())).size(), "five maps, replayed without agent.o");
        // And under the object's own name: map names derive from it.
        Files.copy(Path.of(object("global_data.o")), copy);
        ok("object", "load", copy.toString(), "--pin", "/sys/fs/bpf/g", "--sim-state", state());
        Files.delete(copy);
        Set<String> names = new HashSet<>();
        for (Map<String, Object> m : list(ok("map", "list", "--json", "--sim-state", state()))) names.add((String) m.get("name"));
        assertTrue(names.contains("agent.bss"), names.toString());
    }

    @Test
    void aForeignFileIsRefusedAndLeftAlone() throws Exception {
        Path foreign = tmp.resolve("notes.txt");
        Files.writeString(foreign, "my notes\n");
        CliRun r = CliRun.of("map", "list", "--sim-state", foreign.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains(foreign.toString()) && r.err().contains("not a bpf4j simulator state file"), r.err());
        assertEquals("my notes\n", Files.readString(foreign));
    }

    @Test
    void aDamagedFileIsRefusedWithItsLine() throws Exception {
        ok("object", "load", object("btf_maps.o"), "--pin", "/sys/fs/bpf/agent", "--sim-state", state());
        ok("map", "update", "/sys/fs/bpf/agent/by_length", "05000000", "0700000000000000", "--sim-state", state());
        Path file = Path.of(state());
        String good = Files.readString(file);

        Files.writeString(file, good.replace("0700000000000000", "0800000000000000"));
        CliRun edited = CliRun.of("map", "list", "--sim-state", state());
        assertEquals(2, edited.code(), edited.err());
        assertTrue(edited.err().contains(state()) && edited.err().contains("line 6: checksum mismatch"), edited.err());

        Files.writeString(file, good.substring(0, good.length() - 5));
        CliRun cut = CliRun.of("map", "list", "--sim-state", state());
        assertEquals(2, cut.code(), cut.err());
        assertTrue(cut.err().contains("ends in the middle of a line"), cut.err());
        assertEquals(good.substring(0, good.length() - 5), Files.readString(file), "a damaged file is not written to");
    }

    @Test
    void aJournalThatNoLongerReplaysIsReported() throws Exception {
        ok("object", "load", object("btf_maps.o"), "--pin", "/sys/fs/bpf/agent", "--sim-state", state());
        // A well-formed record of a command that cannot succeed here: as if it had, once.
        Files.writeString(Path.of(state()), SimState.line("run 0 map delete /sys/fs/bpf/agent/by_length 09000000"),
                java.nio.file.StandardOpenOption.APPEND);
        CliRun r = CliRun.of("map", "list", "--sim-state", state());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains(state()) && r.err().contains("command 2 of the session") && r.err().contains("cannot be restored"),
                r.err());
    }

    @Test
    void onlyTheSimulatorHasAState() {
        Path file = tmp.resolve("never");
        CliRun r = CliRun.of("map", "list", "--backend", "linux", "--sim-state", file.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--sim-state") && r.err().contains("--backend linux"), r.err());
        assertFalse(Files.exists(file), "nothing written for a refused command");
        ok("map", "list", "--backend", "sim", "--sim-state", file.toString());
    }

    @Test
    void concurrentCommandsOnOneFileAllLand() throws Exception {
        ok("object", "load", object("btf_maps.o"), "--pin", "/sys/fs/bpf/agent", "--sim-state", state());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<CliRun>> runs = new ArrayList<>();
            for (int i = 1; i <= 8; i++) {
                String key = String.format("%02x000000", i);
                runs.add(pool.submit(() -> CliRun.of("map", "update", "/sys/fs/bpf/agent/by_length", key, "0100000000000000",
                        "--sim-state", state())));
            }
            for (Future<CliRun> f : runs) assertEquals(0, f.get().code(), f.get().err());
        } finally {
            pool.shutdown();
        }
        assertEquals(8, ok("map", "dump", "/sys/fs/bpf/agent/by_length", "--sim-state", state()).out().strip().lines().count());
    }

    @Test
    void concurrentCommandsSeeEachOthersChanges() throws Exception {
        ok("object", "load", object("btf_maps.o"), "--pin", "/sys/fs/bpf/agent", "--sim-state", state());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Integer> codes = new ArrayList<>();
        try {
            List<Future<CliRun>> runs = new ArrayList<>();
            for (int i = 1; i <= 6; i++) {
                String value = String.format("%02x00000000000000", i);
                runs.add(pool.submit(() -> CliRun.of("map", "update", "/sys/fs/bpf/agent/by_length", "07000000", value, "--noexist",
                        "--sim-state", state())));
            }
            for (Future<CliRun> f : runs) codes.add(f.get().code());
        } finally {
            pool.shutdown();
        }
        // One after the other: the first creates the key, every later one finds it (EEXIST).
        assertEquals(1, codes.stream().filter(c -> c == 0).count(), "exactly one --noexist update wins: " + codes);
        assertEquals(5, codes.stream().filter(c -> c == 1).count(), codes.toString());
        CliRun after = ok("map", "dump", "/sys/fs/bpf/agent/by_length", "--sim-state", state());
        assertEquals(1, after.out().strip().lines().count(), after.out());
        assertTrue(after.err().contains("2 earlier commands replayed"), "the losers were not journaled: " + after.err());
    }

    @Test
    void anotherProcessSeesTheState() throws Exception {
        ok("object", "load", object("btf_maps.o"), "--pin", "/sys/fs/bpf/agent", "--sim-state", state());
        List<Process> writers = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            writers.add(process("map", "update", "/sys/fs/bpf/agent/by_length", String.format("%02x000000", i),
                    String.format("%02x00000000000000", 10 * i), "--sim-state", state()));
        }
        for (Process p : writers) {
            assertEquals(0, p.waitFor(), new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        }
        Process reader = process("map", "lookup", "/sys/fs/bpf/agent/by_length", "02000000", "--sim-state", state());
        String out = new String(reader.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(reader.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, reader.waitFor(), err);
        assertEquals("1400000000000000", out.strip());
        assertTrue(err.contains("4 earlier commands replayed"), err);
    }

    /** {@code bpf4j ARGS} in a new JVM on this test's class path. */
    static Process process(String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow(() -> new AssertionError("no java command"));
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("BPF4J_PROGRESS");
        return pb.start();
    }
}
