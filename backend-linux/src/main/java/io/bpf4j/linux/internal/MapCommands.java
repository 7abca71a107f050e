package io.bpf4j.linux.internal;

import io.bpf4j.api.BatchResult;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.Operation;
import io.bpf4j.linux.internal.uapi.MapAttrs;

/**
 * The map commands: create, the element commands, freeze and the four batch commands. Inputs
 * are checked against the cached {@link MapShape} before any native call; the element commands
 * allocate nothing.
 */
public final class MapCommands {
    private static final int ENOENT = 2;
    private static final int ENOSPC = 28;
    /** Every {@code map_flags} bit Linux 6.18 defines (BPF_F_NO_PREALLOC .. BPF_F_NO_USER_CONV). */
    private static final int KNOWN_MAP_FLAGS = (1 << 19) - 1;
    private static final long LOCK = 4;

    private final Kernel k;
    private final InfoCommands info;

    /**
     * Creates the family.
     *
     * @param k the shared context
     * @param info the info commands, used to learn the shape of maps this backend did not create
     */
    public MapCommands(Kernel k, InfoCommands info) {
        this.k = k;
        this.info = info;
    }

    /**
     * {@code BPF_MAP_CREATE}.
     *
     * @param spec the map
     * @return the descriptor
     */
    public int create(MapSpec spec) {
        if ((spec.flags() & ~KNOWN_MAP_FLAGS) != 0) {
            throw new IllegalArgumentException("flags: unknown bits 0x" + Integer.toHexString(spec.flags() & ~KNOWN_MAP_FLAGS));
        }
        if (spec.type().isKeyless() && spec.keySize() != 0) {
            throw new IllegalArgumentException("keySize: " + spec.type() + " maps have no key; must be 0, was " + spec.keySize());
        }
        k.gate.require(Operation.MAP_CREATE);
        k.gate.requireMapType(spec.type());
        return createUnchecked(spec);
    }

    /** Creates without the capability gate: the prober uses it to find out. Returns fd or -errno. */
    long tryCreate(MapSpec spec) {
        Scratch s = k.scratch();
        MapAttrs.create(s.attr(), spec);
        long rc = k.bpfFd(Operation.MAP_CREATE, s);
        if (rc >= 0) k.shapes.put((int) rc, MapShape.of(spec.type(), spec.keySize(), spec.valueSize(), spec.name(), (int) rc, k.cpus));
        return rc;
    }

    private int createUnchecked(MapSpec spec) {
        long rc = tryCreate(spec);
        if (rc < 0) {
            String obj = spec.name().isEmpty() ? spec.type() + " map" : "map \"" + spec.name() + "\"";
            throw Kernel.error(Operation.MAP_CREATE, obj, rc, null);
        }
        return (int) rc;
    }

    /**
     * The shape of a map, from the cache or learnt once from its info.
     *
     * @param fd the map
     * @param op the operation asking, for errors
     * @return the shape
     */
    MapShape shape(int fd, Operation op) {
        Kernel.checkFd(fd, "mapFd");
        MapShape m = k.shapes.get(fd);
        if (m == null) {
            m = info.learnShape(fd, op);
        }
        return m;
    }

    private static long keyAddr(Scratch s, MapShape m, byte[] key, String param) {
        if (m.keySize() == 0) {
            if (key != null && key.length != 0) {
                throw new IllegalArgumentException(param + ": " + m.type() + " maps have no key; pass null");
            }
            return 0;
        }
        if (key == null) throw new IllegalArgumentException(param + ": null; " + m.object() + " needs " + m.keySize() + " bytes");
        if (key.length != m.keySize()) {
            throw new IllegalArgumentException(param + ": " + key.length + " bytes; " + m.object() + " has " + m.keySize());
        }
        return s.put(Scratch.KEY, key, 0, key.length);
    }

    private static void checkValue(MapShape m, byte[] value, String param) {
        if (value == null) throw new IllegalArgumentException(param + ": null");
        if (value.length != m.userValueSize()) {
            throw new IllegalArgumentException(param + ": " + value.length + " bytes; " + m.object() + " values are "
                    + m.userValueSize() + (m.type().isPerCpu() ? " (round_up(" + m.valueSize() + ", 8) * possible CPUs)" : ""));
        }
    }

    private static void checkElemFlags(long flags, boolean update) {
        long known = update ? 7 : LOCK;
        if ((flags & ~known) != 0 || (flags & 3) == 3) {
            throw new IllegalArgumentException("flags: 0x" + Long.toHexString(flags) + " has unknown or conflicting bits");
        }
    }

    /**
     * {@code BPF_MAP_LOOKUP_ELEM}.
     *
     * @param fd the map
     * @param key the key
     * @param value receives the value
     * @param flags 0 or LOCK
     * @return false when missing
     */
    public boolean lookup(int fd, byte[] key, byte[] value, long flags) {
        Operation op = Operation.MAP_LOOKUP_ELEM;
        k.gate.require(op);
        MapShape m = shape(fd, op);
        checkValue(m, value, "value");
        checkElemFlags(flags, false);
        Scratch s = k.scratch();
        long ka = keyAddr(s, m, key, "key");
        // A bloom filter's lookup is a membership test of the value the caller passes in.
        long va = m.type() == MapType.BLOOM_FILTER ? s.put(Scratch.VALUE, value, 0, value.length)
                : s.slot(Scratch.VALUE, m.userValueSize());
        MapAttrs.elem(s.attr(MapAttrs.ELEM_SIZE), fd, ka, va, flags);
        long rc = k.bpf(op, s);
        if (rc == -ENOENT) return false;
        if (rc < 0) throw Kernel.error(op, m.object(), rc, null);
        s.get(Scratch.VALUE, value, 0, value.length);
        return true;
    }

    /**
     * {@code BPF_MAP_UPDATE_ELEM}.
     *
     * @param fd the map
     * @param key the key
     * @param value the value
     * @param flags update flags
     */
    public void update(int fd, byte[] key, byte[] value, long flags) {
        Operation op = Operation.MAP_UPDATE_ELEM;
        k.gate.require(op);
        MapShape m = shape(fd, op);
        checkValue(m, value, "value");
        checkElemFlags(flags, true);
        Scratch s = k.scratch();
        long ka = keyAddr(s, m, key, "key");
        long va = s.put(Scratch.VALUE, value, 0, value.length);
        MapAttrs.elem(s.attr(MapAttrs.ELEM_SIZE), fd, ka, va, flags);
        long rc = k.bpf(op, s);
        if (rc < 0) throw Kernel.error(op, m.object(), rc, null);
    }

    /**
     * {@code BPF_MAP_DELETE_ELEM}.
     *
     * @param fd the map
     * @param key the key
     * @return false when missing
     */
    public boolean delete(int fd, byte[] key) {
        Operation op = Operation.MAP_DELETE_ELEM;
        k.gate.require(op);
        MapShape m = shape(fd, op);
        Scratch s = k.scratch();
        long ka = keyAddr(s, m, key, "key");
        MapAttrs.elem(s.attr(MapAttrs.ELEM_SIZE), fd, ka, 0, 0);
        long rc = k.bpf(op, s);
        if (rc == -ENOENT) return false;
        if (rc < 0) throw Kernel.error(op, m.object(), rc, null);
        return true;
    }

    /**
     * {@code BPF_MAP_GET_NEXT_KEY}.
     *
     * @param fd the map
     * @param key the current key or null
     * @param nextKey receives the next key
     * @return false at the end
     */
    public boolean nextKey(int fd, byte[] key, byte[] nextKey) {
        Operation op = Operation.MAP_GET_NEXT_KEY;
        k.gate.require(op);
        MapShape m = shape(fd, op);
        if (nextKey == null || nextKey.length != m.keySize()) {
            throw new IllegalArgumentException("nextKey: " + (nextKey == null ? "null" : nextKey.length + " bytes") + "; "
                    + m.object() + " has " + m.keySize() + "-byte keys");
        }
        Scratch s = k.scratch();
        long ka = key == null ? 0 : keyAddr(s, m, key, "key");
        long na = s.slot(Scratch.AUX, Math.max(1, m.keySize()));
        MapAttrs.elem(s.attr(MapAttrs.ELEM_SIZE), fd, ka, na, 0);
        long rc = k.bpf(op, s);
        if (rc == -ENOENT) return false;
        if (rc < 0) throw Kernel.error(op, m.object(), rc, null);
        s.get(Scratch.AUX, nextKey, 0, nextKey.length);
        return true;
    }

    /**
     * {@code BPF_MAP_LOOKUP_AND_DELETE_ELEM}.
     *
     * @param fd the map
     * @param key the key or null
     * @param value receives the value
     * @param flags 0 or LOCK
     * @return false when missing
     */
    public boolean lookupAndDelete(int fd, byte[] key, byte[] value, long flags) {
        Operation op = Operation.MAP_LOOKUP_AND_DELETE_ELEM;
        k.gate.require(op);
        MapShape m = shape(fd, op);
        checkValue(m, value, "value");
        checkElemFlags(flags, false);
        Scratch s = k.scratch();
        long ka = keyAddr(s, m, key, "key");
        long va = s.slot(Scratch.VALUE, m.userValueSize());
        MapAttrs.elem(s.attr(), fd, ka, va, flags);
        long rc = k.bpf(op, s);
        if (rc == -ENOENT) return false;
        if (rc < 0) throw Kernel.error(op, m.object(), rc, null);
        s.get(Scratch.VALUE, value, 0, value.length);
        return true;
    }

    /**
     * {@code BPF_MAP_FREEZE}.
     *
     * @param fd the map
     */
    public void freeze(int fd) {
        Operation op = Operation.MAP_FREEZE;
        k.gate.require(op);
        MapShape m = shape(fd, op);
        Scratch s = k.scratch();
        MapAttrs.elem(s.attr(), fd, 0, 0, 0);
        long rc = k.bpf(op, s);
        if (rc < 0) throw Kernel.error(op, m.object(), rc, null);
    }

    /**
     * {@code BPF_MAP_LOOKUP_BATCH} and {@code BPF_MAP_LOOKUP_AND_DELETE_BATCH}.
     *
     * @param op which of the two
     * @param fd the map
     * @param inBatch the cursor or null
     * @param outBatch receives the cursor
     * @param keys receives keys
     * @param values receives values
     * @param count elements at most
     * @param elemFlags 0 or LOCK
     * @param flags 0
     * @return copied count and whether the walk ended
     */
    public BatchResult lookupBatch(Operation op, int fd, byte[] inBatch, byte[] outBatch, byte[] keys, byte[] values,
            int count, long elemFlags, long flags) {
        k.gate.require(op);
        MapShape m = shape(fd, op);
        if (values == null) throw new IllegalArgumentException("values: null");
        checkBatch(m, keys, values, count, flags);
        checkElemFlags(elemFlags, false);
        int cursor = Math.max(m.keySize(), 4);
        if (outBatch == null || outBatch.length < cursor) {
            throw new IllegalArgumentException("outBatch: needs at least " + cursor + " bytes");
        }
        if (inBatch != null && inBatch.length < cursor) {
            throw new IllegalArgumentException("inBatch: needs at least " + cursor + " bytes");
        }
        Scratch s = k.scratch();
        long in = inBatch == null ? 0 : s.put(Scratch.AUX, inBatch, 0, cursor);
        long out = s.reserve(Scratch.AUX2, cursor);
        long ka = s.reserve(Scratch.DATA, count * m.keySize());
        long va = s.reserve(Scratch.DATA2, count * m.userValueSize());
        MapAttrs.batch(s.attr(), fd, in, out, ka, va, count, elemFlags, flags);
        long rc = k.bpf(op, s);
        int done = s.attrOut().getInt(MapAttrs.BATCH_COUNT);
        boolean end = rc == -ENOENT;
        try {
            if (rc < 0 && !end) {
                if (rc == -ENOSPC) {
                    throw Kernel.error(op, m.object(), rc, "count " + count
                            + " is smaller than a hash bucket; retry with a larger count");
                }
                throw Kernel.error(op, m.object(), rc, done > 0 ? "after " + done + " elements" : null);
            }
            done = Math.min(done, count);
            s.buf(Scratch.DATA).get(0, keys, 0, done * m.keySize());
            s.buf(Scratch.DATA2).get(0, values, 0, done * m.userValueSize());
            s.buf(Scratch.AUX2).get(0, outBatch, 0, cursor);
            return new BatchResult(done, end);
        } finally {
            s.trim();
        }
    }

    private static void checkBatch(MapShape m, byte[] keys, byte[] values, int count, long flags) {
        if (count <= 0) throw new IllegalArgumentException("count: must be positive, was " + count);
        if (flags != 0) throw new IllegalArgumentException("flags: must be 0, was 0x" + Long.toHexString(flags));
        long kb = (long) count * m.keySize();
        long vb = (long) count * m.userValueSize();
        if (keys == null || keys.length < kb) {
            throw new IllegalArgumentException("keys: needs " + kb + " bytes for " + count + " keys of " + m.object());
        }
        if (values != null && values.length < vb) {
            throw new IllegalArgumentException("values: needs " + vb + " bytes for " + count + " values of " + m.object());
        }
        if (kb > Integer.MAX_VALUE / 2 || vb > Integer.MAX_VALUE / 2) throw new IllegalArgumentException("count: too large");
    }

    /**
     * {@code BPF_MAP_UPDATE_BATCH}.
     *
     * @param fd the map
     * @param keys the keys
     * @param values the values
     * @param count how many
     * @param elemFlags update flags
     * @param flags 0
     * @return count
     */
    public int updateBatch(int fd, byte[] keys, byte[] values, int count, long elemFlags, long flags) {
        Operation op = Operation.MAP_UPDATE_BATCH;
        k.gate.require(op);
        MapShape m = shape(fd, op);
        if (values == null) throw new IllegalArgumentException("values: null");
        checkBatch(m, keys, values, count, flags);
        checkElemFlags(elemFlags, true);
        Scratch s = k.scratch();
        try {
            long ka = s.put(Scratch.DATA, keys, 0, count * m.keySize());
            long va = s.put(Scratch.DATA2, values, 0, count * m.userValueSize());
            MapAttrs.batch(s.attr(), fd, 0, 0, ka, va, count, elemFlags, flags);
            long rc = k.bpf(op, s);
            if (rc < 0) {
                int done = s.attrOut().getInt(MapAttrs.BATCH_COUNT);
                throw Kernel.error(op, m.object(), rc, "after " + done + " of " + count + " elements");
            }
            return s.attrOut().getInt(MapAttrs.BATCH_COUNT);
        } finally {
            s.trim();
        }
    }

    /**
     * {@code BPF_MAP_DELETE_BATCH}.
     *
     * @param fd the map
     * @param keys the keys
     * @param count how many
     * @param elemFlags 0
     * @param flags 0
     * @return count
     */
    public int deleteBatch(int fd, byte[] keys, int count, long elemFlags, long flags) {
        Operation op = Operation.MAP_DELETE_BATCH;
        k.gate.require(op);
        MapShape m = shape(fd, op);
        checkBatch(m, keys, null, count, flags);
        if (elemFlags != 0) throw new IllegalArgumentException("elemFlags: must be 0");
        Scratch s = k.scratch();
        try {
            long ka = s.put(Scratch.DATA, keys, 0, count * m.keySize());
            MapAttrs.batch(s.attr(), fd, 0, 0, ka, 0, count, 0, 0);
            long rc = k.bpf(op, s);
            if (rc < 0) {
                int done = s.attrOut().getInt(MapAttrs.BATCH_COUNT);
                throw Kernel.error(op, m.object(), rc, "after " + done + " of " + count + " elements");
            }
            return s.attrOut().getInt(MapAttrs.BATCH_COUNT);
        } finally {
            s.trim();
        }
    }

}
