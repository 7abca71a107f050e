package io.bpf4j.bench;

import static io.bpf4j.bench.HashMapFixture.BATCH;
import static io.bpf4j.bench.HashMapFixture.SIZE;
import static io.bpf4j.bench.HashMapFixture.expect;

import io.bpf4j.api.BatchResult;
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
 * Dumping the whole 1M-entry hash map, per element: with one {@code get_next_key} and one
 * {@code lookup} per element ({@code nextKeyLookup*}), and with {@code BPF_MAP_LOOKUP_BATCH}
 * of {@link HashMapFixture#BATCH} elements per call ({@code batch*}); each from Java (raw
 * {@link Bpf}, {@link BpfMap}) and from C (raw syscall, libbpf). The score is nanoseconds per
 * element.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class MapDump {

    // ------------------------------------------------------------ get_next_key + lookup

    @Benchmark
    @OperationsPerInvocation(SIZE)
    public long nextKeyLookupJava(HashMapFixture m) {
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
        expect(count, SIZE, "dump by get_next_key + lookup");
        return count;
    }

    @Benchmark
    @OperationsPerInvocation(SIZE)
    public long nextKeyLookupBpfMap(HashMapFixture m) {
        long count = 0;
        for (Map.Entry<byte[], byte[]> e : m.map().entries()) {
            if (e.getValue() != null) count++;
        }
        expect(count, SIZE, "BpfMap.entries()");
        return count;
    }

    @Benchmark
    @OperationsPerInvocation(SIZE)
    public long nextKeyLookupSyscall(HashMapFixture m) {
        long r = m.c.rawDumpNextKey(m.fd);
        expect(r, SIZE, "raw_dump_next_key");
        return r;
    }

    @Benchmark
    @OperationsPerInvocation(SIZE)
    public long nextKeyLookupLibbpf(HashMapFixture m) {
        long r = m.c.lbpfDumpNextKey(m.fd);
        expect(r, SIZE, "lbpf_dump_next_key");
        return r;
    }

    // ------------------------------------------------------------ BPF_MAP_LOOKUP_BATCH

    @Benchmark
    @OperationsPerInvocation(SIZE)
    public long batchJava(HashMapFixture m) {
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
            if (r.done()) break;
            byte[] t = in == null ? spare : in;
            in = out;
            out = t;
        }
        expect(count, SIZE, "dump by lookup_batch");
        return count;
    }

    @Benchmark
    @OperationsPerInvocation(SIZE)
    public long batchBpfMap(HashMapFixture m) {
        long count = m.map().dumpBatch(BATCH).size();
        expect(count, SIZE, "BpfMap.dumpBatch");
        return count;
    }

    @Benchmark
    @OperationsPerInvocation(SIZE)
    public long batchSyscall(HashMapFixture m) {
        long r = m.c.rawDumpBatch(m.fd, BATCH, m.cKeys, m.cValues);
        expect(r, SIZE, "raw_dump_batch");
        return r;
    }

    @Benchmark
    @OperationsPerInvocation(SIZE)
    public long batchLibbpf(HashMapFixture m) {
        long r = m.c.lbpfDumpBatch(m.fd, BATCH, m.cKeys, m.cValues);
        expect(r, SIZE, "lbpf_dump_batch");
        return r;
    }
}
