package io.bpf4j.linux.internal;

import io.bpf4j.api.MapInfo;
import io.bpf4j.api.MapType;
import io.bpf4j.api.MappedRing;
import io.bpf4j.api.Operation;
import io.bpf4j.api.RingWaiter;
import io.bpf4j.internal.rules.EventRules;
import io.bpf4j.internal.rules.ObjRules;
import io.bpf4j.linux.internal.uapi.PerfEventAttrs;
import io.bpf4j.linux.internal.uapi.RingLayouts;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The ring primitives of the event readers on Linux: {@code mmap} of ring buffer maps, BPF
 * output perf events with their rings, and an {@code epoll} waiter. Layouts are in
 * {@link RingLayouts}; the readers themselves are in the api.
 */
public final class EventRings {
    private static final int ENODEV = 19;

    private final Kernel k;
    private final InfoCommands info;
    private final MapCommands maps;

    /**
     * Creates the family.
     *
     * @param k the shared context
     * @param info to learn a map's type and size
     * @param maps to store perf events in their array
     */
    public EventRings(Kernel k, InfoCommands info, MapCommands maps) {
        this.k = k;
        this.info = info;
        this.maps = maps;
    }

    /**
     * Maps a ring buffer as libbpf's {@code ring_buffer__add} (or, for a {@code USER_RINGBUF},
     * {@code user_ring_buffer__new}) does: the consumer page, then the producer page with the
     * data area mapped twice after it.
     *
     * @param mapFd the map
     * @return the ring
     */
    public MappedRing ringBufferMap(int mapFd) {
        ObjRules.fd(mapFd, "mapFd");
        k.gate.require(Operation.RINGBUF_MAP);
        // The mapping is made through a private duplicate that the ring keeps for epoll: the
        // type and size read here and the memory mapped below belong to one map, whatever
        // happens to the caller's descriptor number meanwhile.
        int fd = new ObjectCommands(k).dup(mapFd);
        LinuxRing ring = new LinuxRing(k, fd, RingLayouts.EPOLLIN);
        try {
            MapInfo m = info.map(fd);
            boolean user = m.type() == MapType.USER_RINGBUF;
            if (m.type() != MapType.RINGBUF && !user) {
                throw new IllegalArgumentException("mapFd: fd " + mapFd + " is a " + m.type() + " map, not RINGBUF or USER_RINGBUF");
            }
            if (user) ring.events = RingLayouts.EPOLLOUT;
            int page = k.sys.pageSize();
            int size = m.maxEntries();
            int rw = RingLayouts.PROT_READ | RingLayouts.PROT_WRITE;
            long cons = ring.map(page, user ? RingLayouts.PROT_READ : rw, 0, "consumer page");
            long rest = ring.map(page + 2L * size, user ? rw : RingLayouts.PROT_READ, page, "producer page and data");
            ring.consumer = view(cons, 8, !user);
            ring.producer = view(rest, 8, user);
            // A ByteBuffer holds at most 2^31 - 1 bytes; a larger double mapping is shown once,
            // and the reader copies the records that wrap.
            int dataLength = (int) Math.min(2L * size, Integer.MAX_VALUE);
            ring.data = view(rest + page, dataLength, user);
            // Readers only: a user ring's consumer page is read-only here, and its writer uses the buffers.
            if (!user) ring.reads = k.sys.ringReads(cons, rest, rest + page, dataLength);
            ring.size = size;
            return ring;
        } catch (RuntimeException e) {
            ring.close();
            throw e;
        }
    }

    private ByteBuffer view(long address, int length, boolean writable) {
        ByteBuffer b = k.sys.buffer(address, length).order(ByteOrder.nativeOrder());
        return writable ? b : b.asReadOnlyBuffer().order(ByteOrder.nativeOrder());
    }

    /**
     * Opens a BPF output event on a CPU, maps its ring and stores it in the array, as libbpf's
     * {@code perf_buffer__open_cpu_buf} does.
     *
     * @param arrayFd the perf event array
     * @param cpu the CPU and index
     * @param pages data pages
     * @param wakeup samples or bytes between wake-ups
     * @param watermark whether {@code wakeup} counts bytes
     * @return the ring, or null when the CPU is offline
     */
    public MappedRing perfBufferOpen(int arrayFd, int cpu, int pages, int wakeup, boolean watermark) {
        EventRules.perfBufferOpen(arrayFd, cpu, pages, wakeup);
        int page = k.sys.pageSize();
        if ((long) pages * page > Integer.MAX_VALUE / 2 + 1) {
            // One ByteBuffer holds the data: with 64 KiB pages (arm64) the page count is lower.
            throw new IllegalArgumentException("pages: " + pages + " pages of " + page + " bytes exceed the 1 GiB a perf ring may map");
        }
        k.gate.require(Operation.PERF_BUFFER_OPEN);
        // The array is checked, written, and later cleared through a duplicate the ring keeps:
        // the caller's descriptor may be closed (and its number reused) while the ring lives.
        int array = new ObjectCommands(k).dup(arrayFd);
        try {
            MapInfo m = info.map(array);
            if (m.type() != MapType.PERF_EVENT_ARRAY) {
                throw new IllegalArgumentException("arrayFd: fd " + arrayFd + " is a " + m.type() + " map, not PERF_EVENT_ARRAY");
            }
            if (Integer.compareUnsigned(cpu, m.maxEntries()) >= 0) {
                throw new IllegalArgumentException("cpu: " + cpu + " is past the array's " + m.maxEntries() + " entries");
            }
        } catch (RuntimeException e) {
            k.sys.close(array);
            throw e;
        }
        Scratch s = k.scratch();
        long a = s.reserve(Scratch.AUX, PerfEventAttrs.SIZE);
        PerfEventAttrs.bpfOutput(s.buf(Scratch.AUX), wakeup, watermark);
        long rc = k.fd(k.sys.perfEventOpen(a, -1, cpu, -1, PerfEventAttrs.FLAG_FD_CLOEXEC));
        if (rc < 0) k.sys.close(array);
        if (rc == -ENODEV) return null;
        if (rc < 0) throw SysError.of("perf_event_open", "BPF output event on cpu " + cpu, rc, null);
        LinuxRing ring = new LinuxRing(k, (int) rc, RingLayouts.EPOLLIN);
        ring.array(array);
        try {
            long base = ring.map((long) (pages + 1) * page, RingLayouts.PROT_READ | RingLayouts.PROT_WRITE, 0, "perf ring");
            ByteBuffer meta = k.sys.buffer(base, page).order(ByteOrder.nativeOrder());
            long offset = meta.getLong(RingLayouts.DATA_OFFSET);
            long size = meta.getLong(RingLayouts.DATA_SIZE);
            if (offset == 0) offset = page;
            if (size == 0) size = (long) pages * page;
            ring.producer = meta.slice(RingLayouts.DATA_HEAD, 8).asReadOnlyBuffer().order(ByteOrder.nativeOrder());
            ring.consumer = meta.slice(RingLayouts.DATA_TAIL, 8).order(ByteOrder.nativeOrder());
            ring.data = view(base + offset, (int) size, false);
            ring.reads = k.sys.ringReads(base + RingLayouts.DATA_TAIL, base + RingLayouts.DATA_HEAD, base + offset, (int) size);
            ring.size = (int) size;
            maps.update(array, le32(cpu), le32((int) rc), 0);
            ring.leaveArrayAt(cpu);
            return ring;
        } catch (RuntimeException e) {
            ring.close();
            throw e;
        }
    }

    private static byte[] le32(int v) {
        return new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)};
    }

    /**
     * Maps an mmapable map's values, shared, at offset 0, as libbpf does for global data.
     *
     * @param mapFd the map
     * @param length bytes to map
     * @param writable whether to map it writable
     * @return the region
     */
    public io.bpf4j.api.MappedRegion mapMmap(int mapFd, long length, boolean writable) {
        io.bpf4j.internal.rules.MapRules.mmap(mapFd, length);
        k.gate.require(Operation.MAP_MMAP);
        int prot = RingLayouts.PROT_READ | (writable ? RingLayouts.PROT_WRITE : 0);
        long a = k.sys.mmap(length, prot, mapFd, 0);
        if (a < 0) {
            throw SysError.of("mmap", "fd " + mapFd, a, (writable ? "writable, " : "read-only, ") + length
                    + " bytes (the map must be created with BPF_F_MMAPABLE; a frozen map maps read-only only)");
        }
        return new LinuxRegion(k, a, length, view(a, (int) length, writable));
    }

    /**
     * An epoll waiter with an eventfd to wake it.
     *
     * @return the waiter
     */
    public RingWaiter waiter() {
        k.gate.require(Operation.RING_WAIT);
        return new LinuxWaiter(k);
    }
}
