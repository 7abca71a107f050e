package io.bpf4j.api;

/** Bits of {@link MapSpec#flags()}, the {@code map_flags} of {@code BPF_MAP_CREATE}. */
public final class MapFlags {
    private MapFlags() {
    }

    /** Allocate hash elements on demand instead of up front ({@code BPF_F_NO_PREALLOC}). */
    public static final int NO_PREALLOC = 1;
    /** LRU maps: a free list per CPU instead of a common one ({@code BPF_F_NO_COMMON_LRU}). */
    public static final int NO_COMMON_LRU = 1 << 1;
    /** Honour {@link MapSpec#numaNode()} ({@code BPF_F_NUMA_NODE}). */
    public static final int NUMA_NODE = 1 << 2;
    /** User space may only read ({@code BPF_F_RDONLY}). */
    public static final int RDONLY = 1 << 3;
    /** User space may only write ({@code BPF_F_WRONLY}). */
    public static final int WRONLY = 1 << 4;
    /** Stack trace maps store build ids ({@code BPF_F_STACK_BUILD_ID}). */
    public static final int STACK_BUILD_ID = 1 << 5;
    /** Hash with a zero seed, so iteration order is reproducible ({@code BPF_F_ZERO_SEED}). */
    public static final int ZERO_SEED = 1 << 6;
    /** Programs may only read ({@code BPF_F_RDONLY_PROG}). */
    public static final int RDONLY_PROG = 1 << 7;
    /** Programs may only write ({@code BPF_F_WRONLY_PROG}). */
    public static final int WRONLY_PROG = 1 << 8;
    /** Storage maps: clone on socket clone ({@code BPF_F_CLONE}). */
    public static final int CLONE = 1 << 9;
    /** Array maps may be mmap()ed ({@code BPF_F_MMAPABLE}). */
    public static final int MMAPABLE = 1 << 10;
    /** Perf event arrays keep elements when the map fd closes ({@code BPF_F_PRESERVE_ELEMS}). */
    public static final int PRESERVE_ELEMS = 1 << 11;
    /** The map is an inner map whose max_entries may differ ({@code BPF_F_INNER_MAP}). */
    public static final int INNER_MAP = 1 << 12;
    /** Struct_ops maps: create as a link ({@code BPF_F_LINK}). */
    public static final int LINK = 1 << 13;
    /** Pin and get take a directory fd ({@code BPF_F_PATH_FD}). */
    public static final int PATH_FD = 1 << 14;
    /** Value type BTF is in a module's BTF object ({@code BPF_F_VTYPE_BTF_OBJ_FD}). */
    public static final int VTYPE_BTF_OBJ_FD = 1 << 15;
    /** {@link MapSpec#tokenFd()} is set ({@code BPF_F_TOKEN_FD}). */
    public static final int TOKEN_FD = 1 << 16;
    /** Arena: fault on access to an unallocated page ({@code BPF_F_SEGV_ON_FAULT}). */
    public static final int SEGV_ON_FAULT = 1 << 17;
    /** Arena: no user-space address conversion ({@code BPF_F_NO_USER_CONV}). */
    public static final int NO_USER_CONV = 1 << 18;
}
