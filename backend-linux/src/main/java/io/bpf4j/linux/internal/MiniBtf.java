package io.bpf4j.linux.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The smallest useful raw BTF: a header, one {@code int} type (id 1) and its string table.
 * Local-storage maps need BTF for their key and value, so the capability probe builds this
 * instead of depending on a compiler. Format: {@code Documentation/bpf/btf.rst}.
 */
public final class MiniBtf {
    private static final int BTF_MAGIC = 0xeB9F;
    private static final int HDR_LEN = 24;
    private static final int KIND_INT = 1;
    private static final int INT_SIGNED = 1;

    private MiniBtf() {
    }

    /**
     * Raw BTF describing {@code int} (4 bytes, signed, 32 bits) as type id 1.
     *
     * @return the blob, host (little-endian) byte order
     */
    public static byte[] intType() {
        byte[] strings = "\0int\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int typeLen = 16;
        ByteBuffer b = ByteBuffer.allocate(HDR_LEN + typeLen + strings.length).order(ByteOrder.nativeOrder());
        b.putShort((short) BTF_MAGIC).put((byte) 1).put((byte) 0).putInt(HDR_LEN);
        b.putInt(0).putInt(typeLen).putInt(typeLen).putInt(strings.length); // type_off, type_len, str_off, str_len
        b.putInt(1);                          // name_off: "int"
        b.putInt(KIND_INT << 24);             // info: kind INT, vlen 0
        b.putInt(4);                          // size
        b.putInt(INT_SIGNED << 24 | 32);      // encoding SIGNED, offset 0, 32 bits
        b.put(strings);
        return b.array();
    }
}
