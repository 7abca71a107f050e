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
        EXAMPLES.put("map lookup", "./bpf4j map lookup /sys/fs/bpf/agent/by_flow '{\"addr\": 167772161, \"port\": 80}'");
        EXAMPLES.put("map update", "./bpf4j map update 7 \"1 0 0 0\" \"0x2a 0 0 0 0 0 0 0\" --noexist");
        EXAMPLES.put("map update typed", "./bpf4j map update /sys/fs/bpf/agent/colors json:2 json:'\"BLUE\"' --exist");
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

    /** How to keep a simulated kernel between commands; written here so the page has it in one place. */
    private static final String SESSIONS = """

            ## Simulator sessions (`--sim-state FILE`)

            On the simulator each command starts from an empty kernel, unless it is given `--sim-state FILE`:
            then successive commands given the same FILE see one simulated kernel, from a shell or a script.
            What a command pins or holds by a link is there for the next one; what it does not dies at its
            end, as on a kernel. The file is a journal: the simulated machine (CPU count, hash seed) and
            every earlier command that changed the kernel, replayed with its output discarded before the
            new command runs, and with the files they read (object files, `--data-file`) kept inside, so
            that moving or rebuilding them does not change the session. It is text, one checksummed record
            a line; a file that is not one, or is damaged, is refused with exit 2, and a journal that no
            longer replays as it ran is reported with exit 1, naming the file each time. Commands on one
            file wait for each other (it is locked). Every command says on stderr that its kernel is
            simulated. `--sim-state` with another backend than `sim` is bad usage. Times and random
            numbers programs read are not replayed, nor what was consumed from ring and perf buffers.

            ```
            $ ./bpf4j object load agent.o --pin /sys/fs/bpf/agent --sim-state /tmp/agent.sim
            bpf4j: running on the simulator (sim), not a kernel: its state is kept in /tmp/agent.sim (0 earlier commands replayed)
            backend: sim

            programs:
              use_btf_maps         id 1      pinned /sys/fs/bpf/agent/use_btf_maps

            maps:
              verdicts             id 2      pinned /sys/fs/bpf/agent/verdicts
              by_length            id 3      pinned /sys/fs/bpf/agent/by_length
              per_cpu              id 4      pinned /sys/fs/bpf/agent/per_cpu
              totals               id 5      pinned /sys/fs/bpf/agent/totals
              events               id 6      pinned /sys/fs/bpf/agent/events
            $ ./bpf4j map update /sys/fs/bpf/agent/by_length 40000000 0100000000000000 --sim-state /tmp/agent.sim
            $ ./bpf4j prog run 1 --data $(printf '00%.0s' $(seq 64)) --sim-state /tmp/agent.sim 2>/dev/null
            retval 2  duration 23318235 ns
            data out 0000000000000000000000000000000000000000000000000000000000000000...
            $ ./bpf4j map dump /sys/fs/bpf/agent/by_length --sim-state /tmp/agent.sim 2>/dev/null
            key: 64  value: 2
            $ ./bpf4j map dump /sys/fs/bpf/agent/totals --json --sim-state /tmp/agent.sim 2>/dev/null
            [{"key":"00000000","value":"40000000000000000100000002000000","formatted":{"key":0,"value":{"bytes":64,"frames":1,"last_verdict":2}}},...]
            ```

            `map dump` shows keys and values typed through the map's BTF when it has some, as
            `bpftool map dump` formats them (`--format hex` for the bytes only), and the element commands
            take keys and values in the same form: JSON starting with `{` or `[`, or any JSON after
            `json:` (`json:42`, `json:'"BLUE"'`). Struct members and array elements left out are zero;
            a per-CPU value is a list with one value per possible CPU. Long dumps and loads show
            a progress line on stderr when it is a terminal, and nothing when it is piped or redirected;
            `BPF4J_PROGRESS=always|never|auto` (or `-Dbpf4j.progress=`) overrides that.
            """;

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
        sb.append(SESSIONS);
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
            String typed = EXAMPLES.get(path + " typed");
            if (typed != null) sb.append("\nTyped through the map's BTF: `").append(typed).append("`\n");
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
