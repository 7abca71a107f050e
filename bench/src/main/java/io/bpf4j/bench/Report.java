package io.bpf4j.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads JMH's JSON result and prints one line per comparison,
 * {@code NAME java_ns_per_op c_ns_per_op ratio} (for the interpreter
 * {@code NAME sim_ns_per_insn kernel_ns_per_insn ratio}), then a verdict against the
 * project's targets. A benchmark missing from the result prints {@code n/a}; with the JMH log
 * as second argument, the reason it failed is shown.
 *
 * <p>Usage: {@code Report RESULT.json [JMH.log]}
 */
public final class Report {
    static final double SINGLE_OP_TARGET = 1.10;
    static final double BATCH_SPEEDUP_TARGET = 5.0;
    static final double INTERP_TARGET_NS = 10.0;

    private static final String[] OPS = {"lookup", "update", "delete", "nextKey"};
    private static final String[] DUMPS = {"nextKeyLookup", "batch"};
    private static final String[] PROGRAMS = {"loop", "parser", "maps"};

    private record Score(double value, double error) {}

    private final Map<String, Score> scores = new LinkedHashMap<>();
    private final PrintStream out;

    private Report(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: Report RESULT.json [JMH.log]");
            System.exit(2);
        }
        Report r = new Report(System.out);
        Path json = Path.of(args[0]);
        if (Files.isRegularFile(json) && Files.size(json) > 0) r.read(Files.readString(json));
        r.print();
        if (args.length > 1 && Files.isRegularFile(Path.of(args[1]))) r.failures(Files.readAllLines(Path.of(args[1])));
    }

    @SuppressWarnings("unchecked")
    private void read(String text) {
        for (Object o : (List<Object>) Json.parse(text)) {
            Map<String, Object> b = (Map<String, Object>) o;
            String name = (String) b.get("benchmark");
            Map<String, Object> pm = (Map<String, Object>) b.get("primaryMetric");
            double score = num(pm.get("score"));
            double error = num(pm.get("scoreError"));
            scores.put(name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1), new Score(score, error));
        }
    }

    private static double num(Object o) {
        return o instanceof Double d ? d : Double.NaN;
    }

    private Double get(String name) {
        Score s = scores.get(name);
        return s == null || Double.isNaN(s.value()) ? null : s.value();
    }

    private Double ratio(String a, String b) {
        Double x = get(a);
        Double y = get(b);
        return x == null || y == null ? null : x / y;
    }

    private void line(String name, String a, String b) {
        Double x = get(a);
        Double y = get(b);
        out.printf(Locale.ROOT, "%-34s %10s %10s %7s%n", name, fmt(x), fmt(y), ratio(a, b) == null ? "n/a"
                : String.format(Locale.ROOT, "%.3f", ratio(a, b)));
    }

    private static String fmt(Double v) {
        if (v == null) return "n/a";
        return String.format(Locale.ROOT, v < 10 ? "%.3f" : v < 1000 ? "%.1f" : "%.0f", v);
    }

    private void print() {
        out.println("# map commands on a 1M-entry hash map: NAME java_ns_per_op c_ns_per_op ratio");
        for (String op : OPS) {
            line("map." + op + " java:syscall", "MapOps." + op + "Java", "MapOps." + op + "Syscall");
            line("map." + op + " java:libbpf", "MapOps." + op + "Java", "MapOps." + op + "Libbpf");
            line("map." + op + " BpfMap:syscall", "MapOps." + op + "BpfMap", "MapOps." + op + "Syscall");
        }
        out.println("# whole-map dumps, per element: NAME java_ns_per_elem c_ns_per_elem ratio");
        for (String d : DUMPS) {
            line("dump." + d + " java:syscall", "MapDump." + d + "Java", "MapDump." + d + "Syscall");
            line("dump." + d + " java:libbpf", "MapDump." + d + "Java", "MapDump." + d + "Libbpf");
            line("dump." + d + " BpfMap:syscall", "MapDump." + d + "BpfMap", "MapDump." + d + "Syscall");
        }
        out.println("# interpreter: NAME sim_ns_per_insn kernel_ns_per_insn ratio");
        for (String p : PROGRAMS) line("interp." + p, "Interp." + p + "Sim", "Interp." + p + "Kernel");
        verdict();
    }

    private void verdict() {
        out.println();
        out.println("verdict:");
        StringBuilder b = new StringBuilder();
        for (String c : new String[] {"Syscall", "Libbpf"}) {
            b.setLength(0);
            for (String op : OPS) {
                Double r = ratio("MapOps." + op + "Java", "MapOps." + op + c);
                b.append(b.length() == 0 ? " " : ", ").append(op).append(' ')
                        .append(r == null ? "n/a" : check(r, r <= SINGLE_OP_TARGET, "%.2f"));
            }
            out.printf(Locale.ROOT, "  single-element ops, raw Bpf vs C %s (target ratio <= %.2f):%s%n",
                    c.equals("Syscall") ? "syscall" : "libbpf", SINGLE_OP_TARGET, b);
        }
        b.setLength(0);
        for (String[] side : new String[][] {{"java", "Java"}, {"BpfMap", "BpfMap"}, {"C syscall", "Syscall"},
                {"C libbpf", "Libbpf"}}) {
            Double r = ratio("MapDump.nextKeyLookup" + side[1], "MapDump.batch" + side[1]);
            b.append(b.length() == 0 ? " " : ", ").append(side[0]).append(' ').append(r == null ? "n/a"
                    : check(r, r >= BATCH_SPEEDUP_TARGET, "%.1fx"));
        }
        out.printf(Locale.ROOT, "  batch dump vs get_next_key+lookup, per element (target >= %.0fx):%s%n",
                BATCH_SPEEDUP_TARGET, b);
        b.setLength(0);
        for (String p : PROGRAMS) {
            Double v = get("Interp." + p + "Sim");
            b.append(b.length() == 0 ? " " : ", ").append(p).append(' ')
                    .append(v == null ? "n/a" : check(v, v <= INTERP_TARGET_NS, "%.2f"));
        }
        out.printf(Locale.ROOT, "  simulator interpreter, ns per instruction (target <= %.0f):%s%n", INTERP_TARGET_NS, b);
        String worst = null;
        double worstRel = 0;
        for (Map.Entry<String, Score> e : scores.entrySet()) {
            double rel = e.getValue().error() / e.getValue().value();
            if (!Double.isNaN(rel) && rel > worstRel) {
                worstRel = rel;
                worst = e.getKey();
            }
        }
        if (worst != null) {
            out.printf(Locale.ROOT, "  noise: widest 99.9%% interval +-%.0f%% (%s); ratios within that of a target are not conclusive%n",
                    worstRel * 100, worst);
        }
    }

    private static String check(double v, boolean ok, String format) {
        return String.format(Locale.ROOT, format, v) + (ok ? " ok" : " MISS");
    }

    /** JMH prints {@code <failure>} and the exception under the benchmark that failed. */
    private void failures(List<String> log) {
        List<String> found = new ArrayList<>();
        String current = null;
        for (int i = 0; i < log.size(); i++) {
            String l = log.get(i);
            if (l.startsWith("# Benchmark: ")) current = l.substring("# Benchmark: ".length()).trim();
            if (l.trim().equals("<failure>")) {
                String why = "";
                for (int j = i + 1; j < log.size(); j++) {
                    String t = log.get(j).trim();
                    if (!t.isEmpty()) {
                        why = t;
                        break;
                    }
                }
                if (why.length() > 220) why = why.substring(0, 220) + "...";
                String name = current == null ? "?" : current.substring(current.lastIndexOf('.',
                        current.lastIndexOf('.') - 1) + 1);
                found.add(name + ": " + why);
            }
        }
        if (found.isEmpty()) return;
        out.println();
        out.println("failed benchmarks (n/a above):");
        for (String f : found) out.println("  " + f);
    }
}
