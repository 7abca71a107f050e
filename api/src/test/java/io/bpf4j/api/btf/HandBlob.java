package io.bpf4j.api.btf;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * BTF written word by word from the uapi's definitions, independently of {@link BtfBuilder}: the
 * oracle the builder and the parser are checked against. Strings are laid out in the order
 * {@link #str(String)} first sees them.
 */
final class HandBlob {
    private final Map<String, Integer> strings = new LinkedHashMap<>();
    private final ByteArrayOutputStream strBytes = new ByteArrayOutputStream();
    private final List<Integer> words = new ArrayList<>();
    private int types;
    private final int strBase;

    HandBlob() {
        this(0);
    }

    /** Split BTF: string offsets start at {@code strBase}; the split section has no leading NUL. */
    HandBlob(int strBase) {
        this.strBase = strBase;
        if (strBase == 0) str("");
    }

    /** The offset of a string, appended on first use. */
    int str(String s) {
        Integer o = strings.get(s);
        if (o != null) return o;
        int at = strBase + strBytes.size();
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        strBytes.write(b, 0, b.length);
        strBytes.write(0);
        strings.put(s, at);
        return at;
    }

    /** {@code BTF_INFO_ENC(kind, kind_flag, vlen)}. */
    static int info(int kind, boolean kflag, int vlen) {
        return (kflag ? 1 << 31 : 0) | kind << 24 | vlen;
    }

    /**
     * Appends a type's header and data words; returns the id it gets. Name offsets come from
     * {@link #str(String)}, called in the order the builder meets the names (type, then members).
     */
    int type(int nameOff, int kind, boolean kflag, int vlen, int sizeOrType, int... data) {
        words.add(nameOff);
        words.add(info(kind, kflag, vlen));
        words.add(sizeOrType);
        for (int d : data) words.add(d);
        return ++types;
    }

    /** Appends raw words to the type section. */
    void words(int... data) {
        for (int d : data) words.add(d);
    }

    byte[] bytes() {
        return bytes(ByteOrder.LITTLE_ENDIAN);
    }

    byte[] bytes(ByteOrder order) {
        byte[] s = strBytes.toByteArray();
        int typeLen = words.size() * 4;
        ByteBuffer b = ByteBuffer.allocate(24 + typeLen + s.length).order(order);
        b.putShort((short) 0xeb9f).put((byte) 1).put((byte) 0);
        b.putInt(24).putInt(0).putInt(typeLen).putInt(typeLen).putInt(s.length);
        for (int w : words) b.putInt(w);
        b.put(s);
        return b.array();
    }
}
