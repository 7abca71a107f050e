package io.bpf4j.windows.internal.sys;

import com.sun.jna.Function;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The JNA binding of {@code ebpfapi.dll}, for JDK 17 to 21 or with {@code -Dbpf4j.native=jna}:
 * each export a {@link Function} looked up on first use. Arguments are boxed per call, which
 * is the price of JNA's generic invocation; the FFM binding is allocation-free.
 *
 * <p>On Windows JNA keeps each thread's {@code GetLastError()} after every call
 * ({@link Native#getLastError()}); elsewhere that is errno, so the library's own
 * {@code GetLastError} export (a stand-in's) is called instead.
 */
public final class JnaEbpfApi implements EbpfApi {
    private static final int EINVAL = 22;

    private final NativeLibrary lib;
    private final boolean windows;
    private final Function[] functions = new Function[Export.values().length];
    private final boolean[] resolved = new boolean[Export.values().length];
    private final Function libraryLastError;
    private final Function librarySetLastError;
    private final ThreadLocal<int[]> lastError = ThreadLocal.withInitial(() -> new int[1]);

    /**
     * Opens the library.
     *
     * @param library the file to load
     * @throws UnsatisfiedLinkError when it cannot be loaded
     */
    public JnaEbpfApi(Path library) {
        lib = NativeLibrary.getInstance(library.toAbsolutePath().toString());
        windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
        Function gle = null;
        if (!windows) {
            try {
                gle = lib.getFunction("GetLastError");
            } catch (UnsatisfiedLinkError absent) {
                gle = null;
            }
        }
        libraryLastError = gle;
        Function sle = null;
        if (!windows) {
            try {
                sle = lib.getFunction("SetLastError");
            } catch (UnsatisfiedLinkError absent) {
                sle = null;
            }
        }
        librarySetLastError = sle;
    }

    @Override
    public void clearLastError() {
        // On Windows JNA sets the thread's last error itself; elsewhere the library's own export does.
        if (windows) Native.setLastError(0);
        else if (librarySetLastError != null) librarySetLastError.invokeVoid(new Object[] {0});
    }

    private Function resolve(Export e) {
        int i = e.ordinal();
        if (!resolved[i]) {
            synchronized (this) {
                if (!resolved[i]) {
                    try {
                        functions[i] = lib.getFunction(e.symbol());
                    } catch (UnsatisfiedLinkError absent) {
                        functions[i] = null;
                    }
                    resolved[i] = true;
                }
            }
        }
        return functions[i];
    }

    private int call(Export e, Object... args) {
        Function f = resolve(e);
        if (f == null) throw new MissingExportException(e);
        return f.invokeInt(args);
    }

    @Override
    public boolean has(Export e) {
        return resolve(e) != null;
    }

    @Override
    public long address(ByteBuffer direct) {
        return Pointer.nativeValue(Native.getDirectBufferPointer(direct));
    }

    @Override
    public void read(long address, byte[] dst) {
        new Pointer(address).read(0, dst, 0, dst.length);
    }

    @Override
    public String name() {
        return "jna";
    }

    @Override
    public String lastErrorSource() {
        if (windows) return "GetLastError() kept by JNA";
        return libraryLastError != null ? "the library's GetLastError export" : "none (no GetLastError)";
    }

    @Override
    public int bpf(int cmd, long attr, int size) {
        int r = call(Export.BPF, cmd, attr, size);
        int le = 0;
        if (r == -EINVAL) {
            if (windows) le = Native.getLastError();
            else if (libraryLastError != null) le = libraryLastError.invokeInt(new Object[0]);
        }
        lastError.get()[0] = le;
        return r;
    }

    @Override
    public int lastError() {
        return lastError.get()[0];
    }

    @Override
    public int ebpfCloseFd(int fd) {
        return call(Export.EBPF_CLOSE_FD, fd);
    }

    @Override
    public int ebpfDuplicateFd(int fd, long out) {
        return call(Export.EBPF_DUPLICATE_FD, fd, out);
    }

    @Override
    public int ebpfObjectUnpin(long path) {
        return call(Export.EBPF_OBJECT_UNPIN, path);
    }

    @Override
    public int ebpfGetNextPinnedObjectPath(long start, long next, long nextSize, long type) {
        return call(Export.EBPF_GET_NEXT_PINNED_OBJECT_PATH, start, next, nextSize, type);
    }

    @Override
    public int ebpfCanonicalizePinPath(long out, long outSize, long in) {
        return call(Export.EBPF_CANONICALIZE_PIN_PATH, out, outSize, in);
    }

    @Override
    public int ebpfObjectGetInfoByFd(int fd, long info, long size, long type) {
        return call(Export.EBPF_OBJECT_GET_INFO_BY_FD, fd, info, size, type);
    }

    @Override
    public int ebpfProgramAttachByFds(int progFd, long attachType, long params, long paramsSize, long link) {
        return call(Export.EBPF_PROGRAM_ATTACH_BY_FDS, progFd, attachType, params, paramsSize, link);
    }

    @Override
    public int ebpfGetEbpfAttachType(int bpfAttachType, long guid) {
        return call(Export.EBPF_GET_EBPF_ATTACH_TYPE, bpfAttachType, guid);
    }

    @Override
    public long ebpfGetEbpfProgramType(int bpfProgType) {
        Function f = resolve(Export.EBPF_GET_EBPF_PROGRAM_TYPE);
        if (f == null) throw new MissingExportException(Export.EBPF_GET_EBPF_PROGRAM_TYPE);
        Pointer p = f.invokePointer(new Object[] {bpfProgType});
        return p == null ? 0L : Pointer.nativeValue(p);
    }

    @Override
    public int ebpfGetBpfProgramType(long guid) {
        return call(Export.EBPF_GET_BPF_PROGRAM_TYPE, guid);
    }

    @Override
    public int ebpfGetBpfAttachType(long guid) {
        return call(Export.EBPF_GET_BPF_ATTACH_TYPE, guid);
    }

    @Override
    public int ebpfObjectLoadNativeByFds(long file, long mapCount, long maps, long progCount, long progs) {
        return call(Export.EBPF_OBJECT_LOAD_NATIVE_BY_FDS, file, mapCount, maps, progCount, progs);
    }

    @Override
    public int bpfMapLookupBatch(int fd, long in, long out, long keys, long values, long count, long opts) {
        return call(Export.BPF_MAP_LOOKUP_BATCH, fd, in, out, keys, values, count, opts);
    }

    @Override
    public int bpfMapLookupAndDeleteBatch(int fd, long in, long out, long keys, long values, long count, long opts) {
        return call(Export.BPF_MAP_LOOKUP_AND_DELETE_BATCH, fd, in, out, keys, values, count, opts);
    }

    @Override
    public int bpfMapUpdateBatch(int fd, long keys, long values, long count, long opts) {
        return call(Export.BPF_MAP_UPDATE_BATCH, fd, keys, values, count, opts);
    }

    @Override
    public int bpfMapDeleteBatch(int fd, long keys, long count, long opts) {
        return call(Export.BPF_MAP_DELETE_BATCH, fd, keys, count, opts);
    }

    @Override
    public int bpfProgTestRunOpts(int progFd, long opts) {
        return call(Export.BPF_PROG_TEST_RUN_OPTS, progFd, opts);
    }

    @Override
    public int bpfXdpAttach(int ifindex, int progFd, int flags, long opts) {
        return call(Export.BPF_XDP_ATTACH, ifindex, progFd, flags, opts);
    }

    @Override
    public int bpfXdpDetach(int ifindex, int flags, long opts) {
        return call(Export.BPF_XDP_DETACH, ifindex, flags, opts);
    }

    @Override
    public int bpfXdpQueryId(int ifindex, int flags, long progId) {
        return call(Export.BPF_XDP_QUERY_ID, ifindex, flags, progId);
    }

    @Override
    public int libbpfNumPossibleCpus() {
        return call(Export.LIBBPF_NUM_POSSIBLE_CPUS);
    }

    @Override
    public int bpfLinkDetach(int linkFd) {
        return call(Export.BPF_LINK_DETACH, linkFd);
    }

    @Override
    public int bpfLinkGetFdById(int id) {
        return call(Export.BPF_LINK_GET_FD_BY_ID, id);
    }

    @Override
    public int bpfLinkGetNextId(int startId, long next) {
        return call(Export.BPF_LINK_GET_NEXT_ID, startId, next);
    }

    @Override
    public int bpfMapCreate(int winType, long name, int keySize, int valueSize, int maxEntries, long opts) {
        return call(Export.BPF_MAP_CREATE, winType, name, keySize, valueSize, maxEntries, opts);
    }

    @Override
    public int bpfMapDeleteElem(int fd, long key) {
        return call(Export.BPF_MAP_DELETE_ELEM, fd, key);
    }

    @Override
    public int bpfMapGetFdById(int id) {
        return call(Export.BPF_MAP_GET_FD_BY_ID, id);
    }

    @Override
    public int bpfMapGetNextId(int startId, long next) {
        return call(Export.BPF_MAP_GET_NEXT_ID, startId, next);
    }

    @Override
    public int bpfMapGetNextKey(int fd, long key, long next) {
        return call(Export.BPF_MAP_GET_NEXT_KEY, fd, key, next);
    }

    @Override
    public int bpfMapLookupElem(int fd, long key, long value) {
        return call(Export.BPF_MAP_LOOKUP_ELEM, fd, key, value);
    }

    @Override
    public int bpfMapUpdateElem(int fd, long key, long value, long flags) {
        return call(Export.BPF_MAP_UPDATE_ELEM, fd, key, value, flags);
    }

    @Override
    public int bpfObjGet(long path) {
        return call(Export.BPF_OBJ_GET, path);
    }

    @Override
    public int bpfObjGetInfoByFd(int fd, long info, long infoLen) {
        return call(Export.BPF_OBJ_GET_INFO_BY_FD, fd, info, infoLen);
    }

    @Override
    public int bpfObjPin(int fd, long path) {
        return call(Export.BPF_OBJ_PIN, fd, path);
    }

    @Override
    public int bpfProgBindMap(int progFd, int mapFd, long opts) {
        return call(Export.BPF_PROG_BIND_MAP, progFd, mapFd, opts);
    }

    @Override
    public int bpfProgGetFdById(int id) {
        return call(Export.BPF_PROG_GET_FD_BY_ID, id);
    }

    @Override
    public int bpfProgGetNextId(int startId, long next) {
        return call(Export.BPF_PROG_GET_NEXT_ID, startId, next);
    }

    @Override
    public int bpfProgLoad(int winType, long name, long license, long insns, long insnCnt, long opts) {
        return call(Export.BPF_PROG_LOAD, winType, name, license, insns, insnCnt, opts);
    }

    @Override
    public int ebpfRingBufferMapMapBuffer(int fd, long consumer, long producer, long data, long dataSize) {
        return call(Export.EBPF_RING_BUFFER_MAP_MAP_BUFFER, fd, consumer, producer, data, dataSize);
    }

    @Override
    public int ebpfRingBufferMapUnmapBuffer(int fd, long consumer, long producer, long data) {
        return call(Export.EBPF_RING_BUFFER_MAP_UNMAP_BUFFER, fd, consumer, producer, data);
    }

    @Override
    public int ebpfMapSetWaitHandle(int fd, long index, long handle) {
        return call(Export.EBPF_MAP_SET_WAIT_HANDLE, fd, index, handle);
    }

    @Override
    public long perfBufferNew(Export export, int fd, PerfCallbacks callbacks, long opts) {
        if (export != Export.PERF_BUFFER_NEW && export != Export.EBPF_PERF_BUFFER_NEW) throw new IllegalArgumentException("export " + export);
        Function f = resolve(export);
        if (f == null) throw new MissingExportException(export);
        JnaCallbacks cb = (JnaCallbacks) callbacks;
        // page_cnt 0 and ctx NULL: efW wants 0 pages (libs/api/libbpf_map.cpp@Release-v0.21.0:451), the sink is bound.
        Pointer pb = (Pointer) f.invoke(Pointer.class, new Object[] {fd, 0L, cb.sampleFn, cb.lostFn, null, opts == 0 ? null : new Pointer(opts)});
        return Pointer.nativeValue(pb);
    }

    @Override
    public void perfBufferFree(long perfBuffer) {
        Function f = resolve(Export.PERF_BUFFER_FREE);
        if (f == null) throw new MissingExportException(Export.PERF_BUFFER_FREE);
        f.invokeVoid(new Object[] {new Pointer(perfBuffer)});
    }

    /** {@code perf_buffer_sample_fn}. */
    public interface SampleFn extends com.sun.jna.Callback {
        /**
         * Called by efW.
         *
         * @param ctx unused
         * @param cpu the CPU
         * @param data the record
         * @param size its length
         */
        void invoke(Pointer ctx, int cpu, Pointer data, int size);
    }

    /** {@code perf_buffer_lost_fn}. */
    public interface LostFn extends com.sun.jna.Callback {
        /**
         * Called by efW.
         *
         * @param ctx unused
         * @param cpu the CPU
         * @param count how many were lost
         */
        void invoke(Pointer ctx, int cpu, long count);
    }

    /** Holds the callbacks strongly: JNA frees a callback's native stub once it is unreachable. */
    private static final class JnaCallbacks implements PerfCallbacks {
        final SampleFn sampleFn;
        final LostFn lostFn;

        JnaCallbacks(PerfSink sink) {
            sampleFn = (ctx, cpu, data, size) -> {
                try {
                    sink.sample(cpu, Pointer.nativeValue(data), size);
                } catch (Throwable ignored) {
                    // nothing may unwind into efW's thread; the sink records its own failures
                }
            };
            lostFn = (ctx, cpu, count) -> {
                try {
                    sink.lost(cpu, count);
                } catch (Throwable ignored) {
                    // as above
                }
            };
        }

        @Override
        public long sample() {
            return Pointer.nativeValue(com.sun.jna.CallbackReference.getFunctionPointer(sampleFn));
        }

        @Override
        public long lost() {
            return Pointer.nativeValue(com.sun.jna.CallbackReference.getFunctionPointer(lostFn));
        }

        @Override
        public void close() {
            // JNA frees the stubs when the callbacks become unreachable, after the perf buffer is freed.
        }
    }

    @Override
    public PerfCallbacks perfCallbacks(PerfSink sink) {
        return new JnaCallbacks(sink);
    }

    @Override
    public ByteBuffer view(long address, int size) {
        return new Pointer(address).getByteBuffer(0, size).order(java.nio.ByteOrder.nativeOrder());
    }

    /** kernel32 on Windows, the library itself elsewhere. */
    private Function win32(String name) {
        NativeLibrary from = windows ? NativeLibrary.getInstance("kernel32") : lib;
        return from.getFunction(name);
    }

    @Override
    public long createEvent(boolean manualReset) {
        return Pointer.nativeValue((Pointer) win32("CreateEventW").invoke(Pointer.class,
                new Object[] {null, manualReset ? 1 : 0, 0, null}));
    }

    @Override
    public int setEvent(long handle) {
        return win32("SetEvent").invokeInt(new Object[] {handle});
    }

    @Override
    public int waitForMultipleObjects(int count, long handles, int millis) {
        return win32("WaitForMultipleObjects").invokeInt(new Object[] {count, handles, 0, millis});
    }

    @Override
    public int closeHandle(long handle) {
        return win32("CloseHandle").invokeInt(new Object[] {handle});
    }
}
