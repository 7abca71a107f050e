package io.bpf4j.bench;

import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfMap;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The per-call cost of the library itself: lookups of the one element of a one-entry array
 * map, where the kernel's own work is as small as a map command gets, from Java and from C.
 * Each benchmark is a {@link Pair}; the difference of its two sides is what bpf4j adds to every
 * single-element command. On the 1M-entry hash map the same nanoseconds are a smaller share.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class Overhead {
    static final int N = HashMapFixture.N;

    /** A one-entry u32 -> u64 array map. */
    @State(Scope.Benchmark)
    public static class Tiny {
        CBaseline c;
        Bpf bpf;
        BpfMap map;
        int fd;
        final byte[] key = new byte[4];
        final byte[] value = new byte[8];

        @Setup(Level.Trial)
        public void create() {
            c = CBaseline.get();
            bpf = Bpf.open("linux");
            map = BpfMap.create(bpf, MapSpec.of(MapType.ARRAY, 4, 8, 1).withName("bench_tiny"));
            fd = map.fd();
        }

        @TearDown(Level.Trial)
        public void destroy() {
            if (map != null) map.close();
            if (bpf != null) bpf.close();
        }
    }

    static long lookupJava(Tiny t, int unused, int n) {
        Bpf bpf = t.bpf;
        int fd = t.fd;
        long found = 0;
        for (int i = 0; i < n; i++) {
            if (bpf.mapLookupElem(fd, t.key, t.value, 0)) found++;
        }
        return found;
    }

    static long lookupBpfMap(Tiny t, int unused, int n) {
        BpfMap map = t.map;
        long found = 0;
        for (int i = 0; i < n; i++) {
            if (map.lookup(t.key, t.value)) found++;
        }
        return found;
    }

    static long lookupSyscall(Tiny t, int unused, int n) {
        return t.c.rawLookup(t.fd, 0, n, 1);
    }

    static long lookupLibbpf(Tiny t, int unused, int n) {
        return t.c.lbpfLookup(t.fd, 0, n, 1);
    }

    @Benchmark
    @OperationsPerInvocation(2 * N)
    public long lookupJavaVsSyscall(Tiny t, Pair p) {
        return p.run(t, Overhead::lookupJava, 0, Overhead::lookupSyscall, 0, N, "lookup");
    }

    @Benchmark
    @OperationsPerInvocation(2 * N)
    public long lookupJavaVsLibbpf(Tiny t, Pair p) {
        return p.run(t, Overhead::lookupJava, 0, Overhead::lookupLibbpf, 0, N, "lookup");
    }

    @Benchmark
    @OperationsPerInvocation(2 * N)
    public long lookupBpfMapVsSyscall(Tiny t, Pair p) {
        return p.run(t, Overhead::lookupBpfMap, 0, Overhead::lookupSyscall, 0, N, "lookup");
    }
}
