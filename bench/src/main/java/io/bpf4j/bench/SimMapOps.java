package io.bpf4j.bench;

import static io.bpf4j.bench.HashMapFixture.N;
import static io.bpf4j.bench.HashMapFixture.SIZE;
import static io.bpf4j.bench.HashMapFixture.U32;
import static io.bpf4j.bench.HashMapFixture.U64;
import static io.bpf4j.bench.HashMapFixture.valueOf;

import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfMap;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.UpdateFlags;
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
 * The simulator's map commands beside the kernel's: the same full 1M-entry {@code u32 -> u64}
 * hash map, once in the simulator (through {@link BpfMap}, as an agent's test reaches it) and
 * once in the kernel (C's raw {@code syscall(__NR_bpf)} loop, {@link HashMapFixture}), on the
 * same consecutive keys. How much faster the simulator is tells how fast agent tests that use
 * maps run on it.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class SimMapOps {

    /** The simulator's copy of the benchmark map, filled as the kernel's is. */
    @State(Scope.Benchmark)
    public static class SimMap {
        Bpf sim;
        BpfMap map;
        final byte[] key = new byte[4];
        final byte[] value = new byte[8];

        @Setup(Level.Trial)
        public void create() {
            sim = Bpf.open("sim");
            map = BpfMap.create(sim, MapSpec.of(MapType.HASH, 4, 8, SIZE).withName("bench_hash"));
            for (int k = 0; k < SIZE; k++) {
                U32.set(key, 0, k);
                U64.set(value, 0, valueOf(k));
                map.update(key, value, UpdateFlags.ANY);
            }
        }

        @TearDown(Level.Trial)
        public void destroy() {
            map.close();
            sim.close();
        }
    }

    /** The simulator's lookups ride on the kernel fixture's cursor so both sides use the same keys. */
    private static long pair(HashMapFixture m, SimMap s, Pair p, boolean update) {
        int a = m.cursor;
        int b = (a + N) & (SIZE - 1);
        long r = p.run(m, update ? (x, k, n) -> MapOps.updateLoop(s.map, s.key, s.value, k, n)
                        : (x, k, n) -> MapOps.lookupLoop(s.map, s.key, s.value, k, n), a,
                update ? (x, k, n) -> x.c.rawUpdate(x.fd, k, n, SIZE) : (x, k, n) -> x.c.rawLookup(x.fd, k, n, SIZE), b, N,
                update ? "sim update" : "sim lookup");
        m.advance(2 * N);
        return r;
    }

    @Benchmark
    @OperationsPerInvocation(2 * N)
    public long lookupSimVsSyscall(HashMapFixture m, SimMap s, Pair p) {
        return pair(m, s, p, false);
    }

    @Benchmark
    @OperationsPerInvocation(2 * N)
    public long updateSimVsSyscall(HashMapFixture m, SimMap s, Pair p) {
        return pair(m, s, p, true);
    }
}
