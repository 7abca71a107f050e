package io.bpf4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.bpf4j.testsupport.Host;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same shell session, command by command, on the kernel and in a simulator session: load and
 * pin an object, change a map, test-run the program (which writes maps), and the typed dumps of
 * every map agree. The simulator's state lives only in its file between the commands.
 */
class SessionVsKernelTest {
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

    /** Runs the session under {@code dir} and returns each map's typed dump. */
    @SuppressWarnings("unchecked")
    private static List<Object> session(String dir, String... backend) throws Exception {
        CliRun load = ok(with(backend, "object", "load", MapDumpTest.object("btf_maps.o"), "--pin", dir, "--json"));
        Map<String, Object> loaded = (Map<String, Object>) MiniJson.parse(load.out());
        String prog = String.valueOf(((Number) ((List<Map<String, Object>>) loaded.get("programs")).get(0).get("id")).intValue());
        ok(with(backend, "map", "update", dir + "/by_length", "10000000", "0500000000000000"));
        ok(with(backend, "prog", "run", prog, "--data", "00".repeat(16), "--repeat", "3"));
        ok(with(backend, "prog", "run", prog, "--data", "00".repeat(64)));
        List<Object> dumps = new ArrayList<>();
        for (String m : List.of("by_length", "totals")) {
            List<Object> elems = (List<Object>) MiniJson.parseExact(ok(with(backend, "map", "dump", dir + "/" + m, "--json")).out());
            List<Object> formatted = new ArrayList<>();
            for (Object e : elems) formatted.add(((Map<String, Object>) e).get("formatted"));
            formatted.sort((a, b) -> a.toString().compareTo(b.toString()));
            dumps.add(formatted);
        }
        return dumps;
    }

    @Test
    void aSessionEndsInTheSameMapsOnTheKernelAndTheSimulator(@TempDir Path tmp) throws Exception {
        KernelHere.assumeBackend("linux");
        Path dir = Path.of("/sys/fs/bpf", Host.fresh("cli-session"));
        List<Object> kernel;
        try {
            kernel = session(dir.toString(), "--backend", "linux");
        } finally {
            Host.deleteTree(dir);
        }
        List<Object> sim = session("/sys/fs/bpf/agent", "--sim-state", tmp.resolve("s").toString());
        assertFalse(kernel.toString().contains("null"), "every element typed: " + kernel);
        // by_length: 16 (run three times, then counted from 1 by the program's update), 64 once, and 16 set from user space first.
        assertEquals(List.of(MiniJson.parseExact("{\"key\":16,\"value\":8}"), MiniJson.parseExact("{\"key\":64,\"value\":1}")),
                kernel.get(0));
        assertEquals(kernel, sim);
    }
}
