package io.bpf4j.api.btf;

import java.util.Objects;

/**
 * A parameter of a function prototype ({@code struct btf_param}). A last parameter with an empty
 * name and type 0 marks a variadic function ({@code ...}).
 *
 * @param name the parameter's name, possibly empty
 * @param typeId its type
 */
public record BtfParam(String name, int typeId) {
    /**
     * Checks the fields.
     *
     * @throws NullPointerException when the name is null
     */
    public BtfParam {
        Objects.requireNonNull(name, "name");
    }

    /**
     * Whether this is the {@code ...} of a variadic function.
     *
     * @return true for an unnamed parameter of type 0
     */
    public boolean isVariadic() {
        return typeId == 0 && name.isEmpty();
    }
}
