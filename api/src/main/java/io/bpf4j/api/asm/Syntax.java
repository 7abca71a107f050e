package io.bpf4j.api.asm;

import static io.bpf4j.api.asm.Opcodes.*;

/** The mnemonic tables shared by {@link Instruction#toString()} and {@link TextAssembler}. */
final class Syntax {
    private Syntax() {}

    /** ALU mnemonics by {@code op >> 4}; {@code null} where the op does not exist. */
    static final String[] ALU_NAMES = {
        "add", "sub", "mul", "div", "or", "and", "lsh", "rsh",
        "neg", "mod", "xor", "mov", "arsh", null, null, null,
    };

    /** Conditional jump mnemonics by {@code op >> 4}; {@code null} for ja/call/exit and holes. */
    static final String[] JMP_NAMES = {
        null, "jeq", "jgt", "jge", "jset", "jne", "jsgt", "jsge",
        null, null, "jlt", "jle", "jslt", "jsle", null, null,
    };

    /** Atomic read-modify-write mnemonics by {@code imm & 0xf0 >> 4}, for imm without FETCH. */
    static String atomicName(int op) {
        switch (op) {
            case ATOMIC_ADD: return "add";
            case ATOMIC_OR: return "or";
            case ATOMIC_AND: return "and";
            case ATOMIC_XOR: return "xor";
            default: return null;
        }
    }

    static String reg(int r) {
        return "%r" + r;
    }

    static String mem(int reg, int off) {
        if (off == 0) {
            return "[%r" + reg + "]";
        }
        return "[%r" + reg + (off > 0 ? "+" : "") + off + "]";
    }

    static String rel(int off) {
        return off >= 0 ? "+" + off : Integer.toString(off);
    }

    /**
     * Formats one instruction.
     *
     * @param i the instruction
     * @param imm64 for {@code ld_imm64}: the whole constant (lower half only when the second
     *     slot is unknown)
     * @param nextImm for {@code ld_imm64} with a map value pseudo source: the second slot's imm
     */
    static String format(Instruction i, long imm64, int nextImm) {
        int code = i.opcode();
        int op = op(code);
        switch (cls(code)) {
            case ALU:
                return formatAlu(i, op, "32");
            case ALU64:
                return formatAlu(i, op, "");
            case JMP32:
                return formatJmp(i, op, "32");
            case JMP:
                return formatJmp(i, op, "");
            case LDX: {
                Size s = Size.ofOpcode(code);
                if (mode(code) == MEM) {
                    return "ldx" + s.suffix() + " " + reg(i.dst()) + ", " + mem(i.src(), i.off());
                }
                if (mode(code) == MEMSX && s != Size.DW) {
                    return "ldxs" + s.suffix() + " " + reg(i.dst()) + ", " + mem(i.src(), i.off());
                }
                return unknown(i);
            }
            case ST:
                if (mode(code) == MEM) {
                    return "st" + Size.ofOpcode(code).suffix() + " " + mem(i.dst(), i.off()) + ", " + i.imm();
                }
                return unknown(i);
            case STX:
                if (mode(code) == MEM) {
                    return "stx" + Size.ofOpcode(code).suffix() + " " + mem(i.dst(), i.off()) + ", " + reg(i.src());
                }
                if (mode(code) == ATOMIC) {
                    return formatAtomic(i);
                }
                return unknown(i);
            default:
                return formatLd(i, imm64, nextImm);
        }
    }

    private static String formatAlu(Instruction i, int op, String suffix32) {
        int code = i.opcode();
        if (op == END) {
            String name = !suffix32.isEmpty() ? (source(code) == TO_BE ? "be" : "le") : "bswap";
            if (source(code) == TO_BE && suffix32.isEmpty()) {
                return unknown(i);
            }
            return name + i.imm() + " " + reg(i.dst());
        }
        String name = ALU_NAMES[op >> 4];
        if (name == null) {
            return unknown(i);
        }
        if (op == NEG) {
            return name + suffix32 + " " + reg(i.dst());
        }
        if ((op == DIV || op == MOD) && i.off() == OFF_SIGNED) {
            name = "s" + name;
        } else if (op == MOV && source(code) == X && i.off() != 0) {
            return "movsx" + i.off() + (suffix32.isEmpty() ? "64" : "32") + " " + reg(i.dst()) + ", " + reg(i.src());
        }
        String operand = source(code) == X ? reg(i.src()) : Integer.toString(i.imm());
        return name + suffix32 + " " + reg(i.dst()) + ", " + operand;
    }

    private static String formatJmp(Instruction i, int op, String suffix32) {
        int code = i.opcode();
        if (op == JA) {
            return suffix32.isEmpty() ? "ja " + rel(i.off()) : "ja32 " + rel(i.imm());
        }
        if (suffix32.isEmpty() && op == EXIT) {
            return "exit";
        }
        if (suffix32.isEmpty() && op == CALL) {
            if (source(code) == X) {
                return "callx " + reg(i.dst());
            }
            switch (i.src()) {
                case 0: return "call " + i.imm();
                case PSEUDO_CALL: return "call local " + rel(i.imm());
                case PSEUDO_KFUNC_CALL: return "call kfunc " + i.imm();
                default: return unknown(i);
            }
        }
        String name = JMP_NAMES[op >> 4];
        if (name == null) {
            return unknown(i);
        }
        String operand = source(code) == X ? reg(i.src()) : Integer.toString(i.imm());
        return name + suffix32 + " " + reg(i.dst()) + ", " + operand + ", " + rel(i.off());
    }

    private static String formatAtomic(Instruction i) {
        Size s = Size.ofOpcode(i.opcode());
        String w = s == Size.W ? "32" : "";
        String at = mem(i.dst(), i.off());
        int imm = i.imm();
        if (imm == LOAD_ACQ) {
            return "ldacq" + s.suffix() + " " + reg(i.dst()) + ", " + mem(i.src(), i.off());
        }
        if (imm == STORE_REL) {
            return "strel" + s.suffix() + " " + at + ", " + reg(i.src());
        }
        if (s != Size.W && s != Size.DW) {
            return unknown(i);
        }
        if (imm == XCHG) {
            return "lock xchg" + w + " " + at + ", " + reg(i.src());
        }
        if (imm == CMPXCHG) {
            return "lock cmpxchg" + w + " " + at + ", " + reg(i.src());
        }
        String name = (imm & ~0xf1) == 0 ? atomicName(imm & 0xf0) : null;
        if (name == null) {
            return unknown(i);
        }
        return "lock " + ((imm & FETCH) != 0 ? "fetch " : "") + name + w + " " + at + ", " + reg(i.src());
    }

    private static String formatLd(Instruction i, long imm64, int nextImm) {
        int code = i.opcode();
        if (code == LD_IMM64) {
            switch (i.src()) {
                case 0: return "lddw " + reg(i.dst()) + ", 0x" + Long.toHexString(imm64);
                case PSEUDO_MAP_FD: return "ldmapfd " + reg(i.dst()) + ", " + i.imm();
                case PSEUDO_MAP_VALUE: return "ldmapvalue " + reg(i.dst()) + ", " + i.imm() + ", " + nextImm;
                case PSEUDO_MAP_IDX: return "ldmapidx " + reg(i.dst()) + ", " + i.imm();
                case PSEUDO_MAP_IDX_VALUE: return "ldmapidxvalue " + reg(i.dst()) + ", " + i.imm() + ", " + nextImm;
                default: return "lddw " + reg(i.dst()) + ", 0x" + Long.toHexString(imm64) + " ; pseudo src " + i.src();
            }
        }
        if (mode(code) == ABS && Size.ofOpcode(code) != Size.DW) {
            return "ldabs" + Size.ofOpcode(code).suffix() + " " + i.imm();
        }
        if (mode(code) == IND && Size.ofOpcode(code) != Size.DW) {
            return "ldind" + Size.ofOpcode(code).suffix() + " " + reg(i.src()) + ", " + i.imm();
        }
        return unknown(i);
    }

    private static String unknown(Instruction i) {
        return String.format(".insn 0x%02x, %d, %d, %d, %d", i.opcode(), i.dst(), i.src(), i.off(), i.imm());
    }
}
