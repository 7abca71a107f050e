package io.bpf4j.sim.internal.maps;

import io.bpf4j.api.AttachType;
import io.bpf4j.api.Errno;
import io.bpf4j.api.MapFlags;
import io.bpf4j.api.MapSpec;
import io.bpf4j.sim.internal.kernel.KErr;
import io.bpf4j.sim.internal.kernel.KObject;
import io.bpf4j.sim.internal.kernel.Kernel;
import io.bpf4j.sim.internal.prog.SimProgram;
import io.bpf4j.sim.internal.vm.VmRedirectMap;

/**
 * The CPU map ({@code kernel/bpf/cpumap.c}, Linux 6.18): per CPU, the size of the queue
 * redirected frames wait in and, in an 8-byte value, an XDP program's descriptor (read back as
 * its id). A queue size of 0 empties the slot. The simulator's possible CPUs are the machine's.
 */
public final class CpuMap extends SimMap implements VmRedirectMap {
    /** {@code NR_CPUS} of the kernel this models (x86-64 distribution configuration of 6.18 here: 256). */
    static final int NR_CPUS = 256;
    /** The largest queue, {@code cpu_map_update_elem()}'s sanity limit. */
    private static final int MAX_QSIZE = 16384;

    private final byte[][] slots;
    private final KObject[] progs;

    /**
     * Creates the map.
     *
     * @param kernel the kernel
     * @param spec checked attributes
     */
    public CpuMap(Kernel kernel, MapSpec spec) {
        super(kernel, spec);
        this.slots = new byte[spec.maxEntries()][];
        this.progs = new KObject[spec.maxEntries()];
    }

    /**
     * {@code cpu_map_alloc()}: 4-byte keys, 4- or 8-byte values, only the NUMA flag, at most
     * {@code NR_CPUS} entries ({@code E2BIG}).
     *
     * @param s the attributes
     */
    static void check(MapSpec s) {
        if (s.maxEntries() == 0 || s.keySize() != 4 || (s.valueSize() != 4 && s.valueSize() != 8)
                || (s.flags() & ~MapFlags.NUMA_NODE) != 0) {
            throw KErr.of(Errno.EINVAL, "CPU map attributes");
        }
        if (Integer.toUnsignedLong(s.maxEntries()) > NR_CPUS) throw KErr.of(Errno.E2BIG, "more entries than NR_CPUS");
    }

    private int index(byte[] key) {
        long i = Integer.toUnsignedLong(Jhash.le32(key, 0));
        return i < maxEntries ? (int) i : -1;
    }

    @Override
    public void sysLookup(byte[] key, byte[] out) {
        int i = index(key);
        if (i < 0 || slots[i] == null) throw enoent();
        System.arraycopy(slots[i], 0, out, 0, valueSize);
    }

    @Override
    public void sysUpdate(byte[] key, byte[] value, long flags) {
        int qsize = Jhash.le32(value, 0);
        int fd = valueSize == 8 ? Jhash.le32(value, 4) : 0;
        if (Long.compareUnsigned(flags, EXIST) > 0) throw KErr.of(Errno.EINVAL, "flags");
        int i = index(key);
        if (i < 0) throw KErr.of(Errno.E2BIG, "index out of range");
        if (flags == NOEXIST) throw KErr.of(Errno.EEXIST, "every index exists");
        if (Integer.compareUnsigned(qsize, MAX_QSIZE) > 0) throw KErr.of(Errno.EOVERFLOW, "queue size above 16384");
        if (i >= cpus) throw KErr.of(Errno.ENODEV, "CPU " + i + " is not possible");
        KObject prog = null;
        int id = 0;
        if (qsize != 0 && fd > 0) {
            // __cpu_map_entry_alloc() fails as a whole: ENOMEM whatever the program's fault.
            SimProgram p = DevMap.entryProgram(kernel, fd, AttachType.XDP_CPUMAP, Errno.ENOMEM, "CPU maps");
            prog = p.hold();
            id = p.id();
        }
        byte[] val = null;
        if (qsize != 0) {
            val = new byte[valueSize];
            System.arraycopy(value, 0, val, 0, 4);
            if (valueSize == 8) {
                val[4] = (byte) id;
                val[5] = (byte) (id >>> 8);
                val[6] = (byte) (id >>> 16);
                val[7] = (byte) (id >>> 24);
            }
        }
        replace(i, val, prog);
    }

    private void replace(int i, byte[] val, KObject prog) {
        KObject old = progs[i];
        slots[i] = val;
        progs[i] = prog;
        if (old != null) old.put();
    }

    @Override
    public void sysDelete(byte[] key) {
        int i = index(key);
        if (i < 0) throw KErr.of(Errno.EINVAL, "index out of range");
        replace(i, null, null);
    }

    @Override
    public void sysNextKey(byte[] key, byte[] next) {
        ArrayMap.nextIndex(key, next, maxEntries);
    }

    @Override
    public boolean hasTarget(int key) {
        return Integer.toUnsignedLong(key) < maxEntries && slots[key] != null;
    }

    @Override
    public boolean broadcasts() {
        return false;
    }

    @Override
    protected void destroy() {
        for (int i = 0; i < slots.length; i++) replace(i, null, null);
        super.destroy();
    }
}
