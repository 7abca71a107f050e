package io.bpf4j.bench;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The C baseline ({@code src/main/c/bpf4jbench.c}, built by gcc into
 * {@code target/native/libbpf4jbench.so}) bound through FFM. Every measured function runs a
 * loop of {@code n} operations per downcall, so the downcall is amortised; each returns the
 * count of operations that did their work, or {@code -errno}.
 *
 * <p>The library is found through {@code -Dbpf4j.bench.native=PATH}, or else in
 * {@code native/} beside the jar or classes directory this class was loaded from.
 */
@SuppressWarnings("restricted")
final class CBaseline {
    private static final Object LOCK = new Object();
    private static CBaseline instance;
    private static RuntimeException failure;

    /** Loop signature: (fd, start, n, size) -> long. */
    private static final FunctionDescriptor LOOP = FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
    /** Walk signature: (fd, cursor*, n) -> long. */
    private static final FunctionDescriptor WALK = FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT);
    /** Dump signature: (fd) -> long. */
    private static final FunctionDescriptor DUMP = FunctionDescriptor.of(JAVA_LONG, JAVA_INT);
    /** Batch dump signature: (fd, batch, keys*, values*) -> long. */
    private static final FunctionDescriptor BATCH =
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS);

    final Path path;
    private final MethodHandle mapCreate;
    private final MethodHandle close;
    private final MethodHandle fill;
    private final MethodHandle rawLookup;
    private final MethodHandle rawUpdate;
    private final MethodHandle rawDelete;
    private final MethodHandle rawNextKey;
    private final MethodHandle rawDumpNextKey;
    private final MethodHandle rawDumpBatch;
    private final MethodHandle lbpfLookup;
    private final MethodHandle lbpfUpdate;
    private final MethodHandle lbpfDelete;
    private final MethodHandle lbpfNextKey;
    private final MethodHandle lbpfDumpNextKey;
    private final MethodHandle lbpfDumpBatch;

    private CBaseline(Path path) {
        this.path = path;
        Linker linker = Linker.nativeLinker();
        SymbolLookup lib = SymbolLookup.libraryLookup(path, Arena.global());
        mapCreate = bind(linker, lib, "bench_map_create", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        close = bind(linker, lib, "bench_close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        fill = bind(linker, lib, "bench_fill", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT));
        rawLookup = bind(linker, lib, "raw_lookup", LOOP);
        rawUpdate = bind(linker, lib, "raw_update", LOOP);
        rawDelete = bind(linker, lib, "raw_delete", LOOP);
        rawNextKey = bind(linker, lib, "raw_next_key", WALK);
        rawDumpNextKey = bind(linker, lib, "raw_dump_next_key", DUMP);
        rawDumpBatch = bind(linker, lib, "raw_dump_batch", BATCH);
        lbpfLookup = bind(linker, lib, "lbpf_lookup", LOOP);
        lbpfUpdate = bind(linker, lib, "lbpf_update", LOOP);
        lbpfDelete = bind(linker, lib, "lbpf_delete", LOOP);
        lbpfNextKey = bind(linker, lib, "lbpf_next_key", WALK);
        lbpfDumpNextKey = bind(linker, lib, "lbpf_dump_next_key", DUMP);
        lbpfDumpBatch = bind(linker, lib, "lbpf_dump_batch", BATCH);
    }

    private static MethodHandle bind(Linker linker, SymbolLookup lib, String name, FunctionDescriptor fd) {
        MemorySegment sym = lib.find(name).orElseThrow(() -> new IllegalStateException("libbpf4jbench has no " + name));
        return linker.downcallHandle(sym, fd);
    }

    /**
     * The loaded library.
     *
     * @throws IllegalStateException with the reason when it cannot be found or loaded
     */
    static CBaseline get() {
        synchronized (LOCK) {
            if (instance != null) return instance;
            if (failure != null) throw failure;
            Path p = locate();
            try {
                if (!Files.isRegularFile(p)) {
                    throw new IllegalStateException(p + " does not exist: build the bench module "
                            + "(mvn -pl bench -am package) or pass -Dbpf4j.bench.native=PATH");
                }
                instance = new CBaseline(p);
                return instance;
            } catch (IllegalStateException e) {
                failure = e;
                throw e;
            } catch (RuntimeException e) {
                failure = new IllegalStateException("cannot load " + p + ": " + e, e);
                throw failure;
            }
        }
    }

    private static Path locate() {
        String prop = System.getProperty("bpf4j.bench.native");
        if (prop != null && !prop.isBlank()) return Path.of(prop);
        try {
            Path here = Path.of(CBaseline.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            // target/bpf4j-bench.jar or target/classes: either way the library is in target/native.
            return here.toAbsolutePath().getParent().resolve("native").resolve("libbpf4jbench.so");
        } catch (URISyntaxException | RuntimeException e) {
            return Path.of("bench/target/native/libbpf4jbench.so");
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(t);
    }

    /** Creates a u32 -> u64 hash map through libbpf (for when the Java side cannot). */
    int mapCreate(int maxEntries) {
        try {
            int fd = (int) mapCreate.invokeExact(maxEntries);
            if (fd < 0) throw new IllegalStateException("bpf_map_create: errno " + -fd);
            return fd;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    void close(int fd) {
        try {
            int r = (int) close.invokeExact(fd);
            if (r < 0) throw new IllegalStateException("close(" + fd + "): errno " + -r);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Stores the benchmark value under keys {@code from .. from+n-1}. */
    void fill(int fd, int from, int n) {
        try {
            long r = (long) fill.invokeExact(fd, from, n);
            if (r != n) throw new IllegalStateException("bench_fill: errno " + -r);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    long rawLookup(int fd, int start, int n, int size) {
        try {
            return (long) rawLookup.invokeExact(fd, start, n, size);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    long rawUpdate(int fd, int start, int n, int size) {
        try {
            return (long) rawUpdate.invokeExact(fd, start, n, size);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    long rawDelete(int fd, int start, int n, int size) {
        try {
            return (long) rawDelete.invokeExact(fd, start, n, size);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    long rawNextKey(int fd, MemorySegment cursor, int n) {
        try {
            return (long) rawNextKey.invokeExact(fd, cursor, n);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    long rawDumpNextKey(int fd) {
        try {
            return (long) rawDumpNextKey.invokeExact(fd);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    long rawDumpBatch(int fd, int batch, MemorySegment keys, MemorySegment values) {
        try {
            return (long) rawDumpBatch.invokeExact(fd, batch, keys, values);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    long lbpfLookup(int fd, int start, int n, int size) {
        try {
            return (long) lbpfLookup.invokeExact(fd, start, n, size);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    long lbpfUpdate(int fd, int start, int n, int size) {
        try {
            return (long) lbpfUpdate.invokeExact(fd, start, n, size);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    long lbpfDelete(int fd, int start, int n, int size) {
        try {
            return (long) lbpfDelete.invokeExact(fd, start, n, size);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    long lbpfNextKey(int fd, MemorySegment cursor, int n) {
        try {
            return (long) lbpfNextKey.invokeExact(fd, cursor, n);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    long lbpfDumpNextKey(int fd) {
        try {
            return (long) lbpfDumpNextKey.invokeExact(fd);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    long lbpfDumpBatch(int fd, int batch, MemorySegment keys, MemorySegment values) {
        try {
            return (long) lbpfDumpBatch.invokeExact(fd, batch, keys, values);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }
}
