package io.bpf4j.cli;

import io.bpf4j.api.Bpf;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Model.CommandSpec;

/**
 * A progress line on stderr for long operations, redrawn in place, shown only when a person
 * watches: stderr is a terminal. Piped or redirected, nothing is printed.
 *
 * <p>Whether stderr is a terminal is decided from facts: a console is attached
 * ({@link System#console()}; from JDK 22, {@code Console.isTerminal()}), and on Linux
 * {@code /proc/self/fd/2} is a terminal device ({@code /dev/pts/N}, {@code /dev/ttyN}). The
 * {@code bpf4j.progress} system property or the {@code BPF4J_PROGRESS} environment variable
 * ({@code always}, {@code never}, {@code auto}) overrides that, for scripts run under a pseudo
 * terminal and for tests.
 *
 * <p>The line is redrawn at most ten times a second and cleared before the command prints a line
 * of output, so the two do not garble each other when both go to the terminal.
 */
final class Progress implements AutoCloseable {
    /** Shown at most this often. */
    private static final long EVERY_NANOS = 100_000_000L;
    /** Operations shorter than this show nothing on a terminal (unless forced), rather than a flicker. */
    private static final long AFTER_NANOS = 250_000_000L;
    private static final Progress OFF = new Progress(null, null, "", 0);

    private final PrintWriter err;
    private final PrintWriter out;
    private final String what;
    private long last;
    private boolean drawn;
    private String pending;
    private final long showFrom;

    private Progress(PrintWriter err, PrintWriter out, String what, long delay) {
        this.err = err;
        this.out = out;
        this.what = what;
        this.showFrom = System.nanoTime() + delay;
    }

    /**
     * A progress line for the command, or one that prints nothing when stderr is no terminal.
     *
     * @param spec the command, for its streams
     * @param what what is in progress, e.g. {@code map 7}
     */
    static Progress of(CommandSpec spec, String what) {
        if (SimSession.replaying()) return OFF;
        String forced = forced();
        boolean on = forced == null ? stderrIsTerminal() : forced.equals("always");
        if (!on) return OFF;
        return new Progress(spec.commandLine().getErr(), spec.commandLine().getOut(), what, forced == null ? AFTER_NANOS : 0);
    }

    /** {@code always} or {@code never} from the property or else the variable, or null for {@code auto}. */
    private static String forced() {
        String f = System.getProperty("bpf4j.progress");
        if (f == null || f.isBlank()) f = System.getenv("BPF4J_PROGRESS");
        if (f == null || f.isBlank()) return null;
        f = f.strip().toLowerCase(Locale.ROOT);
        if (f.equals("auto")) return null;
        return f.equals("always") ? f : "never";
    }

    /** The facts: a console attached, and where it can be seen, fd 2 a terminal device. */
    static boolean stderrIsTerminal() {
        java.io.Console c = System.console();
        if (c == null) return false;
        try {
            // JDK 22+ gives a console even when redirected, and says whether it is a terminal.
            Method isTerminal = java.io.Console.class.getMethod("isTerminal");
            if (!(Boolean) isTerminal.invoke(c)) return false;
        } catch (ReflectiveOperationException before22) {
            // JDK 17 to 21: System.console() is null unless stdin and stdout are a terminal
        }
        Path fd2 = Path.of("/proc/self/fd/2");
        if (!Files.exists(Path.of("/proc/self/fd"))) return true; // not Linux: the console is all we know
        try {
            String target = Files.readSymbolicLink(fd2).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (java.io.IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /**
     * Reports how far the operation is; redrawn when the last drawing is old enough.
     *
     * @param done how many are done
     * @param total how many there are, or 0 when unknown
     * @param unit what is counted, plural
     */
    void step(long done, long total, String unit) {
        if (err == null) return;
        pending = what + ": " + done + (total > 0 ? "/" + total : "") + " " + unit;
        long now = System.nanoTime();
        if (now - showFrom < 0 || (drawn && now - last < EVERY_NANOS)) return;
        draw();
        last = now;
    }

    private void draw() {
        out.flush();
        err.print("\r" + pending + "\033[K");
        err.flush();
        drawn = true;
    }

    /** Clears the line before a line of output. */
    void beforeOutput() {
        if (err == null || !drawn) return;
        err.print("\r\033[K");
        err.flush();
        drawn = false;
        last = 0;
    }

    /** Shows the last count, then clears the line. */
    @Override
    public void close() {
        if (err == null || pending == null || System.nanoTime() - showFrom < 0) return;
        draw();
        beforeOutput();
    }

    /**
     * A backend that reports each call of one method, for progress through work done by code
     * that has no progress of its own (the object loader's program loads).
     *
     * @param bpf the backend
     * @param method the method to count
     * @param each called after each call that returned
     */
    static Bpf counting(Bpf bpf, String method, Runnable each) {
        return (Bpf) Proxy.newProxyInstance(Bpf.class.getClassLoader(), new Class<?>[] {Bpf.class}, (proxy, m, args) -> {
            if (m.getName().equals("close")) return null; // the caller closes the backend itself
            Object r;
            try {
                r = m.invoke(bpf, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (m.getName().equals(method)) each.run();
            return r;
        });
    }

    boolean shown() {
        return err != null;
    }
}
