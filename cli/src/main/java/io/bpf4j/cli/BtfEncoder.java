package io.bpf4j.cli;

import io.bpf4j.api.btf.Btf;
import io.bpf4j.api.btf.BtfEnumValue;
import io.bpf4j.api.btf.BtfMember;
import io.bpf4j.api.btf.BtfType;
import io.bpf4j.api.btf.BtfVarSecinfo;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Typed keys and values from the command line: JSON read as a BTF type and laid out in the
 * type's bytes, the inverse of {@link BtfValues}, so that what {@code map dump} prints can be
 * given back to {@code map update}. Structs are objects whose members are named (members left
 * out are zero), arrays are lists (elements left out are zero) or, for {@code char} arrays,
 * strings; integers are numbers, or {@code "0x..."} strings as the dump prints bitfields and
 * 128-bit values; enums are an enumerator's name or a number; {@code _Bool} is {@code true} or
 * {@code false}. Anything that does not fit its type is an {@code IllegalArgumentException}
 * naming the path to the offending part ({@code VALUE.addr[2]}).
 */
final class BtfEncoder {
    private final Btf btf;

    BtfEncoder(Btf btf) {
        this.btf = btf;
    }

    /**
     * The bytes of {@code json} read as type {@code typeId}.
     *
     * @param what the parameter, for messages
     * @param typeId a type of this BTF
     * @param json a value from {@link JsonReader}
     * @param size the size the result must have (the map's key or value size)
     */
    byte[] encode(String what, int typeId, Object json, int size) {
        long typeSize = btf.sizeOf(typeId);
        if (typeSize != size) {
            throw new IllegalArgumentException(what + ": the BTF type is " + typeSize + " bytes, the map's are " + size);
        }
        byte[] out = new byte[size];
        put(what, typeId, json, out, 0);
        return out;
    }

    private void put(String path, int id, Object v, byte[] d, int off) {
        BtfType t = btf.type(id);
        if (t instanceof BtfType.Int i) {
            integer(path, i, v, d, off);
        } else if (t instanceof BtfType.Ptr) {
            bits(path, d, off * 8L, btf.pointerSize() * 8, number(path, v, btf.pointerSize() * 8, false));
        } else if (t instanceof BtfType.Var x) {
            put(path, x.typeId(), unwrap(path, x.name(), v), d, off);
        } else if (t instanceof BtfType.Typed x && !(t instanceof BtfType.Func) && !(t instanceof BtfType.DeclTag)) {
            put(path, x.typeId(), v, d, off); // typedef and qualifiers
        } else if (t instanceof BtfType.Array a) {
            array(path, a, v, d, off);
        } else if (t instanceof BtfType.Composite c) {
            composite(path, c, v, d, off);
        } else if (t instanceof BtfType.EnumType e) {
            enumeration(path, e, v, d, off);
        } else if (t instanceof BtfType.Datasec s) {
            datasec(path, s, v, d, off);
        } else if (t instanceof BtfType.Float f && (f.size() == 4 || f.size() == 8)) {
            if (!(v instanceof BigDecimal n)) throw wrong(path, v, "a number");
            long raw = f.size() == 4 ? Float.floatToRawIntBits(n.floatValue()) & 0xffffffffL : Double.doubleToRawLongBits(n.doubleValue());
            bits(path, d, off * 8L, f.size() * 8, BigInteger.valueOf(raw).and(mask(f.size() * 8)));
        } else {
            throw new IllegalArgumentException(path + ": a value of BTF kind " + t.kind() + " cannot be given");
        }
    }

    private void integer(String path, BtfType.Int t, Object v, byte[] d, int off) {
        long bitOffset = off * 8L + t.bitOffset();
        if ((t.encoding() & BtfType.Int.BOOL) != 0 && v instanceof Boolean b) {
            bits(path, d, bitOffset, t.bits(), b ? BigInteger.ONE : BigInteger.ZERO);
        } else if ((t.encoding() & BtfType.Int.CHAR) != 0 && v instanceof String s && s.length() == 1 && s.charAt(0) < 0x100) {
            bits(path, d, bitOffset, t.bits(), BigInteger.valueOf(s.charAt(0)));
        } else {
            bits(path, d, bitOffset, t.bits(), number(path, v, t.bits(), t.signed()));
        }
    }

    /** A number or {@code "0x..."} string that fits {@code width} bits, as its two's-complement bits. */
    private static BigInteger number(String path, Object v, int width, boolean signed) {
        BigInteger n;
        if (v instanceof String s && (s.startsWith("0x") || s.startsWith("0X")) && s.length() > 2) {
            try {
                n = new BigInteger(s.substring(2), 16);
            } catch (NumberFormatException e) {
                throw wrong(path, v, "a number or a \"0x...\" string");
            }
            if (n.bitLength() > width) throw new IllegalArgumentException(path + ": " + s + " does not fit in " + width + " bits");
            return n;
        }
        if (!(v instanceof BigDecimal dec)) throw wrong(path, v, "a number or a \"0x...\" string");
        try {
            n = dec.toBigIntegerExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(path + ": " + dec + " is not an integer");
        }
        BigInteger min = signed ? BigInteger.ONE.shiftLeft(width - 1).negate() : BigInteger.ZERO;
        BigInteger max = signed ? BigInteger.ONE.shiftLeft(width - 1).subtract(BigInteger.ONE) : mask(width);
        if (n.compareTo(min) < 0 || n.compareTo(max) > 0) {
            throw new IllegalArgumentException(path + ": " + n + " is outside " + min + ".." + max);
        }
        return n.and(mask(width));
    }

    private void array(String path, BtfType.Array a, Object v, byte[] d, int off) {
        int size = (int) btf.sizeOf(a.elemTypeId());
        if (v instanceof String s && isChar(a.elemTypeId())) {
            byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
            if (!new String(b, StandardCharsets.ISO_8859_1).equals(s)) {
                throw new IllegalArgumentException(path + ": \"" + s + "\" has characters outside Latin-1");
            }
            if (b.length > a.length()) {
                throw new IllegalArgumentException(path + ": \"" + s + "\" is " + b.length + " characters, the array holds " + a.length());
            }
            System.arraycopy(b, 0, d, off, b.length);
            return;
        }
        if (!(v instanceof List<?> l)) throw wrong(path, v, "a list" + (isChar(a.elemTypeId()) ? " or a string" : ""));
        if (l.size() > a.length()) {
            throw new IllegalArgumentException(path + ": " + l.size() + " elements given, the array holds " + a.length());
        }
        for (int i = 0; i < l.size(); i++) put(path + "[" + i + "]", a.elemTypeId(), l.get(i), d, off + i * size);
    }

    private boolean isChar(int id) {
        BtfType e = btf.type(id);
        while (e instanceof BtfType.Const || e instanceof BtfType.Volatile || e instanceof BtfType.Restrict
                || e instanceof BtfType.TypeTag || e instanceof BtfType.Typedef) {
            e = btf.type(((BtfType.Typed) e).typeId());
        }
        return e instanceof BtfType.Int i && i.size() == 1;
    }

    private void composite(String path, BtfType.Composite c, Object v, byte[] d, int off) {
        if (!(v instanceof Map<?, ?> m)) throw wrong(path, v, "an object of the members of " + kindName(c));
        for (Object name : m.keySet()) {
            BtfMember member = null;
            for (BtfMember x : c.members()) {
                if (x.name().equals(name)) member = x;
            }
            if (member == null) {
                throw new IllegalArgumentException(path + ": " + kindName(c) + " has no member \"" + name + "\"");
            }
            String p = path + "." + name;
            Object mv = m.get(name);
            long bitOffset = off * 8L + Integer.toUnsignedLong(member.bitOffset());
            if (member.bitfieldSize() != 0) {
                BtfType mt = btf.type(btf.resolve(member.typeId()));
                boolean signed = mt instanceof BtfType.Int i && i.signed();
                bits(p, d, bitOffset, member.bitfieldSize(), number(p, mv, member.bitfieldSize(), signed));
            } else if (member.bitOffset() % 8 != 0) {
                throw new IllegalArgumentException(p + ": a member that does not start on a byte cannot be given");
            } else {
                put(p, member.typeId(), mv, d, off + member.bitOffset() / 8);
            }
        }
    }

    private static String kindName(BtfType.Composite c) {
        return (c instanceof BtfType.Union ? "union " : "struct ") + (c.name().isEmpty() ? "(anonymous)" : c.name());
    }

    private static void enumeration(String path, BtfType.EnumType e, Object v, byte[] d, int off) {
        int width = e.size() * 8;
        if (v instanceof String s && !s.startsWith("0x")) {
            for (BtfEnumValue ev : e.values()) {
                if (ev.name().equals(s)) {
                    bits(path, d, off * 8L, width, BigInteger.valueOf(ev.value()).and(mask(width)));
                    return;
                }
            }
            throw new IllegalArgumentException(path + ": \"" + s + "\" is not an enumerator of enum " + e.name());
        }
        // Compilers before BTF's enum signedness flag mark no enum signed, and the dump prints
        // enums sign-extended: a number is taken from either range.
        BigInteger n = v instanceof BigDecimal dec && dec.signum() < 0 ? number(path, v, width, true) : number(path, v, width, e.signed());
        bits(path, d, off * 8L, width, n);
    }

    /** A data section as the dump prints it: {@code {"NAME": [{"var": value}, ...]}}, variables by name. */
    private void datasec(String path, BtfType.Datasec s, Object v, byte[] d, int off) {
        Object vars = unwrap(path, s.name(), v);
        if (!(vars instanceof List<?> l)) throw wrong(path, vars, "a list of {\"variable\": value} objects");
        for (Object item : l) {
            if (!(item instanceof Map<?, ?> m) || m.size() != 1) throw wrong(path, item, "one {\"variable\": value} object");
            Object name = m.keySet().iterator().next();
            BtfVarSecinfo found = null;
            for (BtfVarSecinfo x : s.vars()) {
                if (btf.type(x.typeId()).name().equals(name)) found = x;
            }
            if (found == null) throw new IllegalArgumentException(path + ": section " + s.name() + " has no variable \"" + name + "\"");
            put(path + "." + name, found.typeId(), m, d, off + found.offset());
        }
    }

    /** The value of a one-member object {@code {"name": value}}, as variables and sections are printed. */
    private static Object unwrap(String path, String name, Object v) {
        if (v instanceof Map<?, ?> m && m.size() == 1 && m.containsKey(name)) return m.get(name);
        throw wrong(path, v, "{\"" + name + "\": ...}");
    }

    /** Writes {@code value}'s low {@code width} bits little-endian from bit {@code bitOffset}. */
    private static void bits(String path, byte[] d, long bitOffset, int width, BigInteger value) {
        if (bitOffset + width > d.length * 8L) throw new IllegalArgumentException(path + ": the type reaches past the map's size");
        for (int k = 0; k < width; k++) {
            long bit = bitOffset + k;
            int idx = (int) (bit / 8);
            int mask = 1 << (bit % 8);
            if (value.testBit(k)) d[idx] |= (byte) mask;
            else d[idx] &= (byte) ~mask;
        }
    }

    private static BigInteger mask(int width) {
        return BigInteger.ONE.shiftLeft(width).subtract(BigInteger.ONE);
    }

    private static IllegalArgumentException wrong(String path, Object v, String expected) {
        String given = v == null ? "null" : v instanceof Map ? "an object" : v instanceof List ? "a list"
                : v instanceof String s ? "\"" + s + "\"" : v.toString();
        return new IllegalArgumentException(path + ": " + given + " given, " + expected + " expected");
    }
}
