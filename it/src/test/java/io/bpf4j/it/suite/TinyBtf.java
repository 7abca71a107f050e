package io.bpf4j.it.suite;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Builds the smallest valid raw BTF by hand: the header, one {@code int} (type id 1, 4 bytes,
 * signed, 32 bits) and the string table, as {@code include/uapi/linux/btf.h} lays them out.
 */
final class TinyBtf {
    static final int INT_TYPE_ID = 1;

    private TinyBtf() {
    }

    static byte[] intType() {
        byte[] strings = "\0int\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int typeLen = 16;
        ByteBuffer b = ByteBuffer.allocate(24 + typeLen + strings.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) 0xeB9F).put((byte) 1).put((byte) 0).putInt(24); // magic, version, flags, hdr_len
        b.putInt(0).putInt(typeLen).putInt(typeLen).putInt(strings.length); // type_off/len, str_off/len
        b.putInt(1).putInt(1 << 24).putInt(4);                               // name "int", BTF_KIND_INT, size 4
        b.putInt((1 << 24) | 32);                                            // BTF_INT_SIGNED, 32 bits
        b.put(strings);
        return b.array();
    }

    /** The same blob with a type of an unknown kind, which the kernel's BTF checker refuses. */
    static byte[] invalid() {
        byte[] b = intType();
        b[24 + 7] = 0x7f; // kind 127 in the info word's top byte
        return b;
    }
}
