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

/**
 * libbpf's event readers in the C baseline ({@code rb_*}: {@code ring_buffer__new/poll/free},
 * {@code pb_*}: {@code perf_buffer__new/poll/free}), bound through FFM. Each read call polls until
 * {@code n} records arrived, so one downcall is amortised over them.
 */
@SuppressWarnings("restricted")
final class EventBaseline {
    private final MethodHandle rbNew;
    private final MethodHandle rbRead;
    private final MethodHandle rbFree;
    private final MethodHandle pbNew;
    private final MethodHandle pbRead;
    private final MethodHandle pbFree;

    EventBaseline(CBaseline c) {
        Linker linker = Linker.nativeLinker();
        SymbolLookup lib = SymbolLookup.libraryLookup(c.path, Arena.global());
        rbNew = bind(linker, lib, "rb_new", FunctionDescriptor.of(ADDRESS, JAVA_INT));
        rbRead = bind(linker, lib, "rb_read", FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_LONG));
        rbFree = bind(linker, lib, "rb_free", FunctionDescriptor.ofVoid(ADDRESS));
        pbNew = bind(linker, lib, "pb_new", FunctionDescriptor.of(ADDRESS, JAVA_INT, JAVA_INT));
        pbRead = bind(linker, lib, "pb_read", FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_LONG));
        pbFree = bind(linker, lib, "pb_free", FunctionDescriptor.ofVoid(ADDRESS));
    }

    private static MethodHandle bind(Linker linker, SymbolLookup lib, String name, FunctionDescriptor fd) {
        MemorySegment sym = lib.find(name).orElseThrow(() -> new IllegalStateException("libbpf4jbench has no " + name
                + ": rebuild the bench module"));
        return linker.downcallHandle(sym, fd);
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(t);
    }

    private static MemorySegment check(MemorySegment p, String what) {
        if (p.address() == 0) throw new IllegalStateException(what + " failed");
        return p;
    }

    MemorySegment ringBufferNew(int mapFd) {
        try {
            return check((MemorySegment) rbNew.invokeExact(mapFd), "ring_buffer__new");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    long ringBufferRead(MemorySegment rb, long n) {
        try {
            return (long) rbRead.invokeExact(rb, n);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    void ringBufferFree(MemorySegment rb) {
        try {
            rbFree.invokeExact(rb);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    MemorySegment perfBufferNew(int arrayFd, int pages) {
        try {
            return check((MemorySegment) pbNew.invokeExact(arrayFd, pages), "perf_buffer__new");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    long perfBufferRead(MemorySegment pb, long n) {
        try {
            return (long) pbRead.invokeExact(pb, n);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    void perfBufferFree(MemorySegment pb) {
        try {
            pbFree.invokeExact(pb);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }
}
