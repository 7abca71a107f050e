package io.bpf4j.api.object;

import io.bpf4j.api.MapType;

/**
 * Map type numbers as an object file writes them: the Linux uapi's {@code enum bpf_map_type}
 * ({@code include/uapi/linux/bpf.h}, Linux 6.18), whose order {@link MapType} follows.
 */
final class MapTypes {
    private static final MapType[] BY_NUMBER = MapType.values();

    private MapTypes() {
    }

    /**
     * The type of a number.
     *
     * @param n the uapi number
     * @return the type, or null for 0 (unspec) and unknown numbers
     */
    static MapType of(int n) {
        return n <= 0 || n >= BY_NUMBER.length ? null : BY_NUMBER[n];
    }
}
