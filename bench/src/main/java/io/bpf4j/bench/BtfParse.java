package io.bpf4j.bench;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.bpf4j.api.btf.Btf;
import io.bpf4j.api.btf.BtfKind;
import io.bpf4j.api.btf.BtfType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Parsing this kernel's vmlinux BTF ({@code /sys/kernel/btf/vmlinux}, read from the file each
 * time) and finding one type by name and kind: {@link Btf#read(Path)} and {@link Btf#find}
 * beside libbpf's {@code btf__parse} and {@code btf__find_by_name_kind}, as {@link Pair}s.
 * {@code task_struct} is near the start of vmlinux (both sides' first lookup is a scan, so it
 * is found at once); the last function in it is the worst case for a scan. {@link #memory}
 * reports, as counters, the bytes a parsed BTF keeps on each side and the file's size.
 */
@SuppressWarnings("restricted")
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class BtfParse {
    /** Parses per side per invocation: each takes milliseconds, so a few suffice. */
    static final int N = 4;
    static final Path VMLINUX = Path.of("/sys/kernel/btf/vmlinux");

    /** The file, the names looked up and their ids, and libbpf bound through FFM. */
    @State(Scope.Benchmark)
    public static class Vmlinux {
        MethodHandle parseFind;
        MethodHandle retained;
        MemorySegment path;
        String early = "task_struct";
        int earlyId;
        MemorySegment earlyC;
        String late;
        int lateId;
        MemorySegment lateC;
        int lastId;
        long rawSize;

        @Setup(Level.Trial)
        public void open() throws IOException {
            Btf btf = Btf.read(VMLINUX);
            rawSize = btf.rawSize();
            lastId = btf.typeCount() - 1;
            earlyId = btf.find(early, BtfKind.STRUCT).orElseThrow().id();
            for (int id = lastId; id > 0 && late == null; id--) {
                if (btf.kind(id) == BtfKind.FUNC && btf.ids(btf.name(id)).length == 1) {
                    late = btf.name(id);
                    lateId = id;
                }
            }
            Path lib = CBaseline.get().path;
            Linker linker = Linker.nativeLinker();
            SymbolLookup l = SymbolLookup.libraryLookup(lib, Arena.global());
            parseFind = linker.downcallHandle(l.find("btf_parse_find").orElseThrow(),
                    FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT));
            retained = linker.downcallHandle(l.find("btf_retained").orElseThrow(), FunctionDescriptor.of(JAVA_LONG, ADDRESS));
            Arena a = Arena.global();
            path = a.allocateFrom(VMLINUX.toString());
            earlyC = a.allocateFrom(early);
            lateC = a.allocateFrom(late);
        }

        long c(MemorySegment name, BtfKind kind, int expect, int n) {
            try {
                return (long) parseFind.invokeExact(path, name, kind.number(), expect, n);
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }

        static long java(String name, BtfKind kind, int expect, int n) {
            for (int i = 0; i < n; i++) {
                Btf btf;
                try {
                    btf = Btf.read(VMLINUX);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                int id = name == null ? btf.typeCount() - 1 : btf.find(name, kind).map(BtfType::id).orElse(-1);
                if (id != expect) return -1;
            }
            return n;
        }
    }

    @Benchmark
    public long parseFindJavaVsLibbpf(Vmlinux v, Pair p) {
        return p.run(v, (s, start, n) -> Vmlinux.java(s.early, BtfKind.STRUCT, s.earlyId, n), 0,
                (s, start, n) -> s.c(s.earlyC, BtfKind.STRUCT, s.earlyId, n), 0, N, "btf parse+find " + v.early);
    }

    @Benchmark
    public long parseFindLateJavaVsLibbpf(Vmlinux v, Pair p) {
        return p.run(v, (s, start, n) -> Vmlinux.java(s.late, BtfKind.FUNC, s.lateId, n), 0,
                (s, start, n) -> s.c(s.lateC, BtfKind.FUNC, s.lateId, n), 0, N, "btf parse+find " + v.late);
    }

    @Benchmark
    public long parseJavaVsLibbpf(Vmlinux v, Pair p) {
        return p.run(v, (s, start, n) -> Vmlinux.java(null, null, s.lastId, n), 0,
                (s, start, n) -> s.c(MemorySegment.NULL, BtfKind.VOID, s.lastId, n), 0, N, "btf parse");
    }

    /** Bytes kept by one parsed vmlinux BTF, measured between iterations (not timed). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Memory {
        /** The file's size. */
        public long rawBytes;
        /** Heap a parsed {@link Btf} keeps. */
        public long javaBytes;
        /** Heap it keeps once its names are indexed (after a few lookups). */
        public long javaIndexedBytes;
        /** Heap libbpf's parsed {@code struct btf} keeps (glibc's mallinfo2). */
        public long libbpfBytes;

        /** Measured before the iteration; JMH zeroes the counters when it starts, so the benchmark copies these in. */
        private long raw;
        private long java;
        private long javaIndexed;
        private long libbpf;

        @Setup(Level.Iteration)
        public void measure(Vmlinux v) throws Throwable {
            raw = v.rawSize;
            java = retained(() -> read());
            javaIndexed = retained(() -> {
                Btf b = read();
                for (int i = 0; i < 4; i++) b.ids(v.late);
                return b;
            });
            libbpf = (long) v.retained.invokeExact(v.path);
            if (libbpf <= 0) throw new IllegalStateException("btf_retained: " + libbpf);
        }

        long publish() {
            rawBytes = raw;
            javaBytes = java;
            javaIndexedBytes = javaIndexed;
            libbpfBytes = libbpf;
            return raw;
        }

        private static Btf read() {
            try {
                return Btf.read(VMLINUX);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Heap in use after a full collection grows by this much per object {@code make} returns. */
        private static long retained(Supplier<Object> make) {
            int k = 4;
            Object[] keep = new Object[k];
            long before = usedAfterGc();
            for (int i = 0; i < k; i++) keep[i] = make.get();
            long after = usedAfterGc();
            Reference.reachabilityFence(keep);
            return (after - before) / k;
        }

        private static long usedAfterGc() {
            for (int i = 0; i < 3; i++) System.gc();
            return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        }
    }

    @Benchmark
    public long memory(Memory m) {
        return m.publish();
    }
}
