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
 * The map commands, with the checks of {@code kernel/bpf/syscall.c} in its order: descriptor,
 * file permissions (a frozen map loses write permission), flags, key, then the map type's own
 * answer. A missing key comes back as {@code false}, as the {@code Bpf} contract asks.
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
     * @throws KErr EBADF when not open, EINVAL when not a map ({@code __bpf_map_get})
     */
    static Target map(Kernel k, int fd) {
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

    /** {@code __bpf_copy_key()}: keyless maps take no key; keyed maps take exactly key size bytes. */
    private static void checkKey(SimMap m, byte[] key) {
        if (m.keySize() == 0) {
            if (key != null) throw new KErr(Errno.EINVAL, m.describe(), "this map type takes no key");
            return;
        }
        if (key == null) throw new IllegalArgumentException("key: null, but " + m.describe() + " has " + m.keySize() + "-byte keys");
        if (key.length != m.keySize()) {
            throw new IllegalArgumentException("key: " + key.length + " bytes, but " + m.describe() + " has " + m.keySize() + "-byte keys");
        }
    }

    private static void checkValue(SimMap m, byte[] value, String name) {
        int want = m.userValueSize();
        if (value == null) throw new IllegalArgumentException(name + ": null");
        if (value.length != want) {
            throw new IllegalArgumentException(name + ": " + value.length + " bytes, but " + m.describe() + " needs " + want
                    + (m.type().isPerCpu() ? " (round_up(" + m.valueSize() + ", 8) * " + k(m) + " possible CPUs)" : ""));
        }
    }

    private static int k(SimMap m) {
        return m.userValueSize() / ((m.valueSize() + 7) & ~7);
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
            if ((flags & ~LOCK) != 0) throw KErr.of(Errno.EINVAL, "flags");
            Target t = map(k, fd);
            t.needRead();
            SimMap m = t.map();
            if ((flags & LOCK) != 0) throw new KErr(Errno.EINVAL, m.describe(), "BPF_F_LOCK: the value has no bpf_spin_lock");
            checkKey(m, key);
            checkValue(m, value, "value");
            try {
                k.faults().check(Operation.MAP_LOOKUP_ELEM, m);
                m.sysLookup(key, value);
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
            t.needWrite();
            SimMap m = t.map();
            if ((flags & LOCK) != 0) throw new KErr(Errno.EINVAL, m.describe(), "BPF_F_LOCK: the value has no bpf_spin_lock");
            checkKey(m, key);
            checkValue(m, value, "value");
            try {
                k.faults().check(Operation.MAP_UPDATE_ELEM, m);
                m.sysUpdate(key, value, flags);
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
            t.needWrite();
            SimMap m = t.map();
            checkKey(m, key);
            try {
                k.faults().check(Operation.MAP_DELETE_ELEM, m);
                m.sysDelete(key);
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
            t.needRead();
            SimMap m = t.map();
            if (key != null) checkKey(m, key);
            if (m.keySize() > 0 && (next == null || next.length != m.keySize())) {
                throw new IllegalArgumentException("nextKey: must be " + m.keySize() + " bytes for " + m.describe());
            }
            try {
                k.faults().check(Operation.MAP_GET_NEXT_KEY, m);
                m.sysNextKey(key, next);
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
            if ((flags & ~LOCK) != 0) throw KErr.of(Errno.EINVAL, "flags");
            Target t = map(k, fd);
            t.needRead();
            t.needWrite();
            SimMap m = t.map();
            if (flags != 0 && (m.type() == MapType.QUEUE || m.type() == MapType.STACK)) throw new KErr(Errno.EINVAL, m.describe(), "flags");
            if ((flags & LOCK) != 0) throw new KErr(Errno.EINVAL, m.describe(), "BPF_F_LOCK: the value has no bpf_spin_lock");
            checkKey(m, key);
            checkValue(m, value, "value");
            try {
                k.faults().check(Operation.MAP_LOOKUP_AND_DELETE_ELEM, m);
                m.sysLookupAndDelete(key, value, flags);
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
