package io.bpf4j.bench;

import static io.bpf4j.bench.HashMapFixture.BATCH;
import static io.bpf4j.bench.HashMapFixture.SIZE;

import io.bpf4j.api.BatchResult;
import io.bpf4j.api.BatchVisitor;
import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/**
 * Dumping the whole 1M-entry hash map: with one {@code get_next_key} and one {@code lookup}
 * per element ({@code nextKeyLookup*}), and with {@code BPF_MAP_LOOKUP_BATCH} of
 * {@link HashMapFixture#BATCH} elements per call ({@code batch*}). Each benchmark is a
 * {@link Pair} of a Java dump (raw {@link Bpf} or {@link BpfMap}) and a C dump (raw syscall
 * or libbpf) of the same map; {@code javaNs / javaOps} and {@code cNs / cOps} are
 * nanoseconds per element.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class MapDump {

    // ------------------------------------------------------------ get_next_key + lookup

    static long nextKeyLookupJava(HashMapFixture m, int unused, int n) {
        Bpf bpf = m.bpf();
        int fd = m.fd;
        byte[] a = m.walkKey;
        byte[] b = m.walkNext;
        byte[] value = m.value;
        byte[] prev = null;
        byte[] next = a;
        long count = 0;
        while (bpf.mapGetNextKey(fd, prev, next)) {
            if (bpf.mapLookupElem(fd, next, value, 0)) count++;
            prev = next;
            next = next == a ? b : a;
        }
        return count;
    }

    static long nextKeyLookupBpfMap(HashMapFixture m, int unused, int n) {
        long count = 0;
        for (Map.Entry<byte[], byte[]> e : m.map().entries()) {
            if (e.getValue() != null) count++;
        }
        return count;
    }

    static long nextKeyLookupSyscall(HashMapFixture m, int unused, int n) {
        return m.c.rawDumpNextKey(m.fd);
    }

    static long nextKeyLookupLibbpf(HashMapFixture m, int unused, int n) {
        return m.c.lbpfDumpNextKey(m.fd);
    }

    @Benchmark
    @OperationsPerInvocation(2 * SIZE)
    public long nextKeyLookupJavaVsSyscall(HashMapFixture m, Pair p) {
        return p.run(m, MapDump::nextKeyLookupJava, 0, MapDump::nextKeyLookupSyscall, 0, SIZE, "dump by get_next_key");
    }

    @Benchmark
    @OperationsPerInvocation(2 * SIZE)
    public long nextKeyLookupJavaVsLibbpf(HashMapFixture m, Pair p) {
        return p.run(m, MapDump::nextKeyLookupJava, 0, MapDump::nextKeyLookupLibbpf, 0, SIZE, "dump by get_next_key");
    }

    @Benchmark
    @OperationsPerInvocation(2 * SIZE)
    public long nextKeyLookupBpfMapVsSyscall(HashMapFixture m, Pair p) {
        return p.run(m, MapDump::nextKeyLookupBpfMap, 0, MapDump::nextKeyLookupSyscall, 0, SIZE,
                "dump by BpfMap.entries()");
    }

    // ------------------------------------------------------------ BPF_MAP_LOOKUP_BATCH

    static long batchJava(HashMapFixture m, int unused, int n) {
        Bpf bpf = m.bpf();
        int fd = m.fd;
        byte[] keys = m.batchKeys;
        byte[] values = m.batchValues;
        byte[] in = null;
        byte[] out = m.batchOut;
        byte[] spare = m.batchIn;
        long count = 0;
        for (;;) {
            BatchResult r = bpf.mapLookupBatch(fd, in, out, keys, values, BATCH, 0, 0);
            count += r.count();
            if (r.done()) return count;
            byte[] t = in == null ? spare : in;
            in = out;
            out = t;
        }
    }

    /**
     * Builds the list and reads every key and value from it once: the list makes its entries as
     * it is read, so counting its size alone would leave out what a caller of the list pays.
     */
    static long batchBpfMap(HashMapFixture m, int unused, int n) {
        long read = 0;
        for (java.util.Map.Entry<byte[], byte[]> e : m.map().dumpBatch(BATCH)) {
            if (e.getKey().length == 4 && e.getValue().length == 8) read++;
        }
        return read;
    }

    /** Visits every element in place: what a dump that only reads the elements costs. */
    private static final BatchVisitor VISIT_ALL = (keys, keyAt, values, valueAt) -> true;

    static long batchBpfMapVisitor(HashMapFixture m, int unused, int n) {
        return m.map().dumpBatch(BATCH, VISIT_ALL);
    }

    static long batchSyscall(HashMapFixture m, int unused, int n) {
        return m.c.rawDumpBatch(m.fd, BATCH, m.cKeys, m.cValues);
    }

    static long batchLibbpf(HashMapFixture m, int unused, int n) {
        return m.c.lbpfDumpBatch(m.fd, BATCH, m.cKeys, m.cValues);
    }

    @Benchmark
    @OperationsPerInvocation(2 * SIZE)
    public long batchJavaVsSyscall(HashMapFixture m, Pair p) {
        return p.run(m, MapDump::batchJava, 0, MapDump::batchSyscall, 0, SIZE, "dump by lookup_batch");
    }

    @Benchmark
    @OperationsPerInvocation(2 * SIZE)
    public long batchJavaVsLibbpf(HashMapFixture m, Pair p) {
        return p.run(m, MapDump::batchJava, 0, MapDump::batchLibbpf, 0, SIZE, "dump by lookup_batch");
    }

    @Benchmark
    @OperationsPerInvocation(2 * SIZE)
    public long batchBpfMapVsSyscall(HashMapFixture m, Pair p) {
        return p.run(m, MapDump::batchBpfMap, 0, MapDump::batchSyscall, 0, SIZE, "dump by BpfMap.dumpBatch");
    }

    @Benchmark
    @OperationsPerInvocation(2 * SIZE)
    public long batchVisitorBpfMapVsSyscall(HashMapFixture m, Pair p) {
        return p.run(m, MapDump::batchBpfMapVisitor, 0, MapDump::batchSyscall, 0, SIZE, "dump by BpfMap.dumpBatch(visitor)");
    }
}
