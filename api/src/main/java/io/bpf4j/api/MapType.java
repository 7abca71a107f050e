package io.bpf4j.api;

/**
 * Map types.
 *
 * <p>Constants are named as in the Linux uapi ({@code include/uapi/linux/bpf.h}, Linux 6.18)
 * without the prefix. The numbers each platform uses live in the backends; a backend that has
 * no such type reports it unsupported in {@link Capabilities}.
 */
public enum MapType {
    /** The kernel's {@code BPF_MAP_TYPE_UNSPEC}. */
    UNSPEC,
    /** The kernel's {@code BPF_MAP_TYPE_HASH}. */
    HASH,
    /** The kernel's {@code BPF_MAP_TYPE_ARRAY}. */
    ARRAY,
    /** The kernel's {@code BPF_MAP_TYPE_PROG_ARRAY}. */
    PROG_ARRAY,
    /** The kernel's {@code BPF_MAP_TYPE_PERF_EVENT_ARRAY}. */
    PERF_EVENT_ARRAY,
    /** The kernel's {@code BPF_MAP_TYPE_PERCPU_HASH}. */
    PERCPU_HASH,
    /** The kernel's {@code BPF_MAP_TYPE_PERCPU_ARRAY}. */
    PERCPU_ARRAY,
    /** The kernel's {@code BPF_MAP_TYPE_STACK_TRACE}. */
    STACK_TRACE,
    /** The kernel's {@code BPF_MAP_TYPE_CGROUP_ARRAY}. */
    CGROUP_ARRAY,
    /** The kernel's {@code BPF_MAP_TYPE_LRU_HASH}. */
    LRU_HASH,
    /** The kernel's {@code BPF_MAP_TYPE_LRU_PERCPU_HASH}. */
    LRU_PERCPU_HASH,
    /** The kernel's {@code BPF_MAP_TYPE_LPM_TRIE}. */
    LPM_TRIE,
    /** The kernel's {@code BPF_MAP_TYPE_ARRAY_OF_MAPS}. */
    ARRAY_OF_MAPS,
    /** The kernel's {@code BPF_MAP_TYPE_HASH_OF_MAPS}. */
    HASH_OF_MAPS,
    /** The kernel's {@code BPF_MAP_TYPE_DEVMAP}. */
    DEVMAP,
    /** The kernel's {@code BPF_MAP_TYPE_SOCKMAP}. */
    SOCKMAP,
    /** The kernel's {@code BPF_MAP_TYPE_CPUMAP}. */
    CPUMAP,
    /** The kernel's {@code BPF_MAP_TYPE_XSKMAP}. */
    XSKMAP,
    /** The kernel's {@code BPF_MAP_TYPE_SOCKHASH}. */
    SOCKHASH,
    /** The kernel's {@code BPF_MAP_TYPE_CGROUP_STORAGE}. */
    CGROUP_STORAGE,
    /** The kernel's {@code BPF_MAP_TYPE_REUSEPORT_SOCKARRAY}. */
    REUSEPORT_SOCKARRAY,
    /** The kernel's {@code BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE}. */
    PERCPU_CGROUP_STORAGE,
    /** The kernel's {@code BPF_MAP_TYPE_QUEUE}. */
    QUEUE,
    /** The kernel's {@code BPF_MAP_TYPE_STACK}. */
    STACK,
    /** The kernel's {@code BPF_MAP_TYPE_SK_STORAGE}. */
    SK_STORAGE,
    /** The kernel's {@code BPF_MAP_TYPE_DEVMAP_HASH}. */
    DEVMAP_HASH,
    /** The kernel's {@code BPF_MAP_TYPE_STRUCT_OPS}. */
    STRUCT_OPS,
    /** The kernel's {@code BPF_MAP_TYPE_RINGBUF}. */
    RINGBUF,
    /** The kernel's {@code BPF_MAP_TYPE_INODE_STORAGE}. */
    INODE_STORAGE,
    /** The kernel's {@code BPF_MAP_TYPE_TASK_STORAGE}. */
    TASK_STORAGE,
    /** The kernel's {@code BPF_MAP_TYPE_BLOOM_FILTER}. */
    BLOOM_FILTER,
    /** The kernel's {@code BPF_MAP_TYPE_USER_RINGBUF}. */
    USER_RINGBUF,
    /** The kernel's {@code BPF_MAP_TYPE_CGRP_STORAGE}. */
    CGRP_STORAGE,
    /** The kernel's {@code BPF_MAP_TYPE_ARENA}. */
    ARENA;

    /**
     * Whether values are stored once per possible CPU, so a user-space value is
     * {@code round_up(valueSize, 8) * possibleCpus} bytes.
     *
     * @return true for the per-CPU hash, array, LRU hash and cgroup storage types
     */
    public boolean isPerCpu() {
        return this == PERCPU_HASH || this == PERCPU_ARRAY || this == LRU_PERCPU_HASH
                || this == PERCPU_CGROUP_STORAGE;
    }

    /**
     * Whether the map has no keys (its key size must be 0): queue, stack, bloom filter and the
     * ring buffers.
     *
     * @return true for the keyless types
     */
    public boolean isKeyless() {
        return this == QUEUE || this == STACK || this == BLOOM_FILTER || this == RINGBUF
                || this == USER_RINGBUF;
    }
}
