package io.bpf4j.cli;

import io.bpf4j.api.Bpf;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * A command that works on one backend: {@code --backend NAME} (else the best kernel backend, or
 * the simulator with a notice on stderr), or a simulator session with {@code --sim-state FILE}
 * ({@link SimSession}); failures turned into exit codes by {@link ObjectCommand#guarded}, and
 * the backend closed afterwards.
 */
abstract class BackendCommand implements Callable<Integer> {
    @Option(names = "--backend", paramLabel = "NAME", description = "Use this backend (linux, windows, sim).")
    String backend;

    @Option(names = "--sim-state", paramLabel = "FILE", description = SimSession.OPTION)
    Path simState;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The command's work on the open backend. */
    abstract void run(Bpf bpf, PrintWriter out) throws Exception;

    @Override
    public Integer call() {
        return SimSession.run(spec, simState, backend, () -> ObjectCommand.guarded(spec, () -> {
            BackendChoice choice = BackendChoice.open(backend);
            try (Bpf bpf = choice.bpf()) {
                if (choice.notice() != null) spec.commandLine().getErr().println("bpf4j: " + choice.notice());
                PrintWriter out = spec.commandLine().getOut();
                run(bpf, out);
                out.flush();
            }
            return 0;
        }));
    }
}
