package io.bpf4j.sim.internal.cmd;

import io.bpf4j.api.Errno;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.Operation;
import io.bpf4j.sim.internal.kernel.FdTable;
import io.bpf4j.sim.internal.kernel.KErr;
import io.bpf4j.sim.internal.kernel.Kernel;
import io.bpf4j.sim.internal.kernel.ObjKind;
import io.bpf4j.sim.internal.maps.MapFactory;
import io.bpf4j.sim.internal.maps.SimMap;

/**
 * The map commands. First the descriptor, then the checks every backend makes in Java
 * ({@link MapArgs}: sizes, undefined flag bits, a key for a keyless map are
 * {@link IllegalArgumentException}s, as on Linux), then those of {@code kernel/bpf/syscall.c}
 * in its order: file permissions (a frozen map loses write permission), {@code BPF_F_LOCK}, then
 * the map type's own answer. A missing key comes back as {@code false}, as the {@code Bpf}
 * contract asks.
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
     * The map behind a descriptor, with the descriptor's effective permissions.
     *
     * @param k the kernel
     * @param fd the descriptor
     * @return the map and mode
     * @throws IllegalArgumentException for a negative descriptor, as every backend
     * @throws KErr EBADF when not open, EINVAL when not a map ({@code __bpf_map_get})
     */
    static Target map(Kernel k, int fd) {
        MapArgs.fd(fd, "mapFd");
        FdTable.Entry e = k.fd(fd);
        if (e.obj().kind() != ObjKind.MAP) throw KErr.of(Errno.EINVAL, "fd " + fd + " is not a map");
        SimMap m = (SimMap) e.obj();
        int mode = m.frozen() ? e.mode() & ~FdTable.WRITE : e.mode();
        return new Target(m, mode);
    }

    /** A map and the permissions of the descriptor it was reached through. */
    record Target(SimMap map, int mode) {
        void needRead() {
            if ((mode & FdTable.READ) == 0) throw new KErr(Errno.EPERM, map.describe(), "descriptor is not readable");
        }

        void needWrite() {
            if ((mode & FdTable.WRITE) == 0) {
                throw new KErr(Errno.EPERM, map.describe(), map.frozen() ? "map is frozen" : "descriptor is not writable");
            }
        }
    }

    /** {@code false} for ENOENT, the error otherwise, naming the map. */
    private static boolean missing(KErr e, SimMap m) {
        if (e.errno() == Errno.ENOENT) return false;
        throw e.on(m.describe());
    }

    /**
     * {@code BPF_MAP_CREATE}.
     *
     * @param spec the attributes
     * @return the descriptor
     */
    public int create(MapSpec spec) {
        return k.run(Operation.MAP_CREATE, () -> {
            MapArgs.create(spec);
            k.faults().check(Operation.MAP_CREATE, null);
            SimMap m = MapFactory.create(k, spec);
            k.register(m);
            int mode = (spec.flags() & io.bpf4j.api.MapFlags.RDONLY) != 0 ? FdTable.READ
                    : (spec.flags() & io.bpf4j.api.MapFlags.WRONLY) != 0 ? FdTable.WRITE : FdTable.RDWR;
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
        return k.run(Operation.MAP_LOOKUP_ELEM, () -> {
            Target t = map(k, fd);
            SimMap m = t.map();
            MapArgs.value(m, value, "value");
            MapArgs.elemFlags(flags, false, "flags");
            byte[] kk = MapArgs.key(m, key, "key");
            t.needRead();
            if ((flags & LOCK) != 0) throw new KErr(Errno.EINVAL, m.describe(), "BPF_F_LOCK: the value has no bpf_spin_lock");
            try {
                k.faults().check(Operation.MAP_LOOKUP_ELEM, m);
                m.sysLookup(kk, value);
                return true;
            } catch (KErr e) {
                return missing(e, m);
            }
        });
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
        k.exec(Operation.MAP_UPDATE_ELEM, () -> {
            Target t = map(k, fd);
            SimMap m = t.map();
            MapArgs.value(m, value, "value");
            MapArgs.elemFlags(flags, true, "flags");
            byte[] kk = MapArgs.key(m, key, "key");
            t.needWrite();
            if ((flags & LOCK) != 0) throw new KErr(Errno.EINVAL, m.describe(), "BPF_F_LOCK: the value has no bpf_spin_lock");
            try {
                k.faults().check(Operation.MAP_UPDATE_ELEM, m);
                m.sysUpdate(kk, value, flags);
            } catch (KErr e) {
                throw e.on(m.describe());
            }
        });
    }

    /**
     * {@code BPF_MAP_DELETE_ELEM}.
     *
     * @param fd the map
     * @param key the key
     * @return false when missing
     */
    public boolean delete(int fd, byte[] key) {
        return k.run(Operation.MAP_DELETE_ELEM, () -> {
            Target t = map(k, fd);
            SimMap m = t.map();
            byte[] kk = MapArgs.key(m, key, "key");
            t.needWrite();
            try {
                k.faults().check(Operation.MAP_DELETE_ELEM, m);
                m.sysDelete(kk);
                return true;
            } catch (KErr e) {
                return missing(e, m);
            }
        });
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
        return k.run(Operation.MAP_GET_NEXT_KEY, () -> {
            Target t = map(k, fd);
            SimMap m = t.map();
            MapArgs.nextKey(m, next);
            byte[] kk = key == null ? null : MapArgs.key(m, key, "key");
            t.needRead();
            try {
                k.faults().check(Operation.MAP_GET_NEXT_KEY, m);
                m.sysNextKey(kk, next);
                return true;
            } catch (KErr e) {
                return missing(e, m);
            }
        });
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
            Target t = map(k, fd);
            SimMap m = t.map();
            MapArgs.value(m, value, "value");
            MapArgs.elemFlags(flags, false, "flags");
            byte[] kk = MapArgs.key(m, key, "key");
            t.needRead();
            t.needWrite();
            if (flags != 0 && (m.type() == MapType.QUEUE || m.type() == MapType.STACK)) throw new KErr(Errno.EINVAL, m.describe(), "flags");
            if ((flags & LOCK) != 0) throw new KErr(Errno.EINVAL, m.describe(), "BPF_F_LOCK: the value has no bpf_spin_lock");
            try {
                k.faults().check(Operation.MAP_LOOKUP_AND_DELETE_ELEM, m);
                m.sysLookupAndDelete(kk, value, flags);
                return true;
            } catch (KErr e) {
                return missing(e, m);
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
            Target t = map(k, fd);
            SimMap m = t.map();
            if (m.type() == MapType.STRUCT_OPS) throw new KErr(Errno.ENOTSUPP, m.describe(), null);
            // A frozen map has no write permission left, so freezing twice fails here with EPERM.
            t.needWrite();
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
