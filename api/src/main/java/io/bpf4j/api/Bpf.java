package io.bpf4j.api;

import java.util.List;

/**
 * The portable {@code bpf()} surface: one method per command, typed with records and enums.
 * Every backend (Linux, eBPF for Windows, the simulator) implements it; the object layer
 * ({@link BpfMap}, {@link BpfProgram}, {@link BpfLink}) is written once on top of it.
 *
 * <p><b>Descriptors.</b> Methods that create objects return a descriptor the caller owns and
 * must close with {@link #closeFd(int)}; the owning handles of the object layer do that for you.
 * Descriptors are the platform's own numbers (Linux and Windows fds, simulator fds).
 *
 * <p><b>Errors.</b> Bad input throws {@link IllegalArgumentException} naming the parameter
 * before any native call. A failing command throws {@link BpfException} with the operation,
 * backend and {@link Errno}; an operation the backend cannot do throws
 * {@link BpfUnsupportedException} with the reason its {@link #capabilities()} report gives.
 * Expected outcomes are values: a missing key is {@code false} from a lookup or delete.
 *
 * <p><b>Threads.</b> Backends are thread-safe; single-element map commands allocate nothing.
 *
 * <p><b>Descriptor numbers.</b> A number is reused by the kernel the moment it is closed, by
 * any code in the process. The element and batch commands here therefore learn the map's
 * layout from the kernel on each call, through a private duplicate of the descriptor that
 * keeps one object in view for the whole call, so no number reused by another map can make
 * the kernel write past a buffer. {@link BpfMap} knows its layout and holds its descriptor
 * open during each call, so it skips that step: use it on hot paths.
 *
 * {@snippet :
 * try (Bpf bpf = Bpf.open()) {                        // the best kernel backend here
 *     int map = bpf.mapCreate(MapSpec.of(MapType.HASH, 4, 8, 16).withName("counts"));
 *     try {
 *         bpf.mapUpdateElem(map, new byte[4], new byte[8], UpdateFlags.ANY);
 *     } finally {
 *         bpf.closeFd(map);
 *     }
 * }
 * }
 */
public interface Bpf extends AutoCloseable {

    /**
     * Opens the backend named by {@code -Dbpf4j.backend} or {@code BPF4J_BACKEND}, or else the
     * highest-priority available kernel backend. It never picks the simulator on its own.
     *
     * @return an open backend
     * @throws BackendUnavailableException when the named backend is unavailable, or no kernel
     *     backend is; the message lists every provider's reason
     */
    static Bpf open() {
        return Backends.open(null);
    }

    /**
     * Opens a backend by name.
     *
     * @param name {@code linux}, {@code windows}, {@code sim}, or another provider's name
     * @return an open backend
     * @throws BackendUnavailableException with the backend's reason when it cannot run here
     */
    static Bpf open(String name) {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("name: empty");
        return Backends.open(name);
    }

    /**
     * Every backend found on the class or module path, highest priority first.
     *
     * @return the providers
     */
    static List<BpfProvider> providers() {
        return Backends.providers();
    }

    // ---------------------------------------------------------------- the backend itself

    /**
     * The backend's name.
     *
     * @return {@code linux}, {@code windows}, {@code sim} ...
     */
    String name();

    /**
     * What this backend supports, probed once and cached.
     *
     * @return the capabilities
     */
    Capabilities capabilities();

    /**
     * The number of possible CPUs, which sizes per-CPU values.
     *
     * @return at least 1
     */
    int possibleCpus();

    /**
     * Closes a descriptor this backend returned. It keeps working after {@link #close()}, so
     * handles and callers that outlive the backend can still release their descriptors.
     *
     * @param fd the descriptor
     * @throws BpfException if it is not open
     */
    void closeFd(int fd);

    /**
     * Duplicates a descriptor; both refer to the same object and must each be closed.
     *
     * @param fd the descriptor
     * @return the new descriptor
     */
    int dupFd(int fd);

    /**
     * Reads from a readable descriptor, such as the one {@link #iterCreate(int, int)} returns.
     *
     * @param fd the descriptor
     * @param buf where to read into
     * @param off offset in {@code buf}
     * @param len at most this many bytes
     * @return bytes read, 0 at the end
     */
    int read(int fd, byte[] buf, int off, int len);

    /**
     * Releases what the backend holds (native scratch memory, library handles). Every later
     * call throws {@link IllegalStateException}, except {@link #closeFd(int)}. Descriptors are
     * not closed: those the caller owns stay open until closed with {@link #closeFd(int)}, and
     * owning handles ({@link BpfMap}, ...) still close theirs on {@code close()} or through their
     * cleaner. Calls in flight on other threads are not cut short: they finish normally on what
     * they started with, and only then is their memory let go.
     */
    @Override
    void close();

    // ---------------------------------------------------------------- maps

    /**
     * {@code BPF_MAP_CREATE}.
     *
     * @param spec the map's attributes
     * @return the new map's descriptor
     */
    int mapCreate(MapSpec spec);

    /**
     * {@code BPF_MAP_LOOKUP_ELEM}: copies the value of {@code key} into {@code value}. For queue
     * and stack maps ({@code key} null) this is a peek.
     *
     * @param mapFd the map
     * @param key the key, exactly the map's key size; null for keyless maps
     * @param value receives the value: the value size, or {@code round_up(valueSize, 8) * possibleCpus}
     *     for per-CPU maps
     * @param flags {@link UpdateFlags#LOCK} or 0
     * @return false when the key (or, for queue and stack, any element) is missing
     */
    boolean mapLookupElem(int mapFd, byte[] key, byte[] value, long flags);

    /**
     * {@code BPF_MAP_UPDATE_ELEM}: creates or replaces an element. For queue and stack maps
     * ({@code key} null) this is a push.
     *
     * @param mapFd the map
     * @param key the key; null for keyless maps
     * @param value the value (per-CPU maps: one value per possible CPU, 8-byte aligned)
     * @param flags {@link UpdateFlags}
     */
    void mapUpdateElem(int mapFd, byte[] key, byte[] value, long flags);

    /**
     * {@code BPF_MAP_DELETE_ELEM}.
     *
     * @param mapFd the map
     * @param key the key
     * @return false when the key was missing
     */
    boolean mapDeleteElem(int mapFd, byte[] key);

    /**
     * {@code BPF_MAP_GET_NEXT_KEY}: the key after {@code key}, or the first key when
     * {@code key} is null or not in the map.
     *
     * @param mapFd the map
     * @param key the current key, or null to start
     * @param nextKey receives the next key
     * @return false at the end of the map
     */
    boolean mapGetNextKey(int mapFd, byte[] key, byte[] nextKey);

    /**
     * {@code BPF_MAP_LOOKUP_AND_DELETE_ELEM}: for queue and stack maps ({@code key} null) a pop;
     * for hash maps a lookup and delete in one step.
     *
     * @param mapFd the map
     * @param key the key; null for keyless maps
     * @param value receives the value
     * @param flags {@link UpdateFlags#LOCK} or 0
     * @return false when the key (or any element) was missing
     */
    boolean mapLookupAndDeleteElem(int mapFd, byte[] key, byte[] value, long flags);

    /**
     * {@code BPF_MAP_FREEZE}: user space can no longer write the map.
     *
     * @param mapFd the map
     */
    void mapFreeze(int mapFd);

    /**
     * {@code BPF_MAP_LOOKUP_BATCH}: copies up to {@code count} elements after the cursor.
     *
     * @param mapFd the map
     * @param inBatch the cursor returned by the previous call, or null to start
     * @param outBatch receives the cursor for the next call: at least {@code max(keySize, 4)} bytes
     * @param keys receives the keys, {@code count * keySize} bytes
     * @param values receives the values, {@code count * valueSize} bytes (per-CPU: the per-CPU size)
     * @param count how many elements at most
     * @param elemFlags {@link UpdateFlags#LOCK} or 0
     * @param flags must be 0
     * @return how many were copied, and whether the map is exhausted
     */
    BatchResult mapLookupBatch(int mapFd, byte[] inBatch, byte[] outBatch, byte[] keys, byte[] values, int count,
            long elemFlags, long flags);

    /**
     * {@code BPF_MAP_LOOKUP_AND_DELETE_BATCH}: like {@link #mapLookupBatch} and deletes what it
     * copied.
     *
     * @param mapFd the map
     * @param inBatch the previous cursor, or null to start
     * @param outBatch receives the next cursor
     * @param keys receives the keys
     * @param values receives the values
     * @param count how many elements at most
     * @param elemFlags {@link UpdateFlags#LOCK} or 0
     * @param flags must be 0
     * @return how many were copied and deleted, and whether the map is exhausted
     */
    BatchResult mapLookupAndDeleteBatch(int mapFd, byte[] inBatch, byte[] outBatch, byte[] keys, byte[] values,
            int count, long elemFlags, long flags);

    /**
     * {@code BPF_MAP_UPDATE_BATCH}.
     *
     * @param mapFd the map
     * @param keys {@code count} keys back to back
     * @param values {@code count} values back to back
     * @param count how many elements
     * @param elemFlags {@link UpdateFlags} for every element
     * @param flags must be 0
     * @return how many were updated (all of them; a failure throws after a partial update)
     */
    int mapUpdateBatch(int mapFd, byte[] keys, byte[] values, int count, long elemFlags, long flags);

    /**
     * {@code BPF_MAP_DELETE_BATCH}.
     *
     * @param mapFd the map
     * @param keys {@code count} keys back to back
     * @param count how many elements
     * @param elemFlags must be 0
     * @param flags must be 0
     * @return how many were deleted (all of them; a missing key throws ENOENT after the ones before it)
     */
    int mapDeleteBatch(int mapFd, byte[] keys, int count, long elemFlags, long flags);

    // ---------------------------------------------------------------- programs

    /**
     * {@code BPF_PROG_LOAD}. Retries on EAGAIN; when the load fails without a log it loads again
     * with one, growing the buffer on ENOSPC, and throws {@link VerifierException} with it.
     *
     * @param spec the program's attributes
     * @return the new descriptor, and the log if {@link ProgramSpec#logLevel()} asked for one
     * @throws VerifierException when the verifier refuses the program
     */
    LoadResult progLoad(ProgramSpec spec);

    /**
     * {@code BPF_PROG_TEST_RUN}: runs a loaded program on the given input.
     *
     * @param progFd the program
     * @param spec input data, context and options
     * @return the return value, duration and outputs
     */
    TestRunResult progTestRun(int progFd, TestRunSpec spec);

    /**
     * {@code BPF_PROG_BIND_MAP}: keeps a map alive as long as the program, though the program
     * does not use it.
     *
     * @param progFd the program
     * @param mapFd the map
     * @param flags must be 0
     */
    void progBindMap(int progFd, int mapFd, int flags);

    /**
     * {@code BPF_PROG_STREAM_READ_BY_FD}: reads a program's stdout (1) or stderr (2) stream.
     *
     * @param progFd the program
     * @param streamId 1 for stdout, 2 for stderr
     * @param buf receives the bytes
     * @return bytes read
     */
    int progStreamReadByFd(int progFd, int streamId, byte[] buf);

    // ---------------------------------------------------------------- attach and links

    /**
     * {@code BPF_PROG_ATTACH}.
     *
     * @param spec target, program, hook, flags and anchors
     */
    void progAttach(AttachSpec spec);

    /**
     * {@code BPF_PROG_DETACH}.
     *
     * @param spec target, program, hook, flags and anchors
     */
    void progDetach(AttachSpec spec);

    /**
     * {@code BPF_PROG_QUERY}: what is attached at a hook, in order. Grows its buffers until
     * everything fits.
     *
     * @param spec target and hook
     * @return the attached programs, links and revision
     */
    QueryResult progQuery(QuerySpec spec);

    /**
     * {@code BPF_LINK_CREATE}.
     *
     * @param spec program, target, hook and hook-specific options
     * @return the new link's descriptor
     */
    int linkCreate(LinkSpec spec);

    /**
     * {@code BPF_LINK_UPDATE}: swaps the program of a live link.
     *
     * @param linkFd the link
     * @param newProgFd the new program
     * @param oldProgFd with {@link AttachFlags#REPLACE}: fail with EPERM unless this is the
     *     current program; else 0
     * @param flags {@link AttachFlags#REPLACE} or 0
     */
    void linkUpdate(int linkFd, int newProgFd, int oldProgFd, int flags);

    /**
     * {@code BPF_LINK_DETACH}: detaches the link's program; the link descriptor stays valid but
     * defunct.
     *
     * @param linkFd the link
     */
    void linkDetach(int linkFd);

    /**
     * {@code BPF_RAW_TRACEPOINT_OPEN}.
     *
     * @param name the tracepoint, e.g. {@code sys_enter}; null for BTF-typed tracing programs
     * @param progFd the program
     * @param cookie the attach cookie (Linux 6.10+; 0 otherwise)
     * @return a link descriptor
     */
    int rawTracepointOpen(String name, int progFd, long cookie);

    /**
     * Opens an attach target that is not a BPF object (a cgroup, a network namespace, a
     * tracepoint or probe as a perf event, a bpffs mount) as a descriptor for
     * {@link LinkSpec#target()} and {@link AttachSpec#target()}. The caller owns it and closes
     * it with {@link #closeFd(int)}; a link made from it keeps what it needs alive.
     *
     * @param target what to open
     * @return the descriptor
     * @throws BpfUnsupportedException when the backend cannot open this kind of target
     */
    default int openTarget(AttachTarget target) {
        throw new BpfUnsupportedException(name(), Operation.LINK_CREATE,
                "opening " + target.getClass().getSimpleName() + " targets is not implemented by the " + name() + " backend");
    }

    /**
     * {@code BPF_ITER_CREATE}: an iterator instance of an iterator link, read with
     * {@link #read(int, byte[], int, int)}.
     *
     * @param linkFd the iterator link
     * @param flags must be 0
     * @return a readable descriptor
     */
    int iterCreate(int linkFd, int flags);

    // ---------------------------------------------------------------- event rings

    /**
     * Maps a {@code RINGBUF} or {@code USER_RINGBUF} map's positions and data into the process
     * ({@link Operation#RINGBUF_MAP}; Linux: {@code mmap} of the consumer page, and of the producer
     * page with the data area mapped twice). For {@code RINGBUF} the consumer position is writable
     * and the rest read-only; for {@code USER_RINGBUF} the other way round. The mapping holds the
     * map alive until it is closed. Most code uses {@code io.bpf4j.api.events.RingBufferReader}
     * instead, which owns its rings.
     *
     * @param mapFd a ring buffer map
     * @return the mapped ring, owned by the caller
     * @throws BpfUnsupportedException when the backend cannot map ring buffers
     * @throws IllegalArgumentException when the map is no ring buffer
     */
    default MappedRing ringBufferMap(int mapFd) {
        throw new BpfUnsupportedException(name(), Operation.RINGBUF_MAP,
                "mapping ring buffers is not implemented by the " + name() + " backend");
    }

    /**
     * A network interface's index by its name ({@link Operation#INTERFACE_INDEX}; Linux:
     * {@code if_nametoindex} in the calling thread's network namespace; the simulator: its own
     * interface table).
     *
     * @param name the interface's name, e.g. {@code eth0}
     * @return its index, at least 1
     * @throws IllegalArgumentException when the name is empty, too long or has a NUL, or no
     *     interface has it, naming it
     * @throws BpfUnsupportedException when the backend cannot look interfaces up
     */
    default int interfaceIndex(String name) {
        io.bpf4j.internal.rules.ObjRules.interfaceName(name);
        throw new BpfUnsupportedException(name(), Operation.INTERFACE_INDEX,
                "looking interfaces up by name is not implemented by the " + name() + " backend");
    }

    /**
     * Maps a map's values into the process ({@link Operation#MAP_MMAP}; Linux: {@code mmap} with
     * {@code MAP_SHARED} at offset 0 of an {@code ARRAY} map created with {@code BPF_F_MMAPABLE}).
     * Reads and writes through the buffer reach the map without a system call. A frozen map (and a
     * map the process may only read) can be mapped read-only only: the kernel refuses a writable
     * shared mapping of it.
     *
     * @param mapFd an mmapable map
     * @param length bytes to map, from 1 to {@link Integer#MAX_VALUE}; the kernel refuses more
     *     than the map's values rounded up to a page
     * @param writable whether the buffer may be written
     * @return the region, owned by the caller
     * @throws BpfUnsupportedException when the backend cannot map maps
     * @throws IllegalArgumentException for a negative descriptor or a length out of range
     * @throws BpfException when the kernel refuses the mapping (not mmapable, too long, frozen)
     */
    default MappedRegion mapMmap(int mapFd, long length, boolean writable) {
        throw new BpfUnsupportedException(name(), Operation.MAP_MMAP,
                "mapping maps is not implemented by the " + name() + " backend");
    }

    /**
     * Opens one CPU's output ring of a {@code PERF_EVENT_ARRAY} ({@link Operation#PERF_BUFFER_OPEN};
     * Linux: {@code perf_event_open} of a {@code PERF_COUNT_SW_BPF_OUTPUT} event on that CPU with
     * {@code PERF_SAMPLE_RAW}, {@code mmap} of its ring read-write, and the event's descriptor
     * stored in the array at index {@code cpu}, where {@code bpf_perf_event_output} finds it).
     * Closing the ring removes it from the array. Most code uses
     * {@code io.bpf4j.api.events.PerfBufferReader} instead.
     *
     * @param arrayFd the perf event array
     * @param cpu the CPU, also the array index
     * @param pages the ring's size in pages: a power of two
     * @param wakeup wake a waiter every this many records, or, with {@code watermark}, once this
     *     many bytes are waiting; at least 1
     * @param watermark whether {@code wakeup} counts bytes rather than records
     * @return the ring, owned by the caller; null when the CPU is offline
     * @throws BpfUnsupportedException when the backend has no perf buffers
     * @throws IllegalArgumentException for a negative CPU, a page count that is no power of two,
     *     or a wake-up below 1
     */
    default MappedRing perfBufferOpen(int arrayFd, int cpu, int pages, int wakeup, boolean watermark) {
        throw new BpfUnsupportedException(name(), Operation.PERF_BUFFER_OPEN,
                "perf buffers are not implemented by the " + name() + " backend");
    }

    /**
     * A waiter for rings this backend mapped ({@link Operation#RING_WAIT}; Linux: an {@code epoll}
     * instance and an {@code eventfd} to wake it).
     *
     * @return the waiter, owned by the caller
     * @throws BpfUnsupportedException when the backend cannot wait for rings
     */
    default RingWaiter ringWaiter() {
        throw new BpfUnsupportedException(name(), Operation.RING_WAIT,
                "waiting for rings is not implemented by the " + name() + " backend");
    }

    // ---------------------------------------------------------------- objects

    /**
     * {@code BPF_OBJ_PIN}: pins a map, program or link at a path on bpffs (on Windows, a
     * {@code BPF:\} path).
     *
     * @param fd the object
     * @param path the path
     */
    void objPin(int fd, String path);

    /**
     * Removes a pin. Linux has no bpf() command for it (it is {@code unlink(2)} on bpffs);
     * eBPF for Windows has {@code ebpf_object_unpin}; the simulator removes it from its
     * virtual bpffs. The object lives on while anything else holds it.
     *
     * @param path the pin path
     * @throws BpfException with {@link Errno#ENOENT} when nothing is pinned there
     */
    default void objUnpin(String path) {
        throw new UnsupportedOperationException("objUnpin is not implemented by the " + name() + " backend");
    }

    /**
     * {@code BPF_OBJ_GET}: opens a pinned object.
     *
     * @param path the path
     * @param fileFlags {@link MapFlags#RDONLY}, {@link MapFlags#WRONLY} or 0
     * @return a new descriptor
     */
    int objGet(String path, int fileFlags);

    /**
     * {@code BPF_PROG_GET_NEXT_ID}.
     *
     * @param startId 0 to start
     * @return the next program id, or 0 when there is none
     */
    int progGetNextId(int startId);

    /**
     * {@code BPF_MAP_GET_NEXT_ID}.
     *
     * @param startId 0 to start
     * @return the next map id, or 0 when there is none
     */
    int mapGetNextId(int startId);

    /**
     * {@code BPF_LINK_GET_NEXT_ID}.
     *
     * @param startId 0 to start
     * @return the next link id, or 0 when there is none
     */
    int linkGetNextId(int startId);

    /**
     * {@code BPF_BTF_GET_NEXT_ID}.
     *
     * @param startId 0 to start
     * @return the next BTF id, or 0 when there is none
     */
    int btfGetNextId(int startId);

    /**
     * {@code BPF_PROG_GET_FD_BY_ID}.
     *
     * @param id the program's id
     * @return a new descriptor
     */
    int progGetFdById(int id);

    /**
     * {@code BPF_MAP_GET_FD_BY_ID}.
     *
     * @param id the map's id
     * @return a new descriptor
     */
    int mapGetFdById(int id);

    /**
     * {@code BPF_LINK_GET_FD_BY_ID}.
     *
     * @param id the link's id
     * @return a new descriptor
     */
    int linkGetFdById(int id);

    /**
     * {@code BPF_BTF_GET_FD_BY_ID}.
     *
     * @param id the BTF object's id
     * @return a new descriptor
     */
    int btfGetFdById(int id);

    /**
     * {@code BPF_OBJ_GET_INFO_BY_FD} for a map.
     *
     * @param mapFd the map
     * @return its info
     */
    MapInfo mapGetInfo(int mapFd);

    /**
     * {@code BPF_OBJ_GET_INFO_BY_FD} for a program.
     *
     * @param progFd the program
     * @return its info
     */
    ProgramInfo progGetInfo(int progFd);

    /**
     * A loaded program's translated instructions ({@link Operation#PROG_XLATED}; Linux:
     * {@code bpf_prog_info.xlated_prog_insns} of {@code BPF_OBJ_GET_INFO_BY_FD}), what the program
     * became after verification, as the kernel dumps it: a map reference is a {@code ld_imm64}
     * whose source is {@code BPF_PSEUDO_MAP_FD} (or {@code BPF_PSEUDO_MAP_VALUE} with the value's
     * offset in the second slot) and whose {@code imm} is the map's <em>id</em>, not a descriptor.
     * On Linux a helper call's {@code imm} is the helper's address relative to
     * {@code __bpf_call_base}; the simulator keeps the helper's id there (see its README).
     *
     * @param progFd the program
     * @return the instructions, one 64-bit word per slot as in {@code struct bpf_insn}
     * @throws IllegalArgumentException when {@code progFd} is negative
     * @throws BpfUnsupportedException when the backend cannot return a program's instructions
     * @throws BpfException when the platform refuses, e.g. {@code EPERM} when the kernel withholds
     *     them from this process
     */
    default long[] progGetXlated(int progFd) {
        io.bpf4j.internal.rules.ObjRules.fd(progFd, "progFd");
        throw new BpfUnsupportedException(name(), Operation.PROG_XLATED,
                "reading a program's instructions is not implemented by the " + name() + " backend");
    }

    /**
     * A loaded program's machine code ({@link Operation#PROG_JITED}; Linux:
     * {@code bpf_prog_info.jited_prog_insns} of {@code BPF_OBJ_GET_INFO_BY_FD}), the functions
     * of a program with subprograms one after the other, in the kernel's order.
     *
     * @param progFd the program
     * @return the JIT image's bytes; empty when the program was not JIT-compiled (Linux with
     *     {@code net.core.bpf_jit_enable=0})
     * @throws IllegalArgumentException when {@code progFd} is negative
     * @throws BpfUnsupportedException when the backend has no JIT or cannot return its code
     * @throws BpfException when the platform refuses, e.g. {@code EPERM} when the kernel withholds
     *     the image from this process
     */
    default byte[] progGetJited(int progFd) {
        io.bpf4j.internal.rules.ObjRules.fd(progFd, "progFd");
        throw new BpfUnsupportedException(name(), Operation.PROG_JITED,
                "reading a program's machine code is not implemented by the " + name() + " backend");
    }

    /**
     * {@code BPF_OBJ_GET_INFO_BY_FD} for a link.
     *
     * @param linkFd the link
     * @return its info
     */
    LinkInfo linkGetInfo(int linkFd);

    /**
     * {@code BPF_OBJ_GET_INFO_BY_FD} for a BTF object.
     *
     * @param btfFd the BTF object
     * @return its info
     */
    BtfInfo btfGetInfo(int btfFd);

    /**
     * {@code BPF_OBJ_GET_INFO_BY_FD} for a BTF object, with its raw bytes: header, types and
     * strings as the kernel keeps them (for a module's split BTF, only the module's part). Parse
     * them with {@link io.bpf4j.api.btf.Btf#parse(byte[])}.
     *
     * @param btfFd the BTF object
     * @return the raw BTF
     * @throws BpfUnsupportedException when the backend has no BTF (eBPF for Windows), or this
     *     backend does not implement the call
     */
    default byte[] btfGetData(int btfFd) {
        throw new BpfUnsupportedException(name(), Operation.OBJ_GET_INFO_BY_FD,
                "reading a BTF object's bytes is not implemented by the " + name() + " backend");
    }

    /**
     * {@code BPF_BTF_LOAD}: loads raw BTF (header, types, strings).
     *
     * @param btf the raw blob
     * @param logLevel 0 to log only on failure, else the level
     * @return the descriptor and the log
     * @throws VerifierException when the kernel refuses the blob
     */
    LoadResult btfLoad(byte[] btf, int logLevel);

    /**
     * {@code BPF_TASK_FD_QUERY}.
     *
     * @param pid the process
     * @param fd a descriptor in that process
     * @param flags must be 0
     * @return what is attached through it
     */
    TaskFdQueryResult taskFdQuery(int pid, int fd, int flags);

    /**
     * {@code BPF_ENABLE_STATS}: run-time statistics stay on while the returned descriptor is open.
     *
     * @param type what to enable
     * @return a descriptor to close when done
     */
    int enableStats(StatsType type);

    /**
     * {@code BPF_TOKEN_CREATE}: a token from a bpffs instance mounted with delegation options.
     *
     * @param bpffsFd an open descriptor of the bpffs mount's root
     * @param flags must be 0
     * @return the token's descriptor
     */
    int tokenCreate(int bpffsFd, int flags);
}
