package io.bpf4j.bench;

import static io.bpf4j.bench.HashMapFixture.N;
import static io.bpf4j.bench.HashMapFixture.SIZE;
import static io.bpf4j.bench.HashMapFixture.U32;
import static io.bpf4j.bench.HashMapFixture.U64;
import static io.bpf4j.bench.HashMapFixture.expect;
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
 * Single-element map commands on a full 1M-entry hash map, each done four ways: the raw
 * {@link Bpf} methods with preallocated buffers ({@code *Java}), the {@link BpfMap} handle
 * ({@code *BpfMap}), a C loop of raw {@code syscall(__NR_bpf)} ({@code *Syscall}) and a C
 * loop of libbpf calls ({@code *Libbpf}). Every invocation does {@link HashMapFixture#N}
 * operations on consecutive keys, so the score is nanoseconds per operation.
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
            if (deletedFrom >= 0) m.c.fill(m.fd, deletedFrom, N);
            deletedFrom = m.cursor;
        }
    }

    // ------------------------------------------------------------ lookup

    @Benchmark
    @OperationsPerInvocation(N)
    public int lookupJava(HashMapFixture m) {
        Bpf bpf = m.bpf();
        int fd = m.fd;
        byte[] key = m.key;
        byte[] value = m.value;
        int k = m.cursor;
        int found = 0;
        for (int i = 0; i < N; i++) {
            U32.set(key, 0, k);
            if (bpf.mapLookupElem(fd, key, value, 0)) found++;
            k = (k + 1) & (SIZE - 1);
        }
        expect(found, N, "lookup");
        m.advance(N);
        return found;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public int lookupBpfMap(HashMapFixture m) {
        BpfMap map = m.map();
        byte[] key = m.key;
        byte[] value = m.value;
        int k = m.cursor;
        int found = 0;
        for (int i = 0; i < N; i++) {
            U32.set(key, 0, k);
            if (map.lookup(key, value)) found++;
            k = (k + 1) & (SIZE - 1);
        }
        expect(found, N, "lookup");
        m.advance(N);
        return found;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public long lookupSyscall(HashMapFixture m) {
        long r = m.c.rawLookup(m.fd, m.cursor, N, SIZE);
        expect(r, N, "raw_lookup");
        m.advance(N);
        return r;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public long lookupLibbpf(HashMapFixture m) {
        long r = m.c.lbpfLookup(m.fd, m.cursor, N, SIZE);
        expect(r, N, "lbpf_lookup");
        m.advance(N);
        return r;
    }

    // ------------------------------------------------------------ update (replacing existing keys)

    @Benchmark
    @OperationsPerInvocation(N)
    public int updateJava(HashMapFixture m) {
        Bpf bpf = m.bpf();
        int fd = m.fd;
        byte[] key = m.key;
        byte[] value = m.value;
        int k = m.cursor;
        for (int i = 0; i < N; i++) {
            U32.set(key, 0, k);
            U64.set(value, 0, valueOf(k));
            bpf.mapUpdateElem(fd, key, value, UpdateFlags.ANY);
            k = (k + 1) & (SIZE - 1);
        }
        m.advance(N);
        return k;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public int updateBpfMap(HashMapFixture m) {
        BpfMap map = m.map();
        byte[] key = m.key;
        byte[] value = m.value;
        int k = m.cursor;
        for (int i = 0; i < N; i++) {
            U32.set(key, 0, k);
            U64.set(value, 0, valueOf(k));
            map.put(key, value);
            k = (k + 1) & (SIZE - 1);
        }
        m.advance(N);
        return k;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public long updateSyscall(HashMapFixture m) {
        long r = m.c.rawUpdate(m.fd, m.cursor, N, SIZE);
        expect(r, N, "raw_update");
        m.advance(N);
        return r;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public long updateLibbpf(HashMapFixture m) {
        long r = m.c.lbpfUpdate(m.fd, m.cursor, N, SIZE);
        expect(r, N, "lbpf_update");
        m.advance(N);
        return r;
    }

    // ------------------------------------------------------------ delete (of present keys)

    @Benchmark
    @OperationsPerInvocation(N)
    public int deleteJava(HashMapFixture m, Refill refill) {
        Bpf bpf = m.bpf();
        int fd = m.fd;
        byte[] key = m.key;
        int k = m.cursor;
        int deleted = 0;
        for (int i = 0; i < N; i++) {
            U32.set(key, 0, k);
            if (bpf.mapDeleteElem(fd, key)) deleted++;
            k = (k + 1) & (SIZE - 1);
        }
        expect(deleted, N, "delete");
        m.advance(N);
        return deleted;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public int deleteBpfMap(HashMapFixture m, Refill refill) {
        BpfMap map = m.map();
        byte[] key = m.key;
        int k = m.cursor;
        int deleted = 0;
        for (int i = 0; i < N; i++) {
            U32.set(key, 0, k);
            if (map.delete(key)) deleted++;
            k = (k + 1) & (SIZE - 1);
        }
        expect(deleted, N, "delete");
        m.advance(N);
        return deleted;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public long deleteSyscall(HashMapFixture m, Refill refill) {
        long r = m.c.rawDelete(m.fd, m.cursor, N, SIZE);
        expect(r, N, "raw_delete");
        m.advance(N);
        return r;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public long deleteLibbpf(HashMapFixture m, Refill refill) {
        long r = m.c.lbpfDelete(m.fd, m.cursor, N, SIZE);
        expect(r, N, "lbpf_delete");
        m.advance(N);
        return r;
    }

    // ------------------------------------------------------------ get_next_key walk

    @Benchmark
    @OperationsPerInvocation(N)
    public boolean nextKeyJava(HashMapFixture m) {
        Bpf bpf = m.bpf();
        int fd = m.fd;
        byte[] cur = m.walkKey;
        byte[] next = m.walkNext;
        boolean valid = m.walkValid;
        for (int i = 0; i < N; i++) {
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
        return valid;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public boolean nextKeyBpfMap(HashMapFixture m) {
        BpfMap map = m.map();
        byte[] cur = m.walkKey;
        byte[] next = m.walkNext;
        boolean valid = m.walkValid;
        for (int i = 0; i < N; i++) {
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
        return valid;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public long nextKeySyscall(HashMapFixture m) {
        long r = m.c.rawNextKey(m.fd, m.cCursor, N);
        expect(r, N, "raw_next_key");
        return r;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public long nextKeyLibbpf(HashMapFixture m) {
        long r = m.c.lbpfNextKey(m.fd, m.cCursor, N);
        expect(r, N, "lbpf_next_key");
        return r;
    }
}
