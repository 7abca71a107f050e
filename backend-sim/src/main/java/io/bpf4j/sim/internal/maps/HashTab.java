package io.bpf4j.sim.internal.maps;

import io.bpf4j.api.BatchResult;
import io.bpf4j.api.Errno;
import io.bpf4j.api.MapFlags;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.sim.internal.kernel.KErr;
import io.bpf4j.sim.internal.kernel.Kernel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Hash and per-CPU hash maps ({@code kernel/bpf/hashtab.c}). Keys live in
 * {@code roundup_pow_of_two(max_entries)} buckets chosen by the kernel's jhash with the map's
 * seed (0 with {@code BPF_F_ZERO_SEED}); a new or replaced element goes to the head of its
 * bucket, as {@code hlist_nulls_add_head_rcu} puts it. So iteration and batch order match the
 * kernel's whenever the seed does.
 *
 * <p>Buckets are singly linked chains, as the kernel's hlists, whose heads sit in chunks
 * allocated on first use (a map of 2^28 buckets costs nothing until filled), and freed elements
 * go to a free list that inserts take from first, as the kernel's preallocated elements do: so
 * the element commands allocate nothing once the map has held as many elements as it holds.
 */
public class HashTab extends SimMap {
    /** One element. */
    static final class Elem {
        /** The key; reused in place when the element is recycled. */
        final byte[] key;
        int hash;
        /** The next element of its bucket, or of the free list. */
        Elem next;
        /** The value, or null for per-CPU maps. */
        byte[] value;
        /** Per-CPU values, or null. */
        byte[][] pcpu;
        /**
         * Per-CPU maps whose value size is not a multiple of 8: each CPU's padding up to
         * {@code round_up(value_size, 8)}, CPU after CPU, or null. The kernel allocates the rounded
         * size per CPU and copies it whole in and out of user space ({@code pcpu_copy_value},
         * {@code bpf_percpu_hash_copy}: {@code copy_map_value_long}); programs see only the value.
         */
        byte[] pad;
        /** What an fd-valued map holds (the inner map), or null. */
        Object obj;
        /** LRU maps: the node of the LRU lists this element occupies. */
        Lru.Node node;

        Elem(byte[] key, int hash) {
            this.key = key;
            this.hash = hash;
        }
    }

    private static final int CHUNK_BITS = 10;
    private static final int CHUNK_MASK = (1 << CHUNK_BITS) - 1;
    /** Bucket heads, {@code 1 << CHUNK_BITS} per chunk; a chunk is allocated by its first element. */
    private final Elem[][] chunks;
    /** Elements per chunk, so walks skip empty chunks. */
    private final int[] chunkCount;
    /** Freed elements of this map, for the next insert. */
    private Elem free;
    private final int nBuckets;
    private final int seed;
    /** Elements in the table. */
    protected int count;
    /** Whether values are per CPU. */
    protected final boolean percpu;

    /**
     * Creates the map; {@link MapFactory} has checked the attributes.
     *
     * @param kernel the kernel
     * @param spec the attributes
     */
    public HashTab(Kernel kernel, MapSpec spec) {
        super(kernel, spec);
        this.percpu = spec.type().isPerCpu();
        this.nBuckets = Math.max(1, Integer.highestOneBit(Math.max(1, spec.maxEntries() - 1)) << (spec.maxEntries() > 1 ? 1 : 0));
        this.seed = (spec.flags() & MapFlags.ZERO_SEED) != 0 ? 0 : kernel.randomSeed();
        int nChunks = (int) ((nBuckets + (long) CHUNK_MASK) >>> CHUNK_BITS);
        this.chunks = new Elem[nChunks][];
        this.chunkCount = new int[nChunks];
    }

    /**
     * Checks the attributes as {@code htab_map_alloc_check()} does.
     *
     * @param s the attributes
     * @param cpus possible CPUs
     */
    static void check(MapSpec s, int cpus) {
        MapType t = s.type();
        boolean percpu = t == MapType.PERCPU_HASH || t == MapType.LRU_PERCPU_HASH;
        boolean lru = t == MapType.LRU_HASH || t == MapType.LRU_PERCPU_HASH;
        boolean prealloc = (s.flags() & MapFlags.NO_PREALLOC) == 0;
        boolean percpuLru = (s.flags() & MapFlags.NO_COMMON_LRU) != 0;
        int mask = MapFlags.NO_PREALLOC | MapFlags.NO_COMMON_LRU | MapFlags.NUMA_NODE | MapFactory.ACCESS_MASK
                | MapFlags.ZERO_SEED;
        if ((s.flags() & ~mask) != 0 || !MapFactory.accessOk(s.flags())) throw KErr.of(Errno.EINVAL, "flags");
        if (!lru && percpuLru) throw KErr.of(Errno.EINVAL, "BPF_F_NO_COMMON_LRU without LRU");
        if (lru && !prealloc) throw KErr.of(Errno.ENOTSUPP, "LRU maps need preallocation");
        if ((s.flags() & MapFlags.NUMA_NODE) != 0 && (percpu || percpuLru)) throw KErr.of(Errno.EINVAL, "NUMA node with per-CPU");
        if (s.maxEntries() == 0 || s.keySize() == 0 || s.valueSize() == 0) throw KErr.of(Errno.EINVAL, "zero size");
        // key + value must fit one kmalloc (KMALLOC_MAX_SIZE, 4 MiB on x86-64) with the element header.
        if ((long) s.keySize() + s.valueSize() >= MapFactory.KMALLOC_MAX_SIZE - 48) throw KErr.of(Errno.E2BIG, "key + value too large");
        if (percpu && round8(s.valueSize()) > MapFactory.PCPU_MIN_UNIT_SIZE) throw KErr.of(Errno.E2BIG, "per-CPU value too large");
        // n_buckets > U32_MAX / sizeof(struct bucket) fails with E2BIG.
        if (Integer.toUnsignedLong(s.maxEntries()) > (1L << 28)) throw KErr.of(Errno.E2BIG, "too many buckets");
    }

    final int hashOf(byte[] key) {
        return Jhash.jhash(key, 0, key.length, seed);
    }

    private int bucketOf(int hash) {
        return hash & (nBuckets - 1);
    }

    /** The first element of a bucket, or null. */
    private Elem head(int bucket) {
        Elem[] c = chunks[bucket >>> CHUNK_BITS];
        return c == null ? null : c[bucket & CHUNK_MASK];
    }

    private void setHead(int bucket, Elem e) {
        int ci = bucket >>> CHUNK_BITS;
        Elem[] c = chunks[ci];
        if (c == null) c = chunks[ci] = new Elem[Math.min(nBuckets, CHUNK_MASK + 1)];
        c[bucket & CHUNK_MASK] = e;
    }

    /** The head of the first non-empty bucket at or after {@code bucket}, or null. */
    private Elem firstFrom(long bucket) {
        for (long b = bucket; b < nBuckets; ) {
            int ci = (int) (b >>> CHUNK_BITS);
            Elem[] c = chunks[ci];
            if (c == null || chunkCount[ci] == 0) {
                b = (long) (ci + 1) << CHUNK_BITS;
                continue;
            }
            for (int i = (int) (b & CHUNK_MASK); i < c.length; i++) if (c[i] != null) return c[i];
            b = (long) (ci + 1) << CHUNK_BITS;
        }
        return null;
    }

    /** The element with this key, or null ({@code lookup_elem_raw}). */
    final Elem find(byte[] key) {
        int h = hashOf(key);
        for (Elem e = head(bucketOf(h)); e != null; e = e.next) if (e.hash == h && Arrays.equals(e.key, key)) return e;
        return null;
    }

    final void addHead(Elem e) {
        int b = bucketOf(e.hash);
        e.next = head(b);
        setHead(b, e);
        chunkCount[b >>> CHUNK_BITS]++;
        count++;
    }

    final void unlink(Elem e) {
        int b = bucketOf(e.hash);
        Elem prev = null;
        for (Elem x = head(b); x != null; prev = x, x = x.next) {
            if (x != e) continue;
            if (prev == null) setHead(b, e.next);
            else prev.next = e.next;
            e.next = null;
            chunkCount[b >>> CHUNK_BITS]--;
            count--;
            return;
        }
    }

    /**
     * A new element holding a copy of the user-space value.
     *
     * @param key the key (copied)
     * @param hash its hash
     * @param value the user-space value, or null for zero
     * @return the element
     */
    final Elem newElem(byte[] key, int hash, byte[] value) {
        Elem e = free;
        if (e != null) {
            free = e.next;
            e.next = null;
            System.arraycopy(key, 0, e.key, 0, keySize);
            e.hash = hash;
            if (value == null) {
                if (percpu) {
                    for (byte[] slice : e.pcpu) Arrays.fill(slice, (byte) 0);
                    zeroPad(e);
                } else {
                    Arrays.fill(e.value, (byte) 0);
                }
            }
        } else {
            e = new Elem(key.clone(), hash);
            if (percpu) {
                e.pcpu = new byte[cpus][valueSize];
                int padSize = round8(valueSize) - valueSize;
                if (padSize > 0) e.pad = new byte[cpus * padSize];
            } else {
                e.value = new byte[valueSize];
            }
        }
        if (value != null) {
            if (percpu) copyPercpuIn(e, value);
            else System.arraycopy(value, 0, e.value, 0, valueSize);
        }
        return e;
    }

    /**
     * Copies a whole user-space value into every CPU's slot, padding included
     * ({@code pcpu_copy_value()} with {@code onallcpus}: {@code copy_map_value_long} of
     * {@code round_up(value_size, 8)} per CPU).
     */
    final void copyPercpuIn(Elem e, byte[] value) {
        int stride = round8(valueSize);
        int padSize = stride - valueSize;
        for (int c = 0; c < cpus; c++) {
            System.arraycopy(value, c * stride, e.pcpu[c], 0, valueSize);
            if (padSize > 0) System.arraycopy(value, c * stride + valueSize, e.pad, c * padSize, padSize);
        }
    }

    /**
     * Zeroes an element's padding, for an element a program creates: the kernel's
     * {@code pcpu_init_value()} copies the running CPU's rounded value from the program's buffer
     * and leaves the other CPUs' padding as the allocation had it; the simulator keeps zeros.
     */
    final void zeroPad(Elem e) {
        if (e.pad != null) Arrays.fill(e.pad, (byte) 0);
    }

    /**
     * Copies an element's user-space value out: per-CPU slots 8-byte strided with their padding,
     * as {@code bpf_percpu_hash_copy()} and the batch walk copy {@code round_up(value_size, 8)}.
     */
    void copyOut(Elem e, byte[] out, int off) {
        if (percpu) {
            int stride = round8(valueSize);
            int padSize = stride - valueSize;
            for (int c = 0; c < cpus; c++) {
                System.arraycopy(e.pcpu[c], 0, out, off + c * stride, valueSize);
                if (padSize > 0) System.arraycopy(e.pad, c * padSize, out, off + c * stride + valueSize, padSize);
            }
        } else {
            System.arraycopy(e.value, 0, out, off, valueSize);
        }
    }

    /** Throws what {@code check_flags()} returns for this element and flags. */
    static void checkFlags(Elem old, long flags) {
        long f = flags & ~LOCK;
        if (old != null && f == NOEXIST) throw KErr.of(Errno.EEXIST);
        if (old == null && f == EXIST) throw KErr.of(Errno.ENOENT);
    }

    /**
     * Releases what an element holds once it leaves the table. Plain and per-CPU hashes keep it
     * for the next insert; types whose elements hold more (LRU nodes, inner maps) override this.
     */
    void freeElem(Elem e) {
        e.next = free;
        free = e;
    }

    // ------------------------------------------------------------------ syscall side

    @Override
    public void sysLookup(byte[] key, byte[] out) {
        Elem e = find(key);
        if (e == null) throw enoent();
        copyOut(e, out, 0);
    }

    @Override
    public void sysUpdate(byte[] key, byte[] value, long flags) {
        updateElem(key, value, flags);
    }

    /**
     * The kernel's update: {@code htab_map_update_elem} or {@code __htab_percpu_map_update_elem}.
     *
     * @param key the key
     * @param value the user-space value
     * @param flags element flags
     * @return the element now holding the key
     */
    Elem updateElem(byte[] key, byte[] value, long flags) {
        if ((flags & ~LOCK) > EXIST) throw KErr.of(Errno.EINVAL, "flags");
        Elem old = find(key);
        checkFlags(old, flags);
        if (percpu && old != null) {
            // Per-CPU elements are updated in place and keep their place in the bucket.
            copyPercpuIn(old, value);
            return old;
        }
        // Preallocated or not, a new key beyond max_entries fails with E2BIG.
        if (old == null && count >= maxEntries) throw KErr.of(Errno.E2BIG, "map is full");
        Elem e = newElem(key, old != null ? old.hash : hashOf(key), value);
        addHead(e);
        if (old != null) {
            unlink(old);
            freeElem(old);
        }
        return e;
    }

    @Override
    public void sysDelete(byte[] key) {
        Elem e = find(key);
        if (e == null) throw enoent();
        unlink(e);
        freeElem(e);
    }

    @Override
    public void sysNextKey(byte[] key, byte[] next) {
        long from = 0;
        if (key != null) {
            Elem e = find(key);
            if (e != null) {
                if (e.next != null) {
                    System.arraycopy(e.next.key, 0, next, 0, keySize);
                    return;
                }
                from = bucketOf(e.hash) + 1L;
            }
        }
        Elem f = firstFrom(from);
        if (f == null) throw enoent();
        System.arraycopy(f.key, 0, next, 0, keySize);
    }

    @Override
    public void sysLookupAndDelete(byte[] key, byte[] out, long flags) {
        Elem e = find(key);
        if (e == null) throw enoent();
        copyOut(e, out, 0);
        unlink(e);
        freeElem(e);
    }

    @Override
    public boolean hasBatch(int cmd) {
        return true;
    }

    /**
     * {@code __htab_map_lookup_and_delete_batch}: whole buckets at a time; the cursor is a bucket
     * index. Stops before a bucket that does not fit (ENOSPC if nothing was copied yet), and
     * reports the end (the kernel's ENOENT) once the last bucket is done, or when the cursor is
     * already past it (then nothing is copied and the cursor is not written).
     *
     * @param inBatch the cursor, or null
     * @param outBatch receives the next cursor (4 bytes)
     * @param keys receives keys
     * @param values receives user-space values
     * @param max room in elements
     * @param delete whether to delete what was copied
     * @return the count, and whether the last bucket was done
     */
    @Override
    public BatchResult lookupBatch(byte[] inBatch, byte[] outBatch, byte[] keys, byte[] values, int max, boolean delete) {
        if (max == 0) return new BatchResult(0, false);
        long batch = inBatch == null ? 0 : Integer.toUnsignedLong(Jhash.le32(inBatch, 0));
        // The kernel answers ENOENT with count 0 and leaves the cursor alone: the walk is done.
        if (batch >= nBuckets) return new BatchResult(0, true);
        int total = 0;
        int vsize = userValueSize();
        boolean done = false;
        while (true) {
            int n = 0;
            for (Elem e = head((int) batch); e != null; e = e.next) n++;
            if (n > max - total) {
                if (total == 0) throw KErr.of(Errno.ENOSPC, "a bucket holds " + n + " elements");
                break;
            }
            for (Elem e = head((int) batch), next; e != null; e = next) {
                next = e.next;
                System.arraycopy(e.key, 0, keys, total * keySize, keySize);
                valueForBatch(e, values, total * vsize);
                total++;
                if (delete) {
                    unlink(e);
                    freeElem(e);
                }
            }
            batch++;
            if (batch >= nBuckets) {
                done = true;
                break;
            }
        }
        int cursor = (int) batch;
        outBatch[0] = (byte) cursor;
        outBatch[1] = (byte) (cursor >>> 8);
        outBatch[2] = (byte) (cursor >>> 16);
        outBatch[3] = (byte) (cursor >>> 24);
        return new BatchResult(total, done);
    }

    /** The value a batch copies out; fd-valued maps override it with the inner map's id. */
    void valueForBatch(Elem e, byte[] values, int off) {
        copyOut(e, values, off);
    }

    // ------------------------------------------------------------------ program side

    @Override
    public byte[] lookup(byte[] key, int cpu) {
        Elem e = find(key);
        if (e == null) return null;
        return percpu ? e.pcpu[cpu] : e.value;
    }

    @Override
    public long forEachElem(int cpu, ElemVisitor visitor) {
        // bpf_for_each_hash_elem(): buckets in order, each list with the next element taken
        // before the callback sees the current one.
        long n = 0;
        for (long b = 0; b < nBuckets; b++) {
            Elem e = firstFrom(b);
            if (e == null) break;
            b = bucketOf(e.hash);
            while (e != null) {
                Elem next = e.next;
                n++;
                if (visitor.visit(e.key, percpu ? e.pcpu[cpu] : e.value)) return n;
                e = next;
            }
        }
        return n;
    }

    @Override
    public int update(byte[] key, byte[] value, long flags, int cpu) {
        try {
            if (!percpu) {
                updateElem(key, value, flags);
                return 0;
            }
            // A program updates only its own CPU's slice of a new or existing element.
            if ((flags & ~LOCK) > EXIST) return -Errno.EINVAL.linux();
            Elem old = find(key);
            checkFlags(old, flags);
            if (old != null) {
                System.arraycopy(value, 0, old.pcpu[cpu], 0, valueSize);
                return 0;
            }
            Elem e = progNewPercpu(key);
            System.arraycopy(value, 0, e.pcpu[cpu], 0, valueSize);
            return 0;
        } catch (KErr e) {
            return -e.errno().linux();
        }
    }

    /** A new zeroed per-CPU element for a program-side insert. */
    Elem progNewPercpu(byte[] key) {
        if (count >= maxEntries) throw KErr.of(Errno.E2BIG);
        Elem e = newElem(key, hashOf(key), null);
        addHead(e);
        return e;
    }

    @Override
    public int delete(byte[] key) {
        Elem e = find(key);
        if (e == null) return -Errno.ENOENT.linux();
        unlink(e);
        freeElem(e);
        return 0;
    }

    /**
     * Every element, bucket by bucket.
     *
     * @return a snapshot
     */
    final List<Elem> elems() {
        List<Elem> all = new ArrayList<>(count);
        for (Elem[] c : chunks) {
            if (c == null) continue;
            for (Elem head : c) for (Elem e = head; e != null; e = e.next) all.add(e);
        }
        return all;
    }

    /**
     * The number of elements, for tests.
     *
     * @return the count
     */
    public int count() {
        return count;
    }
}
