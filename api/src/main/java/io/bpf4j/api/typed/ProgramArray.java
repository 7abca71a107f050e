package io.bpf4j.api.typed;

import io.bpf4j.api.BpfMap;
import io.bpf4j.api.BpfProgram;
import io.bpf4j.api.MapType;
import io.bpf4j.api.UpdateFlags;
import java.util.EnumSet;

/**
 * A {@code PROG_ARRAY} (tail-call table) set by program handle rather than by descriptor bytes.
 * Reading a slot from user space gives the program's id, as the kernel answers.
 */
public final class ProgramArray {
    private final BpfMap map;

    private ProgramArray(BpfMap map) {
        this.map = map;
    }

    /**
     * A view of a program array.
     *
     * @param map a {@code PROG_ARRAY} map
     * @return the view
     * @throws IllegalArgumentException naming the map type
     */
    public static ProgramArray of(BpfMap map) {
        Views.kind(map, EnumSet.of(MapType.PROG_ARRAY), "program array");
        return new ProgramArray(map);
    }

    /**
     * Puts a program in a slot (the array keeps its own reference; the handle may be closed).
     *
     * @param index the slot
     * @param program the program
     */
    public void set(int index, BpfProgram program) {
        if (program == null) throw new IllegalArgumentException("program: null");
        map.update(FdSlots.u32(index, "index"), FdSlots.u32(program.fd(), "program"), UpdateFlags.ANY);
    }

    /**
     * Empties a slot.
     *
     * @param index the slot
     * @return false when it was empty
     */
    public boolean clear(int index) {
        return map.delete(FdSlots.u32(index, "index"));
    }

    /**
     * The id of the program in a slot.
     *
     * @param index the slot
     * @return the id, or 0 when the slot is empty
     */
    public int programId(int index) {
        byte[] v = new byte[4];
        return map.lookup(FdSlots.u32(index, "index"), v) ? Bytes.getInt(v, 0) : 0;
    }
}
