package io.bpf4j.windows.internal.sys;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * The Panama FFM binding (JDK 22+) of {@code ebpfapi.dll}: the library opened with
 * {@link SymbolLookup#libraryLookup(Path, Arena)}, each export resolved on first use into a
 * downcall handle. Loaded only by {@link NativeBinding} through reflection.
 *
 * <p>Pointers and {@code size_t} travel as {@code long}: on Windows x64 and x86-64 SysV a
 * pointer argument uses the same integer register, and it keeps the per-call path free of
 * segment wrappers. On Windows the {@code bpf()} handle captures {@code GetLastError()}; on
 * other systems (a stand-in library) the library's own {@code GetLastError} export, if any,
 * is called right after a {@code -EINVAL} on the same thread.
 */
public final class FfmEbpfApi implements EbpfApi {
    private static final int EINVAL = 22;

    private final Linker linker = Linker.nativeLinker();
    private final Arena arena = Arena.ofShared();
    private final SymbolLookup lib;
    private final boolean windows;
    private final MethodHandle[] handles = new MethodHandle[Export.values().length];
    private final boolean[] resolved = new boolean[Export.values().length];
    private final MethodHandle libraryLastError;
    /** {@code SetLastError}: kernel32's on Windows, the library's own elsewhere; null when absent. */
    private final MethodHandle setLastError;
    private final StructLayout captureLayout;
    private final VarHandle capturedLastError;
    private final ThreadLocal<MemorySegment> capture;
    private final ThreadLocal<int[]> lastError = ThreadLocal.withInitial(() -> new int[1]);

    /**
     * Opens the library.
     *
     * @param library the file to load
     * @throws IllegalArgumentException when it cannot be loaded
     * @throws IllegalCallerException when native access is denied to this module
     */
    public FfmEbpfApi(Path library) {
        lib = SymbolLookup.libraryLookup(library, arena);
        windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
        if (windows) {
            captureLayout = Linker.Option.captureStateLayout();
            capturedLastError = captureLayout.varHandle(MemoryLayout.PathElement.groupElement("GetLastError"));
            capture = ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(captureLayout));
            libraryLastError = null;
            setLastError = SymbolLookup.libraryLookup("kernel32", arena).find("SetLastError")
                    .map(s -> linker.downcallHandle(s, FunctionDescriptor.ofVoid(JAVA_INT))).orElse(null);
        } else {
            captureLayout = null;
            capturedLastError = null;
            capture = null;
            Optional<MemorySegment> gle = lib.find("GetLastError");
            libraryLastError = gle.map(s -> linker.downcallHandle(s, FunctionDescriptor.of(JAVA_INT))).orElse(null);
            setLastError = lib.find("SetLastError")
                    .map(s -> linker.downcallHandle(s, FunctionDescriptor.ofVoid(JAVA_INT))).orElse(null);
        }
    }

    @Override
    public void clearLastError() {
        if (setLastError == null) return;
        try {
            setLastError.invokeExact(0);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    /** The C signature of each export: return type, then parameters; I = 32-bit, L = 64-bit or pointer. */
    private static String signature(Export e) {
        return switch (e) {
            case BPF -> "I:ILI";
            case EBPF_CLOSE_FD, BPF_LINK_DETACH, BPF_LINK_GET_FD_BY_ID, BPF_MAP_GET_FD_BY_ID,
                    BPF_PROG_GET_FD_BY_ID -> "I:I";
            case EBPF_DUPLICATE_FD, BPF_PROG_TEST_RUN_OPTS, EBPF_GET_EBPF_ATTACH_TYPE, BPF_LINK_GET_NEXT_ID,
                    BPF_MAP_GET_NEXT_ID, BPF_PROG_GET_NEXT_ID, BPF_MAP_DELETE_ELEM, BPF_OBJ_PIN -> "I:IL";
            case EBPF_OBJECT_UNPIN, EBPF_GET_BPF_PROGRAM_TYPE, EBPF_GET_BPF_ATTACH_TYPE, BPF_OBJ_GET -> "I:L";
            case EBPF_GET_NEXT_PINNED_OBJECT_PATH -> "I:LLLL";
            case EBPF_CANONICALIZE_PIN_PATH -> "I:LLL";
            case EBPF_OBJECT_GET_INFO_BY_FD, EBPF_RING_BUFFER_MAP_UNMAP_BUFFER -> "I:ILLL";
            case EBPF_RING_BUFFER_MAP_MAP_BUFFER -> "I:ILLLL";
            case EBPF_MAP_SET_WAIT_HANDLE -> "I:ILL";
            case EBPF_PROGRAM_ATTACH_BY_FDS -> "I:ILLLL";
            case EBPF_GET_EBPF_PROGRAM_TYPE -> "L:I";
            case EBPF_OBJECT_LOAD_NATIVE_BY_FDS -> "I:LLLLL";
            case BPF_MAP_LOOKUP_BATCH, BPF_MAP_LOOKUP_AND_DELETE_BATCH -> "I:ILLLLLL";
            case BPF_MAP_UPDATE_BATCH -> "I:ILLLL";
            case BPF_MAP_DELETE_BATCH, BPF_MAP_UPDATE_ELEM -> "I:ILLL";
            case BPF_XDP_ATTACH -> "I:IIIL";
            case BPF_XDP_DETACH, BPF_XDP_QUERY_ID, BPF_PROG_BIND_MAP -> "I:IIL";
            case LIBBPF_NUM_POSSIBLE_CPUS -> "I:";
            case PERF_BUFFER_NEW, EBPF_PERF_BUFFER_NEW -> "L:ILLLLL";
            case PERF_BUFFER_FREE -> "V:L";
            case BPF_MAP_CREATE -> "I:ILIIIL";
            case BPF_MAP_GET_NEXT_KEY, BPF_MAP_LOOKUP_ELEM, BPF_OBJ_GET_INFO_BY_FD -> "I:ILL";
            case BPF_PROG_LOAD -> "I:ILLLLL";
            // Looked up to date the library, never called.
            case MARK_1_1_0, MARK_1_2_1, MARK_1_4_0, MARK_1_5_0 -> "I:";
        };
    }

    private static FunctionDescriptor descriptor(String sig) {
        String[] parts = sig.split(":", -1);
        java.lang.foreign.MemoryLayout[] args = new java.lang.foreign.MemoryLayout[parts[1].length()];
        for (int i = 0; i < args.length; i++) args[i] = parts[1].charAt(i) == 'I' ? JAVA_INT : JAVA_LONG;
        if (parts[0].equals("V")) return FunctionDescriptor.ofVoid(args);
        return FunctionDescriptor.of(parts[0].equals("I") ? JAVA_INT : JAVA_LONG, args);
    }

    private MethodHandle resolve(Export e) {
        int i = e.ordinal();
        if (!resolved[i]) {
            synchronized (this) {
                if (!resolved[i]) {
                    Optional<MemorySegment> s = lib.find(e.symbol());
                    if (s.isPresent()) {
                        FunctionDescriptor d = descriptor(signature(e));
                        handles[i] = e == Export.BPF && windows
                                ? linker.downcallHandle(s.get(), d, Linker.Option.captureCallState("GetLastError"))
                                : linker.downcallHandle(s.get(), d);
                    }
                    resolved[i] = true;
                }
            }
        }
        return handles[i];
    }

    private MethodHandle h(Export e) {
        MethodHandle m = resolve(e);
        if (m == null) throw new MissingExportException(e);
        return m;
    }

    private static RuntimeException fail(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error err) throw err;
        return new IllegalStateException(t);
    }

    @Override
    public boolean has(Export e) {
        return resolve(e) != null;
    }

    @Override
    public long address(ByteBuffer direct) {
        return MemorySegment.ofBuffer(direct).address();
    }

    @Override
    public void read(long address, byte[] dst) {
        MemorySegment.copy(MemorySegment.ofAddress(address).reinterpret(dst.length), java.lang.foreign.ValueLayout.JAVA_BYTE, 0,
                dst, 0, dst.length);
    }

    @Override
    public String name() {
        return "ffm";
    }

    @Override
    public String lastErrorSource() {
        if (windows) return "GetLastError() captured by the FFM linker";
        return libraryLastError != null ? "the library's GetLastError export" : "none (no GetLastError)";
    }

    @Override
    public int bpf(int cmd, long attr, int size) {
        MethodHandle m = h(Export.BPF);
        int r;
        try {
            if (windows) {
                MemorySegment cs = capture.get();
                r = (int) m.invokeExact(cs, cmd, attr, size);
                lastError.get()[0] = r == -EINVAL ? (int) capturedLastError.get(cs, 0L) : 0;
            } else {
                r = (int) m.invokeExact(cmd, attr, size);
                lastError.get()[0] = r == -EINVAL && libraryLastError != null ? (int) libraryLastError.invokeExact() : 0;
            }
        } catch (Throwable t) {
            throw fail(t);
        }
        return r;
    }

    @Override
    public int lastError() {
        return lastError.get()[0];
    }

    @Override
    public int ebpfCloseFd(int fd) {
        try {
            return (int) h(Export.EBPF_CLOSE_FD).invokeExact(fd);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    @Override
    public int ebpfDuplicateFd(int fd, long out) {
        try {
            return (int) h(Export.EBPF_DUPLICATE_FD).invokeExact(fd, out);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    @Override
    public int ebpfObjectUnpin(long path) {
        try {
            return (int) h(Export.EBPF_OBJECT_UNPIN).invokeExact(path);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    @Override
    public int ebpfGetNextPinnedObjectPath(long start, long next, long nextSize, long type) {
        try {
            return (int) h(Export.EBPF_GET_NEXT_PINNED_OBJECT_PATH).invokeExact(start, next, nextSize, type);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    @Override
    public int ebpfCanonicalizePinPath(long out, long outSize, long in) {
        try {
            return (int) h(Export.EBPF_CANONICALIZE_PIN_PATH).invokeExact(out, outSize, in);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    @Override
    public int ebpfObjectGetInfoByFd(int fd, long info, long size, long type) {
        try {
            return (int) h(Export.EBPF_OBJECT_GET_INFO_BY_FD).invokeExact(fd, info, size, type);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    @Override
    public int ebpfProgramAttachByFds(int progFd, long attachType, long params, long paramsSize, long link) {
        try {
            return (int) h(Export.EBPF_PROGRAM_ATTACH_BY_FDS).invokeExact(progFd, attachType, params, paramsSize, link);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    @Override
    public int ebpfGetEbpfAttachType(int bpfAttachType, long guid) {
        try {
            return (int) h(Export.EBPF_GET_EBPF_ATTACH_TYPE).invokeExact(bpfAttachType, guid);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    @Override
    public long ebpfGetEbpfProgramType(int bpfProgType) {
        try {
            return (long) h(Export.EBPF_GET_EBPF_PROGRAM_TYPE).invokeExact(bpfProgType);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    @Override
    public int ebpfGetBpfProgramType(long guid) {
        try {
            return (int) h(Export.EBPF_GET_BPF_PROGRAM_TYPE).invokeExact(guid);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    @Override
    public int ebpfGetBpfAttachType(long guid) {
        try {
            return (int) h(Export.EBPF_GET_BPF_ATTACH_TYPE).invokeExact(guid);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    @Override
    public int ebpfObjectLoadNativeByFds(long file, long mapCount, long maps, long progCount, long progs) {
        try {
            return (int) h(Export.EBPF_OBJECT_LOAD_NATIVE_BY_FDS).invokeExact(file, mapCount, maps, progCount, progs);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    @Override
    public int bpfMapLookupBatch(int fd, long in, long out, long keys, long values, long count, long opts) {
        try {
            return (int) h(Export.BPF_MAP_LOOKUP_BATCH).invokeExact(fd, in, out, keys, values, count, opts);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    @Override
    public int bpfMapLookupAndDeleteBatch(int fd, long in, long out, long keys, long values, long count, long opts) {
        try {
            return (int) h(Export.BPF_MAP_LOOKUP_AND_DELETE_BATCH).invokeExact(fd, in, out, keys, values, count, opts);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    @Override
    public int bpfMapUpdateBatch(int fd, long keys, long values, long count, long opts) {
        try {
            return (int) h(Export.BPF_MAP_UPDATE_BATCH).invokeExact(fd, keys, values, count, opts);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    @Override
    public int bpfMapDeleteBatch(int fd, long keys, long count, long opts) {
        try {
            return (int) h(Export.BPF_MAP_DELETE_BATCH).invokeExact(fd, keys, count, opts);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    @Override
    public int bpfProgTestRunOpts(int progFd, long opts) {
        try {
            return (int) h(Export.BPF_PROG_TEST_RUN_OPTS).invokeExact(progFd, opts);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    @Override
    public int bpfXdpAttach(int ifindex, int progFd, int flags, long opts) {
        try {
            return (int) h(Export.BPF_XDP_ATTACH).invokeExact(ifindex, progFd, flags, opts);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    @Override
    public int bpfXdpDetach(int ifindex, int flags, long opts) {
        try {
            return (int) h(Export.BPF_XDP_DETACH).invokeExact(ifindex, flags, opts);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    @Override
    public int bpfXdpQueryId(int ifindex, int flags, long progId) {
        try {
            return (int) h(Export.BPF_XDP_QUERY_ID).invokeExact(ifindex, flags, progId);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    @Override
    public int libbpfNumPossibleCpus() {
        try {
            return (int) h(Export.LIBBPF_NUM_POSSIBLE_CPUS).invokeExact();
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    @Override
    public int bpfLinkDetach(int linkFd) {
        try {
            return (int) h(Export.BPF_LINK_DETACH).invokeExact(linkFd);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    @Override
    public int bpfLinkGetFdById(int id) {
        try {
            return (int) h(Export.BPF_LINK_GET_FD_BY_ID).invokeExact(id);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    @Override
    public int bpfLinkGetNextId(int startId, long next) {
        try {
            return (int) h(Export.BPF_LINK_GET_NEXT_ID).invokeExact(startId, next);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    @Override
    public int bpfMapCreate(int winType, long name, int keySize, int valueSize, int maxEntries, long opts) {
        try {
            return (int) h(Export.BPF_MAP_CREATE).invokeExact(winType, name, keySize, valueSize, maxEntries, opts);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    @Override
    public int bpfMapDeleteElem(int fd, long key) {
        try {
            return (int) h(Export.BPF_MAP_DELETE_ELEM).invokeExact(fd, key);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    @Override
    public int bpfMapGetFdById(int id) {
        try {
            return (int) h(Export.BPF_MAP_GET_FD_BY_ID).invokeExact(id);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    @Override
    public int bpfMapGetNextId(int startId, long next) {
        try {
            return (int) h(Export.BPF_MAP_GET_NEXT_ID).invokeExact(startId, next);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    @Override
    public int bpfMapGetNextKey(int fd, long key, long next) {
        try {
            return (int) h(Export.BPF_MAP_GET_NEXT_KEY).invokeExact(fd, key, next);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    @Override
    public int bpfMapLookupElem(int fd, long key, long value) {
        try {
            return (int) h(Export.BPF_MAP_LOOKUP_ELEM).invokeExact(fd, key, value);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    @Override
    public int bpfMapUpdateElem(int fd, long key, long value, long flags) {
        try {
            return (int) h(Export.BPF_MAP_UPDATE_ELEM).invokeExact(fd, key, value, flags);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    @Override
    public int bpfObjGet(long path) {
        try {
            return (int) h(Export.BPF_OBJ_GET).invokeExact(path);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    @Override
    public int bpfObjGetInfoByFd(int fd, long info, long infoLen) {
        try {
            return (int) h(Export.BPF_OBJ_GET_INFO_BY_FD).invokeExact(fd, info, infoLen);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    @Override
    public int bpfObjPin(int fd, long path) {
        try {
            return (int) h(Export.BPF_OBJ_PIN).invokeExact(fd, path);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    @Override
    public int bpfProgBindMap(int progFd, int mapFd, long opts) {
        try {
            return (int) h(Export.BPF_PROG_BIND_MAP).invokeExact(progFd, mapFd, opts);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    @Override
    public int bpfProgGetFdById(int id) {
        try {
            return (int) h(Export.BPF_PROG_GET_FD_BY_ID).invokeExact(id);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    @Override
    public int bpfProgGetNextId(int startId, long next) {
        try {
            return (int) h(Export.BPF_PROG_GET_NEXT_ID).invokeExact(startId, next);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    @Override
    public int bpfProgLoad(int winType, long name, long license, long insns, long insnCnt, long opts) {
        try {
            return (int) h(Export.BPF_PROG_LOAD).invokeExact(winType, name, license, insns, insnCnt, opts);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    @Override
    public int ebpfRingBufferMapMapBuffer(int fd, long consumer, long producer, long data, long dataSize) {
        try {
            return (int) h(Export.EBPF_RING_BUFFER_MAP_MAP_BUFFER).invokeExact(fd, consumer, producer, data, dataSize);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    @Override
    public int ebpfRingBufferMapUnmapBuffer(int fd, long consumer, long producer, long data) {
        try {
            return (int) h(Export.EBPF_RING_BUFFER_MAP_UNMAP_BUFFER).invokeExact(fd, consumer, producer, data);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    @Override
    public int ebpfMapSetWaitHandle(int fd, long index, long handle) {
        try {
            return (int) h(Export.EBPF_MAP_SET_WAIT_HANDLE).invokeExact(fd, index, handle);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    @Override
    public long perfBufferNew(Export export, int fd, PerfCallbacks callbacks, long opts) {
        if (export != Export.PERF_BUFFER_NEW && export != Export.EBPF_PERF_BUFFER_NEW) throw new IllegalArgumentException("export " + export);
        try {
            // page_cnt 0 and ctx NULL: efW wants 0 pages (libs/api/libbpf_map.cpp@Release-v0.21.0:451), the sink is bound.
            return (long) h(export).invokeExact(fd, 0L, callbacks.sample(), callbacks.lost(), 0L, opts);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    @Override
    public void perfBufferFree(long perfBuffer) {
        try {
            h(Export.PERF_BUFFER_FREE).invokeExact(perfBuffer);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    private static final MethodHandle SAMPLE;
    private static final MethodHandle LOST;

    static {
        try {
            java.lang.invoke.MethodHandles.Lookup l = java.lang.invoke.MethodHandles.lookup();
            SAMPLE = l.findStatic(FfmEbpfApi.class, "sample", java.lang.invoke.MethodType.methodType(
                    void.class, PerfSink.class, long.class, int.class, long.class, int.class));
            LOST = l.findStatic(FfmEbpfApi.class, "lost", java.lang.invoke.MethodType.methodType(
                    void.class, PerfSink.class, long.class, int.class, long.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // An exception escaping an upcall ends the JVM, so the sink's contract (never throw) is enforced here too.
    private static void sample(PerfSink sink, long ctx, int cpu, long data, int size) {
        try {
            sink.sample(cpu, data, size);
        } catch (Throwable ignored) {
            // the sink records its own failures; nothing may unwind into efW's thread
        }
    }

    private static void lost(PerfSink sink, long ctx, int cpu, long count) {
        try {
            sink.lost(cpu, count);
        } catch (Throwable ignored) {
            // as above
        }
    }

    @Override
    public PerfCallbacks perfCallbacks(PerfSink sink) {
        Arena stubs = Arena.ofShared();
        MemorySegment s = linker.upcallStub(SAMPLE.bindTo(sink),
                FunctionDescriptor.ofVoid(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT), stubs);
        MemorySegment l = linker.upcallStub(LOST.bindTo(sink), FunctionDescriptor.ofVoid(JAVA_LONG, JAVA_INT, JAVA_LONG), stubs);
        return new PerfCallbacks() {
            @Override
            public long sample() {
                return s.address();
            }

            @Override
            public long lost() {
                return l.address();
            }

            @Override
            public void close() {
                stubs.close();
            }
        };
    }

    @Override
    public ByteBuffer view(long address, int size) {
        return MemorySegment.ofAddress(address).reinterpret(size).asByteBuffer().order(java.nio.ByteOrder.nativeOrder());
    }

    private final java.util.concurrent.ConcurrentHashMap<String, MethodHandle> win32 = new java.util.concurrent.ConcurrentHashMap<>();

    /** kernel32's function on Windows, the library's own elsewhere; "I:IL" style signatures as {@link #signature}. */
    private MethodHandle win32(String name, String sig) {
        return win32.computeIfAbsent(name, n -> {
            SymbolLookup from = windows ? SymbolLookup.libraryLookup("kernel32", arena) : lib;
            MemorySegment s = from.find(n).orElseThrow(() -> new UnsupportedOperationException("no " + n + " in " + (windows ? "kernel32" : "the library")));
            return linker.downcallHandle(s, descriptor(sig));
        });
    }

    @Override
    public long createEvent(boolean manualReset) {
        try {
            return (long) win32("CreateEventW", "L:LIIL").invokeExact(0L, manualReset ? 1 : 0, 0, 0L);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    @Override
    public int setEvent(long handle) {
        try {
            return (int) win32("SetEvent", "I:L").invokeExact(handle);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    @Override
    public int waitForMultipleObjects(int count, long handles, int millis) {
        try {
            return (int) win32("WaitForMultipleObjects", "I:ILII").invokeExact(count, handles, 0, millis);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    @Override
    public int closeHandle(long handle) {
        try {
            return (int) win32("CloseHandle", "I:L").invokeExact(handle);
        } catch (Throwable t) {
            throw fail(t);
        }
    }
}
