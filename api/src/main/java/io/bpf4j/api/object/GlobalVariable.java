package io.bpf4j.api.object;

import io.bpf4j.api.BpfMap;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A global variable of a loaded object, read and written through its global-data map.
 *
 * <p>Where the backend maps the map into the process ({@link io.bpf4j.api.Operation#MAP_MMAP}: on
 * Linux, a map created with {@code BPF_F_MMAPABLE}), reads and writes go through that memory
 * without a system call and touch only the variable's own bytes ({@link #mapped()}); a frozen
 * map, such as {@code .rodata}, is mapped read-only. The collection owns the mapping and unmaps
 * it when it closes; a variable used after that throws {@link IllegalStateException}.
 *
 * <p>Otherwise a write replaces the map's whole value with this variable changed in it: a program
 * that writes another variable of the same section between the read and the write loses that
 * write. Variables a program updates while user space writes others belong in separate
 * sections ({@code SEC(".data.mine")}). {@code .rodata} variables are frozen after load: set
 * them in the {@link ObjectSpec} before.
 */
public final class GlobalVariable {
    private static final byte[] KEY = new byte[4];

    private final ObjectVariable variable;
    private final BpfMap map;
    private final BpfCollection owner;
    /** The map's value mapped into the process, or null to go through lookup and update. */
    private final ByteBuffer memory;

    GlobalVariable(ObjectVariable variable, BpfMap map, BpfCollection owner, ByteBuffer memory) {
        this.variable = variable;
        this.map = map;
        this.owner = owner;
        this.memory = memory;
    }

    /**
     * Whether reads and writes go through the map's memory mapped into the process rather than
     * through map lookup and update.
     *
     * @return true when mapped
     */
    public boolean mapped() {
        return memory != null;
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
        if (memory != null) return read();
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
        if (memory != null) return Variables.decode(variable, read(), 0);
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
        if (memory != null) {
            // The program sees the bytes as they land; only this variable's bytes change.
            synchronized (owner) {
                owner.checkOpen();
                memory.put(variable.offset(), bytes);
            }
            return;
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

    /**
     * The variable's bytes from the mapping. The collection's lock keeps its close (which unmaps)
     * from running meanwhile: memory read after munmap would fault.
     */
    private byte[] read() {
        byte[] out = new byte[variable.size()];
        synchronized (owner) {
            owner.checkOpen();
            memory.get(variable.offset(), out);
        }
        return out;
    }

    private byte[] value() {
        owner.checkOpen();
        return map.lookup(KEY).orElseThrow(() -> new IllegalStateException("global-data map " + map.name() + " has no element 0"));
    }

    @Override
    public String toString() {
        return "GlobalVariable[" + variable.name() + " in " + variable.map() + " at " + variable.offset() + ", "
                + variable.size() + " bytes]";
    }
}
