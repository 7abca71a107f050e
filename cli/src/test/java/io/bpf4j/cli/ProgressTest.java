package io.bpf4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfMap;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.testsupport.Host;
import io.bpf4j.testsupport.Need;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Progress lines: on stderr, in place, only on a terminal. Forced on and off through the
 * {@code bpf4j.progress} property in this JVM; decided from the facts in a child process whose
 * stderr is a pipe (nothing) or a pseudo terminal made by {@code script} (a progress line).
 */
class ProgressTest {
    private static CliRun withProgress(String mode, String... args) {
        String before = System.getProperty("bpf4j.progress");
        System.setProperty("bpf4j.progress", mode);
        try {
            return CliRun.of(args);
        } finally {
            if (before == null) System.clearProperty("bpf4j.progress");
            else System.setProperty("bpf4j.progress", before);
        }
    }

    @Test
    void objectLoadCountsProgramsWhenForced() throws Exception {
        CliRun on = withProgress("always", "object", "load", MapDumpTest.object("subprogs.o"), "--backend", "sim");
        assertEquals(0, on.code(), on.err());
        assertTrue(on.err().contains("\rloading subprogs.o: 1/2 programs"), on.err());
        assertTrue(on.err().contains("\rloading subprogs.o: 2/2 programs"), on.err());
        assertTrue(on.err().endsWith("\r\033[K"), "the line is cleared at the end: " + on.err());
        assertFalse(on.out().contains("\r"), "stdout stays clean: " + on.out());

        CliRun off = withProgress("never", "object", "load", MapDumpTest.object("subprogs.o"), "--backend", "sim");
        assertEquals(0, off.code(), off.err());
        assertFalse(off.err().contains("\r"), off.err());
        assertEquals(on.out(), off.out());
    }

    @Test
    void mapDumpCountsElementsAndClearsTheLineBeforeEachOutputLine(@TempDir Path tmp) throws Exception {
        String state = tmp.resolve("s").toString();
        CliRun load = withProgress("always", "object", "load", MapDumpTest.object("btf_maps.o"), "--pin", "/sys/fs/bpf/a",
                "--sim-state", state);
        assertEquals(0, load.code(), load.err());
        CliRun dump = withProgress("always", "map", "dump", "/sys/fs/bpf/a/totals", "--sim-state", state);
        assertEquals(0, dump.code(), dump.err());
        assertTrue(dump.err().contains("\rmap /sys/fs/bpf/a/totals: 1/2 elements"), dump.err());
        assertTrue(dump.err().contains("\rmap /sys/fs/bpf/a/totals: 2/2 elements"), dump.err());
        assertEquals(2, dump.out().lines().count(), dump.out());
        // Replayed commands show nothing: the load's programs were counted once, when it ran.
        assertFalse(dump.err().contains("loading"), dump.err());
    }

    @Test
    void onATerminalOnlyFromTheFacts() throws Exception {
        KernelHere.assumeBackend("linux");
        Path script = Need.tool("script");
        Path pin = Path.of("/sys/fs/bpf", Host.fresh("cli-progress"));
        int n = 200_000;
        try (Bpf bpf = Bpf.open("linux"); BpfMap big = BpfMap.create(bpf, MapSpec.of(MapType.HASH, 4, 8, n))) {
            ByteBuffer k = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            byte[] v = new byte[8];
            for (int i = 0; i < n; i++) big.update(k.putInt(0, i).array(), v, 0);
            big.pin(pin.toString());
            List<String> cmd = command("map", "dump", pin.toString(), "--backend", "linux");

            // Piped: nothing on stderr.
            ProcessBuilder piped = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            piped.environment().remove("BPF4J_PROGRESS");
            Process p = piped.start();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), err);
            assertFalse(err.contains("elements"), "no progress when piped: " + err);

            // Under a pseudo terminal: a progress line, redrawn in place.
            Path typescript = Files.createTempFile("bpf4j-progress", ".out");
            try {
                ProcessBuilder tty = new ProcessBuilder(script.toString(), "-qec", String.join(" ", cmd), "/dev/null")
                        .redirectOutput(typescript.toFile()).redirectErrorStream(true);
                tty.environment().remove("BPF4J_PROGRESS");
                Process t = tty.start();
                assertTrue(t.waitFor(120, TimeUnit.SECONDS));
                String seen = Files.readString(typescript, StandardCharsets.ISO_8859_1);
                assertEquals(0, t.exitValue(), seen.substring(Math.max(0, seen.length() - 2000)));
                assertTrue(seen.matches("(?s).*\rmap " + java.util.regex.Pattern.quote(pin.toString()) + ": \\d+ elements.*"),
                        "a progress line on the terminal");
                assertEquals(n, seen.lines().filter(l -> l.contains("key ")).count(), "and every element");
            } finally {
                Files.deleteIfExists(typescript);
            }
        } finally {
            Files.deleteIfExists(pin);
        }
    }

    /** {@code bpf4j ARGS} in a new JVM on this test's class path, as a command line of words without spaces. */
    private static List<String> command(String... args) {
        String java = ProcessHandle.current().info().command().orElseThrow(() -> new AssertionError("no java command"));
        String cp = System.getProperty("java.class.path");
        assertFalse(cp.contains(" ") || java.contains(" "), "the command is passed to a shell: " + cp);
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp", cp, Main.class.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }
}
