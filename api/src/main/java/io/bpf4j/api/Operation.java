package io.bpf4j.api;

/**
 * The {@code bpf()} commands: one constant per command, each one method of {@link Bpf}.
 *
 * <p>Constants are named as in the Linux uapi ({@code include/uapi/linux/bpf.h}, Linux 6.18)
 * without the prefix. The numbers each platform uses live in the backends; a backend that has
 * no such type reports it unsupported in {@link Capabilities}.
 *
 * <p>The constants after {@link #PROG_STREAM_READ_BY_FD} are no {@code bpf()} command: they are
 * the platform primitives the event readers of {@code io.bpf4j.api.events} stand on
 * ({@link #RINGBUF_MAP}, {@link #PERF_BUFFER_OPEN}, {@link #RING_WAIT}) and other primitives and
 * parts of commands a backend may have or lack on its own, reported like the commands so that the
 * capability report says whether they work.
 */
public enum Operation {
    /** The kernel's {@code BPF_MAP_CREATE}. */
    MAP_CREATE,
    /** The kernel's {@code BPF_MAP_LOOKUP_ELEM}. */
    MAP_LOOKUP_ELEM,
    /** The kernel's {@code BPF_MAP_UPDATE_ELEM}. */
    MAP_UPDATE_ELEM,
    /** The kernel's {@code BPF_MAP_DELETE_ELEM}. */
    MAP_DELETE_ELEM,
    /** The kernel's {@code BPF_MAP_GET_NEXT_KEY}. */
    MAP_GET_NEXT_KEY,
    /** The kernel's {@code BPF_PROG_LOAD}. */
    PROG_LOAD,
    /** The kernel's {@code BPF_OBJ_PIN}. */
    OBJ_PIN,
    /** The kernel's {@code BPF_OBJ_GET}. */
    OBJ_GET,
    /** The kernel's {@code BPF_PROG_ATTACH}. */
    PROG_ATTACH,
    /** The kernel's {@code BPF_PROG_DETACH}. */
    PROG_DETACH,
    /** The kernel's {@code BPF_PROG_TEST_RUN}. */
    PROG_TEST_RUN,
    /** The kernel's {@code BPF_PROG_GET_NEXT_ID}. */
    PROG_GET_NEXT_ID,
    /** The kernel's {@code BPF_MAP_GET_NEXT_ID}. */
    MAP_GET_NEXT_ID,
    /** The kernel's {@code BPF_PROG_GET_FD_BY_ID}. */
    PROG_GET_FD_BY_ID,
    /** The kernel's {@code BPF_MAP_GET_FD_BY_ID}. */
    MAP_GET_FD_BY_ID,
    /** The kernel's {@code BPF_OBJ_GET_INFO_BY_FD}. */
    OBJ_GET_INFO_BY_FD,
    /** The kernel's {@code BPF_PROG_QUERY}. */
    PROG_QUERY,
    /** The kernel's {@code BPF_RAW_TRACEPOINT_OPEN}. */
    RAW_TRACEPOINT_OPEN,
    /** The kernel's {@code BPF_BTF_LOAD}. */
    BTF_LOAD,
    /** The kernel's {@code BPF_BTF_GET_FD_BY_ID}. */
    BTF_GET_FD_BY_ID,
    /** The kernel's {@code BPF_TASK_FD_QUERY}. */
    TASK_FD_QUERY,
    /** The kernel's {@code BPF_MAP_LOOKUP_AND_DELETE_ELEM}. */
    MAP_LOOKUP_AND_DELETE_ELEM,
    /** The kernel's {@code BPF_MAP_FREEZE}. */
    MAP_FREEZE,
    /** The kernel's {@code BPF_BTF_GET_NEXT_ID}. */
    BTF_GET_NEXT_ID,
    /** The kernel's {@code BPF_MAP_LOOKUP_BATCH}. */
    MAP_LOOKUP_BATCH,
    /** The kernel's {@code BPF_MAP_LOOKUP_AND_DELETE_BATCH}. */
    MAP_LOOKUP_AND_DELETE_BATCH,
    /** The kernel's {@code BPF_MAP_UPDATE_BATCH}. */
    MAP_UPDATE_BATCH,
    /** The kernel's {@code BPF_MAP_DELETE_BATCH}. */
    MAP_DELETE_BATCH,
    /** The kernel's {@code BPF_LINK_CREATE}. */
    LINK_CREATE,
    /** The kernel's {@code BPF_LINK_UPDATE}. */
    LINK_UPDATE,
    /** The kernel's {@code BPF_LINK_GET_FD_BY_ID}. */
    LINK_GET_FD_BY_ID,
    /** The kernel's {@code BPF_LINK_GET_NEXT_ID}. */
    LINK_GET_NEXT_ID,
    /** The kernel's {@code BPF_ENABLE_STATS}. */
    ENABLE_STATS,
    /** The kernel's {@code BPF_ITER_CREATE}. */
    ITER_CREATE,
    /** The kernel's {@code BPF_LINK_DETACH}. */
    LINK_DETACH,
    /** The kernel's {@code BPF_PROG_BIND_MAP}. */
    PROG_BIND_MAP,
    /** The kernel's {@code BPF_TOKEN_CREATE}. */
    TOKEN_CREATE,
    /** The kernel's {@code BPF_PROG_STREAM_READ_BY_FD}. */
    PROG_STREAM_READ_BY_FD,
    /**
     * No {@code bpf()} command: mapping a {@code RINGBUF} or {@code USER_RINGBUF} map's positions
     * and data into the process ({@link Bpf#ringBufferMap(int)}; Linux: {@code mmap} of the map).
     */
    RINGBUF_MAP,
    /**
     * No {@code bpf()} command: opening one CPU's output ring of a {@code PERF_EVENT_ARRAY}
     * ({@link Bpf#perfBufferOpen(int, int, int, int, boolean)}; Linux: {@code perf_event_open} of a
     * BPF output event, {@code mmap} of its ring, and the event stored in the array).
     */
    PERF_BUFFER_OPEN,
    /**
     * No {@code bpf()} command: blocking until a mapped ring may be ready ({@link Bpf#ringWaiter()};
     * Linux: {@code epoll} and an {@code eventfd}).
     */
    RING_WAIT,
    /**
     * No {@code bpf()} command: mapping an mmapable map's values into the process
     * ({@link Bpf#mapMmap(int, long, boolean)}; Linux: {@code mmap} of an {@code ARRAY} map created
     * with {@code BPF_F_MMAPABLE}, Linux 5.5).
     */
    MAP_MMAP,
    /**
     * No {@code bpf()} command: a network interface's index by its name
     * ({@link Bpf#interfaceIndex(String)}; Linux: {@code if_nametoindex} in the process' network
     * namespace), for attaching XDP and TC programs by name.
     */
    INTERFACE_INDEX,
    /**
     * Part of {@code BPF_OBJ_GET_INFO_BY_FD}: a loaded program's translated instructions, as the
     * kernel dumps them through {@code bpf_prog_info.xlated_prog_insns} ({@link Bpf#progGetXlated(int)}).
     */
    PROG_XLATED,
    /**
     * Part of {@code BPF_OBJ_GET_INFO_BY_FD}: a loaded program's machine code from the JIT compiler,
     * through {@code bpf_prog_info.jited_prog_insns} ({@link Bpf#progGetJited(int)}).
     */
    PROG_JITED;
}
