package io.bpf4j.bench;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.bpf4j.api.Bpf;
import io.bpf4j.api.object.BpfCollection;
import io.bpf4j.api.object.ObjectSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.TearDown;

/**
 * Opening and loading a large object ({@code load_many.o}: 48 maps, 48 XDP programs, a
 * subprogram and global data; source in {@code src/main/bpf}) from its file:
 * {@link ObjectSpec#open(Path)} and {@link ObjectSpec#load(Bpf)}, then closing the collection,
 * beside libbpf's {@code bpf_object__open_file}, {@code bpf_object__load} and
 * {@code bpf_object__close} of the same file, as a {@link Pair} in the same run. The kernel's
 * verifier and map creation dominate both; the ratio is what the Java side adds.
 */
@SuppressWarnings("restricted")
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class ObjectLoad {
    /** Loads per side per invocation: each takes milliseconds. */
    static final int N = 2;

    /** The object written to a file, the backend, and libbpf bound through FFM. */
    @State(Scope.Benchmark)
    public static class Object {
        Path file;
        MemorySegment cPath;
        MethodHandle load;
        Bpf bpf;

        @Setup(Level.Trial)
        public void open() throws IOException {
            file = Files.createTempFile("bpf4j-bench-", "-load_many.o");
            try (InputStream in = ObjectLoad.class.getResourceAsStream("load_many.o")) {
                if (in == null) throw new IllegalStateException("load_many.o is missing from the bench's resources");
                Files.write(file, in.readAllBytes());
            }
            Linker linker = Linker.nativeLinker();
            SymbolLookup l = SymbolLookup.libraryLookup(CBaseline.get().path, Arena.global());
            load = linker.downcallHandle(l.find("obj_load").orElseThrow(() -> new IllegalStateException(
                    "libbpf4jbench has no obj_load: rebuild the bench module")), FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_INT));
            cPath = Arena.global().allocateFrom(file.toString());
            bpf = Bpf.open("linux");
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            bpf.close();
            Files.deleteIfExists(file);
        }

        long c(int n) {
            try {
                return (long) load.invokeExact(cPath, n);
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }

        long java(int n) {
            for (int i = 0; i < n; i++) {
                ObjectSpec spec;
                try {
                    spec = ObjectSpec.open(file);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                try (BpfCollection c = spec.load(bpf)) {
                    if (c.programs().size() != 48 || c.maps().size() < 48) return -1;
                }
            }
            return n;
        }
    }

    /**
     * Each side's CPU time on the benchmark thread (user and system, the verifier's included),
     * beside {@link Pair}'s wall time: on a machine whose cores are shared, wall time also counts
     * the time either side waited for a core, CPU time does not. Neither counts the JVM's
     * compiler and GC threads.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Cpu {
        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
        /** CPU nanoseconds in the Java loops over an iteration. */
        public long javaCpuNs;
        /** CPU nanoseconds in the C loops over an iteration. */
        public long cCpuNs;

        @Setup(Level.Iteration)
        public void clear() {
            javaCpuNs = cCpuNs = 0;
        }

        static long now() {
            return THREADS.getCurrentThreadCpuTime();
        }
    }

    @Benchmark
    public long openLoadJavaVsLibbpf(Object o, Pair p, Cpu cpu) {
        return p.run(o, (s, start, n) -> {
            long t = Cpu.now();
            long r = s.java(n);
            cpu.javaCpuNs += Cpu.now() - t;
            return r;
        }, 0, (s, start, n) -> {
            long t = Cpu.now();
            long r = s.c(n);
            cpu.cCpuNs += Cpu.now() - t;
            return r;
        }, 0, N, "object open+load");
    }
}
