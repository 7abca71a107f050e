package io.bpf4j.sim.internal.maps;

import io.bpf4j.api.Errno;
import io.bpf4j.api.MapFlags;
import io.bpf4j.api.MapSpec;
import io.bpf4j.sim.internal.kernel.KErr;
import io.bpf4j.sim.internal.kernel.Kernel;

/**
 * LRU hash and LRU per-CPU hash maps ({@code htab_lru_*} in {@code kernel/bpf/hashtab.c}): a
 * hash table of exactly {@code max_entries} preallocated nodes kept on the kernel's LRU lists
 * ({@link Lru}). An insert takes a free node first, evicting the least recently used elements
 * when there is none, and only then checks the flags, as the kernel does. Lookups by programs set
 * the reference bit; lookups through the syscall do not. Syscalls run on CPU 0.
 */
public final class LruHashTab extends HashTab {
    private static final int SYSCALL_CPU = 0;
    private final Lru lru;

    /**
     * Creates the map; for {@code BPF_F_NO_COMMON_LRU} the factory has already rounded
     * {@code max_entries} to a multiple of the CPU count as the kernel does.
     *
     * @param kernel the kernel
     * @param spec checked attributes
     */
    public LruHashTab(Kernel kernel, MapSpec spec) {
        super(kernel, spec);
        boolean percpuLru = (spec.flags() & MapFlags.NO_COMMON_LRU) != 0;
        this.lru = new Lru(percpuLru, cpus, spec.maxEntries(), this::delFromHtab);
    }

    /**
     * The kernel's adjustment of {@code max_entries} for per-CPU LRU lists: round up to a multiple
     * of the CPU count (down if that overflows), so every CPU's list has the same length.
     *
     * @param s the requested attributes
     * @param cpus possible CPUs
     * @return the attributes the map really has
     */
    static MapSpec adjust(MapSpec s, int cpus) {
        if ((s.flags() & MapFlags.NO_COMMON_LRU) == 0) return s;
        long up = (Integer.toUnsignedLong(s.maxEntries()) + cpus - 1) / cpus * cpus;
        long n = up > 0xffffffffL ? Integer.toUnsignedLong(s.maxEntries()) / cpus * cpus : up;
        return new MapSpec(s.type(), s.keySize(), s.valueSize(), (int) n, s.flags(), s.name(), s.innerMapFd(),
                s.numaNode(), s.ifindex(), s.btfFd(), s.btfKeyTypeId(), s.btfValueTypeId(),
                s.btfVmlinuxValueTypeId(), s.mapExtra(), s.tokenFd());
    }

    /** {@code htab_lru_map_delete_node()}: evicts the element on a node. */
    private boolean delFromHtab(Lru.Node node) {
        Elem e = node.elem;
        if (e == null || find(e.key) != e) return false;
        unlink(e);
        node.elem = null;
        return true;
    }

    @Override
    void freeElem(Elem e) {
        if (e.node != null) lru.pushFree(e.node);
        e.node = null;
    }

    /** {@code prealloc_lru_pop()}: a node for a new element, or ENOMEM. */
    private Elem pop(byte[] key, int hash, int cpu) {
        Lru.Node n = lru.popFree(cpu);
        if (n == null) throw KErr.of(Errno.ENOMEM, "no LRU node could be freed");
        Elem e = newElem(key, hash, null);
        e.node = n;
        n.elem = e;
        return e;
    }

    /**
     * {@code htab_lru_map_update_elem} and {@code __htab_lru_percpu_map_update_elem}.
     *
     * @param key the key
     * @param value the value: whole user-space value when {@code all}, else one CPU's
     * @param flags element flags
     * @param cpu the CPU doing the update
     * @param all whether {@code value} holds every CPU's value
     * @return the element holding the key
     */
    private Elem lruUpdate(byte[] key, byte[] value, long flags, int cpu, boolean all) {
        if (flags < 0 || flags > EXIST) throw KErr.of(Errno.EINVAL, "flags");
        int hash = hashOf(key);
        if (!percpu) {
            Elem fresh = pop(key, hash, cpu);
            System.arraycopy(value, 0, fresh.value, 0, valueSize);
            Elem old = find(key);
            try {
                checkFlags(old, flags);
            } catch (KErr e) {
                freeElem(fresh);
                throw e;
            }
            addHead(fresh);
            if (old != null) {
                Lru.setRef(fresh.node);
                unlink(old);
                freeElem(old);
            }
            return fresh;
        }
        Elem fresh = flags != EXIST ? pop(key, hash, cpu) : null;
        Elem old = find(key);
        try {
            checkFlags(old, flags);
        } catch (KErr e) {
            if (fresh != null) freeElem(fresh);
            throw e;
        }
        Elem target = old != null ? old : fresh;
        if (old != null) {
            Lru.setRef(old.node);
            if (fresh != null) freeElem(fresh);
        } else {
            addHead(fresh);
            for (byte[] slice : fresh.pcpu) java.util.Arrays.fill(slice, (byte) 0);
        }
        if (all) copyPercpuIn(target, value);
        else System.arraycopy(value, 0, target.pcpu[cpu], 0, valueSize);
        return target;
    }

    @Override
    Elem updateElem(byte[] key, byte[] value, long flags) {
        return lruUpdate(key, value, flags, SYSCALL_CPU, true);
    }

    @Override
    public byte[] lookup(byte[] key, int cpu) {
        Elem e = find(key);
        if (e == null) return null;
        Lru.setRef(e.node);
        return percpu ? e.pcpu[cpu] : e.value;
    }

    @Override
    public int update(byte[] key, byte[] value, long flags, int cpu) {
        try {
            lruUpdate(key, value, flags, cpu, false);
            return 0;
        } catch (KErr e) {
            return -e.errno().linux();
        }
    }
}
