package io.bpf4j.api.object;

import io.bpf4j.api.BpfMap;
import java.util.Objects;

/**
 * A global variable of a loaded object, read and written through its global-data map.
 *
 * <p>A write replaces the map's whole value with this variable changed in it: a program that
 * writes another variable of the same section between the read and the write loses that
 * write. Variables a program updates while user space writes others belong in separate
 * sections ({@code SEC(".data.mine")}). {@code .rodata} variables are frozen after load: set
 * them in the {@link ObjectSpec} before.
 */
public final class GlobalVariable {
    private static final byte[] KEY = new byte[4];

    private final ObjectVariable variable;
    private final BpfMap map;

    GlobalVariable(ObjectVariable variable, BpfMap map) {
        this.variable = variable;
        this.map = map;
    }

    /**
     * What the object says of the variable.
     *
     * @return its name, section, offset, size and type
     */
    public ObjectVariable spec() {
        return variable;
    }

    /**
     * The map holding it.
     *
     * @return the global-data map, owned by the collection
     */
    public BpfMap map() {
        return map;
    }

    /**
     * The variable's bytes now.
     *
     * @return a new array of the variable's size
     */
    public byte[] get() {
        byte[] all = value();
        byte[] out = new byte[variable.size()];
        System.arraycopy(all, variable.offset(), out, 0, out.length);
        return out;
    }

    /**
     * The variable's value now, as an integer sign-extended from its size.
     *
     * @return the value
     * @throws IllegalArgumentException if it is not an integer of 1, 2, 4 or 8 bytes
     */
    public long getLong() {
        Variables.checkInteger(variable);
        return Variables.decode(variable, value(), variable.offset());
    }

    /**
     * Writes the variable's bytes.
     *
     * @param bytes exactly the variable's size
     * @throws IllegalArgumentException naming the parameter for a wrong size
     * @throws IllegalStateException for a {@code .rodata} variable, frozen since load
     */
    public void set(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length != variable.size()) {
            throw new IllegalArgumentException("bytes: " + bytes.length + " bytes for '" + variable.name() + "', which has "
                    + variable.size());
        }
        if (variable.constant()) {
            throw new IllegalStateException("'" + variable.name() + "' is in " + variable.map()
                    + ", frozen after load: set it in the ObjectSpec before loading");
        }
        byte[] all = value();
        System.arraycopy(bytes, 0, all, variable.offset(), bytes.length);
        map.put(KEY, all);
    }

    /**
     * Writes the variable as an integer, truncated to its size.
     *
     * @param value the value
     * @throws IllegalArgumentException if it is not an integer of 1, 2, 4 or 8 bytes
     * @throws IllegalStateException for a {@code .rodata} variable
     */
    public void setLong(long value) {
        set(Variables.encode(variable, value));
    }

    private byte[] value() {
        return map.lookup(KEY).orElseThrow(() -> new IllegalStateException("global-data map " + map.name() + " has no element 0"));
    }

    @Override
    public String toString() {
        return "GlobalVariable[" + variable.name() + " in " + variable.map() + " at " + variable.offset() + ", "
                + variable.size() + " bytes]";
    }
}
