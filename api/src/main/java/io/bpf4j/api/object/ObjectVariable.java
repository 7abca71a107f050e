package io.bpf4j.api.object;

import java.util.Objects;

/**
 * A global variable of an object file: a named range of one of its global-data maps.
 *
 * @param name the variable's name
 * @param map the name of the map holding it ({@code .data}, {@code .rodata}, {@code .bss}, ...)
 * @param offset its offset in the map's value
 * @param size its size in bytes
 * @param btfTypeId its type in the object's BTF, or 0 when the object has none for it
 * @param typeName its type as C would write it (e.g. {@code int}, {@code unsigned long long}),
 *     or empty when unknown
 * @param constant whether it lives in {@code .rodata}, so programs cannot change it and it can
 *     only be set before load, or is a {@code .kconfig} extern, which the loader sets
 * @param integer whether it reads and writes as an integer: its BTF type is an integer or an
 *     enum, or the object has no type for it and its size is 1, 2, 4 or 8 bytes
 */
public record ObjectVariable(String name, String map, int offset, int size, int btfTypeId, String typeName,
        boolean constant, boolean integer) {

    /**
     * Checks the fields.
     *
     * @throws NullPointerException if a name is null
     * @throws IllegalArgumentException if the offset or size is negative
     */
    public ObjectVariable {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(map, "map");
        typeName = typeName == null ? "" : typeName;
        if (offset < 0) throw new IllegalArgumentException("offset: negative");
        if (size < 0) throw new IllegalArgumentException("size: negative");
    }
}
