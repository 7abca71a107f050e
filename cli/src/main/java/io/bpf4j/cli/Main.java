package io.bpf4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code bpf4j} command's entry point. */
@Command(name = "bpf4j", mixinStandardHelpOptions = true, version = "bpf4j 0.1.0",
        description = "One interface to eBPF on Linux, on Windows and in a simulator.",
        subcommands = {ProbeCommand.class, FeatureCommand.class, BtfCommand.class, ObjectCommand.class, EventsCommand.class, ListCommands.Prog.class, ListCommands.Map.class,
                ListCommands.Link.class, ConformancePluginCommand.class, Completion.class, CliDocs.Docs.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Creates the top-level command; picocli fills in its spec. */
    public Main() {
    }

    /**
     * Runs the command line.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * Runs the command line and returns its exit code instead of exiting, for tests.
     *
     * @param args the arguments
     * @return the exit code: 0 on success, 1 on a failed operation, 2 on bad usage or an
     *     unavailable backend
     */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** The command model, for running and for the docs made from it. */
    static CommandLine commandLine() {
        return new CommandLine(new Main());
    }

    /**
     * Runs the command line with the given output streams, for tests and embedding.
     *
     * @param out standard output
     * @param err standard error
     * @param args the arguments
     * @return the exit code
     */
    public static int run(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
        return commandLine().setOut(out).setErr(err).execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
