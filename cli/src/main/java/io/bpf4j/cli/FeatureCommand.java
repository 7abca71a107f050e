package io.bpf4j.cli;

import io.bpf4j.api.Bpf;
import io.bpf4j.api.Capabilities;
import io.bpf4j.api.MapType;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.Support;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bpf4j feature probe}: the capability report's program and map types in the sections and
 * words of {@code bpftool feature probe} ({@code eBPF program_type xdp is available}; JSON
 * {@code program_types.have_xdp_prog_type}), so the two can be compared line by line. bpf4j
 * reports a type available when it loads one (a program) or creates one (a map) here.
 */
@Command(name = "feature", mixinStandardHelpOptions = true, description = "Capabilities in bpftool feature probe's form.",
        subcommands = {FeatureCommand.Probe.class})
final class FeatureCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code bpf4j feature probe [--json]}. */
    @Command(name = "probe", mixinStandardHelpOptions = true,
            description = "Which program and map types this kernel (or backend) has, worded as bpftool feature probe words it.")
    static final class Probe extends BackendCommand {
        @Option(names = "--json", description = "Print JSON (program_types, map_types) instead of text.")
        boolean json;

        @Override
        void run(Bpf bpf, PrintWriter out) {
            print(bpf.capabilities(), out);
        }

        private void print(Capabilities c, PrintWriter out) {
            List<String> progs = new ArrayList<>();
            List<String> maps = new ArrayList<>();
            if (!json) out.println("Scanning eBPF program types...");
            for (ProgramType t : ProgramType.values()) {
                if (t == ProgramType.UNSPEC) continue;
                line(out, progs, "program_type", "prog_type", ListCommands.lower(t.name()), c.programType(t));
            }
            if (!json) out.println();
            if (!json) out.println("Scanning eBPF map types...");
            for (MapType t : MapType.values()) {
                if (t == MapType.UNSPEC) continue;
                line(out, maps, "map_type", "map_type", ListCommands.lower(t.name()), c.mapType(t));
            }
            if (json) out.println("{\"program_types\":{" + String.join(",", progs) + "},\"map_types\":{" + String.join(",", maps) + "}}");
            out.flush();
        }

        private void line(PrintWriter out, List<String> items, String word, String key, String name, Support s) {
            if (json) items.add(Json.quote("have_" + name + "_" + key) + ":" + s.supported());
            else out.println("eBPF " + word + " " + name + " is " + (s.supported() ? "available" : "NOT available"));
        }
    }
}
