package io.bpf4j.linux.internal.uapi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The {@code union bpf_attr} buffer: its size, zeroing, and the little helpers every command
 * encoder uses. Layout: Linux 6.18 uapi ({@code include/uapi/linux/bpf.h}), offsets checked with
 * {@code offsetof} against {@code bpftool btf dump file /sys/kernel/btf/vmlinux format c}.
 *
 * <p>Encoders write with absolute puts into a direct little-endian buffer whose address the
 * caller hands to the kernel; they never allocate, so the hot map commands stay garbage-free.
 * Pointers inside the union are plain {@code long} addresses the caller obtained for its own
 * direct buffers (FFM and JNA can both produce them).
 */
public final class BpfAttr {
    /** {@code sizeof(union bpf_attr)} on Linux 6.18. Older kernels accept it when the tail is zero. */
    public static final int SIZE = 168;

    private BpfAttr() {
    }

    /**
     * A fresh, zeroed attribute buffer: direct, little-endian, {@link #SIZE} bytes.
     *
     * @return the buffer
     */
    public static ByteBuffer allocate() {
        return allocateDirect(SIZE);
    }

    /**
     * A zeroed direct little-endian buffer of any size, for keys, values and out-arrays.
     *
     * @param size bytes
     * @return the buffer
     */
    public static ByteBuffer allocateDirect(int size) {
        return ByteBuffer.allocateDirect(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Zeroes the whole union: the kernel rejects non-zero bytes past the fields a command uses
     * ({@code bpf_check_uarg_tail_zero}) and reads stale fields as real input.
     *
     * @param attr the attribute buffer, at least {@link #SIZE} bytes
     */
    public static void clear(ByteBuffer attr) {
        for (int i = 0; i < SIZE; i += 8) attr.putLong(i, 0L);
    }

    /**
     * Zeroes the first {@code size} bytes of any buffer (info structs, out-arrays).
     *
     * @param b the buffer
     * @param size how many bytes, at most its capacity
     */
    public static void zero(ByteBuffer b, int size) {
        int i = 0;
        for (; i + 8 <= size; i += 8) b.putLong(i, 0L);
        for (; i < size; i++) b.put(i, (byte) 0);
    }

    /**
     * Writes a name into a fixed {@code char[16]} field, NUL-padded ({@code BPF_OBJ_NAME_LEN}).
     *
     * @param attr the buffer
     * @param offset the field's offset
     * @param name at most 15 ASCII characters (checked by the specs)
     */
    public static void putName(ByteBuffer attr, int offset, String name) {
        for (int i = 0; i < 16; i++) attr.put(offset + i, (byte) 0);
        if (name == null) return;
        int n = Math.min(15, name.length());
        for (int i = 0; i < n; i++) attr.put(offset + i, (byte) name.charAt(i));
    }

    /**
     * Reads a NUL-terminated string of at most {@code max} bytes.
     *
     * @param b the buffer
     * @param offset where it starts
     * @param max the field's size
     * @return the string, UTF-8
     */
    public static String getString(ByteBuffer b, int offset, int max) {
        int n = 0;
        while (n < max && offset + n < b.limit() && b.get(offset + n) != 0) n++;
        byte[] bytes = new byte[n];
        for (int i = 0; i < n; i++) bytes[i] = b.get(offset + i);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * Writes a NUL-terminated UTF-8 string at the start of a buffer.
     *
     * @param b a direct buffer large enough for {@link #cStringSize(String)} bytes
     * @param s the string (no NUL inside)
     */
    public static void putCString(ByteBuffer b, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) b.put(i, bytes[i]);
        b.put(bytes.length, (byte) 0);
    }

    /**
     * The bytes {@link #putCString} needs.
     *
     * @param s the string
     * @return its UTF-8 length plus the NUL
     */
    public static int cStringSize(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length + 1;
    }
}
