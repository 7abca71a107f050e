package io.bpf4j.cli;

import io.bpf4j.api.btf.Btf;
import io.bpf4j.api.btf.BtfEnumValue;
import io.bpf4j.api.btf.BtfMember;
import io.bpf4j.api.btf.BtfType;
import io.bpf4j.api.btf.BtfVarSecinfo;
import java.math.BigInteger;

/**
 * Map keys and values as JSON through their BTF types, formatted as {@code bpftool map dump}
 * formats them (its {@code "formatted"} objects), so that the two can be compared:
 *
 * <ul>
 *   <li>integers as decimal numbers, signed or unsigned as their type says; {@code _Bool} as
 *       {@code true}/{@code false}; 128-bit integers and bitfields as {@code "0x..."} strings of
 *       their raw bits;
 *   <li>an array of {@code char} (through qualifiers, not typedefs) holding a printable,
 *       NUL-terminated string as that string, other arrays as lists;
 *   <li>structs and unions as objects of their members, enums as the name of the matching
 *       enumerator or else the number, pointers as unsigned numbers, data sections as
 *       {@code {"NAME": [{"var": value}, ...]}};
 *   <li>floats as numbers (bpftool 7 cannot format them).
 * </ul>
 */
final class BtfValues {
    private final Btf btf;

    BtfValues(Btf btf) {
        this.btf = btf;
    }

    /** The types this formatter reads, for the encoder of typed input. */
    Btf btf() {
        return btf;
    }

    /**
     * The JSON of {@code data} read as type {@code typeId}.
     *
     * @param typeId a type of this BTF
     * @param data at least the type's size in bytes
     */
    String json(int typeId, byte[] data) {
        StringBuilder b = new StringBuilder();
        value(b, typeId, data, 0, 0);
        return b.toString();
    }

    /** Appends the value of type {@code id} at byte {@code off} (plus {@code bitOff} bits, for bitfields). */
    private void value(StringBuilder b, int id, byte[] d, int off, int bitOff) {
        BtfType t = btf.type(id);
        if (t instanceof BtfType.Int i) {
            integer(b, i, d, off, bitOff);
        } else if (t instanceof BtfType.Typed x && !(t instanceof BtfType.Ptr) && !(t instanceof BtfType.Var)
                && !(t instanceof BtfType.Func) && !(t instanceof BtfType.DeclTag)) {
            value(b, x.typeId(), d, off, bitOff); // typedef and qualifiers
        } else if (t instanceof BtfType.Ptr) {
            b.append(Long.toUnsignedString(bits(d, off * 8L, btf.pointerSize() * 8).longValue()));
        } else if (t instanceof BtfType.Array a) {
            array(b, a, d, off);
        } else if (t instanceof BtfType.Composite c) {
            composite(b, c, d, off);
        } else if (t instanceof BtfType.EnumType e) {
            enumeration(b, e, d, off);
        } else if (t instanceof BtfType.Var v) {
            b.append('{').append(Json.quote(v.name())).append(':');
            value(b, v.typeId(), d, off, 0);
            b.append('}');
        } else if (t instanceof BtfType.Datasec s) {
            b.append('{').append(Json.quote(s.name())).append(":[");
            for (int i = 0; i < s.vars().size(); i++) {
                BtfVarSecinfo v = s.vars().get(i);
                if (i > 0) b.append(',');
                value(b, v.typeId(), d, off + v.offset(), 0);
            }
            b.append("]}");
        } else if (t instanceof BtfType.Float f && (f.size() == 4 || f.size() == 8)) {
            b.append(f.size() == 4 ? Float.toString(Float.intBitsToFloat(bits(d, off * 8L, 32).intValue()))
                    : Double.toString(Double.longBitsToDouble(bits(d, off * 8L, 64).longValue())));
        } else {
            b.append("null"); // void, functions, forward declarations: nothing to read
        }
    }

    private void integer(StringBuilder b, BtfType.Int t, byte[] d, int off, int bitOff) {
        int width = t.size() * 8;
        if (bitOff != 0 || t.bitOffset() != 0 || t.bits() != width) {
            bitfield(b, d, off * 8L + bitOff + t.bitOffset(), t.bits());
            return;
        }
        BigInteger raw = bits(d, off * 8L, width);
        if (width == 128) {
            b.append('"').append("0x").append(raw.toString(16)).append('"');
        } else if ((t.encoding() & BtfType.Int.BOOL) != 0) {
            b.append(raw.signum() != 0);
        } else if ((t.encoding() & BtfType.Int.CHAR) != 0) {
            int c = raw.intValue();
            b.append(c >= 0x20 && c < 0x7f ? Json.quote(Character.toString(c)) : String.format("\"\\u00%02x\"", c));
        } else if (t.signed()) {
            b.append(signExtend(raw.longValue(), width));
        } else {
            b.append(raw.toString());
        }
    }

    /** A bitfield: its raw bits, unsigned, in hex, as bpftool prints them. */
    private static void bitfield(StringBuilder b, byte[] d, long bitOffset, int bits) {
        b.append("\"0x").append(bits(d, bitOffset, bits).toString(16)).append('"');
    }

    private void array(StringBuilder b, BtfType.Array a, byte[] d, int off) {
        if (isString(a, d, off)) {
            int end = off;
            while (d[end] != 0) end++;
            b.append(Json.quote(new String(d, off, end - off, java.nio.charset.StandardCharsets.US_ASCII)));
            return;
        }
        int size = (int) btf.sizeOf(a.elemTypeId());
        b.append('[');
        for (int i = 0; i < a.length(); i++) {
            if (i > 0) b.append(',');
            value(b, a.elemTypeId(), d, off + i * size, 0);
        }
        b.append(']');
    }

    /** A char array (through qualifiers, not typedefs) holding printable characters up to a NUL. */
    private boolean isString(BtfType.Array a, byte[] d, int off) {
        if (a.length() == 0) return false;
        BtfType e = btf.type(a.elemTypeId());
        while (e instanceof BtfType.Const || e instanceof BtfType.Volatile || e instanceof BtfType.Restrict
                || e instanceof BtfType.TypeTag) {
            e = btf.type(((BtfType.Typed) e).typeId());
        }
        if (!(e instanceof BtfType.Int i) || i.size() != 1) return false;
        if ((i.encoding() & BtfType.Int.CHAR) == 0 && !i.name().equals("char")) return false;
        for (int k = 0; k < a.length(); k++) {
            byte c = d[off + k];
            if (c == 0) return true;
            if (c <= 0x1f || c >= 0x7f) return false;
        }
        return false;
    }

    private void composite(StringBuilder b, BtfType.Composite c, byte[] d, int off) {
        b.append('{');
        for (int i = 0; i < c.members().size(); i++) {
            BtfMember m = c.members().get(i);
            if (i > 0) b.append(',');
            b.append(Json.quote(m.name())).append(':');
            if (m.bitfieldSize() != 0) bitfield(b, d, off * 8L + Integer.toUnsignedLong(m.bitOffset()), m.bitfieldSize());
            else value(b, m.typeId(), d, off + m.bitOffset() / 8, m.bitOffset() % 8);
        }
        b.append('}');
    }

    private static void enumeration(StringBuilder b, BtfType.EnumType e, byte[] d, int off) {
        int width = e.size() * 8;
        long v = signExtend(bits(d, off * 8L, width).longValue(), width);
        for (BtfEnumValue ev : e.values()) {
            if (signExtend(ev.value(), width) == v) {
                b.append(Json.quote(ev.name()));
                return;
            }
        }
        b.append(v);
    }

    private static long signExtend(long v, int width) {
        return width >= 64 ? v : (v << (64 - width)) >> (64 - width);
    }

    /** {@code bits} bits of little-endian {@code d} from bit {@code bitOffset}, unsigned. */
    private static BigInteger bits(byte[] d, long bitOffset, int bits) {
        int first = (int) (bitOffset / 8);
        int last = (int) ((bitOffset + bits + 7) / 8);
        byte[] be = new byte[last - first + 1];
        for (int i = first; i < last; i++) be[be.length - 1 - (i - first)] = d[i];
        return new BigInteger(be).shiftRight((int) (bitOffset % 8)).and(BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE));
    }
}
