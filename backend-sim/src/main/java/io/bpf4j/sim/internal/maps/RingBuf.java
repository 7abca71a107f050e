package io.bpf4j.sim.internal.maps;

import io.bpf4j.api.Errno;
import io.bpf4j.api.MapFlags;
import io.bpf4j.api.MapSpec;
import io.bpf4j.sim.internal.events.RingMemory;
import io.bpf4j.sim.internal.kernel.KErr;
import io.bpf4j.sim.internal.kernel.Kernel;
import io.bpf4j.sim.internal.vm.VmRingBuffer;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The BPF ring buffer ({@code kernel/bpf/ringbuf.c}, Linux 6.18), kept in the kernel's byte layout
 * ({@link RingMemory}) so that the api's {@code RingBufferReader} reads it as it reads Linux's
 * mapping. Every element command fails as the kernel's does ({@code ENOTSUPP}).
 *
 * <p>Reserving writes the 8-byte header with the busy bit at the producer position and publishes
 * the new producer position; the program fills a private array (the interpreter's memory model),
 * which submitting copies into the ring before it clears the busy bit with release, and which
 * discarding leaves out, setting the discard bit. Space is accounted as the kernel does (header
 * plus length rounded up to 8; at most {@code size - 1} bytes ahead of the consumer, so discarded
 * records keep their space until the consumer passes them), and readers are woken as
 * {@code bpf_ringbuf_commit} wakes them: when the consumer has caught up with the record, unless
 * {@code BPF_RB_NO_WAKEUP}, always with {@code BPF_RB_FORCE_WAKEUP}.
 */
public final class RingBuf extends SimMap implements VmRingBuffer {
    private static final int PAGE = 4096;
    private static final int HDR = 8;
    private static final int BUSY = 1 << 31;
    private static final int DISCARD = 1 << 30;
    /** {@code RINGBUF_PGOFF + RINGBUF_POS_PAGES}: the data starts this many pages into the ring struct. */
    private static final int DATA_PAGE = 3;
    private static final long NO_WAKEUP = 1;
    private static final long FORCE_WAKEUP = 2;

    private final RingMemory memory;
    /** Reservations in flight: the program's array and its header's position. */
    private final Map<byte[], Long> pending = new IdentityHashMap<>();
    private long producer;

    /**
     * Creates the ring buffer.
     *
     * @param kernel the kernel
     * @param spec checked attributes
     */
    public RingBuf(Kernel kernel, MapSpec spec) {
        super(kernel, spec);
        this.memory = new RingMemory(spec.maxEntries());
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

    /**
     * The ring's memory, for mapping.
     *
     * @return the memory
     */
    public RingMemory memory() {
        return memory;
    }

    private static long space(int len) {
        return (len + HDR + 7) & ~7L;
    }

    @Override
    public byte[] reserve(int size) {
        if (size < 0) return null;
        long need = space(size);
        // __bpf_ringbuf_reserve(): "new_prod_pos - cons_pos > rb->mask" fails.
        if (producer + need - memory.consumer() > Integer.toUnsignedLong(maxEntries) - 1) return null;
        long at = producer;
        memory.putInt(at, size | BUSY);
        memory.putInt(at + 4, DATA_PAGE + (int) ((at & (maxEntries - 1)) / PAGE));
        producer += need;
        memory.publish(producer);
        byte[] r = new byte[size];
        pending.put(r, at);
        return r;
    }

    @Override
    public void submit(byte[] record, long flags) {
        Long at = pending.remove(record);
        if (at == null) return;
        memory.put(at + HDR, record, record.length, record.length);
        commit(at, record.length, flags);
    }

    @Override
    public void discard(byte[] record, long flags) {
        Long at = pending.remove(record);
        if (at == null) return;
        commit(at, record.length | DISCARD, flags);
    }

    private void commit(long at, int header, long flags) {
        memory.putIntRelease(at, header);
        long cons = memory.consumer();
        boolean caughtUp = (cons & (maxEntries - 1)) == (at & (maxEntries - 1));
        if ((flags & FORCE_WAKEUP) != 0 || (caughtUp && (flags & NO_WAKEUP) == 0)) memory.waiters.signal();
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
        long cons = memory.consumer();
        switch ((int) flags) {
            case 0: return producer - cons;
            case 1: return Integer.toUnsignedLong(maxEntries);
            case 2: return cons;
            case 3: return producer;
            default: return 0;
        }
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
