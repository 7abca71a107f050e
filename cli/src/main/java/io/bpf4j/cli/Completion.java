package io.bpf4j.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bpf4j completion}: a bash (and zsh, with bashcompinit) completion script for every command and option. */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Print a bash completion script for bpf4j (zsh: run 'autoload -U bashcompinit; bashcompinit' first).",
                "Use: source <(./bpf4j completion)"})
final class Completion implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        CommandLine root = spec.root().commandLine();
        spec.commandLine().getOut().print(AutoComplete.bash("bpf4j", root));
        spec.commandLine().getOut().flush();
    }
}
