package io.bpf4j.sim.internal.maps;

import io.bpf4j.api.BatchResult;
import io.bpf4j.api.Errno;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.internal.rules.MapRules;
import io.bpf4j.sim.internal.kernel.KErr;
import io.bpf4j.sim.internal.kernel.KObject;
import io.bpf4j.sim.internal.kernel.Kernel;
import io.bpf4j.sim.internal.kernel.ObjKind;
import io.bpf4j.sim.internal.vm.VmMap;
import java.util.Arrays;

/**
 * A simulated map. Subclasses implement one map type family with the kernel's semantics; the
 * defaults here are the kernel's answers for a map type that lacks an operation.
 *
 * <p>Two faces, as in the kernel: the {@code sys*} methods are the syscall side (whole per-CPU
 * values, errors as {@link KErr}), the others are the program side used by the interpreter
 * (one CPU's slice, live storage, results as 0 or a negative errno).
 *
 * <p>Every stored value, and every per-CPU slice of one, is its own {@code byte[]} of exactly the
 * value size, so the interpreter can hand out the live storage as the kernel hands out a pointer.
 */
public abstract class SimMap extends KObject implements VmMap {
    /** Flags of lookup and update: create or replace. */
    protected static final long ANY = 0;
    /** Create only. */
    protected static final long NOEXIST = 1;
    /** Replace only. */
    protected static final long EXIST = 2;
    /** Take the spin lock. */
    protected static final long LOCK = 4;
    /**
     * The one ENOENT of a missing key: it has no stack trace, object or detail, so every lookup
     * of a missing key can throw the same instance instead of allocating one.
     */
    private static final KErr MISSING = KErr.of(Errno.ENOENT);

    /** The kernel the map lives in. */
    protected final Kernel kernel;
    /** The attributes it was created with (max entries possibly adjusted by the type). */
    protected final MapSpec spec;
    /** Key size in bytes. */
    protected final int keySize;
    /** Value size in bytes (one CPU's for per-CPU maps). */
    protected final int valueSize;
    /** Capacity. */
    protected final int maxEntries;
    /** Possible CPUs. */
    protected final int cpus;
    /** What user space reads and writes per value ({@link MapRules#userValueSize}). */
    private final int userValueSize;
    /** {@link #describe()}, kept once the map has its id: element commands name it on every call. */
    private String description;
    private boolean frozen;
    private int btfId;
    private KObject btf;
    private int spinLock = -1;

    /**
     * Creates the map.
     *
     * @param kernel the kernel
     * @param spec the validated attributes
     */
    protected SimMap(Kernel kernel, MapSpec spec) {
        super(ObjKind.MAP);
        this.kernel = kernel;
        this.spec = spec;
        this.keySize = spec.keySize();
        this.valueSize = spec.valueSize();
        this.maxEntries = spec.maxEntries();
        this.cpus = kernel.config().possibleCpus();
        this.userValueSize = MapRules.userValueSize(spec.type(), valueSize, cpus);
    }

    @Override
    protected Kernel kernel() {
        return kernel;
    }

    @Override
    public String describe() {
        String d = description;
        if (d != null) return d;
        d = spec.name().isEmpty() ? "map #" + id() : "map \"" + spec.name() + "\"";
        if (id() != 0) description = d;
        return d;
    }

    /** Subclasses that free more call this last: it drops the map's reference to its BTF. */
    @Override
    protected void destroy() {
        if (btf != null) {
            KObject b = btf;
            btf = null;
            b.put();
        }
    }

    @Override
    public final MapType type() {
        return spec.type();
    }

    /**
     * The creation attributes.
     *
     * @return the spec
     */
    public final MapSpec spec() {
        return spec;
    }

    /**
     * The key size.
     *
     * @return bytes
     */
    @Override
    public final int keySize() {
        return keySize;
    }

    /**
     * One value's size (one CPU's for per-CPU maps).
     *
     * @return bytes
     */
    @Override
    public final int valueSize() {
        return valueSize;
    }

    /**
     * The capacity.
     *
     * @return max entries
     */
    @Override
    public int maxEntries() {
        return maxEntries;
    }

    /**
     * The size of a value as user space sees it: {@code round_up(valueSize, 8) * cpus} for
     * per-CPU maps ({@code bpf_map_value_size()}).
     *
     * @return bytes
     */
    public final int userValueSize() {
        return userValueSize;
    }

    /**
     * The map's own flags, as {@code bpf_map_info} reports them: {@code BPF_F_RDONLY} and
     * {@code BPF_F_WRONLY} belong to the creating descriptor, not the map
     * ({@code bpf_map_flags_retain_permanent()}), and the token flag is consumed at creation.
     *
     * @return the flags
     */
    public final int flags() {
        return spec.flags() & ~(io.bpf4j.api.MapFlags.RDONLY | io.bpf4j.api.MapFlags.WRONLY | io.bpf4j.api.MapFlags.TOKEN_FD);
    }

    /**
     * Whether {@code BPF_MAP_FREEZE} was done.
     *
     * @return true when frozen
     */
    public final boolean frozen() {
        return frozen;
    }

    /** Freezes the map; the command checks the preconditions. */
    public final void freeze() {
        frozen = true;
    }

    /**
     * The BTF object's id, or 0.
     *
     * @return the id
     */
    public final int btfId() {
        return btfId;
    }

    /**
     * Records the BTF object describing key and value.
     *
     * @param id its id
     */
    public final void btfId(int id) {
        btfId = id;
    }

    /**
     * Where the value's {@code struct bpf_spin_lock} lies, from its BTF.
     *
     * @return the byte offset, or -1 for none
     */
    @Override
    public final int spinLockOffset() {
        return spinLock;
    }

    /**
     * Records where the value's spin lock lies.
     *
     * @param off the byte offset, or -1
     */
    final void spinLockOffset(int off) {
        spinLock = off;
    }

    /**
     * A value as the map stores or hands it out: the spin lock's bytes are never copied
     * ({@code copy_map_value()} skips them; {@code check_and_init_map_value()} zeroes them).
     *
     * @param v the value
     * @return {@code v} itself when the value has no lock, else a copy with the lock zeroed
     */
    public final byte[] withoutLock(byte[] v) {
        if (spinLock < 0 || v == null || v.length < spinLock + 4) return v;
        byte[] c = v.clone();
        java.util.Arrays.fill(c, spinLock, spinLock + 4, (byte) 0);
        return c;
    }

    /**
     * Zeroes the spin lock's bytes in a value handed out.
     *
     * @param v the value
     */
    public final void clearLock(byte[] v) {
        if (spinLock >= 0 && v != null && v.length >= spinLock + 4) java.util.Arrays.fill(v, spinLock, spinLock + 4, (byte) 0);
    }

    /**
     * Keeps the BTF object describing key and value alive while the map lives, as
     * {@code map->btf} does, and records its id.
     *
     * @param b the BTF object
     */
    public final void btf(KObject b) {
        b.hold();
        btf = b;
        btfId = b.id();
    }

    /**
     * Whether this is a map-in-map, whose template maps its values must match.
     *
     * @return true for array and hash of maps
     */
    public boolean isMapInMap() {
        return false;
    }

    /**
     * Whether {@code other} may be stored in a map-in-map whose template is this map
     * ({@code map_meta_equal}). The kernel compares type, key and value size and flags; arrays also
     * compare max entries unless created with {@code BPF_F_INNER_MAP}.
     *
     * @param other the candidate inner map
     * @return true when compatible
     */
    public boolean metaEqual(SimMap other) {
        return type() == other.type() && keySize == other.keySize && valueSize == other.valueSize
                && flags() == other.flags();
    }

    static int round8(int n) {
        return (n + 7) & ~7;
    }

    /**
     * ENOENT, the kernel's answer for a missing key.
     *
     * @return the error to throw
     */
    protected static KErr enoent() {
        return MISSING;
    }

    // ------------------------------------------------------------------ syscall side

    /**
     * {@code BPF_MAP_LOOKUP_ELEM} (the command has checked permissions and flags).
     *
     * @param key the key, or null for keyless maps
     * @param out receives the user-space value
     * @throws KErr ENOENT when missing, or the type's error
     */
    public abstract void sysLookup(byte[] key, byte[] out);

    /**
     * {@code BPF_MAP_UPDATE_ELEM}.
     *
     * @param key the key, or null for keyless maps
     * @param value the user-space value
     * @param flags the element flags
     */
    public abstract void sysUpdate(byte[] key, byte[] value, long flags);

    /**
     * {@code BPF_MAP_DELETE_ELEM}.
     *
     * @param key the key
     * @throws KErr ENOENT when missing, or the type's error
     */
    public abstract void sysDelete(byte[] key);

    /**
     * {@code BPF_MAP_GET_NEXT_KEY}.
     *
     * @param key the current key, or null for the first
     * @param next receives the next key
     * @throws KErr ENOENT at the end
     */
    public abstract void sysNextKey(byte[] key, byte[] next);

    /**
     * {@code BPF_MAP_LOOKUP_AND_DELETE_ELEM}. The kernel supports it for queue, stack and the hash
     * maps only; everything else gets {@code ENOTSUPP}.
     *
     * @param key the key, or null for keyless maps
     * @param out receives the value
     * @param flags 0 or {@code BPF_F_LOCK}
     */
    public void sysLookupAndDelete(byte[] key, byte[] out, long flags) {
        throw KErr.of(Errno.ENOTSUPP);
    }

    /**
     * Which batch commands the type has ({@code map_lookup_batch} ... in its {@code bpf_map_ops}).
     *
     * @param cmd 0 lookup, 1 lookup-and-delete, 2 update, 3 delete
     * @return true when the kernel implements it for this type
     */
    public boolean hasBatch(int cmd) {
        return false;
    }

    /**
     * {@code generic_map_lookup_batch()}: walks with get-next-key from the cursor (a key), copying
     * each element; keys that vanish in between are skipped. The cursor out is the last key
     * reached. Hash maps override this with their bucket walk.
     *
     * @param inBatch the cursor, or null to start
     * @param outBatch receives the next cursor
     * @param keys receives keys
     * @param values receives user-space values
     * @param max room in elements
     * @param delete whether to delete what was copied (hash maps only)
     * @return the count, and whether the end (ENOENT) was reached
     */
    public BatchResult lookupBatch(byte[] inBatch, byte[] outBatch, byte[] keys, byte[] values, int max, boolean delete) {
        if (max == 0) return new BatchResult(0, false);
        byte[] prev = inBatch == null ? null : Arrays.copyOf(inBatch, keySize);
        byte[] key = new byte[keySize];
        byte[] value = new byte[userValueSize()];
        int cp = 0;
        KErr err = null;
        while (cp < max) {
            try {
                sysNextKey(prev, key);
            } catch (KErr e) {
                err = e;
                break;
            }
            try {
                sysLookup(key, value);
                System.arraycopy(key, 0, keys, cp * keySize, keySize);
                System.arraycopy(value, 0, values, cp * value.length, value.length);
                cp++;
            } catch (KErr e) {
                if (e.errno() != Errno.ENOENT) throw e;
            }
            prev = key.clone();
        }
        if (cp > 0) System.arraycopy(prev, 0, outBatch, 0, keySize);
        if (err != null && err.errno() != Errno.ENOENT) throw err;
        return new BatchResult(cp, err != null);
    }

    /**
     * {@code generic_map_update_batch()}: one update per element, stopping at the first error.
     *
     * @param keys the keys
     * @param values the user-space values
     * @param count how many
     * @param elemFlags element flags
     */
    public void updateBatch(byte[] keys, byte[] values, int count, long elemFlags) {
        int vs = userValueSize();
        for (int i = 0; i < count; i++) {
            sysUpdate(Arrays.copyOfRange(keys, i * keySize, (i + 1) * keySize),
                    Arrays.copyOfRange(values, i * vs, (i + 1) * vs), elemFlags);
        }
    }

    /**
     * {@code generic_map_delete_batch()}: one delete per key, stopping at the first error (ENOENT
     * for a missing key).
     *
     * @param keys the keys
     * @param count how many
     */
    public void deleteBatch(byte[] keys, int count) {
        for (int i = 0; i < count; i++) sysDelete(Arrays.copyOfRange(keys, i * keySize, (i + 1) * keySize));
    }

    /** Called when the last user reference (descriptor or pin) goes. */
    @Override
    protected void lastUserGone() {
    }

    // ------------------------------------------------------------------ program side

    @Override
    public boolean readOnlyForPrograms() {
        return (spec.flags() & io.bpf4j.api.MapFlags.RDONLY_PROG) != 0;
    }

    /**
     * A program's {@code bpf_map_lookup_elem}: the live value storage of one CPU.
     *
     * @param key the key
     * @param cpu the CPU the program runs on
     * @return the live value, or null when missing
     */
    @Override
    public byte[] lookup(byte[] key, int cpu) {
        return null;
    }

    /**
     * A program's {@code bpf_map_update_elem}: stores {@code value} for one CPU.
     *
     * @param key the key
     * @param value exactly the value size
     * @param flags element flags
     * @param cpu the CPU the program runs on
     * @return 0 or a negative errno
     */
    @Override
    public int update(byte[] key, byte[] value, long flags, int cpu) {
        return -Errno.EINVAL.linux();
    }

    /**
     * A program's {@code bpf_map_delete_elem}.
     *
     * @param key the key
     * @return 0 or a negative errno
     */
    @Override
    public int delete(byte[] key) {
        return -Errno.EINVAL.linux();
    }

    /**
     * A program's {@code bpf_map_push_elem}.
     *
     * @param value the value
     * @param flags {@code BPF_ANY} or {@code BPF_EXIST}
     * @return 0 or a negative errno
     */
    @Override
    public int push(byte[] value, long flags) {
        return -Errno.EINVAL.linux();
    }

    /**
     * A program's {@code bpf_map_pop_elem}.
     *
     * @param out receives the value
     * @return 0 or a negative errno
     */
    @Override
    public int pop(byte[] out) {
        return -Errno.EINVAL.linux();
    }

    /**
     * A program's {@code bpf_map_peek_elem}.
     *
     * @param out receives the value
     * @return 0 or a negative errno
     */
    @Override
    public int peek(byte[] out) {
        return -Errno.EINVAL.linux();
    }

    /**
     * Rethrows a program-side result as a syscall error.
     *
     * @param rc 0 or a negative errno
     */
    protected static void check(int rc) {
        if (rc < 0) throw KErr.of(Errno.fromLinux(-rc));
    }
}
