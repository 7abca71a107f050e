package io.bpf4j.api.object;

/** How a map of an object is pinned, as its definition's {@code pinning} field says. */
public enum Pinning {
    /** Not pinned ({@code LIBBPF_PIN_NONE}). */
    NONE,
    /**
     * Pinned under the load's pin directory by the map's name ({@code LIBBPF_PIN_BY_NAME}): a
     * compatible map already pinned there is reused instead of created.
     */
    BY_NAME
}
