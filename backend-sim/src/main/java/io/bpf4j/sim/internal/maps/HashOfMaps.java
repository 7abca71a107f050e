package io.bpf4j.sim.internal.maps;

import io.bpf4j.api.Errno;
import io.bpf4j.api.MapSpec;
import io.bpf4j.sim.internal.kernel.KErr;
import io.bpf4j.sim.internal.kernel.KObject;
import io.bpf4j.sim.internal.kernel.Kernel;

/**
 * The hash of maps ({@code fd_htab_map_*} in {@code kernel/bpf/hashtab.c}): a hash map whose
 * values are inner maps. User space writes descriptors and reads ids; each element holds a
 * reference to its inner map.
 */
public final class HashOfMaps extends HashTab {
    private final SimMap template;

    /**
     * Creates the map.
     *
     * @param kernel the kernel
     * @param spec checked attributes
     * @param template the map whose attributes inner maps must have
     */
    public HashOfMaps(Kernel kernel, MapSpec spec, SimMap template) {
        super(kernel, spec);
        this.template = template;
    }

    /**
     * Checks the attributes as {@code fd_htab_map_alloc_check()} does.
     *
     * @param s the attributes
     * @param cpus possible CPUs
     */
    static void checkFd(MapSpec s, int cpus) {
        if (s.valueSize() != 4) throw KErr.of(Errno.EINVAL, "values are 4-byte descriptors");
        HashTab.check(s, cpus);
    }

    @Override
    public boolean isMapInMap() {
        return true;
    }

    /**
     * The inner map template.
     *
     * @return the template
     */
    public SimMap template() {
        return template;
    }

    @Override
    public void sysUpdate(byte[] key, byte[] value, long flags) {
        // bpf_fd_htab_map_update_elem(): the descriptor is resolved before the flags are checked.
        KObject inner = FdArray.resolve(kernel, Jhash.le32(value, 0), this);
        Elem e = updateElem(key, new byte[4], flags);
        e.obj = inner.hold();
    }

    @Override
    public void sysLookup(byte[] key, byte[] out) {
        Elem e = find(key);
        if (e == null) throw enoent();
        valueForBatch(e, out, 0);
    }

    @Override
    void valueForBatch(Elem e, byte[] values, int off) {
        int id = ((KObject) e.obj).id();
        values[off] = (byte) id;
        values[off + 1] = (byte) (id >>> 8);
        values[off + 2] = (byte) (id >>> 16);
        values[off + 3] = (byte) (id >>> 24);
    }

    @Override
    public void sysLookupAndDelete(byte[] key, byte[] out, long flags) {
        // Only the plain, per-CPU and LRU hashes implement lookup-and-delete.
        throw KErr.of(Errno.ENOTSUPP);
    }

    @Override
    void freeElem(Elem e) {
        if (e.obj != null) ((KObject) e.obj).put();
        e.obj = null;
    }

    @Override
    protected void destroy() {
        for (Elem e : elems()) freeElem(e);
        super.destroy();
    }

    /**
     * The inner map stored under a key, for programs.
     *
     * @param key the key
     * @return the inner map, or null
     */
    public SimMap inner(byte[] key) {
        Elem e = find(key);
        return e == null ? null : (SimMap) e.obj;
    }

    @Override
    public io.bpf4j.sim.internal.vm.VmMap innerMap(byte[] key) {
        return inner(key);
    }

    @Override
    public byte[] lookup(byte[] key, int cpu) {
        return null;
    }

    @Override
    public int update(byte[] key, byte[] value, long flags, int cpu) {
        return -Errno.EINVAL.linux();
    }
}
