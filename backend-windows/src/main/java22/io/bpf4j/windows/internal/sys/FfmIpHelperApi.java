package io.bpf4j.windows.internal.sys;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The FFM binding (JDK 22+) of {@link IpHelperApi}; loaded only by {@link IpHelperBinding}
 * through reflection. Not a hot path: each call takes a confined arena for its strings and
 * out-parameters.
 */
public final class FfmIpHelperApi implements IpHelperApi {
    /** {@code NETIO_STATUS f(const void *in, void *out)}: all three have this shape. */
    private static final FunctionDescriptor SHAPE = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS);

    private final MethodHandle aliasToLuid;
    private final MethodHandle nameToLuid;
    private final MethodHandle luidToIndex;

    /**
     * Opens the library and resolves all three exports.
     *
     * @param library the file to load
     * @throws IllegalArgumentException when it cannot be loaded or lacks an export
     * @throws IllegalCallerException when native access is denied to this module
     */
    public FfmIpHelperApi(Path library) {
        // The global arena: the library stays loaded for the JVM's life, as JNA keeps it too.
        SymbolLookup lib = SymbolLookup.libraryLookup(library, Arena.global());
        Linker linker = Linker.nativeLinker();
        MethodHandle[] h = new MethodHandle[EXPORTS.length];
        for (int i = 0; i < EXPORTS.length; i++) {
            String name = EXPORTS[i];
            MemorySegment s = lib.find(name).orElseThrow(() -> new IllegalArgumentException(library + " does not export " + name));
            h[i] = linker.downcallHandle(s, SHAPE);
        }
        aliasToLuid = h[0];
        nameToLuid = h[1];
        luidToIndex = h[2];
    }

    @Override
    public int convertInterfaceAliasToLuid(String alias, long[] luid) {
        try (Arena a = Arena.ofConfined()) {
            byte[] w = (alias + '\0').getBytes(StandardCharsets.UTF_16LE);
            MemorySegment s = a.allocate(w.length, 2);
            MemorySegment.copy(w, 0, s, JAVA_BYTE, 0, w.length);
            MemorySegment out = a.allocate(JAVA_LONG);
            int r = (int) aliasToLuid.invokeExact(s, out);
            luid[0] = out.get(JAVA_LONG, 0);
            return r;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int convertInterfaceNameToLuidA(byte[] name, long[] luid) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(name.length + 1L);
            MemorySegment.copy(name, 0, s, JAVA_BYTE, 0, name.length);
            MemorySegment out = a.allocate(JAVA_LONG);
            int r = (int) nameToLuid.invokeExact(s, out);
            luid[0] = out.get(JAVA_LONG, 0);
            return r;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int convertInterfaceLuidToIndex(long luid, int[] index) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment in = a.allocate(JAVA_LONG);
            in.set(JAVA_LONG, 0, luid);
            MemorySegment out = a.allocate(JAVA_INT);
            int r = (int) luidToIndex.invokeExact(in, out);
            index[0] = out.get(JAVA_INT, 0);
            return r;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(t);
    }
}
