package io.bpf4j.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code docs/cli.md}, made from the command model itself: every command's synopsis,
 * description, options and an example, so the page cannot drift from the commands (a test
 * compares the committed page with this).
 */
final class CliDocs {
    /** One example per command path; a test checks that every command has one. */
    static final Map<String, String> EXAMPLES = new LinkedHashMap<>();

    static {
        EXAMPLES.put("probe", "./bpf4j probe --json");
        EXAMPLES.put("feature probe", "diff <(./bpf4j feature probe) <(bpftool feature probe kernel | grep -E '_type ')");
        EXAMPLES.put("btf list", "./bpf4j btf list --json");
        EXAMPLES.put("btf dump", "./bpf4j btf dump --kernel --c | head");
        EXAMPLES.put("btf find", "./bpf4j btf find task_struct --kind struct --kernel");
        EXAMPLES.put("object inspect", "./bpf4j object inspect prog.o --json");
        EXAMPLES.put("object load", "./bpf4j object load prog.o --pin /sys/fs/bpf/myagent");
        EXAMPLES.put("events", "./bpf4j events /sys/fs/bpf/myagent/events --count 10");
        EXAMPLES.put("prog list", "./bpf4j prog list --json");
        EXAMPLES.put("prog show", "./bpf4j prog show pinned /sys/fs/bpf/myprog --json");
        EXAMPLES.put("prog dump xlated", "./bpf4j prog dump xlated 42 --opcodes");
        EXAMPLES.put("prog dump jited", "./bpf4j prog dump jited pinned /sys/fs/bpf/myprog --json");
        EXAMPLES.put("prog run", "./bpf4j prog run 42 --data 000000000000 --repeat 1000");
        EXAMPLES.put("prog pin", "./bpf4j prog pin 42 /sys/fs/bpf/myprog");
        EXAMPLES.put("map list", "./bpf4j map list");
        EXAMPLES.put("map show", "./bpf4j map show 7 --json");
        EXAMPLES.put("map dump", "./bpf4j map dump /sys/fs/bpf/myagent/counts --json");
        EXAMPLES.put("map lookup", "./bpf4j map lookup 7 01000000");
        EXAMPLES.put("map update", "./bpf4j map update 7 \"1 0 0 0\" \"0x2a 0 0 0 0 0 0 0\" --noexist");
        EXAMPLES.put("map delete", "./bpf4j map delete 7 01000000");
        EXAMPLES.put("map getnext", "./bpf4j map getnext 7 01000000");
        EXAMPLES.put("map push", "./bpf4j map push 9 0a000000");
        EXAMPLES.put("map pop", "./bpf4j map pop 9");
        EXAMPLES.put("map peek", "./bpf4j map peek 9");
        EXAMPLES.put("map freeze", "./bpf4j map freeze 7");
        EXAMPLES.put("map pin", "./bpf4j map pin 7 /sys/fs/bpf/counts");
        EXAMPLES.put("link list", "./bpf4j link list --json");
        EXAMPLES.put("link show", "./bpf4j link show pinned /sys/fs/bpf/mylink");
        EXAMPLES.put("link detach", "./bpf4j link detach 3");
        EXAMPLES.put("link pin", "./bpf4j link pin 3 /sys/fs/bpf/mylink");
        EXAMPLES.put("conformance-plugin", "bpf_conformance_runner --plugin_path ./bpf4j --plugin_options conformance-plugin ...");
        EXAMPLES.put("completion", "source <(./bpf4j completion)");
        EXAMPLES.put("docs", "./bpf4j docs > docs/cli.md");
    }

    private CliDocs() {
    }

    /** The page. */
    static String render() {
        CommandLine root = Main.commandLine();
        StringBuilder sb = new StringBuilder();
        sb.append("# The `bpf4j` command\n\n");
        sb.append("Made by `./bpf4j docs` from the command model (`cli/src/main/java/io/bpf4j/cli`); a test keeps this page\n");
        sb.append("and the commands in step. Every command takes `--help`. Exit codes: 0 done, 1 an operation failed,\n");
        sb.append("2 bad usage or an unavailable backend.\n");
        for (CommandLine c : leaves(root)) {
            CommandSpec s = c.getCommandSpec();
            String path = path(s);
            sb.append("\n## `bpf4j ").append(path).append("`\n\n");
            for (String d : s.usageMessage().description()) sb.append(d).append('\n');
            sb.append("\n```\n").append(c.getHelp().synopsis(0).strip()).append("\n```\n");
            List<String> opts = new ArrayList<>();
            for (CommandLine.Model.PositionalParamSpec p : s.positionalParameters()) {
                if (p.hidden()) continue;
                opts.add("- `" + p.paramLabel() + "`: " + String.join(" ", p.description()));
            }
            for (CommandLine.Model.OptionSpec o : s.options()) {
                if (o.hidden() || o.usageHelp() || o.versionHelp()) continue;
                opts.add("- `" + String.join("`, `", o.names()) + (o.typeInfo().isBoolean() ? "" : " " + o.paramLabel()) + "`: "
                        + String.join(" ", o.description()));
            }
            if (!opts.isEmpty()) sb.append('\n').append(String.join("\n", opts)).append('\n');
            String ex = EXAMPLES.get(path);
            sb.append("\nExample: `").append(ex == null ? "(none)" : ex).append("`\n");
        }
        return sb.toString();
    }

    /** The commands that do something (not the groups, not help), in the order they are declared. */
    static List<CommandLine> leaves(CommandLine c) {
        List<CommandLine> out = new ArrayList<>();
        for (CommandLine sub : c.getSubcommands().values()) {
            if (sub.getCommandSpec().userObject() instanceof CommandLine.HelpCommand) continue;
            if (out.stream().anyMatch(x -> x.getCommandSpec() == sub.getCommandSpec())) continue; // aliases
            if (sub.getSubcommands().isEmpty()) out.add(sub);
            else out.addAll(leaves(sub));
        }
        return out;
    }

    static String path(CommandSpec s) {
        String q = s.qualifiedName(" ");
        return q.startsWith("bpf4j ") ? q.substring("bpf4j ".length()) : q;
    }

    /** {@code bpf4j docs}: prints the page. */
    @Command(name = "docs", mixinStandardHelpOptions = true, description = "Print docs/cli.md, made from the command model.")
    static final class Docs implements Runnable {
        @CommandLine.Spec
        CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().getOut().print(render());
            spec.commandLine().getOut().flush();
        }
    }
}
