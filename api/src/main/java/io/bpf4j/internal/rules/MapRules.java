package io.bpf4j.internal.rules;

import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import java.util.Objects;

/**
 * The input rules of the map commands. The element and batch rules take the map's shape as
 * primitives (type, key size, user-space value size) and the map's description for messages,
 * an object whose {@code toString()} is called only when a rule throws; they sit on the hot
 * path, so they allocate nothing unless they throw.
 *
 * <p>Sizes are not bounded here: the kernel answers an impossible map itself (E2BIG when
 * {@code max_entries} overflows its rounding or a value is too large for its allocator, ENOMEM
 * when the allocation exceeds the machine's memory, checked before anything is allocated), and
 * every backend reports that errno as it comes.
 */
public final class MapRules {
    /**
     * Every {@code map_flags} bit Linux 6.18 defines ({@code BPF_F_NO_PREALLOC} 1 &lt;&lt; 0 ..
     * {@code BPF_F_NO_USER_CONV} 1 &lt;&lt; 18).
     */
    public static final int KNOWN_MAP_FLAGS = (1 << 19) - 1;
    /** {@code BPF_ANY | BPF_NOEXIST | BPF_EXIST | BPF_F_LOCK}: the defined update flags. */
    private static final long UPDATE_FLAGS = 7;
    /** {@code BPF_NOEXIST | BPF_EXIST}: never both. */
    private static final long NOEXIST_EXIST = 3;
    /** {@code BPF_F_LOCK}: the only defined lookup flag. */
    private static final long LOCK = 4;

    private MapRules() {
    }

    /**
     * {@code BPF_MAP_CREATE}: no undefined flag bits, no key size for a keyless type. The name
     * was checked when the spec was made.
     *
     * @param spec the attributes
     * @throws NullPointerException when {@code spec} is null
     * @throws IllegalArgumentException naming the bad attribute
     */
    public static void create(MapSpec spec) {
        Objects.requireNonNull(spec, "spec");
        if ((spec.flags() & ~KNOWN_MAP_FLAGS) != 0) {
            throw new IllegalArgumentException("flags: unknown bits 0x" + Integer.toHexString(spec.flags() & ~KNOWN_MAP_FLAGS));
        }
        if (spec.type().isKeyless() && spec.keySize() != 0) {
            throw new IllegalArgumentException("keySize: " + spec.type() + " maps have no key; must be 0, was " + spec.keySize());
        }
    }

    /**
     * The bytes user space reads and writes per value ({@code bpf_map_value_size()} in
     * {@code kernel/bpf/syscall.c}): {@code round_up(valueSize, 8) * possibleCpus} for per-CPU
     * maps, 4 for the maps whose values are descriptors or ids, else the value size.
     *
     * @param type the map type
     * @param valueSize the value size the map was created with
     * @param possibleCpus the possible CPUs
     * @return bytes per user-space value
     */
    public static int userValueSize(MapType type, int valueSize, int possibleCpus) {
        if (type.isPerCpu()) return ((valueSize + 7) & ~7) * possibleCpus;
        switch (type) {
            case PROG_ARRAY:
            case PERF_EVENT_ARRAY:
            case CGROUP_ARRAY:
            case ARRAY_OF_MAPS:
            case HASH_OF_MAPS:
                return 4;
            default:
                return valueSize;
        }
    }

    /**
     * A descriptor argument.
     *
     * @param fd the descriptor
     * @param param the parameter's name
     * @throws IllegalArgumentException when negative
     */
    public static void fd(int fd, String param) {
        ObjRules.fd(fd, param);
    }

    /**
     * The key of lookup, update, delete and lookup-and-delete: null (or empty) for a keyless
     * map, exactly the key size otherwise.
     *
     * @param type the map type
     * @param keySize the key size
     * @param key the key
     * @param object the map's description
     * @throws IllegalArgumentException naming {@code key}
     */
    public static void key(MapType type, int keySize, byte[] key, Object object) {
        if (keySize == 0) {
            if (key != null && key.length != 0) throw new IllegalArgumentException("key: " + type + " maps have no key; pass null");
            return;
        }
        if (key == null) throw new IllegalArgumentException("key: null; " + object + " needs " + keySize + " bytes");
        if (key.length != keySize) throw new IllegalArgumentException("key: " + key.length + " bytes; " + object + " has " + keySize);
    }

    /**
     * The current key of {@code BPF_MAP_GET_NEXT_KEY}: null to start, else as {@link #key}.
     *
     * @param type the map type
     * @param keySize the key size
     * @param key the current key, or null
     * @param object the map's description
     * @throws IllegalArgumentException naming {@code key}
     */
    public static void currentKey(MapType type, int keySize, byte[] key, Object object) {
        if (key != null) key(type, keySize, key, object);
    }

    /**
     * The buffer {@code BPF_MAP_GET_NEXT_KEY} writes: exactly the key size.
     *
     * @param keySize the key size
     * @param next the buffer
     * @param object the map's description
     * @throws IllegalArgumentException naming {@code nextKey}
     */
    public static void nextKey(int keySize, byte[] next, Object object) {
        if (next == null || next.length != keySize) {
            throw new IllegalArgumentException("nextKey: " + (next == null ? "null" : next.length + " bytes") + "; "
                    + object + " has " + keySize + "-byte keys");
        }
    }

    /**
     * A value argument: exactly the user-space value size.
     *
     * @param type the map type
     * @param valueSize the value size the map was created with
     * @param userValueSize {@link #userValueSize}
     * @param value the value
     * @param object the map's description
     * @throws IllegalArgumentException naming {@code value}
     */
    public static void value(MapType type, int valueSize, int userValueSize, byte[] value, Object object) {
        if (value == null) throw new IllegalArgumentException("value: null");
        if (value.length != userValueSize) {
            throw new IllegalArgumentException("value: " + value.length + " bytes; " + object + " values are " + userValueSize
                    + (type.isPerCpu() ? " (round_up(" + valueSize + ", 8) * possible CPUs)" : ""));
        }
    }

    /**
     * Lookup flags (lookup, lookup-and-delete and the lookup batches): 0 or {@code BPF_F_LOCK}.
     *
     * @param flags the flags
     * @param param the parameter's name
     * @throws IllegalArgumentException for any other bit
     */
    public static void lookupFlags(long flags, String param) {
        if ((flags & ~LOCK) != 0) throw badFlags(flags, param);
    }

    /**
     * Update flags: {@code BPF_ANY}, {@code BPF_NOEXIST} or {@code BPF_EXIST}, possibly with
     * {@code BPF_F_LOCK}, never {@code BPF_NOEXIST | BPF_EXIST}.
     *
     * @param flags the flags
     * @param param the parameter's name
     * @throws IllegalArgumentException for unknown or conflicting bits
     */
    public static void updateFlags(long flags, String param) {
        if ((flags & ~UPDATE_FLAGS) != 0 || (flags & NOEXIST_EXIST) == NOEXIST_EXIST) throw badFlags(flags, param);
    }

    private static IllegalArgumentException badFlags(long flags, String param) {
        return new IllegalArgumentException(param + ": 0x" + Long.toHexString(flags) + " has unknown or conflicting bits");
    }

    /**
     * {@code BPF_MAP_LOOKUP_BATCH} and {@code BPF_MAP_LOOKUP_AND_DELETE_BATCH}: the arrays, count
     * and flags, and cursors of {@code max(keySize, 4)} bytes at least (a hash map's cursor is a
     * 4-byte bucket index, the others' a key).
     *
     * @param keySize the key size
     * @param userValueSize {@link #userValueSize}
     * @param inBatch the cursor in, or null to start
     * @param outBatch receives the cursor
     * @param keys receives keys
     * @param values receives values
     * @param count elements at most
     * @param elemFlags 0 or {@code BPF_F_LOCK}
     * @param flags 0
     * @param object the map's description
     * @return the cursor size the command copies
     * @throws IllegalArgumentException naming the bad argument
     */
    public static int lookupBatch(int keySize, int userValueSize, byte[] inBatch, byte[] outBatch, byte[] keys,
            byte[] values, int count, long elemFlags, long flags, Object object) {
        if (values == null) throw new IllegalArgumentException("values: null");
        arrays(keySize, userValueSize, keys, values, count, flags, object);
        lookupFlags(elemFlags, "elemFlags");
        int cursor = Math.max(keySize, 4);
        if (outBatch == null || outBatch.length < cursor) throw new IllegalArgumentException("outBatch: needs at least " + cursor + " bytes");
        if (inBatch != null && inBatch.length < cursor) throw new IllegalArgumentException("inBatch: needs at least " + cursor + " bytes");
        return cursor;
    }

    /**
     * {@code BPF_MAP_UPDATE_BATCH}.
     *
     * @param keySize the key size
     * @param userValueSize {@link #userValueSize}
     * @param keys the keys
     * @param values the values
     * @param count how many
     * @param elemFlags update flags
     * @param flags 0
     * @param object the map's description
     * @throws IllegalArgumentException naming the bad argument
     */
    public static void updateBatch(int keySize, int userValueSize, byte[] keys, byte[] values, int count, long elemFlags,
            long flags, Object object) {
        if (values == null) throw new IllegalArgumentException("values: null");
        arrays(keySize, userValueSize, keys, values, count, flags, object);
        updateFlags(elemFlags, "elemFlags");
    }

    /**
     * {@code BPF_MAP_DELETE_BATCH}.
     *
     * @param keySize the key size
     * @param keys the keys
     * @param count how many
     * @param elemFlags 0
     * @param flags 0
     * @param object the map's description
     * @throws IllegalArgumentException naming the bad argument
     */
    public static void deleteBatch(int keySize, byte[] keys, int count, long elemFlags, long flags, Object object) {
        arrays(keySize, 0, keys, null, count, flags, object);
        if (elemFlags != 0) throw new IllegalArgumentException("elemFlags: must be 0, was 0x" + Long.toHexString(elemFlags));
    }

    /**
     * A batch's count, flags and arrays. The arrays must hold {@code count} elements; the native
     * backends copy that much through scratch memory, so the totals stay below 1 GiB.
     */
    private static void arrays(int keySize, int userValueSize, byte[] keys, byte[] values, int count, long flags,
            Object object) {
        if (count <= 0) throw new IllegalArgumentException("count: must be positive, was " + count);
        if (flags != 0) throw new IllegalArgumentException("flags: must be 0, was 0x" + Long.toHexString(flags));
        long kb = (long) count * keySize;
        long vb = (long) count * userValueSize;
        if (keys == null || keys.length < kb) {
            throw new IllegalArgumentException("keys: needs " + kb + " bytes for " + count + " keys of " + object);
        }
        if (values != null && values.length < vb) {
            throw new IllegalArgumentException("values: needs " + vb + " bytes for " + count + " values of " + object);
        }
        if (kb > Integer.MAX_VALUE / 2 || vb > Integer.MAX_VALUE / 2) throw new IllegalArgumentException("count: too large");
    }

    /**
     * {@link io.bpf4j.api.Bpf#mapMmap(int, long, boolean)}: a descriptor, and a length one
     * {@code ByteBuffer} can show.
     *
     * @param mapFd the map
     * @param length bytes to map
     */
    public static void mmap(int mapFd, long length) {
        ObjRules.fd(mapFd, "mapFd");
        if (length < 1 || length > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("length: " + length + " is not from 1 to " + Integer.MAX_VALUE);
        }
    }
}
