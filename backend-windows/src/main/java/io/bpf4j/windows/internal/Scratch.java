package io.bpf4j.windows.internal;

import io.bpf4j.windows.internal.sys.EbpfApi;
import io.bpf4j.windows.internal.uapi.Attr;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * One thread's native scratch: the {@code bpf_attr} buffer, an options struct, an info struct
 * and a few growable slots, each with its address cached, so the element commands allocate
 * nothing per call. Every pointer handed to the library points into a slot sized here, so the
 * library can never write past a Java buffer.
 */
final class Scratch {
    static final int KEY = 0;
    static final int VALUE = 1;
    static final int AUX = 2;
    static final int AUX2 = 3;
    static final int DATA = 4;
    static final int DATA2 = 5;
    static final int STRING = 6;
    static final int STRING2 = 7;
    private static final int SLOTS = 8;
    private static final int KEEP_LIMIT = 1 << 20;

    private final EbpfApi api;
    final ByteBuffer attr;
    final long attrAddr;
    final ByteBuffer opts;
    final long optsAddr;
    final ByteBuffer info;
    final long infoAddr;
    /** Small out-parameters: counts, ids, types, descriptors (8 longs). */
    final ByteBuffer out;
    final long outAddr;
    private final ByteBuffer[] bufs = new ByteBuffer[SLOTS];
    private final long[] addrs = new long[SLOTS];

    Scratch(EbpfApi api) {
        this.api = api;
        attr = direct(Attr.SIZE);
        attrAddr = api.address(attr);
        opts = direct(128);
        optsAddr = api.address(opts);
        info = direct(128);
        infoAddr = api.address(info);
        out = direct(64);
        outAddr = api.address(out);
        for (int i = 0; i < SLOTS; i++) {
            bufs[i] = direct(64);
            addrs[i] = api.address(bufs[i]);
        }
    }

    static ByteBuffer direct(int size) {
        return ByteBuffer.allocateDirect(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The attribute buffer, zeroed. */
    ByteBuffer attr() {
        Attr.clear(attr);
        return attr;
    }

    /** The info buffer, zeroed. */
    ByteBuffer info() {
        for (int i = 0; i < 128; i += 8) info.putLong(i, 0L);
        return info;
    }

    /** The out-parameter buffer, zeroed. */
    ByteBuffer out() {
        for (int i = 0; i < 64; i += 8) out.putLong(i, 0L);
        return out;
    }

    private void ensure(int slot, int size) {
        if (bufs[slot].capacity() < size) {
            int cap = Math.max(size, Math.min(Integer.MAX_VALUE / 2, bufs[slot].capacity() * 2));
            ByteBuffer b = direct(cap);
            bufs[slot] = b;
            addrs[slot] = api.address(b);
        }
    }

    /** Makes a slot at least {@code size} bytes, zeroes them, and returns its address. */
    long reserve(int slot, int size) {
        ensure(slot, Math.max(size, 1));
        ByteBuffer b = bufs[slot];
        int i = 0;
        for (; i + 8 <= size; i += 8) b.putLong(i, 0L);
        for (; i < size; i++) b.put(i, (byte) 0);
        return addrs[slot];
    }

    /** Copies {@code len} bytes of {@code src} into a slot and returns its address. */
    long put(int slot, byte[] src, int len) {
        ensure(slot, Math.max(len, 1));
        bufs[slot].put(0, src, 0, len);
        return addrs[slot];
    }

    /** Writes the instructions, little-endian, into a slot and returns its address. */
    long putLongs(int slot, long[] words) {
        ensure(slot, words.length * 8);
        ByteBuffer b = bufs[slot];
        for (int i = 0; i < words.length; i++) b.putLong(i * 8, words[i]);
        return addrs[slot];
    }

    /** Writes a NUL-terminated UTF-8 string into a slot and returns its address. */
    long putString(int slot, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        ensure(slot, bytes.length + 1);
        bufs[slot].put(0, bytes, 0, bytes.length);
        bufs[slot].put(bytes.length, (byte) 0);
        return addrs[slot];
    }

    /** Reads a NUL-terminated UTF-8 string of at most {@code max} bytes from a slot. */
    String getString(int slot, int max) {
        ByteBuffer b = bufs[slot];
        int n = 0;
        while (n < max && n < b.capacity() && b.get(n) != 0) n++;
        byte[] s = new byte[n];
        b.get(0, s, 0, n);
        return new String(s, StandardCharsets.UTF_8);
    }

    /** Copies the first {@code len} bytes of a slot into {@code dst}. */
    void get(int slot, byte[] dst, int len) {
        bufs[slot].get(0, dst, 0, len);
    }

    /** The slot's buffer, for reads of what the library wrote. */
    ByteBuffer buffer(int slot) {
        return bufs[slot];
    }

    /** Drops oversized slots after a big call, so one batch does not pin memory for the thread's life. */
    void trim() {
        for (int i = 0; i < SLOTS; i++) {
            if (bufs[i].capacity() > KEEP_LIMIT) {
                bufs[i] = direct(64);
                addrs[i] = api.address(bufs[i]);
            }
        }
    }
}
