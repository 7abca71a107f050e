package io.bpf4j.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads JMH's JSON result and prints one line per comparison,
 * {@code NAME java_ns_per_op c_ns_per_op ratio} (for the interpreter
 * {@code NAME sim_ns_per_insn kernel_ns_per_insn ratio}), then a verdict against the
 * project's targets. Map benchmarks are {@link Pair}s: both sides come from the counters of one
 * benchmark, and the bracket after the ratio is its lowest and highest value over the
 * measurement iterations. A benchmark missing from the result prints {@code n/a}; with the JMH
 * log as second argument, the reason it failed is shown.
 *
 * <p>Usage: {@code Report RESULT.json [JMH.log]}
 */
public final class Report {
    static final double SINGLE_OP_TARGET = 1.05;
    /** What BpfMap may add per call over what a bare FFM syscall loop adds, in the same run. */
    static final double OVER_FFM_TARGET_NS = 25;
    /** Typed map lookups against byte[] ones through the same handle. */
    static final double TYPED_TARGET = 1.20;
    static final double BATCH_SPEEDUP_TARGET = 5.0;
    /** A batch dump through BpfMap against C's batch loop, per element. */
    static final double BATCH_RATIO_TARGET = 1.15;
    /** How many times faster than the kernel's syscall the simulator's map commands should be. */
    static final double SIM_MAP_SPEEDUP_TARGET = 20.0;
    /** The simulator's ns per instruction against the kernel JIT's, in the same run. */
    static final double SIM_RATIO_TARGET = 3.0;

    private static final String[] OPS = {"lookup", "update", "delete", "nextKey"};
    private static final String[] DUMPS = {"nextKeyLookup", "batch"};
    private static final String[] PROGRAMS = {"loop", "parser", "maps"};

    /** A benchmark's primary score and its secondary counters, each with per-iteration values. */
    private record Result(double score, Map<String, double[]> counters) {
        double sum(String counter) {
            double[] v = counters.get(counter);
            if (v == null) return Double.NaN;
            double s = 0;
            for (double x : v) s += x;
            return s;
        }

        /** Nanoseconds per operation of one side of a pair, over all iterations. */
        Double side(String side) {
            double ns = sum(side + "Ns");
            double ops = sum(side + "Ops");
            return ops > 0 ? ns / ops : null;
        }

        /** The per-iteration java:c ratios' lowest and highest. */
        double[] ratioRange() {
            double[] jn = counters.get("javaNs");
            double[] jo = counters.get("javaOps");
            double[] cn = counters.get("cNs");
            double[] co = counters.get("cOps");
            if (jn == null || jo == null || cn == null || co == null) return null;
            double lo = Double.MAX_VALUE;
            double hi = 0;
            for (int i = 0; i < jn.length; i++) {
                if (jo[i] == 0 || co[i] == 0 || cn[i] == 0) continue;
                double r = (jn[i] / jo[i]) / (cn[i] / co[i]);
                lo = Math.min(lo, r);
                hi = Math.max(hi, r);
            }
            return hi == 0 ? null : new double[] {lo, hi};
        }
    }

    private final Map<String, Result> results = new HashMap<>();
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

    /** {@code io.bpf4j.bench.MapOps.lookupJavaVsSyscall} to {@code MapOps.lookupJavaVsSyscall}. */
    private static String shortName(String name) {
        return name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
    }

    @SuppressWarnings("unchecked")
    private void read(String text) {
        for (Object o : (List<Object>) Json.parse(text)) {
            Map<String, Object> b = (Map<String, Object>) o;
            Map<String, Object> pm = (Map<String, Object>) b.get("primaryMetric");
            Map<String, double[]> counters = new HashMap<>();
            Object sec = b.get("secondaryMetrics");
            if (sec instanceof Map<?, ?> m) {
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    List<Object> forks = (List<Object>) ((Map<String, Object>) e.getValue()).get("rawData");
                    List<Double> all = new ArrayList<>();
                    for (Object f : forks) for (Object v : (List<Object>) f) all.add(num(v));
                    counters.put((String) e.getKey(), all.stream().mapToDouble(Double::doubleValue).toArray());
                }
            }
            results.put(shortName((String) b.get("benchmark")), new Result(num(pm.get("score")), counters));
        }
    }

    private static double num(Object o) {
        return o instanceof Double d ? d : Double.NaN;
    }

    private Double java(String bench) {
        Result r = results.get(bench);
        return r == null ? null : r.side("java");
    }

    private Double c(String bench) {
        Result r = results.get(bench);
        return r == null ? null : r.side("c");
    }

    private Double ratio(String bench) {
        Double j = java(bench);
        Double c = c(bench);
        return j == null || c == null ? null : j / c;
    }

    private static String fmt(Double v) {
        if (v == null) return "n/a";
        return String.format(Locale.ROOT, v < 10 ? "%.3f" : v < 1000 ? "%.1f" : "%.0f", v);
    }

    private void pairLine(String name, String bench) {
        Double r = ratio(bench);
        Result res = results.get(bench);
        double[] range = res == null ? null : res.ratioRange();
        out.printf(Locale.ROOT, "%-30s %10s %10s %7s%s%n", name, fmt(java(bench)), fmt(c(bench)),
                r == null ? "n/a" : String.format(Locale.ROOT, "%.3f", r),
                range == null || r == null ? "" : String.format(Locale.ROOT, "   [%.3f..%.3f]", range[0], range[1]));
    }

    private void print() {
        out.println("# map commands on a 1M-entry hash map: NAME java_ns_per_op c_ns_per_op ratio [per-iteration range]");
        for (String op : OPS) {
            pairLine("map." + op + " java:syscall", "MapOps." + op + "JavaVsSyscall");
            pairLine("map." + op + " java:libbpf", "MapOps." + op + "JavaVsLibbpf");
            pairLine("map." + op + " BpfMap:syscall", "MapOps." + op + "BpfMapVsSyscall");
        }
        out.println("# the simulator's map vs the kernel's (same 1M-entry map, same keys): sim_ns kernel_syscall_ns ratio");
        pairLine("sim.lookup BpfMap:syscall", "SimMapOps.lookupSimVsSyscall");
        pairLine("sim.update BpfMap:syscall", "SimMapOps.updateSimVsSyscall");
        out.println("# typed map view vs byte[] through the same BpfMap (u32 -> u64 lookups): typed_ns byte[]_ns ratio");
        pairLine("map.lookup typed:byte[]", "MapOps.lookupTypedVsBpfMap");
        out.println("# bpf4j's own cost per call: lookups in a 1-entry array map (java - c = ns bpf4j adds)");
        pairLine("call.lookup java:syscall", "Overhead.lookupJavaVsSyscall");
        pairLine("call.lookup java:libbpf", "Overhead.lookupJavaVsLibbpf");
        pairLine("call.lookup BpfMap:syscall", "Overhead.lookupBpfMapVsSyscall");
        pairLine("call.lookup bare-FFM:syscall", "Overhead.lookupFfmVsSyscall");
        out.println("# whole-map dumps, per element: NAME java_ns_per_elem c_ns_per_elem ratio [per-iteration range]");
        for (String d : DUMPS) {
            pairLine("dump." + d + " java:syscall", "MapDump." + d + "JavaVsSyscall");
            pairLine("dump." + d + " java:libbpf", "MapDump." + d + "JavaVsLibbpf");
            pairLine("dump." + d + " BpfMap:syscall", "MapDump." + d + "BpfMapVsSyscall");
        }
        out.println("# simulator: NAME sim_ns_per_insn kernel_ns_per_insn ratio (sim: JMH time per call, compiled"
                + " to bytecode or interpreted; kernel: its own durationNs, JIT-compiled if bpf_jit_enable)");
        for (String mode : new String[] {"Sim", "SimInterpreter"}) {
            for (String p : PROGRAMS) {
                Double x = sim(p, mode);
                Double y = kernelReported(p);
                out.printf(Locale.ROOT, "%-30s %10s %10s %7s%n",
                        (mode.equals("Sim") ? "compiled." : "interp.") + p, fmt(x), fmt(y),
                        x == null || y == null ? "n/a" : String.format(Locale.ROOT, "%.1f", x / y));
            }
        }
        out.println("# the same measured the other way: sim self-reported, kernel JMH time per call"
                + " (includes the XDP dispatcher swap of every repeat>1 test run)");
        for (String p : PROGRAMS) {
            Result s = results.get("Interp." + p + "Sim");
            Result k = results.get("Interp." + p + "Kernel");
            out.printf(Locale.ROOT, "#   %-26s %10s %10s%n", "interp." + p,
                    fmt(s == null ? null : perInsn(s)), fmt(k == null || Double.isNaN(k.score()) ? null : k.score()));
        }
        progLoad();
        btf();
        objectLoad();
        events();
        allocations();
        verdict();
    }

    /** Program loads ({@link ProgLoad}): the simulator's load beside the kernel's PROG_LOAD, target no slower. */
    private void progLoad() {
        out.println("# program load: NAME sim_us kernel_us ratio (target <= 1: the simulator loads no slower than the kernel)");
        for (String p : new String[] {"loop", "parser", "maps", "big"}) {
            Result s = results.get("ProgLoad." + p + "Sim");
            Result k = results.get("ProgLoad." + p + "Kernel");
            Double x = s == null || Double.isNaN(s.score()) ? null : s.score();
            Double y = k == null || Double.isNaN(k.score()) ? null : k.score();
            out.printf(Locale.ROOT, "%-30s %10s %10s %7s%n", "load." + p, fmt(x), fmt(y),
                    x == null || y == null ? "n/a" : String.format(Locale.ROOT, "%.2f", x / y));
        }
    }

    /** bpf4j's readers against libbpf's on the same producer: at least this share of libbpf's records per second. */
    static final double EVENTS_TARGET = 0.9;
    private static final String[][] EVENT_BENCHES = {
        {"events.ringbuf java:libbpf", "EventOps.ringBufferJavaVsLibbpf"},
        {"events.perfbuf java:libbpf", "EventOps.perfBufferJavaVsLibbpf"}};

    /** Event readers ({@link EventOps}): ns and records per second per side, and bytes allocated per record. */
    private void events() {
        out.println("# event readers, same producer: NAME java_ns_per_record libbpf_ns_per_record ratio [range]"
                + " | java Mrec/s libbpf Mrec/s, java throughput / libbpf's, bytes allocated per record");
        for (String[] e : EVENT_BENCHES) {
            Double j = java(e[1]);
            Double c = c(e[1]);
            Result res = results.get(e[1]);
            double[] range = res == null ? null : res.ratioRange();
            String tail = "";
            if (j != null && c != null) {
                tail = String.format(Locale.ROOT, "   | %.2f %.2f %.3f, %.3f B", 1e3 / j, 1e3 / c, c / j,
                        res.sum("javaBytes") / res.sum("javaOps"));
            }
            out.printf(Locale.ROOT, "%-30s %10s %10s %7s%s%s%n", e[0], fmt(j), fmt(c),
                    j == null || c == null ? "n/a" : String.format(Locale.ROOT, "%.3f", j / c),
                    range == null ? "" : String.format(Locale.ROOT, "   [%.3f..%.3f]", range[0], range[1]), tail);
        }
    }

    private void eventsVerdict() {
        StringBuilder b = new StringBuilder();
        for (String[] e : EVENT_BENCHES) {
            Double j = java(e[1]);
            Double c = c(e[1]);
            Result res = results.get(e[1]);
            b.append(b.length() == 0 ? " " : ", ").append(e[0].substring(7, 14)).append(' ');
            if (j == null || c == null) {
                b.append("n/a");
                continue;
            }
            double bytes = res.sum("javaBytes") / res.sum("javaOps");
            b.append(check(c / j, c / j >= EVENTS_TARGET, "%.2fx")).append(", ")
                    .append(check(bytes, bytes < 0.05, "%.3f B/record"));
        }
        out.printf(Locale.ROOT, "  event readers, records/s vs libbpf (target >= %.1fx) and allocation (target 0):%s%n",
                EVENTS_TARGET, b);
    }

    static final double BTF_TIME_TARGET = 2.0;
    static final double BTF_MEMORY_TARGET = 3.0;

    /** Parsing vmlinux BTF ({@link BtfParse}): milliseconds per parse on each side, and memory. */
    private void btf() {
        out.println("# BTF: parse /sys/kernel/btf/vmlinux from the file (and find one type): NAME java_ms libbpf_ms ratio [range]");
        String[][] lines = {
            {"btf.parse+find early java:libbpf", "BtfParse.parseFindJavaVsLibbpf"},
            {"btf.parse+find late java:libbpf", "BtfParse.parseFindLateJavaVsLibbpf"},
            {"btf.parse java:libbpf", "BtfParse.parseJavaVsLibbpf"}};
        for (String[] l : lines) {
            Double r = ratio(l[1]);
            Result res = results.get(l[1]);
            double[] range = res == null ? null : res.ratioRange();
            out.printf(Locale.ROOT, "%-34s %8s %8s %7s%s%n", l[0], ms(java(l[1])), ms(c(l[1])),
                    r == null ? "n/a" : String.format(Locale.ROOT, "%.3f", r),
                    range == null || r == null ? "" : String.format(Locale.ROOT, "   [%.3f..%.3f]", range[0], range[1]));
        }
        Result m = results.get("BtfParse.memory");
        if (m == null) return;
        double raw = mean(m, "rawBytes");
        out.printf(Locale.ROOT, "# BTF memory kept by one parsed vmlinux: raw %.2f MB; java %.2f MB (%.2fx), with its name index"
                + " %.2f MB (%.2fx); libbpf %.2f MB (%.2fx)%n", raw / 1e6, mean(m, "javaBytes") / 1e6,
                mean(m, "javaBytes") / raw, mean(m, "javaIndexedBytes") / 1e6, mean(m, "javaIndexedBytes") / raw,
                mean(m, "libbpfBytes") / 1e6, mean(m, "libbpfBytes") / raw);
    }

    static final double OBJECT_LOAD_TARGET = 1.2;

    /** Opening and loading a large object ({@link ObjectLoad}): milliseconds per load on each side. */
    private void objectLoad() {
        String b = "ObjectLoad.openLoadJavaVsLibbpf";
        out.println("# object open+load of load_many.o (48 maps, 48 programs): NAME java_ms libbpf_ms ratio [range]");
        Double r = ratio(b);
        Result res = results.get(b);
        double[] range = res == null ? null : res.ratioRange();
        out.printf(Locale.ROOT, "%-34s %8s %8s %7s%s%n", "object.load java:libbpf", ms(java(b)), ms(c(b)),
                r == null ? "n/a" : String.format(Locale.ROOT, "%.3f", r),
                range == null || r == null ? "" : String.format(Locale.ROOT, "   [%.3f..%.3f]", range[0], range[1]));
        if (res == null) return;
        // The same loads in CPU time of the benchmark thread: what wall time is on an idle machine.
        double jc = res.sum("javaCpuNs") / res.sum("javaOps");
        double cc = res.sum("cCpuNs") / res.sum("cOps");
        if (Double.isNaN(jc) || Double.isNaN(cc) || cc == 0) return;
        out.printf(Locale.ROOT, "%-34s %8.3f %8.3f %7.3f%n", "object.load cpu java:libbpf", jc / 1e6, cc / 1e6, jc / cc);
    }

    private static double mean(Result r, String counter) {
        double[] v = r.counters().get(counter);
        if (v == null || v.length == 0) return Double.NaN;
        double s = 0;
        for (double x : v) s += x;
        return s / v.length;
    }

    private static String ms(Double ns) {
        return ns == null ? "n/a" : String.format(Locale.ROOT, "%.3f", ns / 1e6);
    }

    private void objectLoadVerdict() {
        Double r = ratio("ObjectLoad.openLoadJavaVsLibbpf");
        if (r == null) return;
        out.printf(Locale.ROOT, "  object open+load vs libbpf (target ratio <= %.1f): %s%n", OBJECT_LOAD_TARGET,
                check(r, r <= OBJECT_LOAD_TARGET, "%.2f"));
    }

    private void btfVerdict() {
        Double r = ratio("BtfParse.parseFindJavaVsLibbpf");
        Double late = ratio("BtfParse.parseFindLateJavaVsLibbpf");
        Result m = results.get("BtfParse.memory");
        if (r == null && late == null && m == null) return;
        String mem = "n/a";
        if (m != null) {
            double x = mean(m, "javaIndexedBytes") / mean(m, "rawBytes");
            mem = check(x, x < BTF_MEMORY_TARGET, "%.2fx");
        }
        out.printf(Locale.ROOT, "  vmlinux BTF parse+find vs libbpf (target ratio <= %.1f): early %s, late %s; memory vs raw"
                + " (target < %.0fx): %s%n", BTF_TIME_TARGET, r == null ? "n/a" : check(r, r <= BTF_TIME_TARGET, "%.2f"),
                late == null ? "n/a" : check(late, late <= BTF_TIME_TARGET, "%.2f"), BTF_MEMORY_TARGET, mem);
    }

    /** With {@code -prof gc}: bytes allocated per Java operation (the C half allocates none). */
    private void allocations() {
        List<String> lines = new ArrayList<>();
        for (String name : results.keySet().stream().sorted().toList()) {
            double[] v = results.get(name).counters().get("gc.alloc.rate.norm");
            if (v == null || v.length == 0 || !name.contains("Vs")) continue;
            double mean = 0;
            for (double x : v) mean += x / v.length;
            lines.add(String.format(Locale.ROOT, "#   %-40s %10.1f", name, 2 * mean));
        }
        if (lines.isEmpty()) return;
        out.println("# bytes allocated per Java operation (-prof gc; under 1 is JMH's own noise)");
        lines.forEach(out::println);
    }

    private Double sim(String program, String mode) {
        Result r = results.get("Interp." + program + mode);
        return r == null || Double.isNaN(r.score()) ? null : r.score();
    }

    private Double kernelReported(String program) {
        Result r = results.get("Interp." + program + "Kernel");
        return r == null ? null : perInsn(r);
    }

    private static Double perInsn(Result r) {
        double ns = r.sum("reportedNs");
        double insns = r.sum("insns");
        return insns > 0 && ns > 0 ? ns / insns : null;
    }

    private void verdict() {
        out.println();
        out.println("verdict:");
        StringBuilder b = new StringBuilder();
        // The target holds for the hot path, BpfMap: it knows its map's layout and makes one
        // system call. Bpf on a bare descriptor also reads the layout through a private
        // duplicate on every call (dup, info, command, close), so no reused descriptor number can
        // size a buffer; it is reported for information, without a target.
        b.setLength(0);
        for (String op : OPS) {
            Double r = ratio("MapOps." + op + "BpfMapVsSyscall");
            b.append(b.length() == 0 ? " " : ", ").append(op).append(' ')
                    .append(r == null ? "n/a" : check(r, r <= SINGLE_OP_TARGET, "%.3f"));
        }
        out.printf(Locale.ROOT, "  single-element ops, BpfMap vs C syscall (target ratio <= %.2f):%s%n", SINGLE_OP_TARGET, b);
        Double typedRatio = ratio("MapOps.lookupTypedVsBpfMap");
        if (typedRatio != null) {
            out.printf(Locale.ROOT, "  typed u32 -> u64 lookups vs byte[] (target ratio <= %.2f): %s%n", TYPED_TARGET,
                    check(typedRatio, typedRatio <= TYPED_TARGET, "%.3f"));
        }
        for (String c : new String[] {"Syscall", "Libbpf"}) {
            b.setLength(0);
            for (String op : OPS) {
                Double r = ratio("MapOps." + op + "JavaVs" + c);
                b.append(b.length() == 0 ? " " : ", ").append(op).append(' ').append(r == null ? "n/a"
                        : String.format(Locale.ROOT, "%.3f", r));
            }
            out.printf(Locale.ROOT, "  single-element ops, Bpf on a bare descriptor vs C %s (no target):%s%n",
                    c.equals("Syscall") ? "syscall" : "libbpf", b);
        }
        // What bpf4j adds is judged on its hot path, BpfMap, in the same run as the floor: a bare
        // FFM syscall loop, which pays the JVM's downcall and errno capture and nothing else.
        Double jc = java("Overhead.lookupBpfMapVsSyscall");
        Double cc = c("Overhead.lookupBpfMapVsSyscall");
        Double fj = java("Overhead.lookupFfmVsSyscall");
        Double fc = c("Overhead.lookupFfmVsSyscall");
        if (jc != null && cc != null) {
            out.printf(Locale.ROOT, "  BpfMap adds %.0f ns per single-element call (1-entry array lookup: %.0f java, %.0f C)%s%n",
                    jc - cc, jc, cc, fj == null || fc == null ? ""
                            : String.format(Locale.ROOT, "; a bare FFM syscall loop adds %.0f", fj - fc));
        }
        if (jc != null && cc != null && fj != null && fc != null) {
            double over = (jc - cc) - (fj - fc);
            out.printf(Locale.ROOT, "  BpfMap's added ns over the bare FFM loop's (target <= %.0f ns): %s%n", OVER_FFM_TARGET_NS,
                    check(over, over <= OVER_FFM_TARGET_NS, "%.0f ns"));
        } else {
            out.printf(Locale.ROOT, "  BpfMap's added ns over the bare FFM loop's (target <= %.0f ns): n/a%n", OVER_FFM_TARGET_NS);
        }
        b.setLength(0);
        String[][] sides = {
            {"java", "JavaVsSyscall", "java"}, {"BpfMap", "BpfMapVsSyscall", "java"},
            {"C syscall", "JavaVsSyscall", "c"}, {"C libbpf", "JavaVsLibbpf", "c"}};
        for (String[] side : sides) {
            Double slow = pick("MapDump.nextKeyLookup" + side[1], side[2]);
            Double fast = pick("MapDump.batch" + side[1], side[2]);
            b.append(b.length() == 0 ? " " : ", ").append(side[0]).append(' ').append(slow == null || fast == null ? "n/a"
                    : check(slow / fast, slow / fast >= BATCH_SPEEDUP_TARGET, "%.1fx"));
        }
        out.printf(Locale.ROOT, "  batch dump vs get_next_key+lookup, per element (target >= %.0fx):%s%n",
                BATCH_SPEEDUP_TARGET, b);
        b.setLength(0);
        for (String[] side : new String[][] {{"list", "MapDump.batchBpfMapVsSyscall"}, {"visitor", "MapDump.batchVisitorBpfMapVsSyscall"}}) {
            Double j = java(side[1]);
            Double c = c(side[1]);
            b.append(b.length() == 0 ? " " : ", ").append(side[0]).append(' ')
                    .append(j == null || c == null ? "n/a" : check(j / c, j / c <= BATCH_RATIO_TARGET, "%.2f"));
        }
        out.printf(Locale.ROOT, "  BpfMap.dumpBatch vs C batch loop, per element (target ratio <= %.2f):%s%n", BATCH_RATIO_TARGET, b);
        b.setLength(0);
        for (String op : new String[] {"lookup", "update"}) {
            Double r = ratio("SimMapOps." + op + "SimVsSyscall");
            b.append(b.length() == 0 ? " " : ", ").append(op).append(' ')
                    .append(r == null ? "n/a" : check(1 / r, 1 / r >= SIM_MAP_SPEEDUP_TARGET, "%.1fx"));
        }
        out.printf(Locale.ROOT, "  simulator map ops, times faster than the kernel's syscall (target >= %.0fx):%s%n",
                SIM_MAP_SPEEDUP_TARGET, b);
        b.setLength(0);
        for (String mode : new String[] {"Sim", "SimInterpreter"}) {
            b.setLength(0);
            for (String p : PROGRAMS) {
                Double v = sim(p, mode);
                Double k = kernelReported(p);
                b.append(b.length() == 0 ? " " : ", ").append(p).append(' ')
                        .append(v == null || k == null ? "n/a" : check(v / k, v / k <= SIM_RATIO_TARGET, "%.1fx"));
            }
            out.printf(Locale.ROOT, "  simulator %s, ns per instruction against the kernel's (target ratio <= %.1f):%s%n",
                    mode.equals("Sim") ? "compiled" : "interpreter", SIM_RATIO_TARGET, b);
        }
        btfVerdict();
        objectLoadVerdict();
        eventsVerdict();
    }

    private Double pick(String bench, String side) {
        return side.equals("java") ? java(bench) : c(bench);
    }

    private static String check(double v, boolean ok, String format) {
        return String.format(Locale.ROOT, format, v) + (ok ? " ok" : " MISS");
    }

    /** JMH prints {@code <failure>} and the exception under the benchmark that failed. */
    private void failures(List<String> log) {
        Map<String, String> found = new java.util.LinkedHashMap<>();
        String current = null;
        for (int i = 0; i < log.size(); i++) {
            String l = log.get(i);
            if (l.startsWith("# Benchmark: ")) current = l.substring("# Benchmark: ".length()).trim();
            if (l.trim().endsWith("<failure>")) {
                String why = "";
                for (int j = i + 1; j < log.size(); j++) {
                    String t = log.get(j).trim();
                    if (!t.isEmpty()) {
                        why = t;
                        break;
                    }
                }
                if (why.length() > 220) why = why.substring(0, 220) + "...";
                found.putIfAbsent(current == null ? "?" : shortName(current), why);
            }
        }
        if (found.isEmpty()) return;
        out.println();
        out.println("failed benchmarks (n/a above):");
        found.forEach((name, why) -> out.println("  " + name + ": " + why));
    }
}
