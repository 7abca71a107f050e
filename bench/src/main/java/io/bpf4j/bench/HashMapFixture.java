package io.bpf4j.bench;

import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfMap;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One full 1M-entry hash map (u32 keys, u64 values) per trial, created through
 * {@code Bpf.open("linux")} and filled by the C library, shared by the Java loops and the C
 * loops of a benchmark. Keys are native-order u32 so both sides address the same elements.
 *
 * <p>When the Linux backend cannot create the map yet, the C side creates it instead so the C
 * baselines still run; the Java benchmarks then fail with the backend's reason.
 */
@State(Scope.Benchmark)
public class HashMapFixture {
    /** Elements in the map: 2^20. */
    public static final int SIZE = 1 << 20;
    /** Operations per call of a single-element benchmark; divides {@link #SIZE}. */
    public static final int N = 1024;
    /** Elements per BPF_MAP_LOOKUP_BATCH call in the batch dumps. */
    public static final int BATCH = 4096;

    static final VarHandle U32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.nativeOrder());
    static final VarHandle U64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());

    /** The value the C fill stores under {@code key}. */
    static long valueOf(int key) {
        return (key & 0xffffffffL) * 0x9E3779B97F4A7C15L;
    }

    CBaseline c;
    int fd = -1;
    private Bpf bpf;
    private BpfMap map;
    private io.bpf4j.api.typed.TypedMap<Long, Long> typed;
    private RuntimeException javaFailure;

    /** Where the next loop starts: keys cursor, cursor+1, ... wrapping at SIZE. */
    int cursor;

    // Preallocated Java buffers: the zero-allocation hot path.
    final byte[] key = new byte[4];
    final byte[] value = new byte[8];
    byte[] walkKey = new byte[4];
    byte[] walkNext = new byte[4];
    boolean walkValid;
    final byte[] batchKeys = new byte[BATCH * 4];
    final byte[] batchValues = new byte[BATCH * 8];
    final byte[] batchIn = new byte[8];
    final byte[] batchOut = new byte[8];

    // Native buffers for the C side.
    private Arena arena;
    MemorySegment cCursor;
    MemorySegment cKeys;
    MemorySegment cValues;

    @Setup(Level.Trial)
    public void create() {
        c = CBaseline.get();
        try {
            bpf = Bpf.open("linux");
            map = BpfMap.create(bpf, MapSpec.of(MapType.HASH, 4, 8, SIZE).withName("bench_hash"));
            fd = map.fd();
        } catch (RuntimeException | LinkageError e) {
            javaFailure = e instanceof RuntimeException r ? r : new IllegalStateException(e);
            closeJava();
            fd = c.mapCreate(SIZE);
        }
        c.fill(fd, 0, SIZE);
        arena = Arena.ofShared();
        cCursor = arena.allocate(8);
        cKeys = arena.allocate(4L * BATCH, 8);
        cValues = arena.allocate(8L * BATCH, 8);
    }

    @TearDown(Level.Trial)
    public void destroy() {
        if (map == null && fd >= 0) c.close(fd);
        fd = -1;
        closeJava();
        if (arena != null) arena.close();
    }

    private void closeJava() {
        try {
            if (map != null) map.close();
        } finally {
            map = null;
            if (bpf != null) bpf.close();
            bpf = null;
        }
    }

    /** The backend, or the reason the Java side cannot run. */
    Bpf bpf() {
        if (bpf == null) throw javaUnavailable();
        return bpf;
    }

    /** The map handle, or the reason the Java side cannot run. */
    /** The map as {@code u32 -> u64}, through the typed view. */
    io.bpf4j.api.typed.TypedMap<Long, Long> typed() {
        if (typed == null) {
            typed = io.bpf4j.api.typed.TypedMap.of(map(), io.bpf4j.api.typed.Codecs.u32(), io.bpf4j.api.typed.Codecs.u64());
        }
        return typed;
    }

    BpfMap map() {
        if (map == null) throw javaUnavailable();
        return map;
    }

    private IllegalStateException javaUnavailable() {
        return new IllegalStateException("the linux backend cannot create the benchmark map: " + javaFailure, javaFailure);
    }

    /** Moves the cursor past the n keys a loop just used. */
    void advance(int n) {
        cursor = (cursor + n) & (SIZE - 1);
    }

    /** Checks a loop did all its work: C loops return a count or -errno. */
    static void expect(long got, long want, String what) {
        if (got != want) {
            throw new IllegalStateException(what + ": " + (got < 0 ? "errno " + -got : got + " of " + want + " succeeded"));
        }
    }
}
