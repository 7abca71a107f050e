package io.bpf4j.windows.internal.sys;

import java.nio.ByteBuffer;

/**
 * The one chokepoint every native call of the Windows backend goes through: the exports of
 * {@code ebpfapi.dll} (or of a stand-in with the same ABI), one method each, named after the
 * export. Methods return what the export returns, unchanged: {@code bpf()} and the
 * {@code bpf_*} functions a result or {@code -errno} in Windows UCRT numbering, the
 * {@code ebpf_*} functions an {@code ebpf_result_t}. Nothing here throws for an error result.
 *
 * <p>Symbols resolve on first use: {@link #has(Export)} says whether the library exports one,
 * and calling a missing one throws {@link MissingExportException}. Pointers are addresses of
 * direct buffers from {@link #address(ByteBuffer)}; C {@code size_t} and pointers are
 * {@code long}, {@code int}, enums and {@code u32} are {@code int}.
 *
 * <p>Two implementations: Panama FFM on JDK 22+ ({@code FfmEbpfApi}, loaded reflectively) and
 * JNA ({@link JnaEbpfApi}); {@link NativeBinding} picks one. Tests can substitute their own.
 */
public interface EbpfApi {

    /**
     * Whether the library exports a symbol; resolves and caches it.
     *
     * @param e the export
     * @return true when it can be called
     */
    boolean has(Export e);

    /**
     * The native address of a direct buffer's first byte.
     *
     * @param direct a direct buffer
     * @return its address
     */
    long address(ByteBuffer direct);

    /**
     * Copies bytes from native memory the library owns, such as the GUID
     * {@code ebpf_get_ebpf_program_type} points to.
     *
     * @param address where they are
     * @param dst receives {@code dst.length} bytes
     */
    void read(long address, byte[] dst);

    /**
     * The binding's name, for diagnostics.
     *
     * @return {@code ffm}, {@code jna}, or a test's name
     */
    String name();

    /**
     * Where {@link #lastError()} comes from: the calling thread's captured
     * {@code GetLastError()} on Windows, the library's own {@code GetLastError} export elsewhere
     * (a stand-in), or nowhere.
     *
     * @return a short description
     */
    String lastErrorSource();

    /**
     * {@code int bpf(int cmd, union bpf_attr* attr, unsigned int size)}.
     *
     * @param cmd Linux command number
     * @param attr address of the attribute
     * @param size its size
     * @return the result, or {@code -errno}
     */
    int bpf(int cmd, long attr, int size);

    /**
     * The Win32 last error left by this thread's most recent {@link #bpf} call, captured
     * immediately after it when that call returned {@code -EINVAL}; otherwise 0.
     *
     * @return e.g. 120 ({@code ERROR_CALL_NOT_IMPLEMENTED}), or 0 when unknown
     */
    int lastError();

    /**
     * Sets this thread's Win32 last error to 0, so that the next {@link #bpf} call's is its own:
     * {@code bpf()} sets it only on the paths that report through it and leaves an older value
     * everywhere else (libs/api/bpf_syscall.cpp@v1.5.0:363-367, :403-405). A library without a
     * {@code SetLastError} (off Windows) makes this a no-op.
     */
    void clearLastError();

    /**
     * Calls the export of the same name.
     *
     * @param fd the descriptor
     * @return {@code ebpf_result_t}
     */
    int ebpfCloseFd(int fd);

    /**
     * Calls the export of the same name.
     *
     * @param fd the descriptor
     * @param out address of the new {@code fd_t}
     * @return {@code ebpf_result_t}
     */
    int ebpfDuplicateFd(int fd, long out);

    /**
     * Calls the export of the same name.
     *
     * @param path address of the path
     * @return {@code ebpf_result_t}
     */
    int ebpfObjectUnpin(long path);

    /**
     * {@code ebpf_get_next_pinned_object_path}.
     *
     * @param start address of the start path ({@code ""} to begin)
     * @param next address of the output buffer
     * @param nextSize its size
     * @param type address of an {@code ebpf_object_type_t}: filter in, type out
     * @return {@code ebpf_result_t}
     */
    int ebpfGetNextPinnedObjectPath(long start, long next, long nextSize, long type);

    /**
     * {@code ebpf_canonicalize_pin_path}.
     *
     * @param out address of the output buffer
     * @param outSize its size
     * @param in address of the input path
     * @return {@code ebpf_result_t}
     */
    int ebpfCanonicalizePinPath(long out, long outSize, long in);

    /**
     * {@code ebpf_object_get_info_by_fd}; every pointer may be 0.
     *
     * @param fd the object
     * @param info address of the Windows info struct, or 0
     * @param size address of its {@code uint32_t} size, or 0
     * @param type address of an {@code ebpf_object_type_t} out, or 0
     * @return {@code ebpf_result_t}
     */
    int ebpfObjectGetInfoByFd(int fd, long info, long size, long type);

    /**
     * {@code ebpf_program_attach_by_fds}.
     *
     * @param progFd the program
     * @param attachType address of the attach-type GUID, or 0 for the program type's default
     * @param params address of the attach parameters, or 0
     * @param paramsSize their size
     * @param link address of the link {@code fd_t} out, or 0
     * @return {@code ebpf_result_t}
     */
    int ebpfProgramAttachByFds(int progFd, long attachType, long params, long paramsSize, long link);

    /**
     * Calls the export of the same name.
     *
     * @param bpfAttachType Windows number
     * @param guid address of the GUID out
     * @return {@code ebpf_result_t}
     */
    int ebpfGetEbpfAttachType(int bpfAttachType, long guid);

    /**
     * Calls the export of the same name.
     *
     * @param bpfProgType Windows number
     * @return address of the GUID, 0 when unregistered
     */
    long ebpfGetEbpfProgramType(int bpfProgType);

    /**
     * Calls the export of the same name.
     *
     * @param guid address of a GUID
     * @return the Windows number, 0 when unknown
     */
    int ebpfGetBpfProgramType(long guid);

    /**
     * Calls the export of the same name.
     *
     * @param guid address of a GUID
     * @return the Windows number, 0 when unknown
     */
    int ebpfGetBpfAttachType(long guid);

    /**
     * {@code ebpf_object_load_native_by_fds}.
     *
     * @param file address of the {@code .sys} path
     * @param mapCount address of a {@code size_t}: capacity in, count out
     * @param maps address of the map {@code fd_t} array
     * @param progCount address of a {@code size_t}: capacity in, count out
     * @param progs address of the program {@code fd_t} array
     * @return {@code ebpf_result_t}
     */
    int ebpfObjectLoadNativeByFds(long file, long mapCount, long maps, long progCount, long progs);

    /**
     * Calls the export of the same name.
     *
     * @param fd map
     * @param in cursor or 0
     * @param out cursor
     * @param keys keys
     * @param values values
     * @param count address of u32 count
     * @param opts batch opts
     * @return -errno
     */
    int bpfMapLookupBatch(int fd, long in, long out, long keys, long values, long count, long opts);

    /**
     * Calls the export of the same name.
     *
     * @param fd map
     * @param in cursor or 0
     * @param out cursor
     * @param keys keys
     * @param values values
     * @param count address of u32 count
     * @param opts batch opts
     * @return -errno
     */
    int bpfMapLookupAndDeleteBatch(int fd, long in, long out, long keys, long values, long count, long opts);

    /**
     * Calls the export of the same name.
     *
     * @param fd map
     * @param keys keys
     * @param values values
     * @param count address of u32 count
     * @param opts batch opts
     * @return -errno
     */
    int bpfMapUpdateBatch(int fd, long keys, long values, long count, long opts);

    /**
     * Calls the export of the same name.
     *
     * @param fd map
     * @param keys keys
     * @param count address of u32 count
     * @param opts batch opts
     * @return -errno
     */
    int bpfMapDeleteBatch(int fd, long keys, long count, long opts);

    /**
     * Calls the export of the same name.
     *
     * @param progFd program
     * @param opts {@code bpf_test_run_opts}
     * @return -errno
     */
    int bpfProgTestRunOpts(int progFd, long opts);

    /**
     * Calls the export of the same name.
     *
     * @param ifindex interface
     * @param progFd program
     * @param flags XDP flags
     * @param opts {@code bpf_xdp_attach_opts} or 0
     * @return -errno
     */
    int bpfXdpAttach(int ifindex, int progFd, int flags, long opts);

    /**
     * Calls the export of the same name.
     *
     * @param ifindex interface
     * @param flags XDP flags
     * @param opts {@code bpf_xdp_attach_opts} or 0
     * @return -errno
     */
    int bpfXdpDetach(int ifindex, int flags, long opts);

    /**
     * Calls the export of the same name.
     *
     * @param ifindex interface
     * @param flags XDP flags
     * @param progId address of the u32 id out
     * @return -errno
     */
    int bpfXdpQueryId(int ifindex, int flags, long progId);

    /**
     * Calls the export of the same name.
     *
     * @return the number of possible CPUs, or -errno
     */
    int libbpfNumPossibleCpus();

    /**
     * Calls the export of the same name.
     *
     * @param linkFd the link
     * @return -errno
     */
    int bpfLinkDetach(int linkFd);

    /**
     * Calls the export of the same name.
     *
     * @param id link id
     * @return fd or -errno
     */
    int bpfLinkGetFdById(int id);

    /**
     * Calls the export of the same name.
     *
     * @param startId start
     * @param next address of the u32 next id
     * @return -errno
     */
    int bpfLinkGetNextId(int startId, long next);

    /**
     * {@code bpf_map_create}.
     *
     * @param winType Windows map type
     * @param name address of the name, or 0
     * @param keySize key size
     * @param valueSize value size
     * @param maxEntries capacity
     * @param opts address of {@code bpf_map_create_opts}, or 0
     * @return fd or -errno
     */
    int bpfMapCreate(int winType, long name, int keySize, int valueSize, int maxEntries, long opts);

    /**
     * Calls the export of the same name.
     *
     * @param fd map
     * @param key key
     * @return -errno
     */
    int bpfMapDeleteElem(int fd, long key);

    /**
     * Calls the export of the same name.
     *
     * @param id map id
     * @return fd or -errno
     */
    int bpfMapGetFdById(int id);

    /**
     * Calls the export of the same name.
     *
     * @param startId start
     * @param next address of the u32 next id
     * @return -errno
     */
    int bpfMapGetNextId(int startId, long next);

    /**
     * Calls the export of the same name.
     *
     * @param fd map
     * @param key key or 0
     * @param next next key out
     * @return -errno
     */
    int bpfMapGetNextKey(int fd, long key, long next);

    /**
     * Calls the export of the same name.
     *
     * @param fd map
     * @param key key or 0
     * @param value value out
     * @return -errno
     */
    int bpfMapLookupElem(int fd, long key, long value);

    /**
     * Calls the export of the same name.
     *
     * @param fd map
     * @param key key or 0
     * @param value value
     * @param flags u64 flags
     * @return -errno
     */
    int bpfMapUpdateElem(int fd, long key, long value, long flags);

    /**
     * Calls the export of the same name.
     *
     * @param path address of the path
     * @return fd or -errno
     */
    int bpfObjGet(long path);

    /**
     * Calls the export of the same name.
     *
     * @param fd object
     * @param info Windows info struct
     * @param infoLen address of the u32 length, in-out
     * @return -errno
     */
    int bpfObjGetInfoByFd(int fd, long info, long infoLen);

    /**
     * Calls the export of the same name.
     *
     * @param fd object
     * @param path address of the path
     * @return -errno
     */
    int bpfObjPin(int fd, long path);

    /**
     * Calls the export of the same name.
     *
     * @param progFd program
     * @param mapFd map
     * @param opts {@code bpf_prog_bind_opts} or 0
     * @return -errno
     */
    int bpfProgBindMap(int progFd, int mapFd, long opts);

    /**
     * Calls the export of the same name.
     *
     * @param id program id
     * @return fd or -errno
     */
    int bpfProgGetFdById(int id);

    /**
     * Calls the export of the same name.
     *
     * @param startId start
     * @param next address of the u32 next id
     * @return -errno
     */
    int bpfProgGetNextId(int startId, long next);

    /**
     * {@code bpf_prog_load}.
     *
     * @param winType Windows program type
     * @param name address of the name
     * @param license address of the license
     * @param insns address of the instructions
     * @param insnCnt instruction count ({@code size_t})
     * @param opts address of {@code bpf_prog_load_opts}, or 0
     * @return fd or -errno
     */
    int bpfProgLoad(int winType, long name, long license, long insns, long insnCnt, long opts);

    /**
     * {@link Export#EBPF_RING_BUFFER_MAP_MAP_BUFFER}.
     *
     * @param fd the ring buffer map
     * @param consumer receives the consumer page's address
     * @param producer receives the producer page's address
     * @param data receives the data's address
     * @param dataSize receives the data's size ({@code size_t})
     * @return an {@code ebpf_result_t}
     */
    int ebpfRingBufferMapMapBuffer(int fd, long consumer, long producer, long data, long dataSize);

    /**
     * {@link Export#EBPF_RING_BUFFER_MAP_UNMAP_BUFFER}.
     *
     * @param fd the map
     * @param consumer the consumer address the mapping gave
     * @param producer the producer address
     * @param data the data address
     * @return an {@code ebpf_result_t}
     */
    int ebpfRingBufferMapUnmapBuffer(int fd, long consumer, long producer, long data);

    /**
     * {@link Export#EBPF_MAP_SET_WAIT_HANDLE}.
     *
     * @param fd the map
     * @param index 0 for a ring buffer
     * @param handle the event
     * @return an {@code ebpf_result_t}
     */
    int ebpfMapSetWaitHandle(int fd, long index, long handle);

    /**
     * {@link Export#PERF_BUFFER_NEW} or {@link Export#EBPF_PERF_BUFFER_NEW}.
     *
     * @param export which of the two
     * @param fd the perf event array
     * @param callbacks the two callbacks, from {@link #perfCallbacks(PerfSink)}
     * @param opts address of the options, or 0
     * @return the {@code struct perf_buffer*}, 0 on failure
     */
    long perfBufferNew(Export export, int fd, PerfCallbacks callbacks, long opts);

    /**
     * {@link Export#PERF_BUFFER_FREE}: unsubscribes; efW waits for callbacks in flight.
     *
     * @param perfBuffer what {@link #perfBufferNew} returned
     */
    void perfBufferFree(long perfBuffer);

    /**
     * Native entry points for {@code perf_buffer_sample_fn} ({@code void (void* ctx, int cpu, void* data,
     * uint32_t size)}) and {@code perf_buffer_lost_fn} ({@code void (void* ctx, int cpu, uint64_t cnt)})
     * (include/bpf/libbpf.h@v1.5.0:1019,1028) that call the sink, from any native thread.
     *
     * @param sink receives the calls; it must not throw
     * @return the entry points, to be closed after the perf buffer is freed
     */
    PerfCallbacks perfCallbacks(PerfSink sink);

    /** What the perf callbacks call. */
    interface PerfSink {
        /**
         * A record.
         *
         * @param cpu its CPU
         * @param data address of its bytes, valid during the call only
         * @param size how many
         */
        void sample(int cpu, long data, int size);

        /**
         * Records efW dropped.
         *
         * @param cpu their CPU
         * @param count how many since the last report
         */
        void lost(int cpu, long count);
    }

    /** Callback entry points; close them only once nothing can call them. */
    interface PerfCallbacks extends AutoCloseable {
        /**
         * The sample entry point.
         *
         * @return address of the {@code perf_buffer_sample_fn}
         */
        long sample();

        /**
         * The lost entry point.
         *
         * @return address of the {@code perf_buffer_lost_fn}
         */
        long lost();

        @Override
        void close();
    }

    /**
     * A buffer over native memory the library mapped, such as a ring buffer's pages.
     *
     * @param address where it starts
     * @param size its length
     * @return a direct buffer in native byte order, writable
     */
    ByteBuffer view(long address, int size);

    // Win32 events: kernel32's on Windows, the library's own exports elsewhere (a stand-in).

    /**
     * {@code CreateEventW(NULL, manualReset, FALSE, NULL)}.
     *
     * @param manualReset whether the event stays signalled until reset
     * @return the handle, 0 on failure
     */
    long createEvent(boolean manualReset);

    /**
     * {@code SetEvent}.
     *
     * @param handle the event
     * @return nonzero on success
     */
    int setEvent(long handle);

    /**
     * {@code WaitForMultipleObjects(count, handles, FALSE, millis)}.
     *
     * @param count how many handles, at most 64
     * @param handles address of the handle array
     * @param millis the timeout; {@code 0xFFFFFFFF} ({@code INFINITE}) waits without limit
     * @return the index of the signalled handle, 258 ({@code WAIT_TIMEOUT}) or {@code 0xFFFFFFFF}
     */
    int waitForMultipleObjects(int count, long handles, int millis);

    /**
     * {@code CloseHandle}.
     *
     * @param handle a handle
     * @return nonzero on success
     */
    int closeHandle(long handle);
}
