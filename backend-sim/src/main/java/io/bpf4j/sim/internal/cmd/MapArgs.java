package io.bpf4j.sim.internal.cmd;

import io.bpf4j.api.MapSpec;
import io.bpf4j.sim.internal.maps.SimMap;

/**
 * The checks every backend makes in Java before a map command reaches its kernel (DESIGN.md,
 * "Errors and lifetimes"): the same rules, in the same order, as the Linux backend's
 * {@code MapCommands}, so that bad input is an {@link IllegalArgumentException} naming the
 * parameter on every backend and never an errno from one and an exception from another. What
 * passes here goes on to the simulated kernel, which answers as Linux 6.18 does.
 */
final class MapArgs {
    /** Every {@code map_flags} bit Linux 6.18 defines ({@code BPF_F_NO_PREALLOC .. BPF_F_NO_USER_CONV}). */
    static final int KNOWN_MAP_FLAGS = (1 << 19) - 1;
    /** {@code BPF_ANY | BPF_NOEXIST | BPF_EXIST | BPF_F_LOCK}: the defined update flags. */
    private static final long UPDATE_FLAGS = 7;
    /** {@code BPF_F_LOCK}: the only defined lookup flag. */
    private static final long LOCK = 4;

    private MapArgs() {
    }

    /**
     * {@code BPF_MAP_CREATE}: no undefined flag bits, no key size for a keyless type.
     *
     * @param spec the attributes
     */
    static void create(MapSpec spec) {
        if ((spec.flags() & ~KNOWN_MAP_FLAGS) != 0) {
            throw new IllegalArgumentException("flags: unknown bits 0x" + Integer.toHexString(spec.flags() & ~KNOWN_MAP_FLAGS));
        }
        if (spec.type().isKeyless() && spec.keySize() != 0) {
            throw new IllegalArgumentException("keySize: " + spec.type() + " maps have no key; must be 0, was " + spec.keySize());
        }
    }

    /**
     * A descriptor argument.
     *
     * @param fd the descriptor
     * @param param the parameter's name
     */
    static void fd(int fd, String param) {
        if (fd < 0) throw new IllegalArgumentException(param + ": negative descriptor (" + fd + ")");
    }

    /**
     * Element flags: lookups take only {@code BPF_F_LOCK}; updates {@code BPF_ANY},
     * {@code BPF_NOEXIST} or {@code BPF_EXIST}, possibly with {@code BPF_F_LOCK}, never
     * {@code BPF_NOEXIST | BPF_EXIST}.
     *
     * @param flags the flags
     * @param update whether they are update flags
     * @param param the parameter's name
     */
    static void elemFlags(long flags, boolean update, String param) {
        long known = update ? UPDATE_FLAGS : LOCK;
        if ((flags & ~known) != 0 || (flags & 3) == 3) {
            throw new IllegalArgumentException(param + ": 0x" + Long.toHexString(flags) + " has unknown or conflicting bits");
        }
    }

    /**
     * A key argument: null (or empty) for a keyless map, exactly the key size otherwise.
     *
     * @param m the map
     * @param key the key
     * @param param the parameter's name
     * @return the key to pass on: null for a keyless map
     */
    static byte[] key(SimMap m, byte[] key, String param) {
        if (m.keySize() == 0) {
            if (key != null && key.length != 0) {
                throw new IllegalArgumentException(param + ": " + m.type() + " maps have no key; pass null");
            }
            return null;
        }
        if (key == null) throw new IllegalArgumentException(param + ": null; " + m.describe() + " needs " + m.keySize() + " bytes");
        if (key.length != m.keySize()) {
            throw new IllegalArgumentException(param + ": " + key.length + " bytes; " + m.describe() + " has " + m.keySize());
        }
        return key;
    }

    /**
     * A value argument: exactly the user-space value size.
     *
     * @param m the map
     * @param value the value
     * @param param the parameter's name
     */
    static void value(SimMap m, byte[] value, String param) {
        if (value == null) throw new IllegalArgumentException(param + ": null");
        if (value.length != m.userValueSize()) {
            throw new IllegalArgumentException(param + ": " + value.length + " bytes; " + m.describe() + " values are "
                    + m.userValueSize() + (m.type().isPerCpu() ? " (round_up(" + m.valueSize() + ", 8) * possible CPUs)" : ""));
        }
    }

    /**
     * The buffer {@code BPF_MAP_GET_NEXT_KEY} writes: exactly the key size.
     *
     * @param m the map
     * @param next the buffer
     */
    static void nextKey(SimMap m, byte[] next) {
        if (next == null || next.length != m.keySize()) {
            throw new IllegalArgumentException("nextKey: " + (next == null ? "null" : next.length + " bytes") + "; "
                    + m.describe() + " has " + m.keySize() + "-byte keys");
        }
    }

    /**
     * A batch's count, flags and arrays.
     *
     * @param m the map
     * @param keys the keys
     * @param values the values, or null for a delete batch
     * @param count the element count
     * @param flags the batch flags
     */
    static void batch(SimMap m, byte[] keys, byte[] values, int count, long flags) {
        if (count <= 0) throw new IllegalArgumentException("count: must be positive, was " + count);
        if (flags != 0) throw new IllegalArgumentException("flags: must be 0, was 0x" + Long.toHexString(flags));
        long kb = (long) count * m.keySize();
        long vb = (long) count * m.userValueSize();
        if (keys == null || keys.length < kb) {
            throw new IllegalArgumentException("keys: needs " + kb + " bytes for " + count + " keys of " + m.describe());
        }
        if (values != null && values.length < vb) {
            throw new IllegalArgumentException("values: needs " + vb + " bytes for " + count + " values of " + m.describe());
        }
        if (kb > Integer.MAX_VALUE / 2 || vb > Integer.MAX_VALUE / 2) throw new IllegalArgumentException("count: too large");
    }

    /**
     * A lookup batch's cursors: {@code max(keySize, 4)} bytes at least.
     *
     * @param m the map
     * @param in the cursor in, or null
     * @param out the cursor out
     * @return the cursor size
     */
    static int cursors(SimMap m, byte[] in, byte[] out) {
        int cursor = Math.max(m.keySize(), 4);
        if (out == null || out.length < cursor) throw new IllegalArgumentException("outBatch: needs at least " + cursor + " bytes");
        if (in != null && in.length < cursor) throw new IllegalArgumentException("inBatch: needs at least " + cursor + " bytes");
        return cursor;
    }
}
