package io.bpf4j.linux.internal;

import io.bpf4j.linux.internal.uapi.BpfAttr;
import io.bpf4j.linux.internal.sys.Syscalls;
import java.nio.ByteBuffer;

/**
 * One thread's native scratch: the {@code bpf_attr} buffer and a few growable slots for keys,
 * values and out-arrays, each with its address cached, so the element commands allocate
 * nothing per call. Every pointer handed to the kernel points into a slot sized here, so the
 * kernel can never write past a Java buffer.
 */
final class Scratch {
    static final int KEY = 0;
    static final int VALUE = 1;
    static final int AUX = 2;
    static final int AUX2 = 3;
    static final int DATA = 4;
    static final int DATA2 = 5;
    static final int DATA3 = 6;
    static final int DATA4 = 7;
    /** The map info a bare-descriptor element command reads before the command itself. */
    static final int INFO = 8;
    private static final int SLOTS = 9;
    /** Slots larger than this are not kept between calls, so a big batch does not pin memory. */
    private static final int KEEP_LIMIT = 1 << 20;

    private final Syscalls sys;
    private final ByteBuffer attr;
    final long attrAddr;
    private final ByteBuffer[] bufs = new ByteBuffer[SLOTS];
    private final long[] addrs = new long[SLOTS];
    /** The map the current element or batch command runs on. */
    final MapView view = new MapView();
    /** Set when a slot grew past {@link #KEEP_LIMIT}, so {@link #trimIfGrown()} costs one test otherwise. */
    private boolean grown;
    /** Backend calls of the owning thread in progress; only that thread changes it. */
    int depth;
    /**
     * Whether the owning thread is inside a backend call. Written by that thread, read by
     * {@link Kernel#close()}: each side writes its own flag before reading the other's (this one,
     * then the backend's closed flag), so one of them always sees the other.
     */
    volatile boolean busy;

    Scratch(Syscalls sys) {
        this.sys = sys;
        attr = BpfAttr.allocate();
        attrAddr = sys.address(attr);
        for (int i = 0; i < SLOTS; i++) {
            bufs[i] = BpfAttr.allocateDirect(64);
            addrs[i] = sys.address(bufs[i]);
        }
    }

    /** How many bytes of the attribute buffer the next command passes. */
    private int attrSize = BpfAttr.SIZE;

    /** The attribute buffer, zeroed. */
    ByteBuffer attr() {
        return attr(BpfAttr.SIZE);
    }

    /**
     * The attribute buffer with its first {@code size} bytes zeroed; the next command passes only
     * those, so bytes past them (left by earlier commands) are never read by the kernel.
     */
    ByteBuffer attr(int size) {
        BpfAttr.zero(attr, size);
        attrSize = size;
        return attr;
    }

    /** The size the last {@link #attr(int)} prepared. */
    int attrSize() {
        return attrSize;
    }

    /** The attribute buffer as the kernel left it. */
    ByteBuffer attrOut() {
        return attr;
    }

    /** Makes a slot at least {@code size} bytes, zeroes its first {@code size} bytes, returns its address. */
    long reserve(int slot, int size) {
        ensure(slot, size);
        BpfAttr.zero(bufs[slot], size);
        return addrs[slot];
    }

    private void ensure(int slot, int size) {
        if (bufs[slot].capacity() < size) {
            int cap = Math.max(size, Math.min(Integer.MAX_VALUE / 2, bufs[slot].capacity() * 2));
            ByteBuffer b = BpfAttr.allocateDirect(cap);
            bufs[slot] = b;
            addrs[slot] = sys.address(b);
            if (cap > KEEP_LIMIT) grown = true;
        }
    }

    /** Makes a slot at least {@code size} bytes (contents left as they are) and returns its address. */
    long slot(int slot, int size) {
        ensure(slot, Math.max(size, 1));
        return addrs[slot];
    }

    /** Copies {@code len} bytes of {@code src} into a slot and returns its address. */
    long put(int slot, byte[] src, int off, int len) {
        ensure(slot, Math.max(len, 1));
        bufs[slot].put(0, src, off, len);
        return addrs[slot];
    }

    /** The slot's buffer (valid until the slot grows). */
    ByteBuffer buf(int slot) {
        return bufs[slot];
    }

    /** Copies {@code len} bytes out of a slot. */
    void get(int slot, byte[] dst, int off, int len) {
        bufs[slot].get(0, dst, off, len);
    }

    /** Drops slots that grew past the keep limit, if any did since the last trim. */
    void trimIfGrown() {
        if (grown) trim();
    }

    /**
     * Lets go of every buffer, for a backend that is closing. Called only once no call of the
     * owning thread is in progress, so nothing still hands these addresses to the kernel; the
     * direct buffers free their native memory once unreachable.
     */
    void release() {
        for (int i = 0; i < SLOTS; i++) {
            bufs[i] = null;
            addrs[i] = 0;
        }
    }

    /** Drops slots that grew past the keep limit. */
    void trim() {
        grown = false;
        for (int i = 0; i < SLOTS; i++) {
            if (bufs[i].capacity() > KEEP_LIMIT) {
                bufs[i] = BpfAttr.allocateDirect(64);
                addrs[i] = sys.address(bufs[i]);
            }
        }
    }
}
