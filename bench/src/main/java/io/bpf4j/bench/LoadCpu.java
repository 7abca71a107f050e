package io.bpf4j.bench;

import io.bpf4j.api.Bpf;
import io.bpf4j.api.LoadResult;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;

/**
 * The {@link ProgLoad} comparison in CPU time: per program, rounds of simulator loads alternate
 * with rounds of kernel {@code PROG_LOAD}s in one thread, and each round is the thread's CPU time
 * (user and system, so the kernel's verifier counts) per load. On a machine whose cores other
 * processes also use, JMH's wall time measures them too, and a short run can end before the JIT
 * has compiled the simulator's verifier; CPU time over rounds long enough to warm up does not.
 *
 * <p>{@code bench/run --load-cpu [ROUNDS]}: 15 measured rounds of 0.2 s CPU per side after 5
 * warm-up rounds; prints the median and the range of each side.
 */
public final class LoadCpu {
    private static final long ROUND_NS = 200_000_000L;
    private static final int WARMUP = 5;

    private LoadCpu() {
    }

    /**
     * Runs the comparison.
     *
     * @param args the measured rounds per program (15 when absent)
     */
    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        if (rounds < 1) throw new IllegalArgumentException("rounds: " + rounds + " is not positive");
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        try (Bpf sim = Bpf.open("sim"); Bpf linux = Bpf.open("linux")) {
            int simMap = sim.mapCreate(MapSpec.of(MapType.ARRAY, 4, 8, Programs.MAP_ENTRIES).withName("bench_arr"));
            int linuxMap = linux.mapCreate(MapSpec.of(MapType.ARRAY, 4, 8, Programs.MAP_ENTRIES).withName("bench_arr"));
            System.out.println("# program load, CPU per load: NAME sim_us kernel_us ratio [sim range] [kernel range] (median of "
                    + rounds + " rounds)");
            for (String name : new String[] {"loop", "parser", "maps", "big"}) {
                ProgramSpec s = spec(name, simMap);
                ProgramSpec k = spec(name, linuxMap);
                double[] simUs = new double[rounds];
                double[] kernelUs = new double[rounds];
                for (int r = -WARMUP; r < rounds; r++) {
                    double a = round(mx, sim, s);
                    double b = round(mx, linux, k);
                    if (r < 0) continue;
                    simUs[r] = a;
                    kernelUs[r] = b;
                }
                Arrays.sort(simUs);
                Arrays.sort(kernelUs);
                double sm = simUs[rounds / 2];
                double km = kernelUs[rounds / 2];
                System.out.printf(Locale.ROOT, "%-12s %9.1f %9.1f %6.2f   [%.1f-%.1f] [%.1f-%.1f]%n", "load." + name, sm, km, sm / km,
                        simUs[0], simUs[rounds - 1], kernelUs[0], kernelUs[rounds - 1]);
            }
            sim.closeFd(simMap);
            linux.closeFd(linuxMap);
        }
    }

    private static ProgramSpec spec(String name, int map) {
        long[] insns = switch (name) {
            case "loop" -> Programs.loop();
            case "parser" -> Programs.parser();
            case "maps" -> Programs.maps(map);
            default -> ProgLoad.big();
        };
        return ProgramSpec.of(ProgramType.XDP, insns, "GPL");
    }

    /** Loads until a round's CPU time is spent; the CPU microseconds per load. */
    private static double round(ThreadMXBean mx, Bpf b, ProgramSpec s) {
        long c0 = mx.getCurrentThreadCpuTime();
        long c;
        int n = 0;
        do {
            LoadResult r = b.progLoad(s);
            b.closeFd(r.fd());
            n++;
            c = mx.getCurrentThreadCpuTime();
        } while (c - c0 < ROUND_NS);
        return (c - c0) / 1e3 / n;
    }
}
