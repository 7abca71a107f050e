package io.bpf4j.sim.internal.maps;

import io.bpf4j.api.Errno;
import io.bpf4j.api.MapFlags;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.sim.internal.kernel.KErr;
import io.bpf4j.sim.internal.kernel.Kernel;
import java.util.Arrays;

/**
 * Array and per-CPU array maps ({@code kernel/bpf/arraymap.c}): every index exists and starts
 * zeroed, so there is no delete and no "create only". Storage is allocated on first touch, which
 * nobody can observe, so huge arrays cost nothing until used.
 */
public class ArrayMap extends SimMap {
    private final byte[][] values;
    private final byte[][][] pcpu;
    private final boolean percpu;
    /** Touched entries beyond the first 2^20, which a dense table would waste memory on. */
    private final java.util.Map<Integer, Object> big = new java.util.HashMap<>();
    /**
     * Per-CPU arrays whose value size is not a multiple of 8: the padding of each CPU's
     * {@code round_up(value_size, 8)} slot, CPU after CPU, for indexes user space has written.
     * The kernel copies the rounded size in and out ({@code bpf_percpu_array_update()},
     * {@code bpf_percpu_array_copy()}: {@code copy_map_value_long}); programs see only the value.
     */
    private final java.util.Map<Integer, byte[]> pads = new java.util.HashMap<>();
    /** The padding of the first 2^20 indexes, in an array: element commands must not box an index. */
    private final byte[][] densePads;

    /**
     * Creates the map.
     *
     * @param kernel the kernel
     * @param spec checked attributes
     */
    public ArrayMap(Kernel kernel, MapSpec spec) {
        super(kernel, spec);
        this.percpu = spec.type() == MapType.PERCPU_ARRAY;
        this.values = percpu ? null : new byte[Math.min(spec.maxEntries(), 1 << 20)][];
        this.pcpu = percpu ? new byte[Math.min(spec.maxEntries(), 1 << 20)][][] : null;
        this.densePads = percpu && round8(valueSize) != valueSize ? new byte[Math.min(spec.maxEntries(), 1 << 20)][] : null;
    }

    /** The padding of an index, or null when nothing was written there yet (or there is none). */
    private byte[] pad(int i) {
        if (densePads == null) return null;
        return i < densePads.length ? densePads[i] : pads.get(i);
    }

    /** The padding of an index, made on first write. */
    private byte[] padForWrite(int i) {
        byte[] p = pad(i);
        if (p != null) return p;
        p = new byte[cpus * (round8(valueSize) - valueSize)];
        if (i < densePads.length) densePads[i] = p;
        else pads.put(i, p);
        return p;
    }

    /**
     * Checks the attributes as {@code array_map_alloc_check()} does (also for the fd arrays, after
     * their own checks).
     *
     * @param s the attributes
     */
    static void check(MapSpec s) {
        boolean percpu = s.type() == MapType.PERCPU_ARRAY;
        int mask = MapFlags.NUMA_NODE | MapFlags.MMAPABLE | MapFactory.ACCESS_MASK | MapFlags.PRESERVE_ELEMS
                | MapFlags.INNER_MAP;
        if (s.maxEntries() == 0 || s.keySize() != 4 || s.valueSize() == 0 || (s.flags() & ~mask) != 0
                || !MapFactory.accessOk(s.flags()) || (percpu && (s.flags() & MapFlags.NUMA_NODE) != 0)) {
            throw KErr.of(Errno.EINVAL, "array attributes");
        }
        if (s.type() != MapType.ARRAY && (s.flags() & (MapFlags.MMAPABLE | MapFlags.INNER_MAP)) != 0) {
            throw KErr.of(Errno.EINVAL, "BPF_F_MMAPABLE / BPF_F_INNER_MAP only for arrays");
        }
        if (s.type() != MapType.PERF_EVENT_ARRAY && (s.flags() & MapFlags.PRESERVE_ELEMS) != 0) {
            throw KErr.of(Errno.EINVAL, "BPF_F_PRESERVE_ELEMS only for perf event arrays");
        }
        if (Integer.toUnsignedLong(s.valueSize()) > Integer.MAX_VALUE) throw KErr.of(Errno.E2BIG);
        if (percpu && round8(s.valueSize()) > MapFactory.PCPU_MIN_UNIT_SIZE) throw KErr.of(Errno.E2BIG, "per-CPU value too large");
    }

    @Override
    public boolean metaEqual(SimMap other) {
        // array_map_meta_equal(): max_entries must match unless the template is BPF_F_INNER_MAP.
        return super.metaEqual(other)
                && ((spec.flags() & MapFlags.INNER_MAP) != 0 || maxEntries == other.maxEntries());
    }

    /** The index in a key, or -1 when it is out of range. */
    final long index(byte[] key) {
        long i = Integer.toUnsignedLong(Jhash.le32(key, 0));
        return i < Integer.toUnsignedLong(maxEntries) ? i : -1;
    }

    private byte[] slot(int i) {
        if (i >= values.length) return (byte[]) big.computeIfAbsent(i, k -> new byte[valueSize]);
        if (values[i] == null) values[i] = new byte[valueSize];
        return values[i];
    }

    private byte[][] slots(int i) {
        if (i >= pcpu.length) return (byte[][]) big.computeIfAbsent(i, k -> new byte[cpus][valueSize]);
        if (pcpu[i] == null) pcpu[i] = new byte[cpus][valueSize];
        return pcpu[i];
    }

    @Override
    public void sysLookup(byte[] key, byte[] out) {
        long i = index(key);
        if (i < 0) throw enoent();
        if (!percpu) {
            System.arraycopy(slot((int) i), 0, out, 0, valueSize);
            return;
        }
        byte[][] s = slots((int) i);
        int stride = round8(valueSize);
        int padSize = stride - valueSize;
        byte[] pad = pad((int) i);
        for (int c = 0; c < cpus; c++) {
            System.arraycopy(s[c], 0, out, c * stride, valueSize);
            if (pad != null) System.arraycopy(pad, c * padSize, out, c * stride + valueSize, padSize);
            else Arrays.fill(out, c * stride + valueSize, (c + 1) * stride, (byte) 0);
        }
    }

    @Override
    public void sysUpdate(byte[] key, byte[] value, long flags) {
        // array_map_update_elem(): unknown flags, then range, then NOEXIST (every element exists).
        if ((flags & ~LOCK) > EXIST) throw KErr.of(Errno.EINVAL, "flags");
        long i = index(key);
        if (i < 0) throw KErr.of(Errno.E2BIG, "index out of range");
        if ((flags & NOEXIST) != 0) throw KErr.of(Errno.EEXIST, "array elements always exist");
        if (!percpu) {
            System.arraycopy(value, 0, slot((int) i), 0, valueSize);
            return;
        }
        byte[][] s = slots((int) i);
        int stride = round8(valueSize);
        int padSize = stride - valueSize;
        byte[] pad = padSize > 0 ? padForWrite((int) i) : null;
        for (int c = 0; c < cpus; c++) {
            System.arraycopy(value, c * stride, s[c], 0, valueSize);
            if (pad != null) System.arraycopy(value, c * stride + valueSize, pad, c * padSize, padSize);
        }
    }

    @Override
    public void sysDelete(byte[] key) {
        // array_map_delete_elem() returns -EINVAL: elements cannot be removed.
        throw KErr.of(Errno.EINVAL, "array elements cannot be deleted");
    }

    @Override
    public void sysNextKey(byte[] key, byte[] next) {
        nextIndex(key, next, maxEntries);
    }

    /** {@code array_map_get_next_key()}: a missing or out-of-range key restarts at 0. */
    static void nextIndex(byte[] key, byte[] next, int maxEntries) {
        long index = key == null ? 0xffffffffL : Integer.toUnsignedLong(Jhash.le32(key, 0));
        long max = Integer.toUnsignedLong(maxEntries);
        long n;
        if (index >= max) n = 0;
        else if (index == max - 1) throw enoent();
        else n = index + 1;
        next[0] = (byte) n;
        next[1] = (byte) (n >>> 8);
        next[2] = (byte) (n >>> 16);
        next[3] = (byte) (n >>> 24);
    }

    @Override
    public boolean hasBatch(int cmd) {
        // array_map_ops has generic lookup and update batches only.
        return cmd == 0 || cmd == 2;
    }

    @Override
    public byte[] lookup(byte[] key, int cpu) {
        long i = index(key);
        if (i < 0) return null;
        return percpu ? slots((int) i)[cpu] : slot((int) i);
    }

    @Override
    public int update(byte[] key, byte[] value, long flags, int cpu) {
        if ((flags & ~LOCK) > EXIST) return -Errno.EINVAL.linux();
        long i = index(key);
        if (i < 0) return -Errno.E2BIG.linux();
        if ((flags & NOEXIST) != 0) return -Errno.EEXIST.linux();
        System.arraycopy(value, 0, percpu ? slots((int) i)[cpu] : slot((int) i), 0, valueSize);
        return 0;
    }

    @Override
    public int delete(byte[] key) {
        return -Errno.EINVAL.linux();
    }

    @Override
    public long forEachElem(int cpu, ElemVisitor visitor) {
        // bpf_for_each_array_elem(): every index, the current CPU's value of a per-CPU array.
        byte[] key = new byte[4];
        long n = 0;
        for (int i = 0; i < maxEntries; i++) {
            key[0] = (byte) i;
            key[1] = (byte) (i >>> 8);
            key[2] = (byte) (i >>> 16);
            key[3] = (byte) (i >>> 24);
            n++;
            if (visitor.visit(key, percpu ? slots(i)[cpu] : slot(i))) break;
        }
        return n;
    }
}
