package io.bpf4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.testsupport.Need;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The plugin as the official runner drives it: a separate process, the program in hex on
 * standard input, the memory in hex as the argument, r0 in hex on standard output. The files
 * chosen return values whose upper 32 bits are set, which an XDP return value cannot carry.
 */
class ConformancePluginProcessTest {

    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource({"lddw.data, sim", "lddw.data, linux", "be64.data, sim", "be64.data, linux",
            "arsh64-imm.data, sim", "arsh64-imm.data, linux", "ldxdw.data, sim", "ldxdw.data, linux"})
    void returnsAll64BitsOfR0(String file, String backend) throws Exception {
        KernelHere.assumeBackend(backend);
        Path dir = ConformanceData.directory();
        Need.that(dir != null, ConformanceData::whereLooked);
        ConformanceData.Case c = ConformanceData.parse(dir.resolve(file));
        assertNotEquals(0, c.expected() >>> 32, file + " should expect a result beyond 32 bits");
        long[] program = ConformanceData.withXdpProlog(c.program(), c.memory().length);
        Result r = runPlugin(backend, ConformanceData.hex(program), c.memory());
        assertEquals(0, r.code, () -> file + ": exit " + r.code + ", stderr: " + r.err + ", stdout: " + r.out);
        assertEquals(Long.toHexString(c.expected()), r.out.strip(), () -> file + " on " + backend + ", stderr: " + r.err);
    }

    record Result(int code, String out, String err) {
    }

    /** Runs {@code bpf4j conformance-plugin} in a new JVM on this test's class path. */
    static Result runPlugin(String backend, String programHex, byte[] memory) throws IOException, InterruptedException {
        String javaCmd = ProcessHandle.current().info().command().orElseThrow(() -> new AssertionError("no java command"));
        List<String> cmd = new ArrayList<>(List.of(javaCmd, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "conformance-plugin", "--backend", backend));
        if (memory.length > 0) cmd.add(ConformanceData.hex(memory));
        Path errFile = Files.createTempFile("bpf4j-plugin", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectError(errFile.toFile()).start();
            try (OutputStream in = p.getOutputStream()) {
                in.write((programHex + "\n").getBytes(StandardCharsets.US_ASCII));
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the plugin did not finish in 60 s");
            return new Result(p.exitValue(), out, Files.readString(errFile));
        } finally {
            Files.deleteIfExists(errFile);
        }
    }
}
