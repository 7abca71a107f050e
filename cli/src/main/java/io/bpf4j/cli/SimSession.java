package io.bpf4j.cli;

import io.bpf4j.api.Bpf;
import io.bpf4j.sim.SimBpf;
import io.bpf4j.sim.Simulator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntSupplier;
import java.util.stream.Stream;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * {@code --sim-state FILE}: one simulated kernel across successive {@code bpf4j} commands.
 *
 * <p>The simulator is deterministic: ids are handed out from 1 in order, descriptors are the
 * lowest free ones, and hash maps iterate in an order fixed by their seed. So the state is kept
 * as a journal rather than a snapshot: {@link SimState} records the machine (CPU count, seed)
 * and every earlier command that changed the simulated kernel; a new command first replays them,
 * in this process and with their output discarded, against a fresh simulator built with the
 * recorded machine, then runs against what they left. A journal replays everything the simulator
 * keeps, ids and their order included, where a snapshot would need an export of every object
 * kind and a way to recreate objects under given ids. What a command does not pin or hold by a
 * link dies at its end as on a kernel: each replayed command ends as a process exit does, with
 * its descriptors closed.
 *
 * <p>A command is journaled when one of its calls that can change the kernel succeeded (creating,
 * updating, deleting, pinning, loading, test runs, which programs may write maps through...),
 * whatever its exit code, which the replay checks: a replay that ends differently (the command
 * changed meaning between versions, say) is reported, naming the file, rather than continued
 * against a state the user never had. Commands that only read (list, show, dump, lookup) are not
 * journaled. What is not replayed: time and random numbers programs read, and what was consumed
 * from ring and perf buffers, which is read through shared memory rather than calls.
 */
final class SimSession {
    /** The description every command with {@code --sim-state} gives the option. */
    static final String OPTION = "Run on the simulator and keep its state in FILE, so that the next command given the same"
            + " FILE sees the objects this one pinned or linked (created when missing or empty).";

    private static final ThreadLocal<SimSession> CURRENT = new ThreadLocal<>();

    /**
     * The {@link Bpf} calls that cannot change the simulated kernel. Every other call, including
     * any the interface gains later, counts as a change when it succeeds, so that a new call is
     * journaled rather than silently lost.
     */
    private static final Set<String> READS = Set.of("name", "capabilities", "possibleCpus", "closeFd", "dupFd",
            "mapLookupElem", "mapGetNextKey", "mapLookupBatch", "progQuery", "objGet", "progGetNextId", "mapGetNextId",
            "linkGetNextId", "btfGetNextId", "progGetFdById", "mapGetFdById", "linkGetFdById", "btfGetFdById", "mapGetInfo",
            "progGetInfo", "progGetXlated", "progGetJited", "linkGetInfo", "btfGetInfo", "btfGetData", "taskFdQuery", "interfaceIndex", "openTarget",
            "ringBufferMap", "perfBufferOpen", "ringWaiter");

    private final SimBpf sim;
    private final Bpf view;
    private boolean changed;
    private boolean replaying;

    private SimSession(SimBpf sim) {
        this.sim = sim;
        this.view = (Bpf) Proxy.newProxyInstance(Bpf.class.getClassLoader(), new Class<?>[] {Bpf.class}, this::invoke);
    }

    /** The session this thread's command runs in, or null. */
    static SimSession current() {
        return CURRENT.get();
    }

    /** Whether this thread is replaying a session's journal (so nothing may be shown). */
    static boolean replaying() {
        SimSession s = CURRENT.get();
        return s != null && s.replaying;
    }

    /** The backend commands in the session use: the simulator, which they cannot close. */
    Bpf bpf() {
        return view;
    }

    /**
     * Makes a directory and its parents on a simulator's bpffs, as {@code mkdir -p} does on
     * Linux's, where a command pins into a directory it names.
     *
     * @param bpf the simulator, directly or through a session
     * @param dir an absolute path below the mount point
     */
    static void mkdirs(Bpf bpf, String dir) {
        SimSession s = CURRENT.get();
        SimBpf sim = s != null && bpf == s.view ? s.sim : bpf instanceof SimBpf b ? b : null;
        if (sim == null) throw new IllegalArgumentException("mkdirs: " + bpf.name() + " is not the simulator");
        StringBuilder at = new StringBuilder();
        for (String part : dir.split("/")) {
            if (part.isEmpty()) continue;
            at.append('/').append(part);
            try {
                sim.mkdir(at.toString());
                if (s != null) s.changed = true;
            } catch (io.bpf4j.api.BpfException e) {
                // EEXIST for the mount point and directories already there; EPERM above the mount
                if (e.errno() != io.bpf4j.api.Errno.EEXIST && e.errno() != io.bpf4j.api.Errno.EPERM) throw e;
            }
        }
    }

    private Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
        switch (m.getName()) {
            case "close":
                return null; // the session closes the simulator after the command
            case "toString":
                return "sim session";
            case "hashCode":
                return System.identityHashCode(proxy);
            case "equals":
                return proxy == args[0];
            default:
                break;
        }
        Object r;
        try {
            r = m.invoke(sim, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
        if (!READS.contains(m.getName())) changed = true;
        return r;
    }

    /**
     * Runs one command, in a session when {@code file} is given.
     *
     * @param spec the command, for its arguments and streams
     * @param file the {@code --sim-state} option, or null
     * @param backend the {@code --backend} option, or null
     * @param body the command's work, which opens its backend through {@link BackendChoice}
     * @return the exit code
     */
    static int run(CommandSpec spec, Path file, String backend, IntSupplier body) {
        if (file == null || CURRENT.get() != null) return body.getAsInt();
        PrintWriter err = spec.commandLine().getErr();
        if (backend != null && !backend.equals("sim")) {
            err.println("bpf4j: --sim-state keeps a simulator's state; it cannot be used with --backend " + backend);
            err.flush();
            return 2;
        }
        ParseResult parsed = spec.root().commandLine().getParseResult();
        try (SimState state = SimState.open(file, SimSession::hostCpus, ThreadLocalRandom.current().nextLong())) {
            Map<String, byte[]> files = filesRead(parsed);
            SimBpf sim = Simulator.builder().possibleCpus(state.cpus()).seed(state.seed()).build();
            SimSession s = new SimSession(sim);
            CURRENT.set(s);
            try {
                s.replay(state);
                err.println("bpf4j: running on the simulator (sim), not a kernel: its state is kept in " + file + " ("
                        + state.entries().size() + " earlier command" + (state.entries().size() == 1 ? "" : "s") + " replayed)");
                err.flush();
                s.changed = false;
                int code = body.getAsInt();
                s.processExit();
                if (s.changed) state.append(new SimState.Entry(argsOf(parsed), code, files));
                return code;
            } finally {
                CURRENT.remove();
                sim.close();
            }
        } catch (SimState.Corrupt e) {
            err.println("bpf4j: " + e.getMessage());
            err.flush();
            return 2;
        } catch (ReplayFailed e) {
            err.println("bpf4j: --sim-state: " + file + ": " + e.getMessage());
            err.flush();
            return 1;
        } catch (IOException e) {
            err.println("bpf4j: --sim-state: cannot use " + file + ": " + e);
            err.flush();
            return 2;
        }
    }

    private static int hostCpus() {
        try (SimBpf probe = Simulator.builder().build()) {
            return probe.possibleCpus();
        }
    }

    /** A journaled command that ended differently when replayed. */
    private static final class ReplayFailed extends Exception {
        private static final long serialVersionUID = 1L;

        ReplayFailed(String message) {
            super(message);
        }
    }

    private void replay(SimState state) throws IOException, ReplayFailed {
        replaying = true;
        int n = 0;
        for (SimState.Entry e : state.entries()) {
            n++;
            Path dir = e.files().isEmpty() ? null : Files.createTempDirectory("bpf4j-sim-replay");
            try {
                List<String> argv = withFiles(e, dir);
                StringWriter why = new StringWriter();
                int code = Main.commandLine().setOut(new PrintWriter(Writer.nullWriter())).setErr(new PrintWriter(why, true))
                        .execute(argv.toArray(new String[0]));
                processExit();
                if (code != e.exit()) {
                    String first = why.toString().strip().lines().findFirst().orElse("");
                    throw new ReplayFailed("command " + n + " of the session (bpf4j " + String.join(" ", e.args()) + ") exited "
                            + code + " when replayed where it had exited " + e.exit() + (first.isEmpty() ? "" : ": " + first)
                            + "; the session cannot be restored");
                }
            } finally {
                if (dir != null) deleteTree(dir);
            }
        }
        replaying = false;
    }

    /** The command's arguments with the files it read put back from the journal, under their own names. */
    private static List<String> withFiles(SimState.Entry e, Path dir) throws IOException {
        List<String> argv = new ArrayList<>(e.args());
        int i = 0;
        for (Map.Entry<String, byte[]> f : e.files().entrySet()) {
            Path name = Path.of(f.getKey()).getFileName();
            Path copy = Files.createDirectories(dir.resolve(Integer.toString(i++))).resolve(name == null ? Path.of("file") : name);
            Files.write(copy, f.getValue());
            for (int a = 0; a < argv.size(); a++) {
                String s = argv.get(a);
                if (s.equals(f.getKey())) argv.set(a, copy.toString());
                else if (s.endsWith("=" + f.getKey())) argv.set(a, s.substring(0, s.length() - f.getKey().length()) + copy);
            }
        }
        return argv;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    /** As a process exit does: whatever descriptors the command left open are closed. */
    private void processExit() {
        for (int fd = 0; sim.openDescriptors() > 0 && fd < 65536; fd++) {
            try {
                sim.closeFd(fd);
            } catch (RuntimeException notOpen) {
                // not one of the command's descriptors
            }
        }
    }

    private static boolean isSimState(ArgSpec a) {
        return a instanceof OptionSpec o && o.longestName().equals("--sim-state");
    }

    /** The arguments as given, without {@code --sim-state FILE}, which a replay does not need. */
    private static List<String> argsOf(ParseResult parsed) {
        List<String> args = new ArrayList<>(parsed.originalArgs());
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--sim-state") && i + 1 < args.size()) {
                args.remove(i + 1);
                args.remove(i--);
            } else if (a.startsWith("--sim-state=")) {
                args.remove(i--);
            }
        }
        return args;
    }

    /** The files the command's path options and parameters name, read now, keyed by the argument as given. */
    private static Map<String, byte[]> filesRead(ParseResult parsed) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            for (ArgSpec a : p.matchedArgs()) {
                if (a.type() != Path.class || isSimState(a)) continue;
                for (String raw : a.originalStringValues()) {
                    Path f = Path.of(raw);
                    if (Files.isRegularFile(f) && Files.isReadable(f)) files.put(raw, Files.readAllBytes(f));
                }
            }
        }
        return files;
    }
}
