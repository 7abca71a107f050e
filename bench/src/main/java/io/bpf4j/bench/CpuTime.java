package io.bpf4j.bench;

import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfMap;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The per-call and batch-dump comparisons of {@link Overhead} and {@link MapDump}, timed in CPU
 * time instead of wall time, for a machine too busy for JMH's pairs (with a dozen processes on
 * two cores the syscall itself took 1-10 us of wall time and the pairs' ratios ranged over 2x).
 * A thread's CPU time does not count the time it waited for a core.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -Dbpf4j.bench.native=target/native/libbpf4jbench.so \
 *      -cp 'target/bpf4j-bench.jar:target/lib/*' io.bpf4j.bench.CpuTime call|dump [rounds]
 * </pre>
 *
 * {@code call}: rounds of 20,000 lookups in a 1-entry array map through {@code BpfMap}, a bare
 * FFM syscall loop and the C syscall loop, interleaved; the benchmark thread's CPU time per
 * lookup, median over the rounds. {@code dump}: a 1M-entry hash map dumped by
 * {@code dumpBatch(4096)} with every key and value read from the list, by the visitor form, and
 * by C's batch loop; the process's CPU time per element (the collector's threads included, at
 * about 10 ms granularity), median over the rounds.
 */
@SuppressWarnings("restricted")
public final class CpuTime {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final long NR_BPF = "aarch64".equals(System.getProperty("os.arch")) ? 280 : 321;
    private static final MethodHandle SYSCALL = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("syscall").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                    ValueLayout.ADDRESS, ValueLayout.JAVA_LONG),
            Linker.Option.firstVariadicArg(1), Linker.Option.captureCallState("errno"));

    private CpuTime() {
    }

    /**
     * Runs one comparison.
     *
     * @param args {@code call} or {@code dump}, then optionally the number of rounds
     * @throws Throwable when a side fails
     */
    public static void main(String[] args) throws Throwable {
        String what = args.length > 0 ? args[0] : "call";
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        try (Bpf bpf = Bpf.open("linux")) {
            if (what.equals("dump")) dump(bpf, rounds);
            else call(bpf, rounds);
        }
    }

    private static void call(Bpf bpf, int rounds) throws Throwable {
        int n = 20_000;
        CBaseline c = CBaseline.get();
        try (BpfMap map = BpfMap.create(bpf, MapSpec.of(MapType.ARRAY, 4, 8, 1).withName("cpu_tiny"))) {
            int fd = map.fd();
            byte[] key = new byte[4];
            byte[] value = new byte[8];
            Arena arena = Arena.ofAuto();
            MemorySegment attr = arena.allocate(32, 8);
            MemorySegment nKey = arena.allocate(8, 8);
            MemorySegment nValue = arena.allocate(8, 8);
            MemorySegment cs = arena.allocate(Linker.Option.captureStateLayout());
            double[][] ns = new double[3][rounds];
            for (int round = -10; round < rounds; round++) {
                long t0 = THREADS.getCurrentThreadCpuTime();
                for (int i = 0; i < n; i++) if (!map.lookup(key, value)) throw new IllegalStateException("BpfMap lookup");
                long t1 = THREADS.getCurrentThreadCpuTime();
                for (int i = 0; i < n; i++) {
                    attr.fill((byte) 0);
                    attr.set(ValueLayout.JAVA_INT, 0, fd);
                    attr.set(ValueLayout.JAVA_LONG, 8, nKey.address());
                    attr.set(ValueLayout.JAVA_LONG, 16, nValue.address());
                    if ((long) SYSCALL.invokeExact(cs, NR_BPF, 1L, attr, 32L) != 0) throw new IllegalStateException("FFM lookup");
                }
                long t2 = THREADS.getCurrentThreadCpuTime();
                long done = c.rawLookup(fd, 0, n, 1);
                long t3 = THREADS.getCurrentThreadCpuTime();
                if (done != n) throw new IllegalStateException("C lookup: " + done);
                if (round >= 0) {
                    ns[0][round] = (t1 - t0) / (double) n;
                    ns[1][round] = (t2 - t1) / (double) n;
                    ns[2][round] = (t3 - t2) / (double) n;
                }
            }
            double m = median(ns[0]);
            double f = median(ns[1]);
            double k = median(ns[2]);
            System.out.printf(Locale.ROOT, "call.lookup cpu ns: BpfMap %.1f  bare-FFM %.1f  C %.1f | BpfMap adds %.1f, bare FFM adds %.1f,"
                    + " BpfMap over bare FFM %.1f (target <= 25)%n", m, f, k, m - k, f - k, m - f);
        }
    }

    private static void dump(Bpf bpf, int rounds) throws Throwable {
        int size = 1 << 20;
        int batch = 4096;
        CBaseline c = CBaseline.get();
        try (BpfMap map = BpfMap.create(bpf, MapSpec.of(MapType.HASH, 4, 8, size))) {
            byte[] keys = new byte[batch * 4];
            byte[] values = new byte[batch * 8];
            for (int base = 0; base < size; base += batch) {
                for (int i = 0; i < batch; i++) {
                    int k = base + i;
                    keys[i * 4] = (byte) k;
                    keys[i * 4 + 1] = (byte) (k >> 8);
                    keys[i * 4 + 2] = (byte) (k >> 16);
                    values[i * 8] = (byte) k;
                }
                map.updateBatch(keys, values, batch, 0);
            }
            MemorySegment cKeys = Arena.ofAuto().allocate(4L * batch, 8);
            MemorySegment cValues = Arena.ofAuto().allocate(8L * batch, 8);
            double[][] ns = new double[3][rounds];
            for (int round = -3; round < rounds; round++) {
                long t0 = OS.getProcessCpuTime();
                List<Map.Entry<byte[], byte[]>> list = map.dumpBatch(batch);
                long read = 0;
                for (Map.Entry<byte[], byte[]> e : list) if (e.getKey().length == 4 && e.getValue().length == 8) read++;
                long t1 = OS.getProcessCpuTime();
                long visited = map.dumpBatch(batch, (k, ka, v, va) -> true);
                long t2 = OS.getProcessCpuTime();
                long cDone = c.rawDumpBatch(map.fd(), batch, cKeys, cValues);
                long t3 = OS.getProcessCpuTime();
                if (read != size || visited != size || cDone != size) {
                    throw new IllegalStateException("dumped " + read + ", " + visited + ", " + cDone + " of " + size);
                }
                if (round >= 0) {
                    ns[0][round] = (t1 - t0) / (double) size;
                    ns[1][round] = (t2 - t1) / (double) size;
                    ns[2][round] = (t3 - t2) / (double) size;
                }
            }
            double l = median(ns[0]);
            double v = median(ns[1]);
            double k = median(ns[2]);
            System.out.printf(Locale.ROOT, "dump.batch cpu ns/elem: list %.1f  visitor %.1f  C %.1f | list/C %.2f, visitor/C %.2f"
                    + " (target <= 1.15)%n", l, v, k, l / k, v / k);
        }
    }

    private static double median(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
