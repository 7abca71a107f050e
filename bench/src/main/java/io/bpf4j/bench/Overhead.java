package io.bpf4j.bench;

import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfMap;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
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
 *
 * <p>{@code lookupFfmVsSyscall} is the floor for any Java binding: the same raw syscall loop as
 * the C one, written in Java with one FFM downcall per lookup that captures errno (as bpf4j's
 * does) and the same 32-byte attribute; what it costs over C is the JVM's, not bpf4j's.
 */
@SuppressWarnings("restricted")
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class Overhead {
    static final int N = HashMapFixture.N;

    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final long NR_BPF = switch (System.getProperty("os.arch")) {
        case "amd64", "x86_64" -> 321;
        case "aarch64" -> 280;
        default -> -1;
    };
    private static final int BPF_MAP_LOOKUP_ELEM = 1;
    private static final int ENOENT = 2;
    /** {@code long syscall(long nr, long cmd, void *attr, long size)}, errno captured. */
    private static final MethodHandle SYSCALL = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("syscall").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                    ValueLayout.ADDRESS, ValueLayout.JAVA_LONG),
            Linker.Option.firstVariadicArg(1), Linker.Option.captureCallState("errno"));

    /** A one-entry u32 -> u64 array map. */
    @State(Scope.Benchmark)
    public static class Tiny {
        CBaseline c;
        Bpf bpf;
        BpfMap map;
        int fd;
        final byte[] key = new byte[4];
        final byte[] value = new byte[8];
        /** The FFM floor's native attribute (32 bytes), key, value and errno capture. */
        MemorySegment attr;
        MemorySegment nKey;
        MemorySegment nValue;
        MemorySegment capture;

        @Setup(Level.Trial)
        public void create() {
            if (NR_BPF < 0) throw new IllegalStateException("unknown architecture " + System.getProperty("os.arch"));
            Arena arena = Arena.ofAuto();
            attr = arena.allocate(32, 8);
            nKey = arena.allocate(8, 8);
            nValue = arena.allocate(8, 8);
            capture = arena.allocate(CAPTURE);
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

    static long lookupFfm(Tiny t, int unused, int n) {
        MemorySegment attr = t.attr;
        MemorySegment cs = t.capture;
        long found = 0;
        try {
            for (int i = 0; i < n; i++) {
                attr.fill((byte) 0);
                attr.set(ValueLayout.JAVA_INT, 0, t.fd);
                attr.set(ValueLayout.JAVA_LONG, 8, t.nKey.address());
                attr.set(ValueLayout.JAVA_LONG, 16, t.nValue.address());
                long r = (long) SYSCALL.invokeExact(cs, NR_BPF, (long) BPF_MAP_LOOKUP_ELEM, attr, 32L);
                if (r == 0) found++;
                else if ((int) ERRNO.get(cs, 0L) != ENOENT) return -(int) ERRNO.get(cs, 0L);
            }
        } catch (Throwable e) {
            throw new IllegalStateException(e);
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
    public long lookupFfmVsSyscall(Tiny t, Pair p) {
        return p.run(t, Overhead::lookupFfm, 0, Overhead::lookupSyscall, 0, N, "lookup");
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
