package io.bpf4j.linux.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds type ids by name in the kernel's own BTF ({@code /sys/kernel/btf/vmlinux}), so the
 * prober can load tracing, iterator and LSM programs against a real attach target instead of
 * guessing from an error. Format: {@code Documentation/bpf/btf.rst}.
 */
final class VmlinuxBtf {
    static final int KIND_FUNC = 12;
    private static final Path VMLINUX = Path.of("/sys/kernel/btf/vmlinux");

    private VmlinuxBtf() {
    }

    /**
     * The id of the first type of a kind with a name.
     *
     * @return the id, or -1 when there is none or the kernel has no BTF
     */
    static int find(int kind, String name) {
        byte[] raw;
        try {
            raw = Files.readAllBytes(VMLINUX);
        } catch (IOException | SecurityException e) {
            return -1;
        }
        return find(raw, kind, name);
    }

    static int find(byte[] raw, int kind, String name) {
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.nativeOrder());
        if ((b.getShort(0) & 0xffff) != 0xeB9F) return -1;
        int hdrLen = b.getInt(4);
        int typeOff = hdrLen + b.getInt(8);
        int typeEnd = typeOff + b.getInt(12);
        int strOff = hdrLen + b.getInt(16);
        byte[] want = name.getBytes(StandardCharsets.US_ASCII);
        int id = 1;
        for (int p = typeOff; p < typeEnd; id++) {
            int nameOff = b.getInt(p);
            int info = b.getInt(p + 4);
            int k = (info >>> 24) & 0x1f;
            int vlen = info & 0xffff;
            if (k == kind && matches(raw, strOff + nameOff, want)) return id;
            p += 12 + extra(k, vlen);
        }
        return -1;
    }

    private static boolean matches(byte[] raw, int at, byte[] want) {
        if (at + want.length >= raw.length) return false;
        for (int i = 0; i < want.length; i++) if (raw[at + i] != want[i]) return false;
        return raw[at + want.length] == 0;
    }

    /** Bytes following the 12-byte common part of a type, by kind. */
    private static int extra(int kind, int vlen) {
        switch (kind) {
            case 1:  // INT
            case 14: // VAR
            case 17: // DECL_TAG
                return 4;
            case 3:  // ARRAY
                return 12;
            case 4:  // STRUCT
            case 5:  // UNION
            case 15: // DATASEC
            case 19: // ENUM64
                return 12 * vlen;
            case 6:  // ENUM
            case 13: // FUNC_PROTO
                return 8 * vlen;
            default: // PTR, FWD, TYPEDEF, VOLATILE, CONST, RESTRICT, FUNC, FLOAT, TYPE_TAG
                return 0;
        }
    }
}
