package io.bpf4j.sim.internal.maps;

import io.bpf4j.api.Errno;
import io.bpf4j.api.MapFlags;
import io.bpf4j.api.MapSpec;
import io.bpf4j.sim.internal.attach.Tracepoints;
import io.bpf4j.sim.internal.events.SimPerfEvent;
import io.bpf4j.sim.internal.kernel.FdTable;
import io.bpf4j.sim.internal.kernel.KErr;
import io.bpf4j.sim.internal.kernel.KObject;
import io.bpf4j.sim.internal.kernel.Kernel;
import io.bpf4j.sim.internal.vm.VmPerfEventArray;

/**
 * The perf event array ({@code perf_event_array_map_ops} in {@code kernel/bpf/arraymap.c}, Linux
 * 6.18): user space stores perf event descriptors by index, {@code bpf_perf_event_output} writes
 * to the event at an index (usually the current CPU's). Syscall lookups are {@code ENOTSUPP}
 * (there is no {@code map_fd_sys_lookup_elem}); a descriptor that is no perf event is
 * {@code EBADF}. When the last descriptor of the map goes, its events leave it, unless the map
 * was made with {@code BPF_F_PRESERVE_ELEMS} ({@code perf_event_fd_array_release}).
 */
public final class PerfEventArray extends SimMap implements VmPerfEventArray {
    private static final int EINVAL = 22;
    private static final int ENOENT = 2;
    private static final int EOPNOTSUPP = 95;

    private final KObject[] slots;

    /**
     * Creates the array.
     *
     * @param kernel the kernel
     * @param spec checked attributes
     */
    public PerfEventArray(Kernel kernel, MapSpec spec) {
        super(kernel, spec);
        this.slots = new KObject[spec.maxEntries()];
    }

    /**
     * Checks the attributes as {@code fd_array_map_alloc_check()} and {@code array_map_alloc_check()} do.
     *
     * @param s the attributes
     */
    static void check(MapSpec s) {
        if (s.valueSize() != 4) throw KErr.of(Errno.EINVAL, "values are 4-byte descriptors");
        if ((s.flags() & (MapFlags.RDONLY_PROG | MapFlags.WRONLY_PROG)) != 0) throw KErr.of(Errno.EINVAL, "program access flags");
        ArrayMap.check(s);
        if (s.maxEntries() > (1 << 24)) throw KErr.of(Errno.ENOMEM, "the simulator keeps fd arrays below 2^24 entries");
    }

    private int index(byte[] key) {
        long i = Integer.toUnsignedLong(Jhash.le32(key, 0));
        return i < maxEntries ? (int) i : -1;
    }

    @Override
    public void sysLookup(byte[] key, byte[] out) {
        throw KErr.of(Errno.ENOTSUPP);
    }

    @Override
    public void sysUpdate(byte[] key, byte[] value, long flags) {
        if (flags != ANY) throw KErr.of(Errno.EINVAL, "flags must be BPF_ANY");
        int i = index(key);
        if (i < 0) throw KErr.of(Errno.E2BIG, "index out of range");
        FdTable.Entry e = kernel.fds().find(Jhash.le32(value, 0));
        KObject o = e == null ? null : e.obj();
        if (!(o instanceof SimPerfEvent) && !(o instanceof Tracepoints.PerfEvent)) {
            throw KErr.of(Errno.EBADF, "not a perf event");
        }
        put(i, o.hold());
    }

    private void put(int i, KObject o) {
        KObject old = slots[i];
        slots[i] = o;
        if (old != null) old.put();
    }

    @Override
    public void sysDelete(byte[] key) {
        int i = index(key);
        if (i < 0) throw KErr.of(Errno.E2BIG, "index out of range");
        if (slots[i] == null) throw enoent();
        put(i, null);
    }

    @Override
    public void sysNextKey(byte[] key, byte[] next) {
        ArrayMap.nextIndex(key, next, maxEntries);
    }

    @Override
    protected void lastUserGone() {
        if ((spec.flags() & MapFlags.PRESERVE_ELEMS) == 0) clear();
    }

    @Override
    protected void destroy() {
        clear();
        super.destroy();
    }

    private void clear() {
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] != null) put(i, null);
        }
    }

    @Override
    public int output(int index, byte[] sample, int cpu) {
        KObject o = slots[index];
        if (o == null) return -ENOENT;
        // __bpf_perf_event_output(): only a BPF output event, and only on its own CPU.
        if (!(o instanceof SimPerfEvent)) return -EINVAL;
        SimPerfEvent e = (SimPerfEvent) o;
        if (e.cpu() != cpu) return -EOPNOTSUPP;
        return e.output(sample);
    }

    @Override
    public byte[] lookup(byte[] key, int cpu) {
        return null;
    }

    @Override
    public int update(byte[] key, byte[] value, long flags, int cpu) {
        return -EINVAL;
    }

    @Override
    public int delete(byte[] key) {
        return -EINVAL;
    }
}
