package io.bpf4j.sim.internal.cmd;

import io.bpf4j.api.BatchResult;
import io.bpf4j.api.Errno;
import io.bpf4j.api.Operation;
import io.bpf4j.internal.rules.MapRules;
import io.bpf4j.sim.internal.kernel.FdTable;
import io.bpf4j.sim.internal.kernel.KErr;
import io.bpf4j.sim.internal.kernel.Kernel;
import io.bpf4j.sim.internal.maps.SimMap;

/**
 * The four batch commands. First the descriptor and the input rules every backend applies
 * ({@link MapRules}: count, flags, array and cursor sizes, undefined element flag bits), then
 * {@code bpf_map_do_batch()}: permissions, whether the map type has the command at all
 * ({@code ENOTSUPP} when not), the element flags, then the walk. A lookup walk that reaches the
 * end (the kernel's {@code ENOENT}) returns the count with {@code done}, on every map type.
 */
public final class MapBatch {
    private static final long LOCK = 4;
    private final Kernel k;

    MapBatch(Kernel k) {
        this.k = k;
    }

    /** {@code bpf_map_do_batch()}: permissions, then whether the type has the command, then {@code BPF_F_LOCK}. */
    private static SimMap kernelChecks(FdTable.Entry e, boolean read, boolean write, int cmd, long elemFlags) {
        if (read) MapCmds.needRead(e);
        if (write) MapCmds.needWrite(e);
        SimMap m = (SimMap) e.obj();
        if (!m.hasBatch(cmd)) throw new KErr(Errno.ENOTSUPP, m.describe(), "no such batch command for " + m.type());
        if ((elemFlags & ~LOCK) != 0) throw new KErr(Errno.EINVAL, m.describe(), "elem_flags");
        if ((elemFlags & LOCK) != 0 && m.spinLockOffset() < 0) throw new KErr(Errno.EINVAL, m.describe(), "BPF_F_LOCK: the value has no bpf_spin_lock");
        return m;
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
            FdTable.Entry fe = MapCmds.entry(k, fd);
            SimMap t = (SimMap) fe.obj();
            int cursor = MapRules.lookupBatch(t.keySize(), t.userValueSize(), in, out, keys, values, count, elemFlags, flags,
                    t.describe());
            SimMap m = kernelChecks(fe, true, delete, delete ? 1 : 0, elemFlags);
            try {
                k.faults().check(op, m);
                // The cursor out is what the kernel writes, zero where it writes nothing (the
                // walk ended before the first element), as a native backend's fresh buffer.
                byte[] cur = new byte[cursor];
                BatchResult r = m.lookupBatch(in == null ? null : java.util.Arrays.copyOf(in, cursor), cur, keys, values, count, delete);
                if (m.spinLockOffset() >= 0) {
                    byte[] one = new byte[m.valueSize()];
                    for (int i = 0; i < r.count(); i++) {
                        System.arraycopy(values, i * one.length, one, 0, one.length);
                        m.clearLock(one);
                        System.arraycopy(one, 0, values, i * one.length, one.length);
                    }
                }
                System.arraycopy(cur, 0, out, 0, cursor);
                return r;
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
            FdTable.Entry fe = MapCmds.entry(k, fd);
            SimMap t = (SimMap) fe.obj();
            MapRules.updateBatch(t.keySize(), t.userValueSize(), keys, values, count, elemFlags, flags, t.describe());
            SimMap m = kernelChecks(fe, false, true, 2, elemFlags);
            try {
                k.faults().check(Operation.MAP_UPDATE_BATCH, m);
                m.updateBatch(keys, lockless(m, values, count), count, elemFlags);
                return count;
            } catch (KErr e) {
                throw e.on(m.describe());
            }
        });
    }

    /** The values of an update batch with their spin locks zeroed, as {@code copy_map_value()} skips them. */
    private static byte[] lockless(SimMap m, byte[] values, int count) {
        if (m.spinLockOffset() < 0) return values;
        byte[] out = values.clone();
        byte[] one = new byte[m.valueSize()];
        for (int i = 0; i < count; i++) {
            System.arraycopy(out, i * one.length, one, 0, one.length);
            m.clearLock(one);
            System.arraycopy(one, 0, out, i * one.length, one.length);
        }
        return out;
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
            FdTable.Entry fe = MapCmds.entry(k, fd);
            SimMap t = (SimMap) fe.obj();
            MapRules.deleteBatch(t.keySize(), keys, count, elemFlags, flags, t.describe());
            SimMap m = kernelChecks(fe, false, true, 3, 0);
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
