package io.bpf4j.sim.internal.cmd;

import io.bpf4j.api.Errno;
import io.bpf4j.api.MapFlags;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.Operation;
import io.bpf4j.internal.rules.MapRules;
import io.bpf4j.sim.internal.kernel.FdTable;
import io.bpf4j.sim.internal.kernel.KErr;
import io.bpf4j.sim.internal.kernel.Kernel;
import io.bpf4j.sim.internal.kernel.ObjKind;
import io.bpf4j.sim.internal.maps.MapFactory;
import io.bpf4j.sim.internal.maps.SimMap;

/**
 * The map commands. First the descriptor, then the input rules every backend applies
 * ({@link MapRules}: sizes, undefined flag bits, a key for a keyless map are
 * {@link IllegalArgumentException}s, as on Linux), then the checks of
 * {@code kernel/bpf/syscall.c} in its order: file permissions (a frozen map loses write
 * permission), {@code BPF_F_LOCK}, then the map type's own answer. A missing key comes back as
 * {@code false}, as the {@code Bpf} contract asks.
 *
 * <p>The element commands take the kernel's lock directly rather than through
 * {@link Kernel#run} and allocate nothing on their way to the map, as the native backends do
 * not: they are the hot path.
 */
public final class MapCmds {
    private static final long LOCK = 4;
    private final Kernel k;

    /**
     * Creates the commands.
     *
     * @param k the kernel
     */
    public MapCmds(Kernel k) {
        this.k = k;
    }

    /**
     * The descriptor of a map.
     *
     * @param k the kernel
     * @param fd the descriptor
     * @return its entry, whose object is a {@link SimMap}
     * @throws IllegalArgumentException for a negative descriptor, as every backend
     * @throws KErr EBADF when not open, EINVAL when not a map ({@code __bpf_map_get})
     */
    static FdTable.Entry entry(Kernel k, int fd) {
        MapRules.fd(fd, "mapFd");
        FdTable.Entry e = k.fd(fd);
        if (e.obj().kind() != ObjKind.MAP) throw KErr.of(Errno.EINVAL, "fd " + fd + " is not a map");
        return e;
    }

    /** The permissions a descriptor grants on its map now: a frozen map is not writable. */
    private static int mode(FdTable.Entry e) {
        return ((SimMap) e.obj()).frozen() ? e.mode() & ~FdTable.WRITE : e.mode();
    }

    static void needRead(FdTable.Entry e) {
        if ((mode(e) & FdTable.READ) == 0) throw new KErr(Errno.EPERM, e.obj().describe(), "descriptor is not readable");
    }

    static void needWrite(FdTable.Entry e) {
        if ((mode(e) & FdTable.WRITE) == 0) {
            SimMap m = (SimMap) e.obj();
            throw new KErr(Errno.EPERM, m.describe(), m.frozen() ? "map is frozen" : "descriptor is not writable");
        }
    }

    private static void noLock(long flags, SimMap m) {
        if ((flags & LOCK) != 0 && m.spinLockOffset() < 0) throw new KErr(Errno.EINVAL, m.describe(), "BPF_F_LOCK: the value has no bpf_spin_lock");
    }

    /** {@code false} for ENOENT, the error otherwise, naming the map. */
    private static boolean missing(KErr e, SimMap m) {
        if (e.errno() == Errno.ENOENT) return false;
        throw e.on(m.describe());
    }

    /** The key handed to the map: keyless maps take none. */
    private static byte[] key(SimMap m, byte[] key) {
        return m.keySize() == 0 ? null : key;
    }

    /**
     * {@code BPF_MAP_CREATE}.
     *
     * @param spec the attributes
     * @return the descriptor
     */
    public int create(MapSpec spec) {
        MapRules.create(spec);
        return k.run(Operation.MAP_CREATE, () -> {
            k.faults().check(Operation.MAP_CREATE, null);
            SimMap m = MapFactory.create(k, spec);
            k.register(m);
            int mode = (spec.flags() & MapFlags.RDONLY) != 0 ? FdTable.READ
                    : (spec.flags() & MapFlags.WRONLY) != 0 ? FdTable.WRITE : FdTable.RDWR;
            return k.fds().open(m, mode);
        });
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
        synchronized (k) {
            k.checkOpen();
            try {
                FdTable.Entry e = entry(k, fd);
                SimMap m = (SimMap) e.obj();
                String obj = m.describe();
                MapRules.value(m.type(), m.valueSize(), m.userValueSize(), value, obj);
                MapRules.lookupFlags(flags, "flags");
                MapRules.key(m.type(), m.keySize(), key, obj);
                needRead(e);
                noLock(flags, m);
                try {
                    k.faults().check(Operation.MAP_LOOKUP_ELEM, m);
                    m.sysLookup(key(m, key), value);
                    m.clearLock(value);
                    return true;
                } catch (KErr x) {
                    return missing(x, m);
                }
            } catch (KErr x) {
                throw x.toBpf(Operation.MAP_LOOKUP_ELEM);
            }
        }
    }

    /**
     * {@code BPF_MAP_UPDATE_ELEM}.
     *
     * @param fd the map
     * @param key the key
     * @param value the value
     * @param flags element flags
     */
    public void update(int fd, byte[] key, byte[] value, long flags) {
        synchronized (k) {
            k.checkOpen();
            try {
                FdTable.Entry e = entry(k, fd);
                SimMap m = (SimMap) e.obj();
                String obj = m.describe();
                MapRules.value(m.type(), m.valueSize(), m.userValueSize(), value, obj);
                MapRules.updateFlags(flags, "flags");
                MapRules.key(m.type(), m.keySize(), key, obj);
                needWrite(e);
                noLock(flags, m);
                try {
                    k.faults().check(Operation.MAP_UPDATE_ELEM, m);
                    m.sysUpdate(key(m, key), m.withoutLock(value), flags);
                } catch (KErr x) {
                    throw x.on(obj);
                }
            } catch (KErr x) {
                throw x.toBpf(Operation.MAP_UPDATE_ELEM);
            }
        }
    }

    /**
     * {@code BPF_MAP_DELETE_ELEM}.
     *
     * @param fd the map
     * @param key the key
     * @return false when missing
     */
    public boolean delete(int fd, byte[] key) {
        synchronized (k) {
            k.checkOpen();
            try {
                FdTable.Entry e = entry(k, fd);
                SimMap m = (SimMap) e.obj();
                MapRules.key(m.type(), m.keySize(), key, m.describe());
                needWrite(e);
                try {
                    k.faults().check(Operation.MAP_DELETE_ELEM, m);
                    m.sysDelete(key(m, key));
                    return true;
                } catch (KErr x) {
                    return missing(x, m);
                }
            } catch (KErr x) {
                throw x.toBpf(Operation.MAP_DELETE_ELEM);
            }
        }
    }

    /**
     * {@code BPF_MAP_GET_NEXT_KEY}.
     *
     * @param fd the map
     * @param key the current key or null
     * @param next receives the next key
     * @return false at the end
     */
    public boolean nextKey(int fd, byte[] key, byte[] next) {
        synchronized (k) {
            k.checkOpen();
            try {
                FdTable.Entry e = entry(k, fd);
                SimMap m = (SimMap) e.obj();
                String obj = m.describe();
                MapRules.nextKey(m.keySize(), next, obj);
                MapRules.currentKey(m.type(), m.keySize(), key, obj);
                needRead(e);
                try {
                    k.faults().check(Operation.MAP_GET_NEXT_KEY, m);
                    m.sysNextKey(key == null ? null : key(m, key), next);
                    return true;
                } catch (KErr x) {
                    return missing(x, m);
                }
            } catch (KErr x) {
                throw x.toBpf(Operation.MAP_GET_NEXT_KEY);
            }
        }
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
        return k.run(Operation.MAP_LOOKUP_AND_DELETE_ELEM, () -> {
            FdTable.Entry e = entry(k, fd);
            SimMap m = (SimMap) e.obj();
            String obj = m.describe();
            MapRules.value(m.type(), m.valueSize(), m.userValueSize(), value, obj);
            MapRules.lookupFlags(flags, "flags");
            MapRules.key(m.type(), m.keySize(), key, obj);
            needRead(e);
            needWrite(e);
            if (flags != 0 && (m.type() == MapType.QUEUE || m.type() == MapType.STACK)) throw new KErr(Errno.EINVAL, obj, "flags");
            noLock(flags, m);
            try {
                k.faults().check(Operation.MAP_LOOKUP_AND_DELETE_ELEM, m);
                m.sysLookupAndDelete(key(m, key), value, flags);
                m.clearLock(value);
                return true;
            } catch (KErr x) {
                return missing(x, m);
            }
        });
    }

    /**
     * {@code BPF_MAP_FREEZE}.
     *
     * @param fd the map
     */
    public void freeze(int fd) {
        k.exec(Operation.MAP_FREEZE, () -> {
            FdTable.Entry e = entry(k, fd);
            SimMap m = (SimMap) e.obj();
            if (m.type() == MapType.STRUCT_OPS) throw new KErr(Errno.ENOTSUPP, m.describe(), null);
            // A frozen map has no write permission left, so freezing twice fails here with EPERM.
            needWrite(e);
            if (m.frozen()) throw new KErr(Errno.EBUSY, m.describe(), "already frozen");
            k.faults().check(Operation.MAP_FREEZE, m);
            m.freeze();
        });
    }

    /**
     * The batch commands.
     *
     * @return the batch part
     */
    public MapBatch batch() {
        return new MapBatch(k);
    }
}
