package io.bpf4j.windows.internal;

import io.bpf4j.api.MapType;

/**
 * What the backend must know about a map to size native buffers: key size and the value buffer
 * ({@code round_up(valueSize, 8) * possibleCpus} for per-CPU maps), from the map's info.
 *
 * @param type the map type
 * @param keySize key size
 * @param valueSize one value's size
 * @param valueBuf the size of a user-space value
 */
record MapShape(MapType type, int keySize, int valueSize, int valueBuf) {
    static MapShape of(MapType type, int keySize, int valueSize, int cpus) {
        int buf = type.isPerCpu() ? ((valueSize + 7) & ~7) * cpus : valueSize;
        return new MapShape(type, keySize, valueSize, buf);
    }
}
