package io.bpf4j.bench;

import static io.bpf4j.bench.HashMapFixture.N;
import static io.bpf4j.bench.HashMapFixture.SIZE;
import static io.bpf4j.bench.HashMapFixture.U32;
import static io.bpf4j.bench.HashMapFixture.U64;
import static io.bpf4j.bench.HashMapFixture.valueOf;

import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfMap;
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

/**
 * Single-element map commands on a full 1M-entry hash map. Each benchmark is a {@link Pair}:
 * {@link HashMapFixture#N} operations from Java — the raw {@link Bpf} methods with
 * preallocated buffers ({@code Java*}) or the {@link BpfMap} handle ({@code BpfMap*}) — and
 * {@code N} from C — a loop of raw {@code syscall(__NR_bpf)} ({@code *Syscall}) or of libbpf
 * calls ({@code *Libbpf}) — on consecutive keys of the same map. The result is in the
 * secondary counters: {@code javaNs / javaOps} and {@code cNs / cOps} nanoseconds per
 * operation. (The primary score is the mean of both sides.)
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class MapOps {

    /** Puts back, unmeasured, the keys the previous invocation of a delete benchmark removed. */
    @State(Scope.Benchmark)
    public static class Refill {
        int deletedFrom = -1;

        @Setup(Level.Invocation)
        public void refill(HashMapFixture m) {
            if (deletedFrom >= 0) m.c.fill(m.fd, deletedFrom, 2 * N);
            deletedFrom = m.cursor;
        }
    }

    private static long pair(HashMapFixture m, Pair p, Pair.Loop<HashMapFixture> java,
            Pair.Loop<HashMapFixture> c, String what) {
        int a = m.cursor;
        int b = (a + N) & (SIZE - 1);
        long r = p.run(m, java, a, c, b, N, what);
        m.advance(2 * N);
        return r;
    }

    // ------------------------------------------------------------ lookup

    static long lookupJava(HashMapFixture m, int k, int n) {
        Bpf bpf = m.bpf();
        int fd = m.fd;
        byte[] key = m.key;
        byte[] value = m.value;
        long found = 0;
        for (int i = 0; i < n; i++) {
            U32.set(key, 0, k);
            if (bpf.mapLookupElem(fd, key, value, 0)) found++;
            k = (k + 1) & (SIZE - 1);
        }
        return found;
    }

    static long lookupBpfMap(HashMapFixture m, int k, int n) {
        return lookupLoop(m.map(), m.key, m.value, k, n);
    }

    /** {@code n} lookups through a {@link BpfMap} from key {@code k}: the kernel's map here, the simulator's in {@link SimMapOps}. */
    static long lookupLoop(BpfMap map, byte[] key, byte[] value, int k, int n) {
        long found = 0;
        for (int i = 0; i < n; i++) {
            U32.set(key, 0, k);
            if (map.lookup(key, value)) found++;
            k = (k + 1) & (SIZE - 1);
        }
        return found;
    }

    /** The typed view: the key boxed, the value decoded into a {@code Long}, as a user's code has them. */
    static long lookupTyped(HashMapFixture m, int k, int n) {
        io.bpf4j.api.typed.TypedMap<Long, Long> map = m.typed();
        long found = 0;
        for (int i = 0; i < n; i++) {
            Long v = map.get(k & 0xffffffffL);
            if (v != null) found++;
            k = (k + 1) & (SIZE - 1);
        }
        return found;
    }

    static long lookupSyscall(HashMapFixture m, int k, int n) {
        return m.c.rawLookup(m.fd, k, n, SIZE);
    }

    static long lookupLibbpf(HashMapFixture m, int k, int n) {
        return m.c.lbpfLookup(m.fd, k, n, SIZE);
    }

    @Benchmark
    @OperationsPerInvocation(2 * N)
    public long lookupJavaVsSyscall(HashMapFixture m, Pair p) {
        return pair(m, p, MapOps::lookupJava, MapOps::lookupSyscall, "lookup");
    }

    @Benchmark
    @OperationsPerInvocation(2 * N)
    public long lookupJavaVsLibbpf(HashMapFixture m, Pair p) {
        return pair(m, p, MapOps::lookupJava, MapOps::lookupLibbpf, "lookup");
    }

    @Benchmark
    @OperationsPerInvocation(2 * N)
    public long lookupBpfMapVsSyscall(HashMapFixture m, Pair p) {
        return pair(m, p, MapOps::lookupBpfMap, MapOps::lookupSyscall, "lookup");
    }

    /** Typed {@code u32 -> u64} lookups beside {@code byte[]} ones through the same handle. */
    @Benchmark
    @OperationsPerInvocation(2 * N)
    public long lookupTypedVsBpfMap(HashMapFixture m, Pair p) {
        return pair(m, p, MapOps::lookupTyped, MapOps::lookupBpfMap, "lookup");
    }

    // ------------------------------------------------------------ update (replacing present keys)

    static long updateJava(HashMapFixture m, int k, int n) {
        Bpf bpf = m.bpf();
        int fd = m.fd;
        byte[] key = m.key;
        byte[] value = m.value;
        for (int i = 0; i < n; i++) {
            U32.set(key, 0, k);
            U64.set(value, 0, valueOf(k));
            bpf.mapUpdateElem(fd, key, value, UpdateFlags.ANY);
            k = (k + 1) & (SIZE - 1);
        }
        return n;
    }

    static long updateBpfMap(HashMapFixture m, int k, int n) {
        return updateLoop(m.map(), m.key, m.value, k, n);
    }

    /** {@code n} updates of present keys through a {@link BpfMap} from key {@code k}, as {@link #lookupLoop}. */
    static long updateLoop(BpfMap map, byte[] key, byte[] value, int k, int n) {
        for (int i = 0; i < n; i++) {
            U32.set(key, 0, k);
            U64.set(value, 0, valueOf(k));
            map.put(key, value);
            k = (k + 1) & (SIZE - 1);
        }
        return n;
    }

    static long updateSyscall(HashMapFixture m, int k, int n) {
        return m.c.rawUpdate(m.fd, k, n, SIZE);
    }

    static long updateLibbpf(HashMapFixture m, int k, int n) {
        return m.c.lbpfUpdate(m.fd, k, n, SIZE);
    }

    @Benchmark
    @OperationsPerInvocation(2 * N)
    public long updateJavaVsSyscall(HashMapFixture m, Pair p) {
        return pair(m, p, MapOps::updateJava, MapOps::updateSyscall, "update");
    }

    @Benchmark
    @OperationsPerInvocation(2 * N)
    public long updateJavaVsLibbpf(HashMapFixture m, Pair p) {
        return pair(m, p, MapOps::updateJava, MapOps::updateLibbpf, "update");
    }

    @Benchmark
    @OperationsPerInvocation(2 * N)
    public long updateBpfMapVsSyscall(HashMapFixture m, Pair p) {
        return pair(m, p, MapOps::updateBpfMap, MapOps::updateSyscall, "update");
    }

    // ------------------------------------------------------------ delete (of present keys)

    static long deleteJava(HashMapFixture m, int k, int n) {
        Bpf bpf = m.bpf();
        int fd = m.fd;
        byte[] key = m.key;
        long deleted = 0;
        for (int i = 0; i < n; i++) {
            U32.set(key, 0, k);
            if (bpf.mapDeleteElem(fd, key)) deleted++;
            k = (k + 1) & (SIZE - 1);
        }
        return deleted;
    }

    static long deleteBpfMap(HashMapFixture m, int k, int n) {
        BpfMap map = m.map();
        byte[] key = m.key;
        long deleted = 0;
        for (int i = 0; i < n; i++) {
            U32.set(key, 0, k);
            if (map.delete(key)) deleted++;
            k = (k + 1) & (SIZE - 1);
        }
        return deleted;
    }

    static long deleteSyscall(HashMapFixture m, int k, int n) {
        return m.c.rawDelete(m.fd, k, n, SIZE);
    }

    static long deleteLibbpf(HashMapFixture m, int k, int n) {
        return m.c.lbpfDelete(m.fd, k, n, SIZE);
    }

    @Benchmark
    @OperationsPerInvocation(2 * N)
    public long deleteJavaVsSyscall(HashMapFixture m, Refill refill, Pair p) {
        return pair(m, p, MapOps::deleteJava, MapOps::deleteSyscall, "delete");
    }

    @Benchmark
    @OperationsPerInvocation(2 * N)
    public long deleteJavaVsLibbpf(HashMapFixture m, Refill refill, Pair p) {
        return pair(m, p, MapOps::deleteJava, MapOps::deleteLibbpf, "delete");
    }

    @Benchmark
    @OperationsPerInvocation(2 * N)
    public long deleteBpfMapVsSyscall(HashMapFixture m, Refill refill, Pair p) {
        return pair(m, p, MapOps::deleteBpfMap, MapOps::deleteSyscall, "delete");
    }

    // ------------------------------------------------------------ get_next_key walk (each side its own)

    static long nextKeyJava(HashMapFixture m, int unused, int n) {
        Bpf bpf = m.bpf();
        int fd = m.fd;
        byte[] cur = m.walkKey;
        byte[] next = m.walkNext;
        boolean valid = m.walkValid;
        for (int i = 0; i < n; i++) {
            if (bpf.mapGetNextKey(fd, valid ? cur : null, next)) {
                byte[] t = cur;
                cur = next;
                next = t;
                valid = true;
            } else {
                valid = false; // the end: start again
            }
        }
        m.walkKey = cur;
        m.walkNext = next;
        m.walkValid = valid;
        return n;
    }

    static long nextKeyBpfMap(HashMapFixture m, int unused, int n) {
        BpfMap map = m.map();
        byte[] cur = m.walkKey;
        byte[] next = m.walkNext;
        boolean valid = m.walkValid;
        for (int i = 0; i < n; i++) {
            if (map.nextKey(valid ? cur : null, next)) {
                byte[] t = cur;
                cur = next;
                next = t;
                valid = true;
            } else {
                valid = false;
            }
        }
        m.walkKey = cur;
        m.walkNext = next;
        m.walkValid = valid;
        return n;
    }

    static long nextKeySyscall(HashMapFixture m, int unused, int n) {
        return m.c.rawNextKey(m.fd, m.cCursor, n);
    }

    static long nextKeyLibbpf(HashMapFixture m, int unused, int n) {
        return m.c.lbpfNextKey(m.fd, m.cCursor, n);
    }

    @Benchmark
    @OperationsPerInvocation(2 * N)
    public long nextKeyJavaVsSyscall(HashMapFixture m, Pair p) {
        return pair(m, p, MapOps::nextKeyJava, MapOps::nextKeySyscall, "get_next_key");
    }

    @Benchmark
    @OperationsPerInvocation(2 * N)
    public long nextKeyJavaVsLibbpf(HashMapFixture m, Pair p) {
        return pair(m, p, MapOps::nextKeyJava, MapOps::nextKeyLibbpf, "get_next_key");
    }

    @Benchmark
    @OperationsPerInvocation(2 * N)
    public long nextKeyBpfMapVsSyscall(HashMapFixture m, Pair p) {
        return pair(m, p, MapOps::nextKeyBpfMap, MapOps::nextKeySyscall, "get_next_key");
    }
}
