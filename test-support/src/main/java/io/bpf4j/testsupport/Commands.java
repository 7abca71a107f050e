package io.bpf4j.testsupport;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Runs host commands ({@code ip}, {@code mount}, {@code gcc}) with a deadline. */
public final class Commands {
    private static final long DEADLINE_SECONDS = 60;

    private Commands() {
    }

    /**
     * What a command did.
     *
     * @param code its exit code
     * @param out its standard output and error, interleaved
     */
    public record Result(int code, String out) {
    }

    /**
     * Runs a command and returns its exit code and output, whatever they are.
     *
     * @param cmd the command and its arguments
     * @return what it did
     * @throws IllegalStateException when it cannot start or runs past the deadline
     */
    public static Result exec(String... cmd) {
        return exec(List.of(cmd));
    }

    /**
     * Runs a command and returns its exit code and output, whatever they are.
     *
     * @param cmd the command and its arguments
     * @return what it did
     * @throws IllegalStateException when it cannot start or runs past the deadline
     */
    public static Result exec(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            // Read before waiting: a command that fills the pipe would otherwise never exit.
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", cmd) + " hung: " + out);
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", cmd) + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(String.join(" ", cmd) + " interrupted", e);
        }
    }

    /**
     * Runs a command that must succeed.
     *
     * @param cmd the command and its arguments
     * @return its output
     * @throws IllegalStateException with the output when it fails
     */
    public static String run(String... cmd) {
        Result r = exec(cmd);
        if (r.code() != 0) throw new IllegalStateException(String.join(" ", cmd) + " failed (" + r.code() + "): " + r.out());
        return r.out();
    }

    /**
     * Finds an executable on the {@code PATH}.
     *
     * @param name the command
     * @return its path, or empty
     */
    public static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) return Optional.empty();
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path p = Path.of(dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) return Optional.of(p);
        }
        return Optional.empty();
    }
}
