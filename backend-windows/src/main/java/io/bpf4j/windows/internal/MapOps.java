package io.bpf4j.windows.internal;

import io.bpf4j.internal.spi.MapLayout;
import io.bpf4j.api.BatchResult;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.Operation;
import io.bpf4j.api.Support;
import io.bpf4j.api.UpdateFlags;
import io.bpf4j.internal.rules.MapRules;
import io.bpf4j.windows.internal.uapi.Attr;
import io.bpf4j.windows.internal.uapi.Opts;
import io.bpf4j.windows.internal.uapi.WinTypes;

/**
 * The map commands: create and the element commands through {@code bpf()} or the
 * {@code bpf_map_*} functions (per {@link Mode}), the batches through the {@code bpf_map_*_batch}
 * functions. The rules every backend shares ({@link MapRules}) come first, then Windows' stricter
 * ones: no map flags, NUMA node, offload, BTF or {@code BPF_F_LOCK}.
 */
final class MapOps {
    private static final int ENOENT = 2;
    private final WinBackend b;

    MapOps(WinBackend b) {
        this.b = b;
    }

    private static String unsupportedFeature(MapSpec spec) {
        if (spec.flags() != 0) {
            return "not in eBPF for Windows: map flags (0x" + Integer.toHexString(spec.flags())
                    + "); Windows maps take none (NO_PREALLOC, RDONLY, WRONLY, MMAPABLE ... are Linux-only)";
        }
        if (spec.numaNode() != 0) return "not in eBPF for Windows: NUMA placement";
        if (spec.ifindex() != 0) return "not in eBPF for Windows: map offload (ifindex)";
        if (spec.btfFd() != 0 || spec.btfKeyTypeId() != 0 || spec.btfValueTypeId() != 0
                || spec.btfVmlinuxValueTypeId() != 0) {
            return "not in eBPF for Windows: BTF-described maps";
        }
        if (spec.mapExtra() != 0) return "not in eBPF for Windows: map_extra";
        if (spec.tokenFd() != 0) return "not in eBPF for Windows: BPF tokens";
        return null;
    }

    int create(MapSpec spec) {
        MapRules.create(spec);
        b.need(Operation.MAP_CREATE);
        Support type = b.capabilities().mapType(spec.type());
        if (!type.supported()) throw Fail.unsupported(Operation.MAP_CREATE, type.reason());
        String feature = unsupportedFeature(spec);
        if (feature != null) throw Fail.unsupported(Operation.MAP_CREATE, feature);
        int key = spec.keySize();
        int value = spec.valueSize();
        MapType t = spec.type();
        if (t == MapType.PERF_EVENT_ARRAY) {
            // Linux requires 4-byte keys and values (CPU index, perf fd); efW checks neither
            // (libs/execution_context/ebpf_maps.c@v1.5.0:3256-3275) and its rings hold no
            // elements, so 0 is sent for both. Other sizes are refused as Linux would.
            if (!((key == 0 || key == 4) && (value == 0 || value == 4))) {
                throw new IllegalArgumentException("keySize/valueSize: a PERF_EVENT_ARRAY takes 0 (or Linux's 4)");
            }
            key = 0;
            value = 0;
        } else if (t == MapType.RINGBUF && value != 0) {
            // efW would take any value size (ebpf_maps.c@v1.5.0:2976 checks only the key); the
            // portable rule is Linux's.
            throw new IllegalArgumentException("valueSize: must be 0 for RINGBUF (is " + value + ")");
        }
        return createRaw(WinTypes.mapType(t), key, value, spec.maxEntries(), spec.innerMapFd(), spec.name(),
                "map \"" + spec.name() + "\"");
    }

    /** Creates a map with Windows numbers; also used by the capability probe. */
    int createRaw(int winType, int key, int value, int maxEntries, int innerMapFd, String name, String object) {
        Scratch s = b.s();
        int r;
        if (b.mode == Mode.SYSCALL) {
            Attr.mapCreate(s.attr(), winType, key, value, maxEntries, innerMapFd, name);
            r = b.sys(Operation.MAP_CREATE, Attr.MAP_CREATE);
        } else {
            Opts.mapCreate(s.opts, innerMapFd);
            long n = s.putString(Scratch.STRING, name == null ? "" : name);
            r = b.api.bpfMapCreate(winType, n, key, value, maxEntries, s.optsAddr);
        }
        return WinBackend.check(Operation.MAP_CREATE, object, r);
    }

    /** A key the rules accepted: none for a keyless map. */
    private static long putKey(Scratch s, MapLayout shape, byte[] key) {
        if (shape.keySize() == 0 || key == null) return 0L;
        return s.put(Scratch.KEY, key, key.length);
    }

    private static void checkKey(MapLayout shape, byte[] key, int fd) {
        MapRules.key(shape.type(), shape.keySize(), key, shape.object());
    }

    private static void checkValue(MapLayout shape, byte[] value, int fd) {
        MapRules.value(shape.type(), shape.valueSize(), shape.userValueSize(), value, shape.object());
    }

    private static void noLock(Operation op, long flags) {
        if ((flags & UpdateFlags.LOCK) != 0) throw Fail.unsupported(op, "not in eBPF for Windows: BPF_F_LOCK (spin locks)");
    }

    /**
     * The checks that need no layout, for a bare descriptor before its layout is read: the
     * element flags, then whether the operation exists here. Batch flags are checked with the
     * layout, as on Linux.
     */
    void before(Operation op, long flags) {
        if (op == Operation.MAP_UPDATE_ELEM) MapRules.updateFlags(flags, "flags");
        else if (op == Operation.MAP_LOOKUP_ELEM || op == Operation.MAP_LOOKUP_AND_DELETE_ELEM) MapRules.lookupFlags(flags, "flags");
        b.need(op);
    }

    boolean lookup(Operation op, int fd, MapLayout shape, byte[] key, byte[] value, long flags) {
        MapRules.lookupFlags(flags, "flags");
        b.need(op);
        noLock(op, flags);
        checkValue(shape, value, fd);
        checkKey(shape, key, fd);
        Scratch s = b.s();
        long k = putKey(s, shape, key);
        long v = s.reserve(Scratch.VALUE, shape.userValueSize());
        int r;
        if (b.mode == Mode.SYSCALL || op == Operation.MAP_LOOKUP_AND_DELETE_ELEM) {
            Attr.elem(s.attr(), fd, k, v, 0);
            r = b.sys(op, op == Operation.MAP_LOOKUP_ELEM ? Attr.MAP_LOOKUP_ELEM : Attr.MAP_LOOKUP_AND_DELETE_ELEM);
        } else {
            r = b.api.bpfMapLookupElem(fd, k, v);
        }
        if (r == -ENOENT) return false;
        WinBackend.check(op, shape.object(), r);
        s.get(Scratch.VALUE, value, shape.userValueSize());
        return true;
    }

    void update(int fd, MapLayout shape, byte[] key, byte[] value, long flags) {
        MapRules.updateFlags(flags, "flags");
        b.need(Operation.MAP_UPDATE_ELEM);
        noLock(Operation.MAP_UPDATE_ELEM, flags);
        checkValue(shape, value, fd);
        checkKey(shape, key, fd);
        Scratch s = b.s();
        long k = putKey(s, shape, key);
        long v = s.put(Scratch.VALUE, value, shape.userValueSize());
        int r;
        if (b.mode == Mode.SYSCALL) {
            Attr.elem(s.attr(), fd, k, v, flags);
            r = b.sys(Operation.MAP_UPDATE_ELEM, Attr.MAP_UPDATE_ELEM);
        } else {
            r = b.api.bpfMapUpdateElem(fd, k, v, flags);
        }
        WinBackend.check(Operation.MAP_UPDATE_ELEM, shape.object(), r);
    }

    boolean delete(int fd, MapLayout shape, byte[] key) {
        b.need(Operation.MAP_DELETE_ELEM);
        checkKey(shape, key, fd);
        Scratch s = b.s();
        long k = putKey(s, shape, key);
        int r;
        if (b.mode == Mode.SYSCALL) {
            Attr.elem(s.attr(), fd, k, 0, 0);
            r = b.sys(Operation.MAP_DELETE_ELEM, Attr.MAP_DELETE_ELEM);
        } else {
            r = b.api.bpfMapDeleteElem(fd, k);
        }
        if (r == -ENOENT) return false;
        WinBackend.check(Operation.MAP_DELETE_ELEM, shape.object(), r);
        return true;
    }

    boolean nextKey(int fd, MapLayout shape, byte[] key, byte[] next) {
        b.need(Operation.MAP_GET_NEXT_KEY);
        MapRules.nextKey(shape.keySize(), next, shape.object());
        MapRules.currentKey(shape.type(), shape.keySize(), key, shape.object());
        Scratch s = b.s();
        long k = key == null ? 0L : putKey(s, shape, key);
        long n = s.reserve(Scratch.VALUE, shape.keySize());
        int r;
        if (b.mode == Mode.SYSCALL) {
            Attr.elem(s.attr(), fd, k, n, 0);
            r = b.sys(Operation.MAP_GET_NEXT_KEY, Attr.MAP_GET_NEXT_KEY);
        } else {
            r = b.api.bpfMapGetNextKey(fd, k, n);
        }
        if (r == -ENOENT) return false;
        WinBackend.check(Operation.MAP_GET_NEXT_KEY, shape.object(), r);
        s.get(Scratch.VALUE, next, shape.keySize());
        return true;
    }

    /**
     * Windows' cursor is the last key returned; a final partial batch returns 0 with a short
     * count, and the call after it ENOENT with the count untouched
     * (_ebpf_map_lookup_element_batch_helper, libs/api/ebpf_api.cpp@v1.5.0:655-789).
     */
    BatchResult lookupBatch(Operation op, int fd, MapLayout shape, byte[] in, byte[] out, byte[] keys, byte[] values, int count,
            long elemFlags, long flags) {
        b.need(op);
        // Windows' cursor is a key: the shared rule's max(keySize, 4) bytes hold it.
        MapRules.lookupBatch(shape.keySize(), shape.userValueSize(), in, out, keys, values, count, elemFlags, flags, shape.object());
        noLock(op, elemFlags);
        Scratch s = b.s();
        try {
            long inAddr = in == null ? 0L : s.put(Scratch.KEY, in, shape.keySize());
            long outAddr = s.reserve(Scratch.VALUE, shape.keySize());
            long k = s.reserve(Scratch.DATA, count * shape.keySize());
            long v = s.reserve(Scratch.DATA2, count * shape.userValueSize());
            s.out().putInt(0, count);
            Opts.batch(s.opts, 0, 0);
            int r = op == Operation.MAP_LOOKUP_BATCH
                    ? b.api.bpfMapLookupBatch(fd, inAddr, outAddr, k, v, s.outAddr, s.optsAddr)
                    : b.api.bpfMapLookupAndDeleteBatch(fd, inAddr, outAddr, k, v, s.outAddr, s.optsAddr);
            if (r == -ENOENT) return new BatchResult(0, true);
            WinBackend.check(op, shape.object(), r);
            int n = s.out.getInt(0);
            if (n < 0 || n > count) throw new IllegalStateException("the library reported " + n + " elements of " + count);
            s.get(Scratch.DATA, keys, n * shape.keySize());
            s.get(Scratch.DATA2, values, n * shape.userValueSize());
            s.get(Scratch.VALUE, out, shape.keySize());
            return new BatchResult(n, n < count);
        } finally {
            s.trim();
        }
    }

    int updateBatch(int fd, MapLayout shape, byte[] keys, byte[] values, int count, long elemFlags, long flags) {
        b.need(Operation.MAP_UPDATE_BATCH);
        MapRules.updateBatch(shape.keySize(), shape.userValueSize(), keys, values, count, elemFlags, flags, shape.object());
        noLock(Operation.MAP_UPDATE_BATCH, elemFlags);
        Scratch s = b.s();
        try {
            long k = s.put(Scratch.DATA, keys, count * shape.keySize());
            long v = s.put(Scratch.DATA2, values, count * shape.userValueSize());
            s.out().putInt(0, count);
            Opts.batch(s.opts, elemFlags, 0);
            WinBackend.check(Operation.MAP_UPDATE_BATCH, shape.object(), b.api.bpfMapUpdateBatch(fd, k, v, s.outAddr, s.optsAddr));
            return count;
        } finally {
            s.trim();
        }
    }

    int deleteBatch(int fd, MapLayout shape, byte[] keys, int count, long elemFlags, long flags) {
        b.need(Operation.MAP_DELETE_BATCH);
        MapRules.deleteBatch(shape.keySize(), keys, count, elemFlags, flags, shape.object());
        Scratch s = b.s();
        try {
            long k = s.put(Scratch.DATA, keys, count * shape.keySize());
            s.out().putInt(0, count);
            Opts.batch(s.opts, 0, 0);
            WinBackend.check(Operation.MAP_DELETE_BATCH, shape.object(), b.api.bpfMapDeleteBatch(fd, k, s.outAddr, s.optsAddr));
            return count;
        } finally {
            s.trim();
        }
    }
}
