package io.bpf4j.api.btf;

import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.function.ToIntFunction;

/**
 * Writes types in the wire format ({@code struct btf_type} and the data after it, Linux 6.18
 * uapi {@code include/uapi/linux/btf.h}): the inverse of {@link TypeDecoder}.
 */
final class TypeEncoder {
    private final boolean bigEndian;
    private final ToIntFunction<String> names;
    private byte[] out = new byte[4096];
    private int len;

    /**
     * @param order the byte order of every 32-bit word
     * @param names the string offset of a name, adding it when needed
     */
    TypeEncoder(ByteOrder order, ToIntFunction<String> names) {
        this.bigEndian = order == ByteOrder.BIG_ENDIAN;
        this.names = names;
    }

    byte[] bytes() {
        return Arrays.copyOf(out, len);
    }

    int length() {
        return len;
    }

    /** Copies encoded bytes out, without the copy of all of them {@link #bytes()} makes. */
    void copyTo(int from, byte[] dst, int at, int n) {
        System.arraycopy(out, from, dst, at, n);
    }

    void word(int v) {
        if (len + 4 > out.length) out = Arrays.copyOf(out, out.length * 2);
        int w = bigEndian ? Integer.reverseBytes(v) : v;
        out[len] = (byte) w;
        out[len + 1] = (byte) (w >>> 8);
        out[len + 2] = (byte) (w >>> 16);
        out[len + 3] = (byte) (w >>> 24);
        len += 4;
    }

    private void head(BtfType t, int vlen, boolean kflag, int sizeOrType) {
        word(names.applyAsInt(t.name()));
        word((kflag ? 1 << 31 : 0) | t.kind().number() << 24 | vlen);
        word(sizeOrType);
    }

    /** Appends one type. */
    void encode(BtfType t) {
        if (t instanceof BtfType.Int x) {
            head(x, 0, false, x.size());
            word(x.encoding() << 24 | x.bitOffset() << 16 | x.bits());
        } else if (t instanceof BtfType.Array x) {
            head(x, 0, false, 0);
            word(x.elemTypeId());
            word(x.indexTypeId());
            word(x.length());
        } else if (t instanceof BtfType.Composite x) {
            head(x, x.members().size(), x.kindFlag(), x.size());
            for (BtfMember m : x.members()) {
                word(names.applyAsInt(m.name()));
                word(m.typeId());
                word(x.kindFlag() ? m.bitfieldSize() << 24 | m.bitOffset() : m.bitOffset());
            }
        } else if (t instanceof BtfType.Enum x) {
            head(x, x.values().size(), x.signed(), x.size());
            for (BtfEnumValue v : x.values()) {
                word(names.applyAsInt(v.name()));
                word((int) v.value());
            }
        } else if (t instanceof BtfType.Enum64 x) {
            head(x, x.values().size(), x.signed(), x.size());
            for (BtfEnumValue v : x.values()) {
                word(names.applyAsInt(v.name()));
                word((int) v.value());
                word((int) (v.value() >>> 32));
            }
        } else if (t instanceof BtfType.Fwd x) {
            head(x, 0, x.union(), 0);
        } else if (t instanceof BtfType.Func x) {
            head(x, x.linkage().number(), false, x.typeId());
        } else if (t instanceof BtfType.FuncProto x) {
            head(x, x.params().size(), false, x.returnTypeId());
            for (BtfParam p : x.params()) {
                word(names.applyAsInt(p.name()));
                word(p.typeId());
            }
        } else if (t instanceof BtfType.Var x) {
            head(x, 0, false, x.typeId());
            word(x.linkage().number());
        } else if (t instanceof BtfType.Datasec x) {
            head(x, x.vars().size(), false, x.size());
            for (BtfVarSecinfo v : x.vars()) {
                word(v.typeId());
                word(v.offset());
                word(v.size());
            }
        } else if (t instanceof BtfType.Float x) {
            head(x, 0, false, x.size());
        } else if (t instanceof BtfType.DeclTag x) {
            head(x, 0, x.attribute(), x.typeId());
            word(x.componentIdx());
        } else if (t instanceof BtfType.TypeTag x) {
            head(x, 0, x.attribute(), x.typeId());
        } else if (t instanceof BtfType.Typed x) {
            // PTR, TYPEDEF, VOLATILE, CONST, RESTRICT: the header alone
            head(x, 0, false, x.typeId());
        } else {
            throw new IllegalArgumentException("type: " + t.kind() + " is never encoded");
        }
    }

    /** The type ids a type refers to, for checking them before encoding. */
    static int[] references(BtfType t) {
        if (t instanceof BtfType.Array x) return new int[] {x.elemTypeId(), x.indexTypeId()};
        if (t instanceof BtfType.Composite x) return x.members().stream().mapToInt(BtfMember::typeId).toArray();
        if (t instanceof BtfType.FuncProto x) {
            int[] r = new int[x.params().size() + 1];
            r[0] = x.returnTypeId();
            for (int i = 0; i < x.params().size(); i++) r[i + 1] = x.params().get(i).typeId();
            return r;
        }
        if (t instanceof BtfType.Datasec x) return x.vars().stream().mapToInt(BtfVarSecinfo::typeId).toArray();
        if (t instanceof BtfType.Typed x) return new int[] {x.typeId()};
        return new int[0];
    }
}
