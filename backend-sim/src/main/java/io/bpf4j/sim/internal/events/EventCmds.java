package io.bpf4j.sim.internal.events;

import io.bpf4j.api.MappedRing;
import io.bpf4j.api.Operation;
import io.bpf4j.api.RingWaiter;
import io.bpf4j.internal.rules.EventRules;
import io.bpf4j.internal.rules.ObjRules;
import io.bpf4j.sim.internal.kernel.FdTable;
import io.bpf4j.sim.internal.kernel.KErr;
import io.bpf4j.sim.internal.kernel.Kernel;
import io.bpf4j.sim.internal.maps.PerfEventArray;
import io.bpf4j.sim.internal.maps.RingBuf;
import io.bpf4j.sim.internal.maps.SimMap;
import io.bpf4j.sim.internal.maps.UserRingBuf;

/**
 * The ring primitives in the simulator, shaped as the Linux backend's: a mapping holds its ring
 * buffer alive until closed; a perf ring is a BPF output event with a descriptor of its own,
 * stored in the array through a duplicate of the array's descriptor and taken out of it on close.
 * Perf rings use 4096-byte pages.
 */
public final class EventCmds {
    /** The simulated machine's page size. */
    public static final int PAGE = 4096;

    private final Kernel k;

    /**
     * Creates the family.
     *
     * @param k the kernel
     */
    public EventCmds(Kernel k) {
        this.k = k;
    }

    /**
     * Maps a ring buffer.
     *
     * @param mapFd the map
     * @return the ring
     */
    public MappedRing ringBufferMap(int mapFd) {
        ObjRules.fd(mapFd, "mapFd");
        return k.run(Operation.RINGBUF_MAP, () -> {
            FdTable.Entry e = k.fd(mapFd);
            if (!(e.obj() instanceof SimMap)) throw KErr.of(io.bpf4j.api.Errno.EINVAL, "not a map");
            SimMap m = (SimMap) e.obj();
            RingMemory mem;
            if (m instanceof RingBuf) {
                mem = ((RingBuf) m).memory();
            } else if (m instanceof UserRingBuf) {
                mem = ((UserRingBuf) m).memory();
            } else {
                throw new IllegalArgumentException("mapFd: fd " + mapFd + " is a " + m.type() + " map, not RINGBUF or USER_RINGBUF");
            }
            m.hold();
            return mem.map(() -> {
                synchronized (k) {
                    m.put();
                }
            }, false);
        });
    }

    /**
     * Opens a BPF output event on a CPU with its ring and stores it in the array.
     *
     * @param arrayFd the perf event array
     * @param cpu the CPU and index
     * @param pages data pages
     * @param wakeup samples or bytes between wake-ups
     * @param watermark whether {@code wakeup} counts bytes
     * @return the ring, or null for a CPU the simulated machine does not have
     */
    public MappedRing perfBufferOpen(int arrayFd, int cpu, int pages, int wakeup, boolean watermark) {
        EventRules.perfBufferOpen(arrayFd, cpu, pages, wakeup);
        return k.run(Operation.PERF_BUFFER_OPEN, () -> {
            FdTable.Entry e = k.fd(arrayFd);
            if (!(e.obj() instanceof SimMap)) throw KErr.of(io.bpf4j.api.Errno.EBADF, "not a map");
            SimMap m = (SimMap) e.obj();
            if (!(m instanceof PerfEventArray)) {
                throw new IllegalArgumentException("arrayFd: fd " + arrayFd + " is a " + m.type() + " map, not PERF_EVENT_ARRAY");
            }
            if (cpu >= m.maxEntries()) {
                throw new IllegalArgumentException("cpu: " + cpu + " is past the array's " + m.maxEntries() + " entries");
            }
            if (cpu >= k.config().possibleCpus()) return null;
            SimPerfEvent ev = new SimPerfEvent(cpu, pages * PAGE, wakeup, watermark);
            int evFd = k.fds().open(ev, FdTable.RDWR);
            int array = k.fds().open(m, e.mode());
            byte[] key = le32(cpu);
            try {
                m.sysUpdate(key, le32(evFd), 0);
            } catch (KErr err) {
                k.fds().close(array);
                k.fds().close(evFd);
                throw err;
            }
            ev.hold();
            return ev.ring().map(() -> {
                synchronized (k) {
                    try {
                        ((SimMap) k.fds().get(array).obj()).sysDelete(key);
                    } catch (KErr gone) {
                        // someone cleared the slot already, as on Linux
                    }
                    k.fds().close(array);
                    k.fds().close(evFd);
                    ev.put();
                }
            }, true);
        });
    }

    /**
     * A waiter.
     *
     * @return the waiter
     */
    public RingWaiter waiter() {
        k.checkOpen();
        return new SimWaiter();
    }

    private static byte[] le32(int v) {
        return new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)};
    }
}
