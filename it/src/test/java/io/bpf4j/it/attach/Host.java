package io.bpf4j.it.attach;

import static org.junit.jupiter.api.Assertions.fail;

import com.sun.jna.Library;
import com.sun.jna.Native;
import io.bpf4j.api.Availability;
import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The host as the attach tests see it: the real kernel backend (root on Linux must have it),
 * commands run with a deadline, and the few libc calls the tests make themselves through JNA
 * ({@code setns}, {@code gettid}, {@code getpid}), so that the events a program counts are really
 * caused by this test.
 */
final class Host {
    private Host() {
    }

    /** The libc functions the tests call directly. */
    interface LibC extends Library {
        LibC INSTANCE = Native.load("c", LibC.class);

        int open(String path, int flags);

        int close(int fd);

        int setns(int fd, int nstype);

        int gettid();

        int getpid();
    }

    static final int CLONE_NEWNET = 0x40000000;

    /** The Linux backend; fails as root when it is unavailable, skips otherwise. */
    static Bpf open() {
        Assumptions.assumeTrue(System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("linux"),
                "attach tests need Linux");
        Assumptions.assumeTrue(isRoot(), "attach tests need root: this process' effective uid is not 0");
        BpfProvider linux = Bpf.providers().stream().filter(p -> p.name().equals("linux")).findFirst()
                .orElseThrow(() -> new AssertionError("no linux provider on the test class path"));
        Availability a = linux.availability();
        if (!a.available()) fail("root on Linux, yet the linux backend is unavailable: " + a.reason(), a.cause());
        return Bpf.open("linux");
    }

    static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) return line.split("\\s+")[2].equals("0");
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    /** Runs a command; throws with its output when it fails or hangs. */
    static String run(String... cmd) {
        Result r = exec(cmd);
        if (r.code != 0) throw new IllegalStateException(String.join(" ", cmd) + " failed (" + r.code + "): " + r.out);
        return r.out;
    }

    /** A command's exit code and output. */
    static final class Result {
        final int code;
        final String out;

        Result(int code, String out) {
            this.code = code;
            this.out = out;
        }
    }

    /** Runs a command and returns its exit code and output, whatever they are. */
    static Result exec(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", cmd) + " hung: " + out);
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", cmd) + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The name every host object a test makes starts with, so a sweep finds leftovers. */
    static String prefix() {
        return "b4j" + ProcessHandle.current().pid() % 100000;
    }

    private static int seq;

    /** A fresh short name for a host object (interface names are at most 15 bytes). */
    static synchronized String name(String kind) {
        return prefix() + kind + (seq++);
    }
}
