package io.bpf4j.linux.internal;

import io.bpf4j.linux.internal.uapi.BpfAttr;
import io.bpf4j.linux.internal.sys.Syscalls;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

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
    /** Copies up to this many bytes word by word instead of through the bulk copy. */
    private static final int SMALL = 64;
    /** Little-endian longs in a byte[], as the slots hold them. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    /**
     * The native memory itself. Only the owning thread reads or changes its contents; another
     * thread only drops the scratch's reference to it ({@link #release()}). Direct buffers free
     * their memory once unreachable, so memory a call still holds cannot be freed under it.
     */
    private static final class Mem {
        final ByteBuffer attr;
        final long attrAddr;
        final ByteBuffer[] bufs = new ByteBuffer[SLOTS];
        final long[] addrs = new long[SLOTS];
        /** The chokepoint's per-thread call state (FFM: its errno capture segment), or null. */
        final Object callState;

        Mem(Syscalls sys) {
            attr = BpfAttr.allocate();
            attrAddr = sys.address(attr);
            for (int i = 0; i < SLOTS; i++) {
                bufs[i] = BpfAttr.allocateDirect(64);
                addrs[i] = sys.address(bufs[i]);
            }
            callState = sys.newCallState();
        }
    }

    private final Syscalls sys;
    /**
     * The thread's memory until the backend closes; then null. Written as null by the closing
     * thread, read by the owning thread when a call begins.
     */
    private volatile Mem owned;
    /**
     * The memory the owning thread's call in progress uses, or null between calls: a strong
     * reference that keeps it allocated until the call ends, even when the backend closes in the
     * middle of the call and drops {@link #owned}. Only the owning thread reads or writes it.
     * Allocated with the scratch, by the same thread, so it lies in the same heap region and
     * storing it costs no cross-region write barrier.
     */
    private Mem cur;
    /** The map the current element or batch command runs on. */
    final MapView view = new MapView();
    /** Set when a slot grew past {@link #KEEP_LIMIT}, so {@link #trimIfGrown()} costs one test otherwise. */
    private boolean grown;
    /** Backend calls of the owning thread in progress; only that thread changes it. */
    int depth;

    /** The owning thread's {@link Thread#getId()}. */
    final long threadId;

    Scratch(Syscalls sys, long threadId) {
        this.sys = sys;
        this.threadId = threadId;
        owned = new Mem(sys);
    }

    /**
     * Starts the owning thread's outermost call: holds the memory until {@link #end()}.
     *
     * @return false when the memory was released (the backend closed)
     */
    boolean begin() {
        Mem m = owned;
        if (m == null) return false;
        cur = m;
        return true;
    }

    /** Ends the owning thread's outermost call: the memory is held by {@link #owned} alone. */
    void end() {
        cur = null;
    }

    /** The memory of the call in progress (or, outside one, the thread's own). */
    private Mem mem() {
        Mem m = cur;
        if (m != null) return m;
        m = owned;
        if (m == null) throw new IllegalStateException(Kernel.BACKEND + " backend is closed");
        return m;
    }

    /** The address of the attribute buffer. */
    long attrAddr() {
        return mem().attrAddr;
    }

    /** The chokepoint's per-thread call state ({@link Syscalls#newCallState()}). */
    Object callState() {
        return mem().callState;
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
        ByteBuffer attr = mem().attr;
        BpfAttr.zero(attr, size);
        attrSize = size;
        return attr;
    }

    /**
     * The attribute buffer, not zeroed, for a command whose encoder writes every one of its
     * first {@code size} bytes; the next command passes only those.
     */
    ByteBuffer attrWhole(int size) {
        attrSize = size;
        return mem().attr;
    }

    /** The size the last {@link #attr(int)} prepared. */
    int attrSize() {
        return attrSize;
    }

    /** The attribute buffer as the kernel left it. */
    ByteBuffer attrOut() {
        return mem().attr;
    }

    /** Makes a slot at least {@code size} bytes, zeroes its first {@code size} bytes, returns its address. */
    long reserve(int slot, int size) {
        Mem m = ensure(slot, size);
        BpfAttr.zero(m.bufs[slot], size);
        return m.addrs[slot];
    }

    private Mem ensure(int slot, int size) {
        Mem m = mem();
        if (m.bufs[slot].capacity() < size) {
            int cap = Math.max(size, Math.min(Integer.MAX_VALUE / 2, m.bufs[slot].capacity() * 2));
            ByteBuffer b = BpfAttr.allocateDirect(cap);
            m.bufs[slot] = b;
            m.addrs[slot] = sys.address(b);
            if (cap > KEEP_LIMIT) grown = true;
        }
        return m;
    }

    /** Makes a slot at least {@code size} bytes (contents left as they are) and returns its address. */
    long slot(int slot, int size) {
        return ensure(slot, Math.max(size, 1)).addrs[slot];
    }

    /** Copies {@code len} bytes of {@code src} into a slot and returns its address. */
    long put(int slot, byte[] src, int off, int len) {
        Mem m = ensure(slot, Math.max(len, 1));
        ByteBuffer b = m.bufs[slot];
        if (len <= SMALL) {
            // Keys and values of a few words: plain loads and stores. The bulk copy calls the
            // JVM's array copy stub, which measured about 10 ns per call for 4 or 8 bytes.
            Objects.checkFromIndexSize(off, len, src.length);
            int i = 0;
            for (; i + 8 <= len; i += 8) b.putLong(i, (long) LONGS.get(src, off + i));
            if (i + 4 <= len) {
                b.putInt(i, (int) INTS.get(src, off + i));
                i += 4;
            }
            for (; i < len; i++) b.put(i, src[off + i]);
        } else {
            b.put(0, src, off, len);
        }
        return m.addrs[slot];
    }

    /** The slot's buffer (valid until the slot grows). */
    ByteBuffer buf(int slot) {
        return mem().bufs[slot];
    }

    /** Copies {@code len} bytes out of a slot. */
    void get(int slot, byte[] dst, int off, int len) {
        ByteBuffer b = mem().bufs[slot];
        if (len <= SMALL) {
            Objects.checkFromIndexSize(off, len, dst.length);
            int i = 0;
            for (; i + 8 <= len; i += 8) LONGS.set(dst, off + i, b.getLong(i));
            if (i + 4 <= len) {
                INTS.set(dst, off + i, b.getInt(i));
                i += 4;
            }
            for (; i < len; i++) dst[off + i] = b.get(i);
        } else {
            b.get(0, dst, off, len);
        }
    }

    /** Drops slots that grew past the keep limit, if any did since the last trim. */
    void trimIfGrown() {
        if (grown) trim();
    }

    /**
     * Lets go of the memory, for a backend that is closing; any thread may call it. A call of the
     * owning thread in progress keeps using the memory through {@link #cur} until it ends; after
     * that nothing refers to it, and the direct buffers free their native memory. So a closing
     * backend never waits for calls, and no call ever hands the kernel freed memory.
     */
    void release() {
        owned = null;
    }

    /** Drops slots that grew past the keep limit. */
    void trim() {
        grown = false;
        Mem m = mem();
        for (int i = 0; i < SLOTS; i++) {
            if (m.bufs[i].capacity() > KEEP_LIMIT) {
                m.bufs[i] = BpfAttr.allocateDirect(64);
                m.addrs[i] = sys.address(m.bufs[i]);
            }
        }
    }
}
