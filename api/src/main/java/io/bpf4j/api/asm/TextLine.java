package io.bpf4j.api.asm;

import static io.bpf4j.api.asm.Opcodes.*;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Assembles one line of {@link TextAssembler} syntax into an {@link Asm}. */
final class TextLine {
    private TextLine() {}

    /** A label used as a jump target, remembered to report undefined labels by line. */
    record LabelUse(String label, int line) {}

    /** What the assembler remembers across lines. */
    static final class State {
        int firstExit = -1;
        final List<LabelUse> labelUses = new ArrayList<>();
    }

    private static final String[] ALU_OPS = {
        "add", "sub", "mul", "div", "or", "and", "lsh", "rsh", null, "mod", "xor", "mov", "arsh",
    };

    static void assemble(Asm asm, State state, String raw, int lineNo) {
        String line = stripComment(raw).strip();
        int colon = labelEnd(line);
        if (colon > 0) {
            asm.label(line.substring(0, colon).strip());
            line = line.substring(colon + 1).strip();
        }
        if (line.isEmpty()) {
            return;
        }
        int sp = firstSpace(line);
        String mnemonic = (sp < 0 ? line : line.substring(0, sp)).toLowerCase(Locale.ROOT);
        String rest = sp < 0 ? "" : line.substring(sp + 1).strip();
        if (mnemonic.equals("lock")) {
            lock(asm, rest);
            return;
        }
        if (mnemonic.equals("call")) {
            call(asm, state, rest, lineNo);
            return;
        }
        List<String> ops = TextAssembler.operands(rest);
        if (mnemonic.equals("exit")) {
            count(ops, 0, mnemonic);
            if (state.firstExit < 0) {
                state.firstExit = asm.size();
            }
            asm.exit();
            return;
        }
        if (mnemonic.startsWith("j")) {
            jump(asm, state, mnemonic, ops, lineNo);
            return;
        }
        if (memory(asm, mnemonic, ops) || wide(asm, mnemonic, ops)) {
            return;
        }
        alu(asm, mnemonic, ops);
    }

    private static String stripComment(String line) {
        int cut = line.length();
        int hash = line.indexOf('#');
        int semi = line.indexOf(';');
        if (hash >= 0) {
            cut = hash;
        }
        if (semi >= 0 && semi < cut) {
            cut = semi;
        }
        return line.substring(0, cut);
    }

    /** The index of a label's colon, or -1 when the line does not start with a label. */
    private static int labelEnd(String line) {
        int colon = line.indexOf(':');
        if (colon <= 0) {
            return -1;
        }
        for (int i = 0; i < colon; i++) {
            char c = line.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '$')) {
                return -1;
            }
        }
        return colon;
    }

    private static int firstSpace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static void count(List<String> ops, int n, String mnemonic) {
        if (ops.size() != n) {
            throw new IllegalArgumentException(mnemonic + " takes " + n + " operand" + (n == 1 ? "" : "s") + ", not "
                    + ops.size());
        }
    }

    // ---- arithmetic ----

    private static void alu(Asm asm, String m, List<String> ops) {
        int width = 64;
        String base = m;
        if (m.endsWith("32")) {
            width = 32;
            base = m.substring(0, m.length() - 2);
        } else if (m.endsWith("64")) {
            base = m.substring(0, m.length() - 2);
        }
        if (m.startsWith("movsx")) {
            count(ops, 2, m);
            int bits = parseBits(m.substring(5, m.length() - 2), m);
            if (width == 64) {
                asm.movsx64(reg(ops.get(0)), reg(ops.get(1)), bits);
            } else {
                asm.movsx32(reg(ops.get(0)), reg(ops.get(1)), bits);
            }
            return;
        }
        if (byteSwap(asm, m, ops)) {
            return;
        }
        if (base.equals("neg")) {
            count(ops, 1, m);
            if (width == 64) {
                asm.neg64(reg(ops.get(0)));
            } else {
                asm.neg32(reg(ops.get(0)));
            }
            return;
        }
        boolean signed = base.equals("sdiv") || base.equals("smod");
        int op = aluOp(signed ? base.substring(1) : base);
        if (op < 0) {
            throw new IllegalArgumentException("unknown mnemonic \"" + m + "\"");
        }
        count(ops, 2, m);
        int cls = width == 64 ? ALU64 : ALU;
        int dst = reg(ops.get(0)).number();
        int off = signed ? OFF_SIGNED : 0;
        if (isReg(ops.get(1))) {
            asm.emit(cls | op | X, dst, reg(ops.get(1)).number(), off, 0);
        } else {
            asm.emit(cls | op | K, dst, 0, off, imm32(ops.get(1)));
        }
    }

    private static int parseBits(String s, String m) {
        if (s.equals("8") || s.equals("16") || s.equals("32")) {
            return Integer.parseInt(s);
        }
        throw new IllegalArgumentException("unknown mnemonic \"" + m + "\"");
    }

    private static int aluOp(String name) {
        for (int i = 0; i < ALU_OPS.length; i++) {
            if (name.equals(ALU_OPS[i])) {
                return i << 4;
            }
        }
        return -1;
    }

    private static boolean byteSwap(Asm asm, String m, List<String> ops) {
        String kind;
        String bits;
        if (m.startsWith("bswap")) {
            kind = "bswap";
            bits = m.substring(5);
        } else if (m.startsWith("swap")) {
            kind = "bswap";
            bits = m.substring(4);
        } else if (m.startsWith("le") || m.startsWith("be")) {
            kind = m.substring(0, 2);
            bits = m.substring(2);
        } else {
            return false;
        }
        if (!bits.equals("16") && !bits.equals("32") && !bits.equals("64")) {
            return false;
        }
        count(ops, 1, m);
        Register dst = reg(ops.get(0));
        int width = Integer.parseInt(bits);
        switch (kind) {
            case "le": asm.le(dst, width); break;
            case "be": asm.be(dst, width); break;
            default: asm.bswap(dst, width); break;
        }
        return true;
    }

    // ---- jumps and calls ----

    private static void jump(Asm asm, State state, String m, List<String> ops, int lineNo) {
        if (m.equals("ja") || m.equals("ja32")) {
            count(ops, 1, m);
            String target = ops.get(0);
            boolean wide = m.equals("ja32");
            if (isRelative(target)) {
                int rel = wide ? imm32(target) : offset(target);
                asm.emit(wide ? JMP32 | JA : JMP | JA, 0, 0, wide ? 0 : rel, wide ? rel : 0);
            } else {
                state.labelUses.add(new LabelUse(target, lineNo));
                if (wide) {
                    asm.ja32(target);
                } else {
                    asm.ja(target);
                }
            }
            return;
        }
        boolean j32 = m.endsWith("32");
        String base = j32 ? m.substring(0, m.length() - 2) : m;
        int op = -1;
        for (int i = 0; i < Syntax.JMP_NAMES.length; i++) {
            if (base.equals(Syntax.JMP_NAMES[i])) {
                op = i << 4;
            }
        }
        if (op < 0) {
            throw new IllegalArgumentException("unknown mnemonic \"" + m + "\"");
        }
        count(ops, 3, m);
        int cls = j32 ? JMP32 : JMP;
        Register dst = reg(ops.get(0));
        boolean x = isReg(ops.get(1));
        String target = ops.get(2);
        int opcode = cls | op | (x ? X : K);
        if (isRelative(target)) {
            asm.emit(opcode, dst.number(), x ? reg(ops.get(1)).number() : 0, offset(target),
                    x ? 0 : imm32(ops.get(1)));
            return;
        }
        state.labelUses.add(new LabelUse(target, lineNo));
        if (x) {
            asm.jump(opcode, dst, reg(ops.get(1)), target);
        } else {
            asm.jump(opcode, dst, imm32(ops.get(1)), target);
        }
    }

    private static void call(Asm asm, State state, String rest, int lineNo) {
        String[] words = rest.strip().split("\\s+");
        if (rest.isBlank() || words.length > 2) {
            throw new IllegalArgumentException("call takes a helper id, \"local\" and a target, \"kfunc\" and an id,"
                    + " or a register");
        }
        if (words.length == 1) {
            if (isReg(words[0])) {
                asm.emit(JMP | CALL | X, reg(words[0]).number(), 0, 0, 0);
            } else {
                asm.call(imm32(words[0]));
            }
            return;
        }
        switch (words[0]) {
            case "helper":
                asm.call(imm32(words[1]));
                return;
            case "kfunc":
                asm.callKfunc(imm32(words[1]));
                return;
            case "local":
                if (isRelative(words[1])) {
                    asm.emit(JMP | CALL, 0, PSEUDO_CALL, 0, imm32(words[1]));
                } else {
                    state.labelUses.add(new LabelUse(words[1], lineNo));
                    asm.callLocal(words[1]);
                }
                return;
            default:
                throw new IllegalArgumentException("call mode \"" + words[0] + "\" is not helper, local or kfunc");
        }
    }

    // ---- memory ----

    private static boolean memory(Asm asm, String m, List<String> ops) {
        if (m.equals("callx")) {
            count(ops, 1, m);
            asm.emit(JMP | CALL | X, reg(ops.get(0)).number(), 0, 0, 0);
            return true;
        }
        String[] prefixes = {"ldacq", "strel", "ldxs", "ldx", "stx", "st"};
        for (String p : prefixes) {
            if (!m.startsWith(p)) {
                continue;
            }
            Size size = size(m.substring(p.length()));
            if (size == null) {
                return false;
            }
            count(ops, 2, m);
            switch (p) {
                case "ldacq": {
                    Mem a = mem(ops.get(1));
                    asm.loadAcquire(size, reg(ops.get(0)), a.base, a.off);
                    break;
                }
                case "strel": {
                    Mem a = mem(ops.get(0));
                    asm.storeRelease(size, a.base, a.off, reg(ops.get(1)));
                    break;
                }
                case "ldxs": {
                    Mem a = mem(ops.get(1));
                    asm.ldxs(size, reg(ops.get(0)), a.base, a.off);
                    break;
                }
                case "ldx": {
                    Mem a = mem(ops.get(1));
                    asm.ldx(size, reg(ops.get(0)), a.base, a.off);
                    break;
                }
                case "stx": {
                    Mem a = mem(ops.get(0));
                    asm.stx(size, a.base, a.off, reg(ops.get(1)));
                    break;
                }
                default: {
                    Mem a = mem(ops.get(0));
                    asm.st(size, a.base, a.off, imm32(ops.get(1)));
                    break;
                }
            }
            return true;
        }
        return false;
    }

    private static Size size(String suffix) {
        switch (suffix) {
            case "b": return Size.B;
            case "h": return Size.H;
            case "w": return Size.W;
            case "dw": return Size.DW;
            default: return null;
        }
    }

    private static void lock(Asm asm, String rest) {
        int bracket = rest.indexOf('[');
        if (bracket < 0) {
            throw new IllegalArgumentException("lock needs an operation and a memory operand [%rN+off]");
        }
        String[] words = rest.substring(0, bracket).strip().toLowerCase(Locale.ROOT).split("\\s+");
        List<String> ops = TextAssembler.operands(rest.substring(bracket));
        count(ops, 2, "lock");
        boolean fetch = words.length == 2 && words[0].equals("fetch");
        if (words.length != (fetch ? 2 : 1)) {
            throw new IllegalArgumentException("lock expects [fetch] add|or|and|xor|xchg|cmpxchg[32]");
        }
        String name = words[words.length - 1];
        Size size = Size.DW;
        if (name.endsWith("32")) {
            size = Size.W;
            name = name.substring(0, name.length() - 2);
        }
        int op;
        switch (name) {
            case "add": op = ATOMIC_ADD; break;
            case "or": op = ATOMIC_OR; break;
            case "and": op = ATOMIC_AND; break;
            case "xor": op = ATOMIC_XOR; break;
            case "xchg": op = XCHG; break;
            case "cmpxchg": op = CMPXCHG; break;
            default: throw new IllegalArgumentException("unknown atomic operation \"" + name + "\"");
        }
        if (fetch && (op == XCHG || op == CMPXCHG)) {
            throw new IllegalArgumentException(name + " always fetches; drop \"fetch\"");
        }
        Mem a = mem(ops.get(0));
        asm.atomic(size, fetch ? op | FETCH : op, a.base, a.off, reg(ops.get(1)));
    }

    // ---- 64-bit immediates, legacy loads, raw slots ----

    private static boolean wide(Asm asm, String m, List<String> ops) {
        switch (m) {
            case "lddw":
                count(ops, 2, m);
                asm.lddw(reg(ops.get(0)), imm64(ops.get(1)));
                return true;
            case "ldmapfd":
                count(ops, 2, m);
                asm.ldMapFd(reg(ops.get(0)), imm32(ops.get(1)));
                return true;
            case "ldmapvalue":
                count(ops, 3, m);
                asm.ldMapValue(reg(ops.get(0)), imm32(ops.get(1)), imm32(ops.get(2)));
                return true;
            case "ldmapidx":
                count(ops, 2, m);
                asm.ldMapIdx(reg(ops.get(0)), imm32(ops.get(1)));
                return true;
            case "ldmapidxvalue":
                count(ops, 3, m);
                asm.ldMapIdxValue(reg(ops.get(0)), imm32(ops.get(1)), imm32(ops.get(2)));
                return true;
            case ".insn":
                count(ops, 5, m);
                asm.insn(new Instruction(imm32(ops.get(0)), imm32(ops.get(1)), imm32(ops.get(2)), offset(ops.get(3)),
                        imm32(ops.get(4))));
                return true;
            default:
                break;
        }
        if (m.startsWith("ldabs") || m.startsWith("ldind")) {
            Size size = size(m.substring(5));
            if (size == null || size == Size.DW) {
                return false;
            }
            if (m.startsWith("ldabs")) {
                count(ops, 1, m);
                asm.ldAbs(size, imm32(ops.get(0)));
            } else {
                count(ops, 2, m);
                asm.ldInd(size, reg(ops.get(0)), imm32(ops.get(1)));
            }
            return true;
        }
        return false;
    }

    // ---- operands ----

    private record Mem(Register base, int off) {}

    private static Mem mem(String s) {
        if (!s.startsWith("[") || !s.endsWith("]")) {
            throw new IllegalArgumentException("\"" + s + "\" is not a memory operand [%rN+off]");
        }
        String inner = s.substring(1, s.length() - 1).strip();
        int sign = Math.max(inner.indexOf('+'), inner.indexOf('-'));
        if (sign < 0) {
            return new Mem(reg(inner), 0);
        }
        return new Mem(reg(inner.substring(0, sign).strip()), offset(inner.substring(sign).replace(" ", "")));
    }

    static boolean isReg(String s) {
        return s.startsWith("%r") || s.matches("r\\d+");
    }

    static Register reg(String s) {
        String t = s.strip();
        String digits = t.startsWith("%r") ? t.substring(2) : t.startsWith("r") ? t.substring(1) : null;
        if (digits == null || digits.isEmpty() || !digits.chars().allMatch(Character::isDigit) || digits.length() > 3) {
            throw new IllegalArgumentException("\"" + s + "\" is not a register %r0..%r10");
        }
        int n = Integer.parseInt(digits);
        if (n > 10) {
            throw new IllegalArgumentException("register " + t + " is out of range (%r0..%r10)");
        }
        return Register.of(n);
    }

    private static boolean isRelative(String s) {
        return s.startsWith("+") || s.startsWith("-");
    }

    static BigInteger number(String s) {
        String t = s.strip();
        boolean neg = false;
        if (t.startsWith("+") || t.startsWith("-")) {
            neg = t.startsWith("-");
            t = t.substring(1);
        }
        try {
            BigInteger v = t.startsWith("0x") || t.startsWith("0X") ? new BigInteger(t.substring(2), 16) : new BigInteger(t);
            if (t.isEmpty() || t.startsWith("+") || t.startsWith("-") || v.signum() < 0) {
                throw new NumberFormatException();
            }
            return neg ? v.negate() : v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("\"" + s + "\" is not a number");
        }
    }

    static int imm32(String s) {
        BigInteger v = number(s);
        if (v.bitLength() > 32 || v.compareTo(BigInteger.valueOf(Integer.MIN_VALUE)) < 0) {
            throw new IllegalArgumentException("immediate " + s.strip() + " does not fit 32 bits");
        }
        return v.intValue();
    }

    static long imm64(String s) {
        BigInteger v = number(s);
        if (v.bitLength() > 64 || v.compareTo(BigInteger.valueOf(Long.MIN_VALUE)) < 0) {
            throw new IllegalArgumentException("immediate " + s.strip() + " does not fit 64 bits");
        }
        return v.longValue();
    }

    static int offset(String s) {
        BigInteger v = number(s);
        if (v.compareTo(BigInteger.valueOf(Short.MIN_VALUE)) < 0 || v.compareTo(BigInteger.valueOf(Short.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException("offset " + s.strip() + " does not fit 16 bits (-32768..32767)");
        }
        return v.intValue();
    }
}
