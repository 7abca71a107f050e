package io.bpf4j.linux.internal;

import io.bpf4j.api.MapType;

/**
 * What the element commands need to check their buffers without a syscall: a map's type,
 * key size and the user-space value size.
 *
 * @param type the map type
 * @param keySize the key size
 * @param valueSize the value size as created
 * @param userValueSize the bytes user space reads and writes per element: per-CPU maps
 *     {@code round_up(valueSize, 8) * possibleCpus}, fd maps 4
 * @param object the description used in errors, e.g. {@code map "counts"}
 */
record MapShape(MapType type, int keySize, int valueSize, int userValueSize, String object) {

    static MapShape of(MapType type, int keySize, int valueSize, String name, int fd, int cpus) {
        int user = valueSize;
        if (type.isPerCpu()) {
            user = ((valueSize + 7) & ~7) * cpus;
        } else if (type == MapType.PROG_ARRAY || type == MapType.PERF_EVENT_ARRAY || type == MapType.CGROUP_ARRAY
                || type == MapType.ARRAY_OF_MAPS || type == MapType.HASH_OF_MAPS) {
            user = 4; // bpf_map_value_size(): fd maps exchange u32 fds and ids (kernel/bpf/syscall.c)
        }
        String obj = name == null || name.isEmpty() ? "map fd " + fd : "map \"" + name + "\"";
        return new MapShape(type, keySize, valueSize, user, obj);
    }
}
