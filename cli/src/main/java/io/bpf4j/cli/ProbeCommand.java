package io.bpf4j.cli;

import io.bpf4j.api.Availability;
import io.bpf4j.api.BackendUnavailableException;
import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfProvider;
import io.bpf4j.api.Capabilities;
import io.bpf4j.api.Support;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bpf4j probe}: which backend runs, every backend's availability, and what it supports. */
@Command(name = "probe", mixinStandardHelpOptions = true,
        description = "Show the chosen backend, every backend's availability and its capability table.")
final class ProbeCommand implements Callable<Integer> {
    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Option(names = "--backend", paramLabel = "NAME", description = "Use this backend (linux, windows, sim).")
    String backend;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        BackendChoice choice;
        try {
            choice = BackendChoice.open(backend);
        } catch (BackendUnavailableException e) {
            err.println("bpf4j: " + e.getMessage());
            err.flush();
            return 2;
        }
        try (Bpf bpf = choice.bpf()) {
            Capabilities caps = bpf.capabilities();
            List<BpfProvider> providers = BackendChoice.providers();
            if (json) {
                // stdout stays one JSON object; the simulator notice goes to stderr first.
                if (choice.notice() != null) err.println("bpf4j: " + choice.notice());
                err.flush();
                printJson(out, bpf.name(), providers, caps);
            } else {
                if (choice.notice() != null) out.println("bpf4j: " + choice.notice());
                printText(out, bpf.name(), providers, caps);
            }
            out.flush();
            return 0;
        }
    }

    private static void printText(PrintWriter out, String chosen, List<BpfProvider> providers, Capabilities caps) {
        out.println("backend: " + chosen);
        out.println();
        out.println("backends:");
        for (BpfProvider p : providers) {
            Availability a = p.availability();
            out.printf("  %-8s %s%n", p.name(), a.available() ? "available" : "unavailable: " + a.reason());
        }
        section(out, "operations", caps.operations());
        section(out, "map types", caps.mapTypes());
        section(out, "program types", caps.programTypes());
        section(out, "attach types", caps.attachTypes());
        section(out, "link types", caps.linkTypes());
    }

    private static <E extends Enum<E>> void section(PrintWriter out, String title, Map<E, Support> entries) {
        long yes = entries.values().stream().filter(Support::supported).count();
        out.println();
        out.printf("%s (%d of %d supported):%n", title, yes, entries.size());
        int width = entries.keySet().stream().mapToInt(e -> e.name().length()).max().orElse(0);
        for (Map.Entry<E, Support> e : entries.entrySet()) {
            Support s = e.getValue();
            out.printf("  %-" + width + "s  %s%n", e.getKey().name(), s.supported() ? "yes" : "no   " + s.reason());
        }
    }

    private static void printJson(PrintWriter out, String chosen, List<BpfProvider> providers, Capabilities caps) {
        StringBuilder sb = new StringBuilder("{\n  \"backend\": ").append(Json.quote(chosen)).append(",\n  \"backends\": [");
        for (int i = 0; i < providers.size(); i++) {
            BpfProvider p = providers.get(i);
            Availability a = p.availability();
            sb.append(i == 0 ? "\n" : ",\n").append("    {\"name\": ").append(Json.quote(p.name()))
                    .append(", \"available\": ").append(a.available())
                    .append(", \"reason\": ").append(Json.quote(a.reason())).append('}');
        }
        sb.append("\n  ],\n  \"capabilities\": {");
        Map<String, Map<? extends Enum<?>, Support>> sections = new LinkedHashMap<>();
        sections.put("operations", caps.operations());
        sections.put("mapTypes", caps.mapTypes());
        sections.put("programTypes", caps.programTypes());
        sections.put("attachTypes", caps.attachTypes());
        sections.put("linkTypes", caps.linkTypes());
        boolean firstSection = true;
        for (Map.Entry<String, Map<? extends Enum<?>, Support>> s : sections.entrySet()) {
            sb.append(firstSection ? "\n" : ",\n").append("    ").append(Json.quote(s.getKey())).append(": {");
            firstSection = false;
            boolean first = true;
            for (Map.Entry<? extends Enum<?>, Support> e : s.getValue().entrySet()) {
                sb.append(first ? "\n" : ",\n").append("      ").append(Json.quote(e.getKey().name())).append(": ");
                first = false;
                Support v = e.getValue();
                sb.append(v.supported() ? "{\"supported\": true}"
                        : "{\"supported\": false, \"reason\": " + Json.quote(v.reason()) + "}");
            }
            sb.append("\n    }");
        }
        sb.append("\n  }\n}");
        out.println(sb);
    }
}
