package io.bpf4j.sim.internal.vm;

import io.bpf4j.api.MapType;

/**
 * A map as programs see it: the interface the simulator's maps implement so that the
 * interpreter's helpers ({@code bpf_map_lookup_elem} and friends) can reach them.
 *
 * <p>All sizes are the map's own: keys are {@link #keySize()} bytes, values
 * {@link #valueSize()} bytes (for per-CPU maps: one CPU's value, not the user-space
 * {@code round_up(value_size, 8) * ncpus} layout). Results are 0 or a negative Linux errno,
 * exactly what the kernel's helper returns to the program (e.g. {@code -ENOENT},
 * {@code -EEXIST}, {@code -E2BIG}, {@code -EINVAL}).
 *
 * <p>Implementations must be safe to call from several threads running programs at once, as
 * the kernel's maps are; the arrays they hand out from {@link #lookup} are shared live storage.
 * Operations a map type does not have keep their default, which answers as the kernel does
 * for that type ({@code -EINVAL} for push/pop/peek on a non-queue map, {@code -EOPNOTSUPP}
 * otherwise).
 */
public interface VmMap {
    /**
     * The map type.
     *
     * @return the type, which decides which helpers the map accepts
     */
    MapType type();

    /**
     * The key size in bytes.
     *
     * @return the key size, 0 for keyless maps
     */
    int keySize();

    /**
     * The value size in bytes (one CPU's value for per-CPU maps).
     *
     * @return the value size
     */
    int valueSize();

    /**
     * The maximum number of entries.
     *
     * @return the map's {@code max_entries}
     */
    int maxEntries();

    /**
     * Looks up a key and returns the live value storage, which the program then reads and
     * writes in place (as it does in the kernel).
     *
     * @param key exactly {@link #keySize()} bytes, in an array the caller reuses after the
     *     call: the map keeps no reference to it
     * @param cpu the CPU the program runs on; per-CPU maps return that CPU's value, which they
     *     keep as its own array
     * @return an array of exactly {@link #valueSize()} bytes owned by the map, or {@code null}
     *     when the key is absent
     */
    byte[] lookup(byte[] key, int cpu);

    /**
     * Creates or updates an element from a program ({@code bpf_map_update_elem}).
     *
     * @param key exactly {@link #keySize()} bytes
     * @param value exactly {@link #valueSize()} bytes; the map copies it and keeps no reference
     *     to this array or the key's, which the caller reuses
     * @param flags {@code BPF_ANY} 0, {@code BPF_NOEXIST} 1, {@code BPF_EXIST} 2, ...
     * @param cpu the CPU the program runs on; per-CPU maps update only that CPU's value
     * @return 0 or a negative errno
     */
    int update(byte[] key, byte[] value, long flags, int cpu);

    /**
     * Deletes an element from a program ({@code bpf_map_delete_elem}).
     *
     * @param key exactly {@link #keySize()} bytes
     * @return 0, {@code -ENOENT} when absent, or another negative errno (arrays: {@code -EINVAL})
     */
    int delete(byte[] key);

    /**
     * Where the value's {@code struct bpf_spin_lock} lies (from the map's BTF), for
     * {@code BPF_F_LOCK} updates from programs.
     *
     * @return the byte offset, or -1 when the value has none
     */
    default int spinLockOffset() {
        return -1;
    }

    /**
     * For maps of maps: the inner map a program's lookup of {@code key} finds. The kernel's
     * {@code array_of_map_lookup_elem()} and {@code htab_of_map_lookup_elem()} return the inner
     * map itself, which the program then uses as a map.
     *
     * @param key exactly {@link #keySize()} bytes
     * @return the inner map, or null when there is none (and for every other map type)
     */
    default VmMap innerMap(byte[] key) {
        return null;
    }

    /**
     * Pushes a value onto a queue or stack ({@code bpf_map_push_elem}).
     *
     * @param value exactly {@link #valueSize()} bytes
     * @param flags 0 or {@code BPF_EXIST} (2) to overwrite the oldest value when full
     * @return 0 or a negative errno ({@code -E2BIG} when full)
     */
    default int push(byte[] value, long flags) {
        return -LinuxErrno.EINVAL;
    }

    /**
     * Removes the next value of a queue or stack ({@code bpf_map_pop_elem}).
     *
     * @param out receives {@link #valueSize()} bytes
     * @return 0 or {@code -ENOENT} when empty
     */
    default int pop(byte[] out) {
        return -LinuxErrno.EINVAL;
    }

    /**
     * Reads the next value of a queue or stack without removing it ({@code bpf_map_peek_elem}).
     *
     * @param out receives {@link #valueSize()} bytes
     * @return 0 or {@code -ENOENT} when empty
     */
    default int peek(byte[] out) {
        return -LinuxErrno.EINVAL;
    }

    /**
     * Whether programs may only read values ({@code BPF_F_RDONLY_PROG}, or a frozen
     * {@code .rodata}); stores into looked-up values then fault.
     *
     * @return {@code true} if programs must not write values
     */
    default boolean readOnlyForPrograms() {
        return false;
    }

    /**
     * Walks the elements for {@code bpf_for_each_map_elem}, in the kernel's order: arrays by index,
     * hash maps bucket by bucket, each bucket newest first, taking the next element before the
     * visit so the callback may delete the one it sees ({@code hlist_nulls_for_each_entry_safe}).
     * LRU state is not touched, as the kernel's walk does not touch it.
     *
     * @param cpu per-CPU maps show this CPU's value
     * @param visitor called with the live key and value; returns {@code true} to stop
     * @return the number of elements visited, counting the one that stopped the walk
     * @throws UnsupportedOperationException for map types the kernel has no callback walk for
     */
    default long forEachElem(int cpu, ElemVisitor visitor) {
        throw new UnsupportedOperationException(type() + " has no element walk");
    }

    /** A visit of {@link #forEachElem}. */
    @FunctionalInterface
    interface ElemVisitor {
        /**
         * Visits one element.
         *
         * @param key the live key storage (the visitor must not change it)
         * @param value the live value storage
         * @return {@code true} to stop the walk
         */
        boolean visit(byte[] key, byte[] value);
    }
}
