package io.bpf4j.sim.internal.maps;

import io.bpf4j.api.Errno;
import io.bpf4j.api.MapFlags;
import io.bpf4j.api.MapSpec;
import io.bpf4j.sim.internal.kernel.KErr;
import io.bpf4j.sim.internal.kernel.Kernel;

/**
 * The bloom filter map ({@code kernel/bpf/bloom_filter.c}): the same bit-array size and the same
 * jhash-based bit selection as the kernel, so with {@code BPF_F_ZERO_SEED} even its false
 * positives are the kernel's. A push adds a value; a peek (lookup) answers membership with ENOENT
 * for "certainly absent".
 */
public final class BloomFilter extends SimMap {
    private final long[] bits;
    private final int mask;
    private final int nrHash;
    private final int seed;

    /**
     * Creates the filter.
     *
     * @param kernel the kernel
     * @param spec checked attributes
     */
    public BloomFilter(Kernel kernel, MapSpec spec) {
        super(kernel, spec);
        int k = (int) (spec.mapExtra() & 0xf);
        this.nrHash = k == 0 ? 5 : k;
        long nrBits = Integer.toUnsignedLong(spec.maxEntries()) * nrHash;
        nrBits = nrBits / 5 * 7;
        long size;
        if (nrBits > (1L << 31)) {
            size = 1L << 32;
        } else if (nrBits <= 64) {
            size = 64;
        } else {
            size = Long.highestOneBit(nrBits - 1) << 1;
        }
        if (size > (1L << 30)) throw KErr.of(Errno.ENOMEM, "the simulator keeps bloom filters below 2^30 bits");
        this.mask = (int) (size - 1);
        this.bits = new long[(int) (size / 64)];
        this.seed = (spec.flags() & MapFlags.ZERO_SEED) != 0 ? 0 : kernel.randomSeed();
    }

    /**
     * Checks the attributes as {@code bloom_map_alloc()} does.
     *
     * @param s the attributes
     */
    static void check(MapSpec s) {
        int mask = MapFlags.NUMA_NODE | MapFlags.ZERO_SEED | MapFactory.ACCESS_MASK;
        if (s.keySize() != 0 || s.valueSize() == 0 || s.maxEntries() == 0 || (s.flags() & ~mask) != 0
                || !MapFactory.accessOk(s.flags()) || (s.mapExtra() & ~0xfL) != 0) {
            throw KErr.of(Errno.EINVAL, "bloom filter attributes");
        }
    }

    private int hash(byte[] value, int index) {
        return Jhash.jhash(value, 0, valueSize, seed + index) & mask;
    }

    @Override
    public int push(byte[] value, long flags) {
        if (flags != ANY) return -Errno.EINVAL.linux();
        for (int i = 0; i < nrHash; i++) {
            int h = hash(value, i);
            bits[h >>> 6] |= 1L << (h & 63);
        }
        return 0;
    }

    @Override
    public int peek(byte[] value) {
        for (int i = 0; i < nrHash; i++) {
            int h = hash(value, i);
            if ((bits[h >>> 6] & (1L << (h & 63))) == 0) return -Errno.ENOENT.linux();
        }
        return 0;
    }

    @Override
    public int pop(byte[] out) {
        return -Errno.EOPNOTSUPP.linux();
    }

    @Override
    public void sysLookup(byte[] key, byte[] value) {
        // The syscall copies the value *in* and peeks: 0 means "maybe present".
        check(peek(value));
    }

    @Override
    public void sysUpdate(byte[] key, byte[] value, long flags) {
        check(push(value, flags));
    }

    @Override
    public void sysDelete(byte[] key) {
        throw KErr.of(Errno.EOPNOTSUPP, "bloom filters cannot delete");
    }

    @Override
    public void sysNextKey(byte[] key, byte[] next) {
        throw KErr.of(Errno.EOPNOTSUPP, "bloom filters have no keys");
    }
}
