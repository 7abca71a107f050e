package io.bpf4j.internal.spi;

import io.bpf4j.api.MapType;
import io.bpf4j.internal.rules.MapRules;

/**
 * A map's element layout as its owning handle knows it: what the element commands need to
 * check caller buffers and size native ones without asking the kernel.
 *
 * @param type the map type
 * @param keySize the key size (0 for keyless maps)
 * @param valueSize the value size as created (one CPU's value for per-CPU maps)
 * @param userValueSize the bytes user space reads and writes per element: {@code valueSize},
 *     {@code round_up(valueSize, 8) * possibleCpus} for per-CPU maps, 4 for maps of descriptors
 * @param object how errors name the map, e.g. {@code map "counts"}
 */
public record MapLayout(MapType type, int keySize, int valueSize, int userValueSize, String object) {

    /**
     * The layout of a map.
     *
     * @param type the map type
     * @param keySize the key size
     * @param valueSize the value size as created
     * @param name the map's name, possibly empty
     * @param possibleCpus the backend's possible CPUs, which size per-CPU values
     * @return the layout
     */
    public static MapLayout of(MapType type, int keySize, int valueSize, String name, int possibleCpus) {
        String obj = name == null || name.isEmpty() ? type + " map" : "map \"" + name + "\"";
        return new MapLayout(type, keySize, valueSize, MapRules.userValueSize(type, valueSize, possibleCpus), obj);
    }
}
