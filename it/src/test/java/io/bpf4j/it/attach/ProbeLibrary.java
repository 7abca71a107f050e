package io.bpf4j.it.attach;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import io.bpf4j.api.symbols.Executable;
import io.bpf4j.testsupport.Commands;
import io.bpf4j.testsupport.Need;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A one-function shared library the test builds with gcc, loads through JNA and calls, so a
 * uprobe on it fires exactly as often as the test calls it. {@link #offset} is the function's
 * file offset, found by {@link Executable}.
 */
final class ProbeLibrary implements AutoCloseable {
    static final String FUNCTION = "bpf4j_probe_me";
    final Path dir;
    final Path path;
    final long offset;
    private final Function function;

    ProbeLibrary() throws IOException {
        // The uprobe tests build a tiny shared library and find its function's offset.
        Need.tool("gcc");
        dir = Files.createTempDirectory("bpf4j-uprobe");
        Path src = dir.resolve("probe.c");
        path = dir.resolve("libbpf4jprobe.so");
        Files.writeString(src, "__attribute__((noinline)) int " + FUNCTION + "(int x) { return 2 * x + 1; }\n");
        Commands.run("gcc", "-shared", "-fPIC", "-O1", "-o", path.toString(), src.toString());
        offset = Executable.open(path).offset(FUNCTION);
        function = NativeLibrary.getInstance(path.toString()).getFunction(FUNCTION);
    }

    /** Calls the function once from this thread and checks it ran. */
    void call(int x) {
        int r = function.invokeInt(new Object[] {x});
        if (r != 2 * x + 1) throw new IllegalStateException(FUNCTION + "(" + x + ") returned " + r);
    }

    @Override
    public void close() throws IOException {
        // The library stays mapped in this JVM; its files can go.
        Files.deleteIfExists(path);
        Files.deleteIfExists(dir.resolve("probe.c"));
        Files.deleteIfExists(dir);
    }
}
