package io.bpf4j.linux.internal;

import io.bpf4j.api.BatchResult;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.Operation;
import io.bpf4j.internal.rules.MapRules;
import io.bpf4j.internal.spi.MapLayout;
import io.bpf4j.linux.internal.uapi.Infos;
import io.bpf4j.linux.internal.uapi.LinuxUapi;
import io.bpf4j.linux.internal.uapi.MapAttrs;
import io.bpf4j.linux.internal.uapi.ObjAttrs;
import java.nio.ByteBuffer;

/**
 * The map commands: create, the element commands, freeze and the four batch commands. Inputs
 * are checked against the map's layout before any native call: the layout an owning handle
 * passes, or the one read from the kernel through a private duplicate of a bare descriptor
 * ({@link MapView}). The element commands allocate nothing.
 */
public final class MapCommands {
    private static final int ENOENT = 2;
    private static final int ENOSPC = 28;
    /** Every {@code map_flags} bit Linux 6.18 defines (BPF_F_NO_PREALLOC .. BPF_F_NO_USER_CONV). */

    private final Kernel k;

    /**
     * Creates the family.
     *
     * @param k the shared context
     */
    public MapCommands(Kernel k) {
        this.k = k;
    }

    /**
     * {@code BPF_MAP_CREATE}.
     *
     * @param spec the map
     * @return the descriptor
     */
    public int create(MapSpec spec) {
        MapRules.create(spec);
        k.gate.require(Operation.MAP_CREATE);
        k.gate.requireMapType(spec.type());
        return createUnchecked(spec);
    }

    /** Creates without the capability gate: the prober uses it to find out. Returns fd or -errno. */
    long tryCreate(MapSpec spec) {
        Scratch s = k.scratch();
        MapAttrs.create(s.attr(), spec);
        long rc = k.bpfFd(Operation.MAP_CREATE, s);
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
     * Fills the thread's view from the kernel, through a private duplicate of {@code fd} that
     * keeps the object in view until {@link #done(MapView)}: the layout read here is the layout of
     * the object the command then runs on. Allocates nothing unless it fails.
     */
    private MapView learn(Scratch s, int fd, Operation op) {
        Kernel.checkFd(fd, "mapFd");
        int dup = k.sys.dupCloexec(fd);
        if (dup < 0) throw Kernel.error(op, "map fd " + fd, dup, null);
        long addr = s.reserve(Scratch.INFO, Infos.MAP_INFO_SIZE);
        ObjAttrs.info(s.attr(), dup, addr, Infos.MAP_INFO_SIZE);
        long rc = k.bpf(Operation.OBJ_GET_INFO_BY_FD, s);
        if (rc < 0) {
            k.sys.close(dup);
            FdKind.require(fd, FdKind.MAP, "mapFd");
            throw Kernel.error(op, "map fd " + fd, rc, "cannot read the map's info");
        }
        ByteBuffer info = s.buf(Scratch.INFO);
        MapView v = s.view;
        v.fd = dup;
        v.callerFd = fd;
        v.duplicate = true;
        v.layout = null;
        v.info = info;
        v.type = LinuxUapi.mapType(info.getInt(0));
        v.keySize = info.getInt(8);
        v.valueSize = info.getInt(12);
        v.userValueSize = MapRules.userValueSize(v.type, v.valueSize, k.cpus);
        return v;
    }

    /** The thread's view filled from a handle's layout; the handle keeps {@code fd} open. */
    private static MapView view(Scratch s, int fd, MapLayout layout) {
        Kernel.checkFd(fd, "mapFd");
        if (layout == null) throw new IllegalArgumentException("layout: null");
        MapView v = s.view;
        v.of(fd, layout);
        return v;
    }

    /** Closes the private duplicate, if any; a failure here would mean the number was not ours. */
    private void done(Scratch s, MapView v) {
        if (v.duplicate) {
            v.duplicate = false;
            k.sys.close(v.fd);
        }
        s.trimIfGrown();
    }

    /**
     * On a failed bare-descriptor call, says first whether the descriptor is a map at all: a
     * program's or link's info decoded as a map's gives sizes that mean nothing.
     */
    private static RuntimeException explain(MapView v, RuntimeException e) {
        FdKind.require(v.callerFd, FdKind.MAP, "mapFd");
        return e;
    }

    private static long keyAddr(Scratch s, MapView m, byte[] key) {
        MapRules.key(m.type, m.keySize, key, m);
        return m.keySize == 0 ? 0 : s.put(Scratch.KEY, key, 0, key.length);
    }

    private static void checkValue(MapView m, byte[] value) {
        MapRules.value(m.type, m.valueSize, m.userValueSize, value, m);
    }

    /**
     * {@code BPF_MAP_LOOKUP_ELEM} on a bare descriptor: the layout is read from the kernel.
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
        Scratch s = k.scratch();
        MapView v = learn(s, fd, op);
        try {
            return lookup(s, v, op, key, value, flags);
        } catch (RuntimeException e) {
            throw explain(v, e);
        } finally {
            done(s, v);
        }
    }

    /**
     * {@code BPF_MAP_LOOKUP_ELEM} on a descriptor an owning handle keeps open.
     *
     * @param fd the map
     * @param layout its layout
     * @param key the key
     * @param value receives the value
     * @param flags 0 or LOCK
     * @return false when missing
     */
    public boolean lookup(int fd, MapLayout layout, byte[] key, byte[] value, long flags) {
        Operation op = Operation.MAP_LOOKUP_ELEM;
        Scratch s = k.enterScratch();
        try {
            k.gate.require(op);
            MapView v = view(s, fd, layout);
            try {
                return lookup(s, v, op, key, value, flags);
            } finally {
                done(s, v);
            }
        } finally {
            k.exit(s);
        }
    }

    private boolean lookup(Scratch s, MapView m, Operation op, byte[] key, byte[] value, long flags) {
        checkValue(m, value);
        MapRules.lookupFlags(flags, "flags");
        long ka = keyAddr(s, m, key);
        // A bloom filter's lookup is a membership test of the value the caller passes in.
        long va = m.type == MapType.BLOOM_FILTER ? s.put(Scratch.VALUE, value, 0, value.length)
                : s.slot(Scratch.VALUE, m.userValueSize);
        MapAttrs.elemWhole(s.attrWhole(MapAttrs.ELEM_SIZE), m.fd, ka, va, flags);
        long rc = k.bpf(op, s);
        if (rc == -ENOENT) return false;
        if (rc < 0) throw Kernel.error(op, m.object(), rc, null);
        s.get(Scratch.VALUE, value, 0, value.length);
        return true;
    }

    /**
     * {@code BPF_MAP_UPDATE_ELEM} on a bare descriptor.
     *
     * @param fd the map
     * @param key the key
     * @param value the value
     * @param flags update flags
     */
    public void update(int fd, byte[] key, byte[] value, long flags) {
        Operation op = Operation.MAP_UPDATE_ELEM;
        k.gate.require(op);
        Scratch s = k.scratch();
        MapView v = learn(s, fd, op);
        try {
            update(s, v, op, key, value, flags);
        } catch (RuntimeException e) {
            throw explain(v, e);
        } finally {
            done(s, v);
        }
    }

    /**
     * {@code BPF_MAP_UPDATE_ELEM} on a descriptor an owning handle keeps open.
     *
     * @param fd the map
     * @param layout its layout
     * @param key the key
     * @param value the value
     * @param flags update flags
     */
    public void update(int fd, MapLayout layout, byte[] key, byte[] value, long flags) {
        Operation op = Operation.MAP_UPDATE_ELEM;
        Scratch s = k.enterScratch();
        try {
            k.gate.require(op);
            MapView v = view(s, fd, layout);
            try {
                update(s, v, op, key, value, flags);
            } finally {
                done(s, v);
            }
        } finally {
            k.exit(s);
        }
    }

    private void update(Scratch s, MapView m, Operation op, byte[] key, byte[] value, long flags) {
        checkValue(m, value);
        MapRules.updateFlags(flags, "flags");
        long ka = keyAddr(s, m, key);
        long va = s.put(Scratch.VALUE, value, 0, value.length);
        MapAttrs.elemWhole(s.attrWhole(MapAttrs.ELEM_SIZE), m.fd, ka, va, flags);
        long rc = k.bpf(op, s);
        if (rc < 0) throw Kernel.error(op, m.object(), rc, null);
    }

    /**
     * {@code BPF_MAP_DELETE_ELEM} on a bare descriptor.
     *
     * @param fd the map
     * @param key the key
     * @return false when missing
     */
    public boolean delete(int fd, byte[] key) {
        Operation op = Operation.MAP_DELETE_ELEM;
        k.gate.require(op);
        Scratch s = k.scratch();
        MapView v = learn(s, fd, op);
        try {
            return delete(s, v, op, key);
        } catch (RuntimeException e) {
            throw explain(v, e);
        } finally {
            done(s, v);
        }
    }

    /**
     * {@code BPF_MAP_DELETE_ELEM} on a descriptor an owning handle keeps open.
     *
     * @param fd the map
     * @param layout its layout
     * @param key the key
     * @return false when missing
     */
    public boolean delete(int fd, MapLayout layout, byte[] key) {
        Operation op = Operation.MAP_DELETE_ELEM;
        Scratch s = k.enterScratch();
        try {
            k.gate.require(op);
            MapView v = view(s, fd, layout);
            try {
                return delete(s, v, op, key);
            } finally {
                done(s, v);
            }
        } finally {
            k.exit(s);
        }
    }

    private boolean delete(Scratch s, MapView m, Operation op, byte[] key) {
        long ka = keyAddr(s, m, key);
        MapAttrs.elemWhole(s.attrWhole(MapAttrs.ELEM_SIZE), m.fd, ka, 0, 0);
        long rc = k.bpf(op, s);
        if (rc == -ENOENT) return false;
        if (rc < 0) throw Kernel.error(op, m.object(), rc, null);
        return true;
    }

    /**
     * {@code BPF_MAP_GET_NEXT_KEY} on a bare descriptor.
     *
     * @param fd the map
     * @param key the current key or null
     * @param nextKey receives the next key
     * @return false at the end
     */
    public boolean nextKey(int fd, byte[] key, byte[] nextKey) {
        Operation op = Operation.MAP_GET_NEXT_KEY;
        k.gate.require(op);
        Scratch s = k.scratch();
        MapView v = learn(s, fd, op);
        try {
            return nextKey(s, v, op, key, nextKey);
        } catch (RuntimeException e) {
            throw explain(v, e);
        } finally {
            done(s, v);
        }
    }

    /**
     * {@code BPF_MAP_GET_NEXT_KEY} on a descriptor an owning handle keeps open.
     *
     * @param fd the map
     * @param layout its layout
     * @param key the current key or null
     * @param nextKey receives the next key
     * @return false at the end
     */
    public boolean nextKey(int fd, MapLayout layout, byte[] key, byte[] nextKey) {
        Operation op = Operation.MAP_GET_NEXT_KEY;
        Scratch s = k.enterScratch();
        try {
            k.gate.require(op);
            MapView v = view(s, fd, layout);
            try {
                return nextKey(s, v, op, key, nextKey);
            } finally {
                done(s, v);
            }
        } finally {
            k.exit(s);
        }
    }

    private boolean nextKey(Scratch s, MapView m, Operation op, byte[] key, byte[] nextKey) {
        MapRules.nextKey(m.keySize, nextKey, m);
        MapRules.currentKey(m.type, m.keySize, key, m);
        long ka = key == null || m.keySize == 0 ? 0 : s.put(Scratch.KEY, key, 0, key.length);
        long na = s.slot(Scratch.AUX, Math.max(1, m.keySize));
        MapAttrs.elemWhole(s.attrWhole(MapAttrs.ELEM_SIZE), m.fd, ka, na, 0);
        long rc = k.bpf(op, s);
        if (rc == -ENOENT) return false;
        if (rc < 0) throw Kernel.error(op, m.object(), rc, null);
        s.get(Scratch.AUX, nextKey, 0, nextKey.length);
        return true;
    }

    /**
     * {@code BPF_MAP_LOOKUP_AND_DELETE_ELEM} on a bare descriptor.
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
        Scratch s = k.scratch();
        MapView v = learn(s, fd, op);
        try {
            return lookupAndDelete(s, v, op, key, value, flags);
        } catch (RuntimeException e) {
            throw explain(v, e);
        } finally {
            done(s, v);
        }
    }

    /**
     * {@code BPF_MAP_LOOKUP_AND_DELETE_ELEM} on a descriptor an owning handle keeps open.
     *
     * @param fd the map
     * @param layout its layout
     * @param key the key or null
     * @param value receives the value
     * @param flags 0 or LOCK
     * @return false when missing
     */
    public boolean lookupAndDelete(int fd, MapLayout layout, byte[] key, byte[] value, long flags) {
        Operation op = Operation.MAP_LOOKUP_AND_DELETE_ELEM;
        Scratch s = k.enterScratch();
        try {
            k.gate.require(op);
            MapView v = view(s, fd, layout);
            try {
                return lookupAndDelete(s, v, op, key, value, flags);
            } finally {
                done(s, v);
            }
        } finally {
            k.exit(s);
        }
    }

    private boolean lookupAndDelete(Scratch s, MapView m, Operation op, byte[] key, byte[] value, long flags) {
        checkValue(m, value);
        MapRules.lookupFlags(flags, "flags");
        long ka = keyAddr(s, m, key);
        long va = s.slot(Scratch.VALUE, m.userValueSize);
        MapAttrs.elem(s.attr(), m.fd, ka, va, flags);
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
        Kernel.checkFd(fd, "mapFd");
        FdKind.require(fd, FdKind.MAP, "mapFd");
        Scratch s = k.scratch();
        MapAttrs.elem(s.attr(), fd, 0, 0, 0);
        long rc = k.bpf(op, s);
        if (rc < 0) throw Kernel.error(op, "map fd " + fd, rc, null);
    }

    /**
     * {@code BPF_MAP_LOOKUP_BATCH} and {@code BPF_MAP_LOOKUP_AND_DELETE_BATCH} on a bare descriptor.
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
        Scratch s = k.scratch();
        MapView v = learn(s, fd, op);
        try {
            return lookupBatch(s, v, op, inBatch, outBatch, keys, values, count, elemFlags, flags);
        } catch (RuntimeException e) {
            throw explain(v, e);
        } finally {
            done(s, v);
        }
    }

    /**
     * {@code BPF_MAP_LOOKUP_BATCH} on a descriptor an owning handle keeps open.
     *
     * @param fd the map
     * @param layout its layout
     * @param inBatch the cursor or null
     * @param outBatch receives the cursor
     * @param keys receives keys
     * @param values receives values
     * @param count elements at most
     * @param elemFlags 0 or LOCK
     * @param flags 0
     * @return copied count and whether the walk ended
     */
    public BatchResult lookupBatch(int fd, MapLayout layout, byte[] inBatch, byte[] outBatch, byte[] keys,
            byte[] values, int count, long elemFlags, long flags) {
        Operation op = Operation.MAP_LOOKUP_BATCH;
        Scratch s = k.enterScratch();
        try {
            k.gate.require(op);
            MapView v = view(s, fd, layout);
            try {
                return lookupBatch(s, v, op, inBatch, outBatch, keys, values, count, elemFlags, flags);
            } finally {
                done(s, v);
            }
        } finally {
            k.exit(s);
        }
    }

    private BatchResult lookupBatch(Scratch s, MapView m, Operation op, byte[] inBatch, byte[] outBatch, byte[] keys,
            byte[] values, int count, long elemFlags, long flags) {
        int cursor = MapRules.lookupBatch(m.keySize, m.userValueSize, inBatch, outBatch, keys, values, count, elemFlags,
                flags, m);
        long in = inBatch == null ? 0 : s.put(Scratch.AUX, inBatch, 0, cursor);
        long out = s.reserve(Scratch.AUX2, cursor);
        long ka = s.reserve(Scratch.DATA, count * m.keySize);
        long va = s.reserve(Scratch.DATA2, count * m.userValueSize);
        MapAttrs.batch(s.attr(), m.fd, in, out, ka, va, count, elemFlags, flags);
        long rc = k.bpf(op, s);
        int done = s.attrOut().getInt(MapAttrs.BATCH_COUNT);
        boolean end = rc == -ENOENT;
        if (rc < 0 && !end) {
            if (rc == -ENOSPC) {
                throw Kernel.error(op, m.object(), rc, "count " + count
                        + " is smaller than a hash bucket; retry with a larger count");
            }
            throw Kernel.error(op, m.object(), rc, done > 0 ? "after " + done + " elements" : null);
        }
        done = Math.min(done, count);
        s.buf(Scratch.DATA).get(0, keys, 0, done * m.keySize);
        s.buf(Scratch.DATA2).get(0, values, 0, done * m.userValueSize);
        s.buf(Scratch.AUX2).get(0, outBatch, 0, cursor);
        return new BatchResult(done, end);
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
        Scratch s = k.scratch();
        MapView m = learn(s, fd, op);
        try {
            MapRules.updateBatch(m.keySize, m.userValueSize, keys, values, count, elemFlags, flags, m);
            long ka = s.put(Scratch.DATA, keys, 0, count * m.keySize);
            long va = s.put(Scratch.DATA2, values, 0, count * m.userValueSize);
            MapAttrs.batch(s.attr(), m.fd, 0, 0, ka, va, count, elemFlags, flags);
            long rc = k.bpf(op, s);
            if (rc < 0) {
                int done = s.attrOut().getInt(MapAttrs.BATCH_COUNT);
                throw Kernel.error(op, m.object(), rc, "after " + done + " of " + count + " elements");
            }
            return s.attrOut().getInt(MapAttrs.BATCH_COUNT);
        } catch (RuntimeException e) {
            throw explain(m, e);
        } finally {
            done(s, m);
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
        Scratch s = k.scratch();
        MapView m = learn(s, fd, op);
        try {
            MapRules.deleteBatch(m.keySize, keys, count, elemFlags, flags, m);
            long ka = s.put(Scratch.DATA, keys, 0, count * m.keySize);
            MapAttrs.batch(s.attr(), m.fd, 0, 0, ka, 0, count, 0, 0);
            long rc = k.bpf(op, s);
            if (rc < 0) {
                int done = s.attrOut().getInt(MapAttrs.BATCH_COUNT);
                throw Kernel.error(op, m.object(), rc, "after " + done + " of " + count + " elements");
            }
            return s.attrOut().getInt(MapAttrs.BATCH_COUNT);
        } catch (RuntimeException e) {
            throw explain(m, e);
        } finally {
            done(s, m);
        }
    }
}
