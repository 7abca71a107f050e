package io.bpf4j.cli;

import io.bpf4j.api.BackendUnavailableException;
import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfException;
import io.bpf4j.api.VerifierException;
import io.bpf4j.api.object.BpfCollection;
import io.bpf4j.api.object.LoadOptions;
import io.bpf4j.api.object.ObjectFlavor;
import io.bpf4j.api.object.ObjectFormatException;
import io.bpf4j.api.object.ObjectProgram;
import io.bpf4j.api.object.ObjectSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bpf4j object}: eBPF object files. {@code inspect} reads one with no backend;
 * {@code load} loads everything in it on a backend and prints the ids, or why each program
 * failed.
 */
@Command(name = "object", mixinStandardHelpOptions = true,
        description = "Inspect or load an eBPF object file (clang -target bpf -O2 -g -c).",
        subcommands = {ObjectCommand.Inspect.class, ObjectCommand.Load.class})
final class ObjectCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** A malformed or unreadable file is a message and exit code 2, as bad usage is. */
    static int guarded(CommandLine.Model.CommandSpec spec, Callable<Integer> body) {
        PrintWriter err = spec.commandLine().getErr();
        int code;
        try {
            return body.call();
        } catch (ObjectFormatException | BackendUnavailableException e) {
            err.println("bpf4j: " + e.getMessage());
            code = 2;
        } catch (IllegalArgumentException e) {
            err.println("bpf4j: " + e.getMessage());
            code = 2;
        } catch (IOException e) {
            err.println("bpf4j: cannot read " + e.getMessage());
            code = 2;
        } catch (Exception e) {
            err.println("bpf4j: " + e.getMessage());
            code = 1;
        }
        err.flush();
        return code;
    }

    /** The {@code --flavor} value; anything else is a usage error naming the option. */
    static ObjectFlavor flavor(String name) {
        if (name == null || name.equals("libbpf")) return ObjectFlavor.LIBBPF;
        if (name.equals("windows")) return ObjectFlavor.EBPF_FOR_WINDOWS;
        throw new IllegalArgumentException("--flavor: '" + name + "' is neither libbpf nor windows");
    }

    /** {@code bpf4j object inspect FILE.o [--flavor NAME] [--json]}. */
    @Command(name = "inspect", mixinStandardHelpOptions = true,
            description = "Show an object's programs (section, type, attach type, instructions), maps and variables.")
    static final class Inspect implements Callable<Integer> {
        @Parameters(paramLabel = "FILE.o", description = "The object file.")
        Path file;

        @Option(names = "--flavor", paramLabel = "NAME", description = "Whose headers the object was compiled against:"
                + " libbpf (default) or windows (eBPF for Windows: its map definitions, type numbers and section names).")
        String flavor;

        @Option(names = "--json", description = "Print one JSON object instead of text.")
        boolean json;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            return guarded(spec, () -> {
                ObjectSpec o = ObjectSpec.open(file, flavor(flavor));
                PrintWriter out = spec.commandLine().getOut();
                out.println(json ? ObjectJson.spec(o) : ObjectText.spec(o));
                out.flush();
                return 0;
            });
        }
    }

    /**
     * {@code bpf4j object load FILE.o [--backend NAME] [--pin DIR] [--btf FILE] [--kconfig FILE]
     * [--kernel-version X.Y.Z] [--json]}.
     */
    @Command(name = "load", mixinStandardHelpOptions = true,
            description = {"Load every map and program of an object and print their ids, or each program's failure with"
                    + " the verifier log's last lines. Without --pin everything is closed again on exit."})
    static final class Load implements Callable<Integer> {
        @Parameters(paramLabel = "FILE.o", description = "The object file.")
        Path file;

        @Option(names = "--flavor", paramLabel = "NAME", description = "Whose headers the object was compiled against:"
                + " libbpf (default) or windows (eBPF for Windows: its map definitions, type numbers and section names).")
        String flavor;

        @Option(names = "--backend", paramLabel = "NAME", description = "Use this backend (linux, windows, sim).")
        String backend;

        @Option(names = "--sim-state", paramLabel = "FILE", description = SimSession.OPTION)
        Path simState;

        @Option(names = "--pin", paramLabel = "DIR", description = "Pin every program and map in DIR (on bpffs), which is"
                + " also where maps pinned by name are looked for (else /sys/fs/bpf, as libbpf, where they stay).")
        String pin;

        @Option(names = "--btf", paramLabel = "FILE", description = "Resolve CO-RE relocations against this raw BTF file"
                + " (e.g. a kernel's /sys/kernel/btf/vmlinux) instead of the backend's kernel BTF; the simulator has none.")
        Path btf;

        @Option(names = "--kconfig", paramLabel = "FILE", description = "Read .kconfig externs from this kernel"
                + " configuration (CONFIG_X=... lines) before the running kernel's; the simulator has none of its own.")
        Path kconfig;

        @Option(names = "--kernel-version", paramLabel = "X.Y.Z", description = "The LINUX_KERNEL_VERSION extern's value"
                + " (default: the running kernel's).")
        String kernelVersion;

        @Option(names = "--json", description = "Print one JSON object instead of text.")
        boolean json;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            return SimSession.run(spec, simState, backend, () -> guarded(spec, () -> {
                ObjectSpec o = ObjectSpec.open(file, flavor(flavor));
                LoadOptions opts = options();
                BackendChoice choice = BackendChoice.open(backend);
                PrintWriter out = spec.commandLine().getOut();
                PrintWriter err = spec.commandLine().getErr();
                if (choice.notice() != null) (json ? err : out).println("bpf4j: " + choice.notice());
                try (Bpf bpf = choice.bpf()) {
                    if (pin != null && bpf.name().equals("linux")) Files.createDirectories(Path.of(pin));
                    else if (pin != null && bpf.name().equals("sim")) SimSession.mkdirs(bpf, pin);
                    LoadReport r;
                    try (Progress progress = Progress.of(spec, "loading " + file.getFileName())) {
                        r = load(progress.shown() ? loadCounter(bpf, o, progress) : bpf, o, opts);
                    }
                    out.println(json ? ObjectJson.load(bpf.name(), r) : ObjectText.load(bpf.name(), r));
                    out.flush();
                    return r.failures().isEmpty() && r.error() == null ? 0 : 1;
                }
            }));
        }

        /** The backend, counting program loads on the progress line (retries past a refused program count again). */
        private static Bpf loadCounter(Bpf bpf, ObjectSpec o, Progress progress) {
            int total = o.programs().size();
            int[] loads = {0};
            return Progress.counting(bpf, "progLoad", () -> progress.step(Math.min(++loads[0], total), total, "programs"));
        }

        /**
         * Loads the object; a program the verifier refuses is reported and left out, and the rest
         * is loaded again without it, so that every program's failure is told.
         */
        private LoadOptions options() throws IOException {
            LoadOptions opts = LoadOptions.defaults();
            if (btf != null) opts = opts.withTargetBtf(io.bpf4j.api.btf.Btf.read(btf));
            if (kconfig != null) opts = opts.withKconfig(Files.readString(kconfig));
            if (kernelVersion != null) {
                String[] v = kernelVersion.split("\\.");
                try {
                    if (v.length != 3) throw new NumberFormatException();
                    opts = opts.withKernelVersion(Integer.parseInt(v[0]), Integer.parseInt(v[1]), Integer.parseInt(v[2]));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--kernel-version: '" + kernelVersion + "' is not X.Y.Z");
                }
            }
            return opts;
        }

        private LoadReport load(Bpf bpf, ObjectSpec o, LoadOptions options) throws IOException {
            LoadOptions opts = options;
            if (pin != null) opts = opts.withPinRoot(pin);
            List<LoadReport.Failure> failures = new ArrayList<>();
            Set<String> left = new LinkedHashSet<>();
            for (ObjectProgram p : o.programs()) left.add(p.name());
            while (true) {
                ObjectSpec s = o.withPrograms(left.toArray(new String[0]));
                BpfCollection c;
                try {
                    c = s.load(bpf, opts);
                } catch (VerifierException e) {
                    String prog = failedProgram(o, e, left);
                    failures.add(new LoadReport.Failure(prog, e.getMessage(), tail(e.log(), 8)));
                    if (prog == null || !left.remove(prog)) return new LoadReport(List.of(), List.of(), failures, null);
                    continue;
                } catch (ObjectFormatException e) {
                    if (e.symbol() == null || !left.remove(e.symbol())) throw e;
                    failures.add(new LoadReport.Failure(e.symbol(), e.getMessage(), ""));
                    continue;
                } catch (BpfException e) {
                    // A program the backend cannot load (its type, a helper) is that program's failure.
                    String prog = failedProgram(o, e, left);
                    if (prog == null) return new LoadReport(List.of(), List.of(), failures, e.getMessage());
                    failures.add(new LoadReport.Failure(prog, e.getMessage(), ""));
                    left.remove(prog);
                    continue;
                }
                try (c) {
                    return LoadReport.of(c, failures, pin);
                }
            }
        }

        private static String failedProgram(ObjectSpec o, BpfException e, Set<String> left) {
            for (String p : left) {
                if (e.getMessage().contains("program \"" + o.program(p).kernelName() + "\"")) return p;
            }
            return null;
        }

        private static String tail(String log, int lines) {
            String[] l = log.strip().split("\n");
            return String.join("\n", java.util.Arrays.copyOfRange(l, Math.max(0, l.length - lines), l.length));
        }
    }
}
