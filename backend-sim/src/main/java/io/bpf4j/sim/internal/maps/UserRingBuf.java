package io.bpf4j.sim.internal.maps;

import io.bpf4j.api.Errno;
import io.bpf4j.api.MapSpec;
import io.bpf4j.sim.internal.events.RingMemory;
import io.bpf4j.sim.internal.kernel.KErr;
import io.bpf4j.sim.internal.kernel.Kernel;
import io.bpf4j.sim.internal.vm.VmUserRingBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The user ring buffer ({@code BPF_MAP_TYPE_USER_RINGBUF}, {@code kernel/bpf/ringbuf.c}, Linux
 * 6.18): user space writes records into the producer side of a {@link RingMemory} laid out as the
 * kernel's (the api's {@code UserRingBufferWriter} writes it as it writes Linux's mapping), and
 * programs drain them with {@code bpf_user_ringbuf_drain}. Element commands fail with
 * {@code ENOTSUPP}, as the kernel's.
 *
 * <p>The drain follows {@code __bpf_user_ringbuf_peek} and {@code bpf_user_ringbuf_drain}: a
 * producer position that is not 8-byte aligned, or a record header claiming more than the
 * producer published, is {@code -EINVAL}; a record larger than the ring or than a dynptr is
 * {@code -E2BIG}; a discarded record is skipped (and counted out of the result); a busy one ends
 * the drain; at most 128 Ki samples per call; a second drain while one runs is {@code -EBUSY}.
 * After a drain that consumed anything (unless {@code BPF_RB_NO_WAKEUP}), or with
 * {@code BPF_RB_FORCE_WAKEUP}, waiting writers are woken.
 */
public final class UserRingBuf extends SimMap implements VmUserRingBuffer {
    private static final int HDR = 8;
    private static final int BUSY = 1 << 31;
    private static final int DISCARD = 1 << 30;
    /** {@code BPF_MAX_USER_RINGBUF_SAMPLES}. */
    static final long MAX_SAMPLES = 128 * 1024;
    /** {@code DYNPTR_MAX_SIZE}. */
    private static final int DYNPTR_MAX = (1 << 24) - 1;
    private static final long NO_WAKEUP = 1;
    private static final long FORCE_WAKEUP = 2;
    /** Sentinels of {@link #peek} beside a sample's length. */
    private static final long NODATA = -1L << 40;
    private static final long SKIPPED = -2L << 40;

    private final RingMemory memory;
    private final AtomicBoolean busy = new AtomicBoolean();

    /**
     * Creates the map.
     *
     * @param kernel the kernel
     * @param spec checked attributes ({@link RingBuf#check}, as {@code ringbuf_map_alloc()} checks both)
     */
    public UserRingBuf(Kernel kernel, MapSpec spec) {
        super(kernel, spec);
        this.memory = new RingMemory(spec.maxEntries(), true);
    }

    /**
     * The ring's memory, for mapping.
     *
     * @return the memory
     */
    public RingMemory memory() {
        return memory;
    }

    @Override
    public long drain(long flags, SampleCallback callback) {
        if ((flags & ~(NO_WAKEUP | FORCE_WAKEUP)) != 0) return -Errno.EINVAL.linux();
        if (!busy.compareAndSet(false, true)) return -Errno.EBUSY.linux();
        long samples = 0;
        long discarded = 0;
        long ret = 0;
        try {
            while (samples < MAX_SAMPLES && ret == 0) {
                long cons = memory.consumer();
                long got = peek(cons);
                if (got == NODATA) break;
                if (got == SKIPPED) {
                    discarded++;
                    samples++;
                    continue;
                }
                if (got < 0) return got;
                byte[] sample = new byte[(int) got];
                memory.getUnwrapped(cons + HDR, sample);
                try {
                    ret = callback.call(sample);
                } finally {
                    // The callback wrote into the ring's memory on the kernel; so it does here.
                    memory.putUnwrapped(cons + HDR, sample);
                }
                memory.consumed(cons + total(sample.length));
                samples++;
            }
            return samples - discarded;
        } finally {
            busy.set(false);
            if ((flags & FORCE_WAKEUP) != 0 || ((flags & NO_WAKEUP) == 0 && samples > 0)) memory.waiters.signal();
        }
    }

    private static long total(long sampleLength) {
        return (sampleLength + HDR + 7) & ~7L;
    }

    /** {@code __bpf_user_ringbuf_peek}: the sample length at {@code cons}, a sentinel, or a negative errno. */
    private long peek(long cons) {
        long prod = memory.producer();
        if ((prod & 7) != 0) return -Errno.EINVAL.linux();
        if (Long.compareUnsigned(cons, prod) >= 0) return NODATA;
        int hdr = memory.headerAcquire(cons);
        int flagBits = hdr & (BUSY | DISCARD);
        long len = hdr & ~(BUSY | DISCARD);
        long total = total(len);
        if (Long.compareUnsigned(total, prod - cons) > 0) return -Errno.EINVAL.linux();
        if (total > Integer.toUnsignedLong(maxEntries)) return -Errno.E2BIG.linux();
        if (len > DYNPTR_MAX) return -Errno.E2BIG.linux();
        if ((flagBits & DISCARD) != 0) {
            memory.consumed(cons + total);
            return SKIPPED;
        }
        if ((flagBits & BUSY) != 0) return NODATA;
        return len;
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
