package io.bpf4j.it.suite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Type ids from the kernel's own BTF ({@code /sys/kernel/btf/vmlinux}), read here rather than
 * through the library, so the tests that need one do not depend on the code they test. The
 * layout is {@code include/uapi/linux/btf.h} (Linux 6.18): a 24-byte header, then 12-byte
 * {@code struct btf_type} records each followed by kind-specific data.
 */
final class VmlinuxIds {
    static final int KIND_STRUCT = 4;
    static final int KIND_FUNC = 12;
    private static final Path VMLINUX = Path.of("/sys/kernel/btf/vmlinux");

    private VmlinuxIds() {
    }

    /** The id of the first type of this kind and name, or 0 when vmlinux BTF has none. */
    static int find(int kind, String name) {
        ByteBuffer b;
        try {
            b = ByteBuffer.wrap(Files.readAllBytes(VMLINUX)).order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if ((b.getShort(0) & 0xffff) != 0xeb9f) throw new IllegalStateException(VMLINUX + " is not BTF");
        int hdr = b.getInt(4);
        int types = hdr + b.getInt(8);
        int end = types + b.getInt(12);
        int strings = hdr + b.getInt(16);
        byte[] wanted = name.getBytes(StandardCharsets.US_ASCII);
        int id = 1;
        for (int p = types; p < end; id++) {
            int nameOff = b.getInt(p);
            int info = b.getInt(p + 4);
            int k = (info >>> 24) & 0x1f;
            int vlen = info & 0xffff;
            if (k == kind && named(b, strings + nameOff, wanted)) return id;
            p += 12 + extra(k, vlen);
        }
        return 0;
    }

    private static boolean named(ByteBuffer b, int at, byte[] wanted) {
        for (int i = 0; i < wanted.length; i++) if (b.get(at + i) != wanted[i]) return false;
        return b.get(at + wanted.length) == 0;
    }

    /** Bytes after the 12-byte record, per kind (BTF_KIND_INT is 1 ... BTF_KIND_ENUM64 is 19). */
    private static int extra(int kind, int vlen) {
        return switch (kind) {
            case 1, 14, 17 -> 4;          // INT encoding, VAR linkage, DECL_TAG component
            case 3 -> 12;                 // struct btf_array
            case 4, 5, 15, 19 -> 12 * vlen; // members, datasec vars, enum64 values
            case 6, 13 -> 8 * vlen;       // enum values, func_proto params
            default -> 0;
        };
    }
}
