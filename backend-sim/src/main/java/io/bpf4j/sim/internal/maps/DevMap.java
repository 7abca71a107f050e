package io.bpf4j.sim.internal.maps;

import io.bpf4j.api.AttachType;
import io.bpf4j.api.Errno;
import io.bpf4j.api.MapFlags;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.ProgramType;
import io.bpf4j.sim.internal.kernel.KErr;
import io.bpf4j.sim.internal.kernel.KObject;
import io.bpf4j.sim.internal.kernel.Kernel;
import io.bpf4j.sim.internal.kernel.ObjKind;
import io.bpf4j.sim.internal.prog.SimProgram;
import io.bpf4j.sim.internal.vm.VmRedirectMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Device maps ({@code kernel/bpf/devmap.c}, Linux 6.18): {@code DEVMAP}, an array of devices, and
 * {@code DEVMAP_HASH}, the same keyed by a hash of the index. A value is {@code struct
 * bpf_devmap_val}: an ifindex and, in an 8-byte value, an XDP program's descriptor (read back as
 * its id). The simulator's only device is the loopback, ifindex 1; any other is a device that does
 * not exist ({@code EINVAL}, as the kernel answers for an unknown ifindex).
 */
public final class DevMap extends SimMap implements VmRedirectMap {
    private static final int LOOPBACK = 1;

    /** An entry: the value as a lookup shows it, and the program it holds. */
    private static final class Entry {
        final byte[] val;
        final KObject prog;

        Entry(byte[] val, KObject prog) {
            this.val = val;
            this.prog = prog;
        }
    }

    private final boolean hash;
    private final Map<Integer, Entry> entries = new HashMap<>();
    /** {@code DEVMAP_HASH}: each bucket's keys, newest first ({@code hlist_add_head_rcu()}), by bucket. */
    private final TreeMap<Integer, List<Integer>> buckets = new TreeMap<>();
    private final int bucketMask;

    /**
     * Creates the map.
     *
     * @param kernel the kernel
     * @param spec checked attributes (with {@code BPF_F_RDONLY_PROG}, see {@link #adjust})
     */
    public DevMap(Kernel kernel, MapSpec spec) {
        super(kernel, spec);
        this.hash = spec.type() == MapType.DEVMAP_HASH;
        this.bucketMask = (int) (buckets(spec.maxEntries()) - 1);
    }

    /** {@code roundup_pow_of_two(max_entries)}: the hash's buckets. */
    static long buckets(int maxEntries) {
        long n = Integer.toUnsignedLong(maxEntries);
        return n <= 1 ? 1 : Long.highestOneBit(n - 1) << 1;
    }

    /**
     * {@code dev_map_alloc_check()}: 4-byte keys, 4- or 8-byte values, only the NUMA and
     * descriptor-access flags, at most 2^31 hash entries.
     *
     * @param s the attributes
     */
    static void check(MapSpec s) {
        int mask = MapFlags.NUMA_NODE | MapFlags.RDONLY | MapFlags.WRONLY;
        if (s.maxEntries() == 0 || s.keySize() != 4 || (s.valueSize() != 4 && s.valueSize() != 8) || (s.flags() & ~mask) != 0) {
            throw KErr.of(Errno.EINVAL, "device map attributes");
        }
        if (s.type() == MapType.DEVMAP_HASH && Integer.toUnsignedLong(s.maxEntries()) > 1L << 31) {
            throw KErr.of(Errno.EINVAL, "device hash of more than 2^31 entries");
        }
    }

    /** {@code dev_map_init_map()} marks the map read-only for programs: a lookup points at the entry itself. */
    static MapSpec adjust(MapSpec s) {
        return s.withFlags(s.flags() | MapFlags.RDONLY_PROG);
    }

    private static int le32(byte[] b, int at) {
        return Jhash.le32(b, at);
    }

    private boolean inRange(int i) {
        return Integer.toUnsignedLong(i) < Integer.toUnsignedLong(maxEntries);
    }

    @Override
    public void sysLookup(byte[] key, byte[] out) {
        Entry e = entries.get(le32(key, 0));
        if (e == null) throw enoent();
        System.arraycopy(e.val, 0, out, 0, valueSize);
    }

    /** {@code __dev_map_alloc_node()}: the device and the program; every failure is {@code EINVAL}. */
    private Entry node(byte[] value) {
        int ifindex = le32(value, 0);
        int fd = valueSize == 8 ? le32(value, 4) : 0;
        if (ifindex != LOOPBACK) throw KErr.of(Errno.EINVAL, "no device with ifindex " + Integer.toUnsignedString(ifindex));
        KObject prog = null;
        int id = 0;
        if (fd > 0) {
            SimProgram p = entryProgram(kernel, fd, AttachType.XDP_DEVMAP, Errno.EINVAL, "device maps");
            prog = p.hold();
            id = p.id();
        }
        byte[] val = new byte[valueSize];
        System.arraycopy(value, 0, val, 0, 4);
        if (valueSize == 8) {
            val[4] = (byte) id;
            val[5] = (byte) (id >>> 8);
            val[6] = (byte) (id >>> 16);
            val[7] = (byte) (id >>> 24);
        }
        return new Entry(val, prog);
    }

    private static void free(Entry e) {
        if (e != null && e.prog != null) e.prog.put();
    }

    @Override
    public void sysUpdate(byte[] key, byte[] value, long flags) {
        int i = le32(key, 0);
        int ifindex = le32(value, 0);
        int fd = valueSize == 8 ? le32(value, 4) : 0;
        if (Long.compareUnsigned(flags, EXIST) > 0) throw KErr.of(Errno.EINVAL, "flags");
        if (!hash) {
            if (!inRange(i)) throw KErr.of(Errno.E2BIG, "index out of range");
            if (flags == NOEXIST) throw KErr.of(Errno.EEXIST, "every index exists");
            if (ifindex == 0) {
                // An empty slot; it cannot hold a program.
                if (fd > 0) throw KErr.of(Errno.EINVAL, "a program without a device");
                free(entries.remove(i));
                return;
            }
            free(entries.put(i, node(value)));
            return;
        }
        if (ifindex == 0) throw KErr.of(Errno.EINVAL, "ifindex 0");
        Entry old = entries.get(i);
        if (old != null && (flags & NOEXIST) != 0) throw KErr.of(Errno.EEXIST, "key exists");
        Entry e = node(value);
        int b = i & bucketMask;
        List<Integer> bucket = buckets.computeIfAbsent(b, x -> new ArrayList<>());
        if (old != null) {
            bucket.remove(Integer.valueOf(i));
        } else if (entries.size() >= maxEntries) {
            free(e);
            if (bucket.isEmpty()) buckets.remove(b);
            throw KErr.of(Errno.E2BIG, "map is full");
        }
        bucket.add(0, i);
        entries.put(i, e);
        free(old);
    }

    @Override
    public void sysDelete(byte[] key) {
        int i = le32(key, 0);
        if (!hash) {
            // dev_map_delete_elem(): out of range is EINVAL, an empty slot is not an error.
            if (!inRange(i)) throw KErr.of(Errno.EINVAL, "index out of range");
            free(entries.remove(i));
            return;
        }
        Entry e = entries.remove(i);
        if (e == null) throw enoent();
        int b = i & bucketMask;
        List<Integer> bucket = buckets.get(b);
        bucket.remove(Integer.valueOf(i));
        if (bucket.isEmpty()) buckets.remove(b);
        free(e);
    }

    @Override
    public void sysNextKey(byte[] key, byte[] next) {
        if (!hash) {
            ArrayMap.nextIndex(key, next, maxEntries);
            return;
        }
        // dev_map_hash_get_next_key(): the key's successor in its bucket, else the next bucket's
        // first; a missing key starts over.
        Integer n = null;
        long from = 0;
        if (key != null && entries.containsKey(le32(key, 0))) {
            int i = le32(key, 0);
            List<Integer> bucket = buckets.get(i & bucketMask);
            int at = bucket.indexOf(i);
            if (at + 1 < bucket.size()) n = bucket.get(at + 1);
            else from = (long) (i & bucketMask) + 1;
        }
        if (n == null) {
            Map.Entry<Integer, List<Integer>> b = from > Integer.MAX_VALUE ? null : buckets.ceilingEntry((int) from);
            if (b == null) throw enoent();
            n = b.getValue().get(0);
        }
        next[0] = (byte) (int) n;
        next[1] = (byte) (n >>> 8);
        next[2] = (byte) (n >>> 16);
        next[3] = (byte) (n >>> 24);
    }

    @Override
    public byte[] lookup(byte[] key, int cpu) {
        Entry e = entries.get(le32(key, 0));
        return e == null ? null : e.val;
    }

    @Override
    public boolean hasTarget(int key) {
        return entries.containsKey(key);
    }

    @Override
    public boolean broadcasts() {
        return true;
    }

    @Override
    protected void destroy() {
        for (Entry e : entries.values()) free(e);
        entries.clear();
        buckets.clear();
        super.destroy();
    }

    /**
     * The XDP program a device or CPU map entry names ({@code dev_map_bpf_prog_run}'s and
     * {@code cpu_map_bpf_prog_run}'s programs), or the map's refusal with {@code errno}: EINVAL for
     * device maps, ENOMEM for CPU maps, whose entry allocation fails as a whole.
     */
    static SimProgram entryProgram(Kernel kernel, int fd, AttachType eat, Errno errno, String maps) {
        SimProgram p;
        try {
            KObject o = kernel.fd(fd).obj();
            if (o.kind() != ObjKind.PROG) throw KErr.of(errno, "not a program");
            p = (SimProgram) o;
        } catch (KErr x) {
            throw KErr.of(errno, "fd " + fd + " is not an XDP program");
        }
        if (p.type() != ProgramType.XDP || p.expectedAttachType() != eat) {
            throw KErr.of(errno, "the program is not an XDP program for " + maps);
        }
        return p;
    }
}
