package io.bpf4j.sim.internal.maps;

import io.bpf4j.api.Errno;
import io.bpf4j.api.MapFlags;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.sim.internal.kernel.FdTable;
import io.bpf4j.sim.internal.kernel.KErr;
import io.bpf4j.sim.internal.kernel.KObject;
import io.bpf4j.sim.internal.kernel.Kernel;
import io.bpf4j.sim.internal.kernel.ObjKind;

/**
 * Arrays whose values are objects: the prog array (tail calls) and the array of maps
 * ({@code fd_array_map_*} in {@code kernel/bpf/arraymap.c}). User space writes descriptors and
 * reads ids; each slot holds a reference to its object. A prog array is emptied when its last
 * descriptor or pin goes, as the kernel does to break tail-call cycles.
 */
public class FdArray extends SimMap {
    private final KObject[] slots;
    private final SimMap template;
    /** The prog array's owner ({@code map->owner}): fixed by the first program loaded with it or stored in it. */
    private io.bpf4j.api.ProgramType ownerType;
    private io.bpf4j.api.AttachType ownerAttach;

    /**
     * Creates the array.
     *
     * @param kernel the kernel
     * @param spec checked attributes
     * @param template for arrays of maps, the map inner maps must match (only its attributes are used,
     *     as the kernel keeps only a copy of them); else null
     */
    public FdArray(Kernel kernel, MapSpec spec, SimMap template) {
        super(kernel, spec);
        this.slots = new KObject[spec.maxEntries()];
        this.template = template;
    }

    /**
     * Checks the attributes as {@code fd_array_map_alloc_check()} does, then as an array.
     *
     * @param s the attributes
     */
    static void check(MapSpec s) {
        if (s.valueSize() != 4) throw KErr.of(Errno.EINVAL, "values are 4-byte descriptors");
        if ((s.flags() & (MapFlags.RDONLY_PROG | MapFlags.WRONLY_PROG)) != 0) throw KErr.of(Errno.EINVAL, "program access flags");
        ArrayMap.check(s);
        if (s.maxEntries() > (1 << 24)) throw KErr.of(Errno.ENOMEM, "the simulator keeps fd arrays below 2^24 entries");
    }

    @Override
    public boolean isMapInMap() {
        return type() == MapType.ARRAY_OF_MAPS;
    }

    /**
     * The inner map template.
     *
     * @return the template, or null for prog arrays
     */
    public SimMap template() {
        return template;
    }

    @Override
    public boolean metaEqual(SimMap other) {
        return super.metaEqual(other) && maxEntries == other.maxEntries();
    }

    private int index(byte[] key) {
        long i = Integer.toUnsignedLong(Jhash.le32(key, 0));
        return i < maxEntries ? (int) i : -1;
    }

    @Override
    public void sysLookup(byte[] key, byte[] out) {
        int i = index(key);
        KObject o = i < 0 ? null : slots[i];
        if (o == null) throw enoent();
        int id = o.id();
        out[0] = (byte) id;
        out[1] = (byte) (id >>> 8);
        out[2] = (byte) (id >>> 16);
        out[3] = (byte) (id >>> 24);
    }

    @Override
    public void sysUpdate(byte[] key, byte[] value, long flags) {
        // bpf_fd_array_map_update_elem(): only BPF_ANY, index in range, then the descriptor.
        if (flags != ANY) throw KErr.of(Errno.EINVAL, "flags must be BPF_ANY");
        int i = index(key);
        if (i < 0) throw KErr.of(Errno.E2BIG, "index out of range");
        KObject o = resolve(kernel, Jhash.le32(value, 0), this);
        KObject old = slots[i];
        slots[i] = o.hold();
        if (old != null) old.put();
    }

    /** {@code map_fd_get_ptr}: the object a descriptor value names, checked for this map. */
    static KObject resolve(Kernel kernel, int fd, SimMap outer) {
        FdTable.Entry e = kernel.fd(fd);
        if (outer.type() == MapType.PROG_ARRAY) {
            if (e.obj().kind() != ObjKind.PROG) throw KErr.of(Errno.EINVAL, "not a program");
            ((FdArray) outer).checkOwner((io.bpf4j.sim.internal.prog.SimProgram) e.obj());
            return e.obj();
        }
        if (e.obj().kind() != ObjKind.MAP) throw KErr.of(Errno.EINVAL, "not a map");
        SimMap inner = (SimMap) e.obj();
        SimMap tmpl = outer instanceof FdArray ? ((FdArray) outer).template : ((HashOfMaps) outer).template();
        if (!tmpl.metaEqual(inner)) throw KErr.of(Errno.EINVAL, "inner map does not match the template");
        return inner;
    }

    /**
     * {@code __bpf_prog_map_compatible()}: the first program loaded with this prog array, or
     * stored in it, fixes its owner's type and expected attach type; a later program of another
     * type or attach type is {@code EINVAL} (at load for a program that uses the array, at update
     * for one stored in it), so a tail call never crosses program types.
     *
     * @param p the program
     */
    public void checkOwner(io.bpf4j.sim.internal.prog.SimProgram p) {
        io.bpf4j.api.ProgramType t = p.type();
        if (t == io.bpf4j.api.ProgramType.EXT) throw KErr.of(Errno.EINVAL, "extension programs cannot be tail-called");
        if (ownerType == null) {
            ownerType = t;
            ownerAttach = p.expectedAttachType();
        } else if (ownerType != t || ownerAttach != p.expectedAttachType()) {
            throw KErr.of(Errno.EINVAL, "prog array holds " + ownerType + " programs"
                    + (ownerAttach == null ? "" : " for " + ownerAttach));
        }
    }

    @Override
    public void sysDelete(byte[] key) {
        int i = index(key);
        // __fd_array_map_delete_elem() checks the range with E2BIG, unlike plain arrays.
        if (i < 0) throw KErr.of(Errno.E2BIG, "index out of range");
        KObject old = slots[i];
        if (old == null) throw enoent();
        slots[i] = null;
        old.put();
    }

    @Override
    public void sysNextKey(byte[] key, byte[] next) {
        ArrayMap.nextIndex(key, next, maxEntries);
    }

    @Override
    public boolean hasBatch(int cmd) {
        // array_of_maps_map_ops has generic lookup and update batches; prog_array_map_ops none.
        return type() == MapType.ARRAY_OF_MAPS && (cmd == 0 || cmd == 2);
    }

    /**
     * The object in a slot, for tail calls and inner map lookups.
     *
     * @param index the slot
     * @return the program or map, or null
     */
    public KObject get(long index) {
        return index >= 0 && index < maxEntries ? slots[(int) index] : null;
    }

    @Override
    public io.bpf4j.sim.internal.vm.VmMap innerMap(byte[] key) {
        int i = type() == MapType.ARRAY_OF_MAPS ? index(key) : -1;
        return i >= 0 && slots[i] instanceof SimMap m ? m : null;
    }

    private void clear() {
        for (int i = 0; i < slots.length; i++) {
            KObject o = slots[i];
            if (o != null) {
                slots[i] = null;
                o.put();
            }
        }
    }

    @Override
    protected void lastUserGone() {
        if (type() == MapType.PROG_ARRAY) clear();
    }

    @Override
    protected void destroy() {
        clear();
        super.destroy();
    }

    @Override
    public int update(byte[] key, byte[] value, long flags, int cpu) {
        // Programs cannot update fd arrays (the verifier refuses the helper call).
        return -Errno.EINVAL.linux();
    }

    @Override
    public int delete(byte[] key) {
        int i = index(key);
        if (i < 0) return -Errno.E2BIG.linux();
        KObject old = slots[i];
        if (old == null) return -Errno.ENOENT.linux();
        slots[i] = null;
        old.put();
        return 0;
    }
}
