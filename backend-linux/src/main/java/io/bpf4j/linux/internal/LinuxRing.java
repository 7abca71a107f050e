package io.bpf4j.linux.internal;

import io.bpf4j.api.MappedRing;
import io.bpf4j.linux.internal.uapi.BpfAttr;
import io.bpf4j.linux.internal.uapi.LinuxUapi;
import io.bpf4j.linux.internal.uapi.MapAttrs;
import java.nio.ByteBuffer;

/**
 * A mapped ring on Linux: up to two {@code mmap}ed regions, the descriptor they came from (a
 * private duplicate of the ring buffer map, or the perf event), and for a perf ring the array
 * slot to clear on close. Closing works on a closed backend, like {@code closeFd}, and never
 * throws: by then nobody is left to act on an error.
 */
final class LinuxRing implements MappedRing {
    private final Kernel k;
    private final int fd;
    /** What {@code epoll} waits for on {@link #fd}: data to read, or room to write. */
    int events;
    ByteBuffer consumer;
    ByteBuffer producer;
    ByteBuffer data;
    /** Faster reads of the same memory, where the binding has them; null for user rings. */
    MappedRing.Reads reads;
    int size;
    private final long[] addrs = new long[2];
    private final long[] lens = new long[2];
    private int regions;
    private int arrayFd = -1;
    private int arrayIndex = -1;
    private boolean closed;

    LinuxRing(Kernel k, int fd, int events) {
        this.k = k;
        this.fd = fd;
        this.events = events;
    }

    int fd() {
        return fd;
    }

    /** Maps a region of {@link #fd}; it is unmapped on close. */
    long map(long length, int prot, long offset, String what) {
        long a = k.sys.mmap(length, prot, fd, offset);
        if (a < 0) throw SysError.of("mmap", "fd " + fd, a, what + ", " + length + " bytes at offset " + offset);
        addrs[regions] = a;
        lens[regions] = length;
        regions++;
        return a;
    }

    /** The perf event array (a private duplicate) this ring is stored in. */
    void array(int dupFd) {
        arrayFd = dupFd;
    }

    /** Once the ring is stored in the array: closing clears that slot, as libbpf does. */
    void leaveArrayAt(int index) {
        arrayIndex = index;
    }

    @Override
    public ByteBuffer consumerPosition() {
        return consumer;
    }

    @Override
    public ByteBuffer producerPosition() {
        return producer;
    }

    @Override
    public ByteBuffer data() {
        return data;
    }

    @Override
    public MappedRing.Reads reads() {
        return reads;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        if (arrayFd >= 0 && arrayIndex >= 0) clearSlot();
        consumer = producer = data = null;
        reads = null;
        for (int i = regions - 1; i >= 0; i--) k.sys.munmap(addrs[i], lens[i]);
        regions = 0;
        if (arrayFd >= 0) k.sys.close(arrayFd);
        k.sys.close(fd);
    }

    /**
     * {@code BPF_MAP_DELETE_ELEM} of the ring's slot, on a buffer of its own: the backend's
     * per-thread scratch may be gone when a reader outlives it. An ENOENT (someone cleared it
     * already) is no concern.
     */
    private void clearSlot() {
        ByteBuffer b = BpfAttr.allocateDirect(MapAttrs.ELEM_SIZE + 8);
        long addr = k.sys.address(b);
        b.putInt(MapAttrs.ELEM_SIZE, arrayIndex);
        MapAttrs.elem(b, arrayFd, addr + MapAttrs.ELEM_SIZE, 0, 0);
        k.sys.bpf(LinuxUapi.cmd(io.bpf4j.api.Operation.MAP_DELETE_ELEM), addr, MapAttrs.ELEM_SIZE);
    }
}
