package io.bpf4j.sim.internal.maps;

import io.bpf4j.api.BpfUnsupportedException;
import io.bpf4j.api.Errno;
import io.bpf4j.api.MapFlags;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.Operation;
import io.bpf4j.sim.internal.kernel.FdTable;
import io.bpf4j.sim.internal.kernel.KErr;
import io.bpf4j.sim.internal.kernel.Kernel;
import io.bpf4j.sim.internal.kernel.ObjKind;

/**
 * {@code BPF_MAP_CREATE}: the generic checks of {@code map_create()} in the kernel's order, then
 * the type's own {@code map_alloc_check}, then the map.
 */
public final class MapFactory {
    /** {@code BPF_F_ACCESS_MASK}. */
    static final int ACCESS_MASK = MapFlags.RDONLY | MapFlags.RDONLY_PROG | MapFlags.WRONLY | MapFlags.WRONLY_PROG;
    /** {@code KMALLOC_MAX_SIZE} on x86-64: 4 MiB. */
    static final long KMALLOC_MAX_SIZE = 1L << 22;
    /** {@code PCPU_MIN_UNIT_SIZE}: 32 KiB, the largest per-CPU value. */
    static final int PCPU_MIN_UNIT_SIZE = 32 << 10;

    private MapFactory() {
    }

    /** {@code bpf_map_flags_access_ok()}: programs cannot be both read-only and write-only. */
    static boolean accessOk(int flags) {
        return (flags & (MapFlags.RDONLY_PROG | MapFlags.WRONLY_PROG)) != (MapFlags.RDONLY_PROG | MapFlags.WRONLY_PROG);
    }

    /**
     * Why the simulator does not have a map type, or null when it does.
     *
     * @param t the type
     * @return the reason, starting with "not simulated", or null
     */
    public static String unsupported(MapType t) {
        switch (t) {
            case HASH: case ARRAY: case PERCPU_HASH: case PERCPU_ARRAY: case LRU_HASH: case LRU_PERCPU_HASH:
            case LPM_TRIE: case QUEUE: case STACK: case BLOOM_FILTER: case RINGBUF: case PROG_ARRAY:
            case ARRAY_OF_MAPS: case HASH_OF_MAPS: case PERF_EVENT_ARRAY: case USER_RINGBUF:
            case DEVMAP: case DEVMAP_HASH: case CPUMAP:
                return null;
            case STACK_TRACE: return "not simulated: stack traces need a real kernel stack";
            case CGROUP_ARRAY: return "not simulated: cgroup arrays need real cgroup descriptors";
            case XSKMAP: return "not simulated: XSK maps need AF_XDP sockets";
            case SOCKMAP: case SOCKHASH: case REUSEPORT_SOCKARRAY: return "not simulated: socket maps need real sockets";
            case CGROUP_STORAGE: case PERCPU_CGROUP_STORAGE: case CGRP_STORAGE:
                return "not simulated: cgroup storage needs cgroups and BTF";
            case SK_STORAGE: case INODE_STORAGE: case TASK_STORAGE:
                return "not simulated: local storage needs sockets, inodes or tasks and BTF";
            case STRUCT_OPS: return "not simulated: struct_ops needs kernel BTF";
            case ARENA: return "not simulated: arenas need mmap";
            default: return "not simulated: " + t;
        }
    }

    /**
     * Creates a map.
     *
     * @param k the kernel
     * @param s the attributes
     * @return the new map, not yet registered
     */
    public static SimMap create(Kernel k, MapSpec s) {
        MapType t = s.type();
        // BPF_F_TOKEN_FD is stripped before the per-type checks; tokens are not simulated.
        if ((s.flags() & MapFlags.TOKEN_FD) != 0) {
            throw new BpfUnsupportedException(Kernel.BACKEND, Operation.MAP_CREATE, "not simulated: BPF tokens");
        }
        if (s.btfVmlinuxValueTypeId() != 0) {
            if (t != MapType.STRUCT_OPS || s.btfKeyTypeId() != 0 || s.btfValueTypeId() != 0) throw KErr.of(Errno.EINVAL, "btf_vmlinux_value_type_id");
        } else if (s.btfKeyTypeId() != 0 && s.btfValueTypeId() == 0) {
            throw KErr.of(Errno.EINVAL, "BTF key type without value type");
        }
        if (t != MapType.BLOOM_FILTER && t != MapType.ARENA && s.mapExtra() != 0) throw KErr.of(Errno.EINVAL, "map_extra");
        if ((s.flags() & MapFlags.RDONLY) != 0 && (s.flags() & MapFlags.WRONLY) != 0) throw KErr.of(Errno.EINVAL, "RDONLY and WRONLY");
        // The simulated machine has one NUMA node, 0.
        if ((s.flags() & MapFlags.NUMA_NODE) != 0 && s.numaNode() != 0) throw KErr.of(Errno.EINVAL, "NUMA node " + s.numaNode());
        String why = unsupported(t);
        if (why != null) throw new BpfUnsupportedException(Kernel.BACKEND, Operation.MAP_CREATE, why);
        allocCheck(t, s, k.config().possibleCpus());
        long bytes = allocation(s, k.config().possibleCpus());
        if (bytes > k.config().memory()) {
            throw KErr.of(Errno.ENOMEM, "the map needs " + bytes + " bytes; the machine has " + k.config().memory());
        }
        if (s.ifindex() != 0) throw new BpfUnsupportedException(Kernel.BACKEND, Operation.MAP_CREATE, "not simulated: device offload");
        FdTable.Entry btf = null;
        int lock = -1;
        if (s.btfKeyTypeId() != 0 || s.btfValueTypeId() != 0) {
            btf = k.fd(s.btfFd());
            if (btf.obj().kind() != ObjKind.BTF) throw KErr.of(Errno.EINVAL, "btf_fd is not BTF");
            lock = MapBtf.spinLock((io.bpf4j.sim.internal.kernel.SimBtf) btf.obj(), s);
        }
        SimMap m = alloc(k, s);
        if (btf != null) {
            m.btf(btf.obj());
            m.spinLockOffset(lock);
        }
        return m;
    }

    private static void allocCheck(MapType t, MapSpec s, int cpus) {
        switch (t) {
            case HASH: case PERCPU_HASH: case LRU_HASH: case LRU_PERCPU_HASH: HashTab.check(s, cpus); break;
            case HASH_OF_MAPS: HashOfMaps.checkFd(s, cpus); break;
            case ARRAY: case PERCPU_ARRAY: ArrayMap.check(s); break;
            case PROG_ARRAY: case ARRAY_OF_MAPS: FdArray.check(s); break;
            case QUEUE: case STACK: QueueStack.check(s); break;
            case LPM_TRIE: LpmTrie.check(s); break;
            case BLOOM_FILTER: BloomFilter.check(s); break;
            case RINGBUF: case USER_RINGBUF: RingBuf.check(s); break;
            case PERF_EVENT_ARRAY: PerfEventArray.check(s); break;
            case DEVMAP: case DEVMAP_HASH: DevMap.check(s); break;
            case CPUMAP: CpuMap.check(s); break;
            default: throw new IllegalStateException(t.toString());
        }
    }

    /**
     * What the kernel allocates up front for a map, in bytes, as root creates it (no rounding of
     * array sizes for Spectre v1): {@code array_map_alloc()} takes {@code max_entries *
     * round_up(value_size, 8)} (per-CPU arrays: a pointer per entry and the per-CPU values), fd
     * arrays, device arrays and CPU maps a pointer per entry, a device hash one per bucket; {@code htab_map_alloc()} a 16-byte bucket per bucket and, when
     * preallocated, every element (a 48-byte {@code htab_elem}, key and value rounded to 8, the
     * per-CPU values apart); a queue or stack {@code (max_entries + 1) * value_size}. Other types
     * allocate as they fill. Linux refuses an allocation beyond the machine's memory with ENOMEM
     * ({@code __vmalloc_node_range()} checks it against {@code totalram_pages()} before trying).
     *
     * @param s the checked attributes
     * @param cpus possible CPUs
     * @return bytes
     */
    static long allocation(MapSpec s, int cpus) {
        long n = Integer.toUnsignedLong(s.maxEntries());
        long value = (Integer.toUnsignedLong(s.valueSize()) + 7) & ~7L;
        switch (s.type()) {
            case ARRAY:
                return n * value;
            case PERCPU_ARRAY:
                return n * 8 + n * value * cpus;
            case PROG_ARRAY: case ARRAY_OF_MAPS: case PERF_EVENT_ARRAY: case DEVMAP: case CPUMAP:
                return n * 8;
            case DEVMAP_HASH:
                return DevMap.buckets(s.maxEntries()) * 8;
            case HASH: case PERCPU_HASH: case LRU_HASH: case LRU_PERCPU_HASH: case HASH_OF_MAPS: {
                long buckets = Long.highestOneBit(Math.max(1, n - 1)) << (n > 1 ? 1 : 0);
                long bytes = buckets * 16;
                boolean percpu = s.type() == MapType.PERCPU_HASH || s.type() == MapType.LRU_PERCPU_HASH;
                if ((s.flags() & MapFlags.NO_PREALLOC) == 0) {
                    bytes += n * (48 + ((Integer.toUnsignedLong(s.keySize()) + 7) & ~7L) + (percpu ? 8 : value));
                    if (percpu) bytes += n * value * cpus;
                }
                return bytes;
            }
            case QUEUE: case STACK:
                return (n + 1) * Integer.toUnsignedLong(s.valueSize());
            default:
                return 0;
        }
    }

    private static SimMap template(Kernel k, MapSpec s) {
        // bpf_map_meta_alloc(): the template must be a map that is not itself a map-in-map.
        FdTable.Entry e = k.fd(s.innerMapFd());
        if (e.obj().kind() != ObjKind.MAP) throw KErr.of(Errno.EINVAL, "inner_map_fd is not a map");
        SimMap inner = (SimMap) e.obj();
        if (inner.isMapInMap()) throw KErr.of(Errno.EINVAL, "maps of maps of maps are not allowed");
        if (inner.type() == MapType.PROG_ARRAY) throw KErr.of(Errno.ENOTSUPP, "prog arrays cannot be inner maps");
        return inner;
    }

    private static SimMap alloc(Kernel k, MapSpec s) {
        switch (s.type()) {
            case HASH: case PERCPU_HASH: return new HashTab(k, s);
            case LRU_HASH: case LRU_PERCPU_HASH: return new LruHashTab(k, LruHashTab.adjust(s, k.config().possibleCpus()));
            case HASH_OF_MAPS: return new HashOfMaps(k, s, template(k, s));
            case ARRAY: case PERCPU_ARRAY: return new ArrayMap(k, s);
            case PROG_ARRAY: return new ProgArray(k, s);
            case ARRAY_OF_MAPS: return new FdArray(k, s, template(k, s));
            case QUEUE: case STACK: return new QueueStack(k, s);
            case LPM_TRIE: return new LpmTrie(k, s);
            case BLOOM_FILTER: return new BloomFilter(k, s);
            case RINGBUF: return new RingBuf(k, s);
            case USER_RINGBUF: return new UserRingBuf(k, s);
            case PERF_EVENT_ARRAY: return new PerfEventArray(k, s);
            case DEVMAP: case DEVMAP_HASH: return new DevMap(k, DevMap.adjust(s));
            case CPUMAP: return new CpuMap(k, s);
            default: throw new IllegalStateException(s.type().toString());
        }
    }
}
