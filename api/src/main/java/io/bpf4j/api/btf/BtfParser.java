package io.bpf4j.api.btf;

import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Reads a BTF blob ({@code struct btf_header}, then the type and string sections, as laid out in
 * the Linux 6.18 uapi {@code include/uapi/linux/btf.h}) into a {@link Btf}: one pass over the
 * type section records where each type starts and checks its structure. Types themselves are
 * decoded only when asked for.
 *
 * <p>What the pass checks is what reading needs: the header and section bounds, every record
 * inside the type section, known kinds, no bits set that the format reserves, names inside the
 * string section and type references to existing ids. It does not check what only the kernel's
 * verifier decides (a {@code FUNC}'s type being a {@code FUNC_PROTO}, sizes agreeing with
 * members, names being identifiers): loading with {@code BPF_BTF_LOAD} does that.
 */
final class BtfParser {
    /** {@code BTF_MAGIC}. */
    static final int MAGIC = 0xeb9f;
    /** {@code sizeof(struct btf_header)}. */
    static final int HEADER_SIZE = 24;
    /** {@code BTF_MAX_TYPE}: the largest type id. */
    static final int MAX_TYPE = 0x000fffff;
    /** {@code BTF_MAX_NAME_OFFSET}: the largest string offset. */
    static final int MAX_NAME_OFFSET = 0x00ffffff;
    /** {@code sizeof(struct btf_type)}. */
    static final int TYPE_SIZE = 12;
    /** Bits of {@code btf_type.info} that mean nothing: 16-23 and 29-30. */
    private static final int INFO_RESERVED = 0x60ff0000;
    /** Bits of an INT's data word that mean nothing: 8-15 and 28-31. */
    private static final int INT_RESERVED = 0xf000ff00;

    private BtfParser() {
    }

    /** Parses {@code blob}, on top of {@code base} when it is split BTF. */
    static Btf parse(byte[] blob, Btf base) {
        if (blob.length < HEADER_SIZE) {
            throw new BtfFormatException("blob of " + blob.length + " bytes is shorter than the "
                    + HEADER_SIZE + "-byte header", 0, 0);
        }
        int magic = (blob[0] & 0xff) | (blob[1] & 0xff) << 8;
        ByteOrder order;
        if (magic == MAGIC) {
            order = ByteOrder.LITTLE_ENDIAN;
        } else if (magic == Integer.reverseBytes(MAGIC) >>> 16) {
            order = ByteOrder.BIG_ENDIAN;
        } else {
            throw new BtfFormatException(String.format("magic 0x%04x is not 0xeb9f in either byte order", magic), 0, 0);
        }
        if (blob[2] != 1) throw new BtfFormatException("version " + (blob[2] & 0xff) + ", only 1 is known", 2, 0);
        if (blob[3] != 0) throw new BtfFormatException("flags 0x" + Integer.toHexString(blob[3] & 0xff) + ", none are known", 3, 0);
        boolean swap = order == ByteOrder.BIG_ENDIAN;
        long hdrLen = u32(blob, 4, swap);
        if (hdrLen < HEADER_SIZE || hdrLen > blob.length) {
            throw new BtfFormatException("hdr_len " + hdrLen + " is not between " + HEADER_SIZE + " and the blob's "
                    + blob.length + " bytes", 4, 0);
        }
        // A longer header is a newer one; its extra fields must be zero for this reader to ignore them.
        for (int i = HEADER_SIZE; i < hdrLen; i++) {
            if (blob[i] != 0) throw new BtfFormatException("header has unknown non-zero bytes past " + HEADER_SIZE, i, 0);
        }
        long typeOff = u32(blob, 8, swap);
        long typeLen = u32(blob, 12, swap);
        long strOff = u32(blob, 16, swap);
        long strLen = u32(blob, 20, swap);
        long data = blob.length - hdrLen;
        if (typeOff + typeLen > data) {
            throw new BtfFormatException("type section [" + typeOff + ", +" + typeLen + ") runs past the data's "
                    + data + " bytes", 8, 0);
        }
        if (strOff + strLen > data) {
            throw new BtfFormatException("string section [" + strOff + ", +" + strLen + ") runs past the data's "
                    + data + " bytes", 16, 0);
        }
        if (typeOff % 4 != 0 || typeLen % 4 != 0) {
            throw new BtfFormatException("type section offset " + typeOff + " or length " + typeLen
                    + " is not a multiple of 4", 8, 0);
        }
        if (typeOff < strOff + strLen && strOff < typeOff + typeLen && typeLen > 0 && strLen > 0) {
            throw new BtfFormatException("type and string sections overlap", 8, 0);
        }
        int strStart = (int) (hdrLen + strOff);
        int strBase = base == null ? 0 : base.stringsLength();
        if (base == null && (strLen == 0 || blob[strStart] != 0)) {
            throw new BtfFormatException("string section must start with the empty string", strStart, 0);
        }
        if (strLen > 0 && blob[(int) (strStart + strLen - 1)] != 0) {
            throw new BtfFormatException("string section does not end with NUL", strStart + strLen - 1, 0);
        }
        if (strBase + strLen - 1 > MAX_NAME_OFFSET) {
            throw new BtfFormatException("string section of " + strLen + " bytes passes the largest name offset "
                    + MAX_NAME_OFFSET, 20, 0);
        }
        byte[] buf = swap ? littleEndianCopy(blob, (int) hdrLen, (int) (hdrLen + typeOff), (int) typeLen) : blob;
        int typesStart = (int) (hdrLen + typeOff);
        int firstId = base == null ? 1 : base.typeCount();
        int[] offsets = scan(buf, typesStart, typesStart + (int) typeLen, firstId, strBase + strLen);
        return new Btf(base, blob, buf, order, typesStart, strStart, (int) strLen, strBase, firstId, offsets);
    }

    /** The blob with its header fields and every word of the type section in little-endian order. */
    private static byte[] littleEndianCopy(byte[] blob, int hdrLen, int typesStart, int typeLen) {
        byte[] le = blob.clone();
        le[0] = (byte) MAGIC;
        le[1] = (byte) (MAGIC >>> 8);
        // Every field after magic, version and flags in the header, and every field of every
        // record in the type section, is a 32-bit word; strings are bytes and stay as they are.
        for (int i = 4; i + 4 <= hdrLen; i += 4) swapWord(le, i);
        for (int i = typesStart; i < typesStart + typeLen; i += 4) swapWord(le, i);
        return le;
    }

    private static void swapWord(byte[] b, int i) {
        byte t = b[i];
        b[i] = b[i + 3];
        b[i + 3] = t;
        t = b[i + 1];
        b[i + 1] = b[i + 2];
        b[i + 2] = t;
    }

    private static long u32(byte[] b, int i, boolean bigEndian) {
        int v = (b[i] & 0xff) | (b[i + 1] & 0xff) << 8 | (b[i + 2] & 0xff) << 16 | (b[i + 3] & 0xff) << 24;
        return Integer.toUnsignedLong(bigEndian ? Integer.reverseBytes(v) : v);
    }

    /**
     * Finds where each type starts and checks each record; returns the start of every type and,
     * last, the end of the section. References to later types are checked once the count is known.
     */
    private static int[] scan(byte[] b, int start, int end, int firstId, long strTotal) {
        int[] offsets = new int[(end - start) / TYPE_SIZE + 1];
        int n = 0;
        int off = start;
        long maxRef = 0;
        while (off < end) {
            int id = firstId + n;
            if (end - off < TYPE_SIZE) throw new BtfFormatException("type record cut short by the end of the type section", off, id);
            if (id > MAX_TYPE) throw new BtfFormatException("more types than the largest type id " + MAX_TYPE, off, id);
            offsets[n++] = off;
            int nameOff = Btf.u32(b, off);
            int info = Btf.u32(b, off + 4);
            int sizeType = Btf.u32(b, off + 8);
            name(nameOff, strTotal, off, id);
            if ((info & INFO_RESERVED) != 0) {
                throw new BtfFormatException("info 0x" + Integer.toHexString(info) + " sets reserved bits", off + 4, id);
            }
            int kind = (info >>> 24) & 0x1f;
            int vlen = info & 0xffff;
            boolean kflag = info < 0;
            if (kind == 0 || !BtfKind.known(kind)) throw new BtfFormatException("unknown kind " + kind, off + 4, id);
            BtfKind k = BtfKind.ofChecked(kind);
            int body = off + TYPE_SIZE;
            int next;
            switch (k) {
                case INT -> {
                    plain(k, vlen, kflag, off, id);
                    next = need(body, 4, end, id);
                    int data = Btf.u32(b, body);
                    if ((data & INT_RESERVED) != 0) {
                        throw new BtfFormatException("INT data 0x" + Integer.toHexString(data) + " sets reserved bits", body, id);
                    }
                    int enc = (data >>> 24) & 0xf;
                    if (enc != 0 && enc != BtfType.Int.SIGNED && enc != BtfType.Int.CHAR && enc != BtfType.Int.BOOL) {
                        throw new BtfFormatException("INT encoding " + enc + " is not one of SIGNED, CHAR, BOOL", body, id);
                    }
                }
                case PTR, TYPEDEF, VOLATILE, CONST, RESTRICT -> {
                    plain(k, vlen, kflag, off, id);
                    maxRef = ref(maxRef, sizeType);
                    next = body;
                }
                case TYPE_TAG -> {
                    plain(k, vlen, false, off, id);
                    maxRef = ref(maxRef, sizeType);
                    next = body;
                }
                case ARRAY -> {
                    plain(k, vlen, kflag, off, id);
                    zero(sizeType, "size_type", off + 8, id);
                    next = need(body, 12, end, id);
                    maxRef = ref(ref(maxRef, Btf.u32(b, body)), Btf.u32(b, body + 4));
                }
                case STRUCT, UNION -> {
                    next = need(body, vlen * 12L, end, id);
                    for (int p = body; p < next; p += 12) {
                        name(Btf.u32(b, p), strTotal, p, id);
                        maxRef = ref(maxRef, Btf.u32(b, p + 4));
                    }
                }
                case ENUM -> {
                    next = need(body, vlen * 8L, end, id);
                    for (int p = body; p < next; p += 8) name(Btf.u32(b, p), strTotal, p, id);
                }
                case ENUM64 -> {
                    next = need(body, vlen * 12L, end, id);
                    for (int p = body; p < next; p += 12) name(Btf.u32(b, p), strTotal, p, id);
                }
                case FWD -> {
                    plain(k, vlen, false, off, id);
                    zero(sizeType, "size_type", off + 8, id);
                    next = body;
                }
                case FUNC -> {
                    if (kflag) throw new BtfFormatException("FUNC sets kind_flag", off + 4, id);
                    if (vlen > BtfLinkage.EXTERN.number()) throw new BtfFormatException("FUNC linkage " + vlen + " is unknown", off + 4, id);
                    maxRef = ref(maxRef, sizeType);
                    next = body;
                }
                case FUNC_PROTO -> {
                    if (kflag) throw new BtfFormatException("FUNC_PROTO sets kind_flag", off + 4, id);
                    maxRef = ref(maxRef, sizeType);
                    next = need(body, vlen * 8L, end, id);
                    for (int p = body; p < next; p += 8) {
                        name(Btf.u32(b, p), strTotal, p, id);
                        maxRef = ref(maxRef, Btf.u32(b, p + 4));
                    }
                }
                case VAR -> {
                    plain(k, vlen, kflag, off, id);
                    maxRef = ref(maxRef, sizeType);
                    next = need(body, 4, end, id);
                    int linkage = Btf.u32(b, body);
                    if (linkage < 0 || linkage > BtfLinkage.EXTERN.number()) {
                        throw new BtfFormatException("VAR linkage " + Integer.toUnsignedString(linkage) + " is unknown", body, id);
                    }
                }
                case DATASEC -> {
                    if (kflag) throw new BtfFormatException("DATASEC sets kind_flag", off + 4, id);
                    next = need(body, vlen * 12L, end, id);
                    for (int p = body; p < next; p += 12) maxRef = ref(maxRef, Btf.u32(b, p));
                }
                case FLOAT -> {
                    plain(k, vlen, kflag, off, id);
                    next = body;
                }
                case DECL_TAG -> {
                    plain(k, vlen, false, off, id);
                    maxRef = ref(maxRef, sizeType);
                    next = need(body, 4, end, id);
                    int component = Btf.u32(b, body);
                    if (component < -1) throw new BtfFormatException("DECL_TAG component_idx " + component + " < -1", body, id);
                }
                default -> throw new AssertionError(k);
            }
            off = next;
        }
        offsets[n] = end;
        long count = (long) firstId + n;
        if (maxRef >= count) throw unknownRef(b, offsets, n, firstId, count);
        return Arrays.copyOf(offsets, n + 1);
    }

    /** Kinds with no members and, except where the caller allows it, no kind_flag. */
    private static void plain(BtfKind k, int vlen, boolean kflag, int off, int id) {
        if (vlen != 0) throw new BtfFormatException(k + " has vlen " + vlen + ", must be 0", off + 4, id);
        if (kflag) throw new BtfFormatException(k + " sets kind_flag", off + 4, id);
    }

    private static void zero(int v, String field, int at, int id) {
        if (v != 0) throw new BtfFormatException(field + " is " + Integer.toUnsignedString(v) + ", must be 0", at, id);
    }

    private static void name(int nameOff, long strTotal, int at, int id) {
        if (Integer.toUnsignedLong(nameOff) >= strTotal) {
            throw new BtfFormatException("name offset " + Integer.toUnsignedString(nameOff) + " is past the strings' "
                    + strTotal + " bytes", at, id);
        }
    }

    private static long ref(long max, int typeId) {
        return Math.max(max, Integer.toUnsignedLong(typeId));
    }

    private static int need(int body, long bytes, int end, int id) {
        if (body + bytes > end) {
            throw new BtfFormatException("record needs " + bytes + " bytes after its header, the type section has "
                    + (end - body), body, id);
        }
        return (int) (body + bytes);
    }

    /** Finds the first reference to a type past the last one, for the message. */
    private static BtfFormatException unknownRef(byte[] b, int[] offsets, int n, int firstId, long count) {
        for (int i = 0; i < n; i++) {
            int off = offsets[i];
            int id = firstId + i;
            for (int at : refPositions(b, off)) {
                long target = Integer.toUnsignedLong(Btf.u32(b, at));
                if (target >= count) {
                    return new BtfFormatException("refers to type " + target + ", the last type is " + (count - 1), at, id);
                }
            }
        }
        return new BtfFormatException("refers to a type past the last one", -1, 0);
    }

    /** Where a checked record holds type ids. */
    private static int[] refPositions(byte[] b, int off) {
        int info = Btf.u32(b, off + 4);
        int vlen = info & 0xffff;
        int body = off + TYPE_SIZE;
        switch (BtfKind.ofChecked((info >>> 24) & 0x1f)) {
            case PTR, TYPEDEF, VOLATILE, CONST, RESTRICT, TYPE_TAG, FUNC, VAR, DECL_TAG:
                return new int[] {off + 8};
            case ARRAY:
                return new int[] {body, body + 4};
            case STRUCT, UNION: {
                int[] r = new int[vlen];
                for (int i = 0; i < vlen; i++) r[i] = body + 12 * i + 4;
                return r;
            }
            case FUNC_PROTO: {
                int[] r = new int[vlen + 1];
                r[0] = off + 8;
                for (int i = 0; i < vlen; i++) r[i + 1] = body + 8 * i + 4;
                return r;
            }
            case DATASEC: {
                int[] r = new int[vlen];
                for (int i = 0; i < vlen; i++) r[i] = body + 12 * i;
                return r;
            }
            default:
                return new int[0];
        }
    }
}
