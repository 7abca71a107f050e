package io.bpf4j.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * A small reader of the kernel's own BTF ({@code /sys/kernel/btf/vmlinux}) that answers type ids
 * by kind and name, so that tests which attach by BTF id find the id without asking the code under
 * test (the backends have BTF readers of their own) and without {@code bpftool}.
 *
 * <p>Only what an id lookup needs is read: the header, each type's name, kind and size of its
 * trailing data (the layout of {@code struct btf_type} and the per-kind records of
 * {@code include/uapi/linux/btf.h}, Linux 6.18).
 */
public final class KernelBtf {
    /** Where the kernel exposes its BTF. */
    public static final Path VMLINUX = Path.of("/sys/kernel/btf/vmlinux");
    private static final int MAGIC = 0xeB9F;
    private static KernelBtf vmlinux;

    /** BTF kinds, numbered as {@code BTF_KIND_*}. */
    public enum Kind {
        /** {@code BTF_KIND_UNKN}. */
        UNKN,
        /** {@code BTF_KIND_INT}. */
        INT,
        /** {@code BTF_KIND_PTR}. */
        PTR,
        /** {@code BTF_KIND_ARRAY}. */
        ARRAY,
        /** {@code BTF_KIND_STRUCT}. */
        STRUCT,
        /** {@code BTF_KIND_UNION}. */
        UNION,
        /** {@code BTF_KIND_ENUM}. */
        ENUM,
        /** {@code BTF_KIND_FWD}. */
        FWD,
        /** {@code BTF_KIND_TYPEDEF}. */
        TYPEDEF,
        /** {@code BTF_KIND_VOLATILE}. */
        VOLATILE,
        /** {@code BTF_KIND_CONST}. */
        CONST,
        /** {@code BTF_KIND_RESTRICT}. */
        RESTRICT,
        /** {@code BTF_KIND_FUNC}. */
        FUNC,
        /** {@code BTF_KIND_FUNC_PROTO}. */
        FUNC_PROTO,
        /** {@code BTF_KIND_VAR}. */
        VAR,
        /** {@code BTF_KIND_DATASEC}. */
        DATASEC,
        /** {@code BTF_KIND_FLOAT}. */
        FLOAT,
        /** {@code BTF_KIND_DECL_TAG}. */
        DECL_TAG,
        /** {@code BTF_KIND_TYPE_TAG}. */
        TYPE_TAG,
        /** {@code BTF_KIND_ENUM64}. */
        ENUM64;

        /** Bytes that follow {@code struct btf_type} (12 bytes) for a type of this kind. */
        int trailing(int vlen) {
            switch (this) {
                case INT: // u32 encoding
                case VAR: // struct btf_var
                case DECL_TAG: // struct btf_decl_tag
                    return 4;
                case ARRAY: // struct btf_array
                    return 12;
                case STRUCT:
                case UNION: // struct btf_member
                case DATASEC: // struct btf_var_secinfo
                case ENUM64: // struct btf_enum64
                    return 12 * vlen;
                case ENUM: // struct btf_enum
                case FUNC_PROTO: // struct btf_param
                    return 8 * vlen;
                default:
                    return 0;
            }
        }
    }

    private final Map<String, Integer> firstId = new HashMap<>();
    private final int count;

    private KernelBtf(ByteBuffer b) {
        b.order(ByteOrder.LITTLE_ENDIAN);
        if ((b.getShort(0) & 0xffff) != MAGIC) {
            b.order(ByteOrder.BIG_ENDIAN);
            if ((b.getShort(0) & 0xffff) != MAGIC) throw new IllegalArgumentException("data: not BTF (bad magic)");
        }
        int hdrLen = b.getInt(4);
        int typeOff = hdrLen + b.getInt(8);
        int typeEnd = typeOff + b.getInt(12);
        int strOff = hdrLen + b.getInt(16);
        int strEnd = strOff + b.getInt(20);
        if (typeEnd > b.limit() || strEnd > b.limit()) throw new IllegalArgumentException("data: BTF sections past the end");
        int id = 1; // id 0 is void and has no record
        int p = typeOff;
        for (; p < typeEnd; id++) {
            int nameOff = b.getInt(p);
            int info = b.getInt(p + 4);
            int kindNo = (info >>> 24) & 0x1f;
            if (kindNo >= Kind.values().length) throw new IllegalArgumentException("data: unknown BTF kind " + kindNo + " at id " + id);
            Kind kind = Kind.values()[kindNo];
            if (nameOff != 0) firstId.putIfAbsent(kind + " " + string(b, strOff + nameOff, strEnd), id);
            p += 12 + kind.trailing(info & 0xffff);
        }
        if (p != typeEnd) throw new IllegalArgumentException("data: the last BTF type runs " + (p - typeEnd) + " bytes past its section");
        count = id - 1;
    }

    private static String string(ByteBuffer b, int from, int end) {
        int e = from;
        while (e < end && b.get(e) != 0) e++;
        byte[] s = new byte[e - from];
        b.get(from, s);
        return new String(s, StandardCharsets.UTF_8);
    }

    /**
     * The running kernel's BTF, read once.
     *
     * @return it
     */
    public static synchronized KernelBtf vmlinux() {
        if (vmlinux == null) {
            Need.path(VMLINUX, "the kernel's BTF (CONFIG_DEBUG_INFO_BTF)");
            try {
                vmlinux = parse(Files.readAllBytes(VMLINUX));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return vmlinux;
    }

    /**
     * Reads BTF from bytes.
     *
     * @param data a raw BTF blob
     * @return the reader
     * @throws IllegalArgumentException when the data is not BTF
     */
    public static KernelBtf parse(byte[] data) {
        if (data.length < 24) throw new IllegalArgumentException("data: " + data.length + " bytes, shorter than a BTF header");
        return new KernelBtf(ByteBuffer.wrap(data));
    }

    /**
     * The id of the first type of the kind with the name.
     *
     * @param kind e.g. {@link Kind#FUNC}
     * @param name e.g. {@code bpf_iter_bpf_map}
     * @return its id
     * @throws NoSuchElementException when there is none
     */
    public int id(Kind kind, String name) {
        Integer id = firstId.get(kind + " " + name);
        if (id == null) throw new NoSuchElementException("no " + kind + " " + name + " in this BTF");
        return id;
    }

    /**
     * How many types there are (the largest id).
     *
     * @return the count
     */
    public int count() {
        return count;
    }
}
