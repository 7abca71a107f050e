package io.bpf4j.sim.internal.cmd;

import io.bpf4j.api.BatchResult;
import io.bpf4j.api.Errno;
import io.bpf4j.api.Operation;
import io.bpf4j.sim.internal.kernel.KErr;
import io.bpf4j.sim.internal.kernel.Kernel;
import io.bpf4j.sim.internal.maps.HashTab;
import io.bpf4j.sim.internal.maps.SimMap;

/**
 * The four batch commands ({@code bpf_map_do_batch()}): permissions first, then whether the map
 * type has the command at all ({@code ENOTSUPP} when not), then the element flags, then the walk.
 */
public final class MapBatch {
    private static final long LOCK = 4;
    private final Kernel k;

    MapBatch(Kernel k) {
        this.k = k;
    }

    private static SimMap open(Kernel k, int fd, boolean read, boolean write, int cmd) {
        MapCmds.Target t = MapCmds.map(k, fd);
        if (read) t.needRead();
        if (write) t.needWrite();
        SimMap m = t.map();
        if (!m.hasBatch(cmd)) throw new KErr(Errno.ENOTSUPP, m.describe(), "no such batch command for " + m.type());
        return m;
    }

    private static void elemFlags(SimMap m, long elemFlags) {
        if ((elemFlags & ~LOCK) != 0) throw new KErr(Errno.EINVAL, m.describe(), "elem_flags");
        if ((elemFlags & LOCK) != 0) throw new KErr(Errno.EINVAL, m.describe(), "BPF_F_LOCK: the value has no bpf_spin_lock");
    }

    private static void room(SimMap m, byte[] keys, byte[] values, int count) {
        if (count < 0) throw new IllegalArgumentException("count: negative");
        if (keys == null || keys.length < (long) count * m.keySize()) throw new IllegalArgumentException("keys: room for " + count + " keys needed");
        if (values != null && values.length < (long) count * m.userValueSize()) {
            throw new IllegalArgumentException("values: room for " + count + " values of " + m.userValueSize() + " bytes needed");
        }
    }

    /**
     * {@code BPF_MAP_LOOKUP_BATCH} and {@code BPF_MAP_LOOKUP_AND_DELETE_BATCH}.
     *
     * @param fd the map
     * @param in the cursor or null
     * @param out receives the cursor
     * @param keys receives keys
     * @param values receives values
     * @param count room
     * @param elemFlags element flags
     * @param flags must be 0
     * @param delete whether to delete
     * @return count and done
     */
    public BatchResult lookup(int fd, byte[] in, byte[] out, byte[] keys, byte[] values, int count, long elemFlags,
            long flags, boolean delete) {
        Operation op = delete ? Operation.MAP_LOOKUP_AND_DELETE_BATCH : Operation.MAP_LOOKUP_BATCH;
        return k.run(op, () -> {
            SimMap m = open(k, fd, true, delete, delete ? 1 : 0);
            elemFlags(m, elemFlags);
            // Only the hash maps' own batch walk checks batch.flags; the generic walk ignores them.
            if (flags != 0 && m instanceof HashTab) throw new KErr(Errno.EINVAL, m.describe(), "flags");
            room(m, keys, values, count);
            if (values == null) throw new IllegalArgumentException("values: null");
            int cursor = Math.max(m.keySize(), 4);
            if (out == null || out.length < cursor) throw new IllegalArgumentException("outBatch: at least " + cursor + " bytes");
            try {
                k.faults().check(op, m);
                return m.lookupBatch(in, out, keys, values, count, delete);
            } catch (KErr e) {
                throw e.on(m.describe());
            }
        });
    }

    /**
     * {@code BPF_MAP_UPDATE_BATCH}.
     *
     * @param fd the map
     * @param keys keys
     * @param values values
     * @param count how many
     * @param elemFlags element flags
     * @param flags must be 0
     * @return count
     */
    public int update(int fd, byte[] keys, byte[] values, int count, long elemFlags, long flags) {
        return k.run(Operation.MAP_UPDATE_BATCH, () -> {
            SimMap m = open(k, fd, false, true, 2);
            elemFlags(m, elemFlags);
            room(m, keys, values, count);
            if (values == null) throw new IllegalArgumentException("values: null");
            try {
                k.faults().check(Operation.MAP_UPDATE_BATCH, m);
                m.updateBatch(keys, values, count, elemFlags);
                return count;
            } catch (KErr e) {
                throw e.on(m.describe());
            }
        });
    }

    /**
     * {@code BPF_MAP_DELETE_BATCH}.
     *
     * @param fd the map
     * @param keys keys
     * @param count how many
     * @param elemFlags must be 0
     * @param flags must be 0
     * @return count
     */
    public int delete(int fd, byte[] keys, int count, long elemFlags, long flags) {
        return k.run(Operation.MAP_DELETE_BATCH, () -> {
            SimMap m = open(k, fd, false, true, 3);
            elemFlags(m, elemFlags);
            room(m, keys, null, count);
            try {
                k.faults().check(Operation.MAP_DELETE_BATCH, m);
                m.deleteBatch(keys, count);
                return count;
            } catch (KErr e) {
                throw e.on(m.describe());
            }
        });
    }
}
