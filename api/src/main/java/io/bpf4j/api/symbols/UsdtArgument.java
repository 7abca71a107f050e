package io.bpf4j.api.symbols;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where one USDT argument is at the probe's instruction, from its {@code <sys/sdt.h>}
 * specification {@code [-]SIZE@OPERAND}: in a register ({@code %edi}, {@code x0}), in memory at a
 * register plus an offset ({@code -8(%rbp)}, {@code [sp, 16]}), or a constant ({@code $5},
 * {@code #5}). x86 (AT&amp;T) and arm64 operands are understood.
 *
 * @param size the argument's size in bytes: 1, 2, 4 or 8
 * @param signed whether it is signed (a negative size in the specification)
 * @param kind where it is
 * @param register the register, as written without {@code %} (e.g. {@code edi}, {@code rbp},
 *     {@code x0}), or null for a constant
 * @param value the offset from the register for {@link Kind#MEMORY}, the value for
 *     {@link Kind#CONSTANT}, else 0
 */
public record UsdtArgument(int size, boolean signed, Kind kind, String register, long value) {
    /** Where an argument is. */
    public enum Kind {
        /** In a register. */
        REGISTER,
        /** In memory, at a register's value plus {@code value}. */
        MEMORY,
        /** The constant {@code value}. */
        CONSTANT
    }

    /**
     * Checks the size and the register's presence.
     *
     * @throws IllegalArgumentException naming the bad attribute
     */
    public UsdtArgument {
        if (size != 1 && size != 2 && size != 4 && size != 8) throw new IllegalArgumentException("size: " + size + " is not 1, 2, 4 or 8");
        if (kind == null) throw new IllegalArgumentException("kind: null");
        if ((kind == Kind.CONSTANT) != (register == null)) {
            throw new IllegalArgumentException("register: " + (register == null ? "missing for " + kind : "given for a constant"));
        }
    }

    /**
     * Parses one specification.
     *
     * @param spec e.g. {@code -4@%edi}, {@code 8@-8(%rbp)}, {@code 4@$5}, {@code 8@[sp, 16]}
     * @return the argument
     * @throws IllegalArgumentException when the form is unknown, naming the specification
     */
    public static UsdtArgument parse(String spec) {
        if (spec == null) throw new IllegalArgumentException("spec: null");
        int at = spec.indexOf('@');
        if (at <= 0) throw unknown(spec, "no SIZE@ before the operand");
        int size;
        try {
            size = Integer.parseInt(spec.substring(0, at));
        } catch (NumberFormatException e) {
            throw unknown(spec, "the size is no number");
        }
        boolean signed = size < 0;
        size = Math.abs(size);
        if (size != 1 && size != 2 && size != 4 && size != 8) throw unknown(spec, "the size is not 1, 2, 4 or 8");
        String op = spec.substring(at + 1).strip();
        if (op.isEmpty()) throw unknown(spec, "no operand");
        char c = op.charAt(0);
        if (c == '$' || c == '#') return new UsdtArgument(size, signed, Kind.CONSTANT, null, number(spec, op.substring(1)));
        if (c == '%') return new UsdtArgument(size, signed, Kind.REGISTER, register(spec, op.substring(1)), 0);
        if (c == '[') {
            if (!op.endsWith("]")) throw unknown(spec, "an unclosed [");
            String[] parts = op.substring(1, op.length() - 1).split(",");
            if (parts.length > 2) throw unknown(spec, "an indexed address");
            long off = parts.length == 2 ? number(spec, parts[1].strip().replaceFirst("^#", "")) : 0;
            return new UsdtArgument(size, signed, Kind.MEMORY, register(spec, parts[0].strip()), off);
        }
        int paren = op.indexOf('(');
        if (paren >= 0) {
            if (!op.endsWith(")")) throw unknown(spec, "an unclosed (");
            String inner = op.substring(paren + 1, op.length() - 1);
            if (inner.contains(",")) throw unknown(spec, "an indexed address");
            if (!inner.startsWith("%")) throw unknown(spec, "no register in the address");
            String disp = op.substring(0, paren);
            long off = disp.isEmpty() ? 0 : number(spec, disp);
            return new UsdtArgument(size, signed, Kind.MEMORY, register(spec, inner.substring(1)), off);
        }
        if (Character.isLetter(c)) return new UsdtArgument(size, signed, Kind.REGISTER, register(spec, op), 0);
        if (Character.isDigit(c) || c == '-') return new UsdtArgument(size, signed, Kind.CONSTANT, null, number(spec, op));
        throw unknown(spec, "an operand of unknown form");
    }

    /**
     * Parses a probe's whole argument text: specifications separated by spaces (a space inside
     * {@code [...]} belongs to the operand).
     *
     * @param text the text, possibly empty
     * @return the arguments
     * @throws IllegalArgumentException when one cannot be parsed
     */
    public static List<UsdtArgument> parseAll(String text) {
        List<UsdtArgument> out = new ArrayList<>();
        if (text == null) throw new IllegalArgumentException("text: null");
        int depth = 0;
        int start = -1;
        for (int i = 0; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : ' ';
            if (c == '[') depth++;
            if (c == ']') depth--;
            boolean sep = c == ' ' && depth <= 0;
            if (!sep && start < 0) start = i;
            if (sep && start >= 0) {
                out.add(parse(text.substring(start, i)));
                start = -1;
            }
        }
        return List.copyOf(out);
    }

    private static String register(String spec, String r) {
        if (r.isEmpty() || !r.chars().allMatch(ch -> Character.isLetterOrDigit(ch) || ch == '_')) {
            throw unknown(spec, "'" + r + "' is no register name");
        }
        return r.toLowerCase(Locale.ROOT);
    }

    private static long number(String spec, String s) {
        try {
            String t = s.strip();
            boolean neg = t.startsWith("-");
            if (neg) t = t.substring(1);
            long v = t.startsWith("0x") || t.startsWith("0X") ? Long.parseUnsignedLong(t.substring(2), 16) : Long.parseLong(t);
            return neg ? -v : v;
        } catch (NumberFormatException e) {
            throw unknown(spec, "'" + s + "' is no number (a symbol-relative address is not understood)");
        }
    }

    private static IllegalArgumentException unknown(String spec, String why) {
        return new IllegalArgumentException("spec: USDT argument '" + spec + "': " + why);
    }
}
