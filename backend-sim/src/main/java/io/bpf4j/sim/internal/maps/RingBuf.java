package io.bpf4j.sim.internal.maps;

import io.bpf4j.api.Errno;
import io.bpf4j.api.MapFlags;
import io.bpf4j.api.MapSpec;
import io.bpf4j.sim.internal.kernel.KErr;
import io.bpf4j.sim.internal.kernel.Kernel;
import io.bpf4j.sim.internal.vm.VmRingBuffer;
import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The BPF ring buffer ({@code kernel/bpf/ringbuf.c}). User space reads it through mmap on Linux,
 * so every element command fails as the kernel's does ({@code ENOTSUPP}). Programs reserve,
 * submit, discard and output records with the kernel's space accounting (an 8-byte header, the
 * length rounded up to 8); readers see committed records in reservation order and stop at one
 * still reserved, as the kernel's consumer does. {@link #poll()} is that reader.
 */
public final class RingBuf extends SimMap implements VmRingBuffer {
    private static final int PAGE = 4096;
    private static final int HDR = 8;
    /** Record states. */
    private static final int BUSY = 0;
    private static final int COMMITTED = 1;
    private static final int DISCARDED = 2;

    private final ArrayDeque<byte[]> records = new ArrayDeque<>();
    private final Map<byte[], int[]> state = new IdentityHashMap<>();
    private long consumer;
    private long producer;

    /**
     * Creates the ring buffer.
     *
     * @param kernel the kernel
     * @param spec checked attributes
     */
    public RingBuf(Kernel kernel, MapSpec spec) {
        super(kernel, spec);
    }

    /**
     * Checks the attributes as {@code ringbuf_map_alloc()} does: no key or value, and a size that
     * is a power of two and a multiple of the page size.
     *
     * @param s the attributes
     */
    static void check(MapSpec s) {
        if ((s.flags() & ~MapFlags.NUMA_NODE) != 0) throw KErr.of(Errno.EINVAL, "flags");
        int n = s.maxEntries();
        if (s.keySize() != 0 || s.valueSize() != 0 || n == 0 || Integer.bitCount(n) != 1 || n % PAGE != 0) {
            throw KErr.of(Errno.EINVAL, "size must be a power-of-2 multiple of " + PAGE);
        }
    }

    private static long space(int len) {
        return (len + HDR + 7) & ~7L;
    }

    @Override
    public byte[] reserve(int size) {
        if (size < 0) return null;
        long need = space(size);
        // __bpf_ringbuf_reserve(): the producer may run at most (size - 1) bytes ahead of the
        // consumer ("new_prod_pos - cons_pos > rb->mask"), so a ring never fills completely.
        // Discarded records keep their space until the consumer passes them.
        if (producer + need - consumer > Integer.toUnsignedLong(maxEntries) - 1) return null;
        byte[] r = new byte[size];
        producer += need;
        records.add(r);
        state.put(r, new int[] {BUSY});
        return r;
    }

    @Override
    public void submit(byte[] record, long flags) {
        int[] s = state.get(record);
        if (s != null) s[0] = COMMITTED;
    }

    @Override
    public void discard(byte[] record, long flags) {
        int[] s = state.get(record);
        if (s != null) s[0] = DISCARDED;
    }

    @Override
    public int output(byte[] data, long flags) {
        byte[] r = reserve(data.length);
        if (r == null) return -Errno.EAGAIN.linux();
        System.arraycopy(data, 0, r, 0, data.length);
        submit(r, flags);
        return 0;
    }

    @Override
    public long query(long flags) {
        switch ((int) flags) {
            case 0: return producer - consumer;
            case 1: return Integer.toUnsignedLong(maxEntries);
            case 2: return consumer;
            case 3: return producer;
            default: return 0;
        }
    }

    /**
     * Takes the oldest committed record, skipping discarded ones, as a consumer reading the ring
     * would; stops at a record still reserved.
     *
     * @return the record, or null when none is ready
     */
    public synchronized byte[] poll() {
        while (!records.isEmpty()) {
            byte[] r = records.peek();
            int st = state.get(r)[0];
            if (st == BUSY) return null;
            records.poll();
            state.remove(r);
            consumer += space(r.length);
            if (st == COMMITTED) return r;
        }
        return null;
    }

    @Override
    public void sysLookup(byte[] key, byte[] out) {
        throw KErr.of(Errno.ENOTSUPP);
    }

    @Override
    public void sysUpdate(byte[] key, byte[] value, long flags) {
        throw KErr.of(Errno.ENOTSUPP);
    }

    @Override
    public void sysDelete(byte[] key) {
        throw KErr.of(Errno.ENOTSUPP);
    }

    @Override
    public void sysNextKey(byte[] key, byte[] next) {
        throw KErr.of(Errno.ENOTSUPP);
    }

    @Override
    public byte[] lookup(byte[] key, int cpu) {
        return null;
    }

    @Override
    public int update(byte[] key, byte[] value, long flags, int cpu) {
        return -Errno.ENOTSUPP.linux();
    }

    @Override
    public int delete(byte[] key) {
        return -Errno.ENOTSUPP.linux();
    }
}
