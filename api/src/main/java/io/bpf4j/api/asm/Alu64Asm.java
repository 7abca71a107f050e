package io.bpf4j.api.asm;

import static io.bpf4j.api.asm.Opcodes.*;

/**
 * The 64-bit arithmetic instructions of {@link Asm}, split out to keep files small.
 */
abstract class Alu64Asm extends AsmCore {
    Alu64Asm() {}

    /**
     * A 64-bit arithmetic instruction with an immediate operand.
     *
     * @param op one of {@link Opcodes#ADD} .. {@link Opcodes#ARSH}
     * @param dst the destination register
     * @param imm the immediate
     * @return this builder
     */
    public final Asm alu64(int op, Register dst, int imm) {
        return emit(ALU64 | checkAluOp(op) | K, reg(dst, "dst"), 0, 0, imm);
    }

    /**
     * A 64-bit arithmetic instruction with a register operand.
     *
     * @param op one of {@link Opcodes#ADD} .. {@link Opcodes#ARSH}
     * @param dst the destination register
     * @param src the source register
     * @return this builder
     */
    public final Asm alu64(int op, Register dst, Register src) {
        return emit(ALU64 | checkAluOp(op) | X, reg(dst, "dst"), reg(src, "src"), 0, 0);
    }

    /**
     * A 32-bit arithmetic instruction with an immediate operand.
     *
     * @param op one of {@link Opcodes#ADD} .. {@link Opcodes#ARSH}
     * @param dst the destination register
     * @param imm the immediate
     * @return this builder
     */
    public final Asm alu32(int op, Register dst, int imm) {
        return emit(ALU | checkAluOp(op) | K, reg(dst, "dst"), 0, 0, imm);
    }

    /**
     * A 32-bit arithmetic instruction with a register operand.
     *
     * @param op one of {@link Opcodes#ADD} .. {@link Opcodes#ARSH}
     * @param dst the destination register
     * @param src the source register
     * @return this builder
     */
    public final Asm alu32(int op, Register dst, Register src) {
        return emit(ALU | checkAluOp(op) | X, reg(dst, "dst"), reg(src, "src"), 0, 0);
    }

    private static int checkAluOp(int op) {
        if ((op & ~0xf0) != 0 || op == NEG || op > ARSH) {
            throw new IllegalArgumentException("op: 0x" + Integer.toHexString(op)
                    + " is not a two-operand ALU operation (ADD..ARSH except NEG)");
        }
        return op;
    }

    /**
     * {@code dst += imm} (64-bit).
     *
     * @param dst the destination register
     * @param imm the immediate, sign-extended to 64 bits
     * @return this builder
     */
    public final Asm add64(Register dst, int imm) {
        return emit(ALU64 | ADD | K, reg(dst, "dst"), 0, 0, imm);
    }

    /**
     * {@code dst += src} (64-bit).
     *
     * @param dst the destination register
     * @param src the source register
     * @return this builder
     */
    public final Asm add64(Register dst, Register src) {
        return emit(ALU64 | ADD | X, reg(dst, "dst"), reg(src, "src"), 0, 0);
    }

    /**
     * {@code dst -= imm} (64-bit).
     *
     * @param dst the destination register
     * @param imm the immediate, sign-extended to 64 bits
     * @return this builder
     */
    public final Asm sub64(Register dst, int imm) {
        return emit(ALU64 | SUB | K, reg(dst, "dst"), 0, 0, imm);
    }

    /**
     * {@code dst -= src} (64-bit).
     *
     * @param dst the destination register
     * @param src the source register
     * @return this builder
     */
    public final Asm sub64(Register dst, Register src) {
        return emit(ALU64 | SUB | X, reg(dst, "dst"), reg(src, "src"), 0, 0);
    }

    /**
     * {@code dst *= imm} (64-bit).
     *
     * @param dst the destination register
     * @param imm the immediate, sign-extended to 64 bits
     * @return this builder
     */
    public final Asm mul64(Register dst, int imm) {
        return emit(ALU64 | MUL | K, reg(dst, "dst"), 0, 0, imm);
    }

    /**
     * {@code dst *= src} (64-bit).
     *
     * @param dst the destination register
     * @param src the source register
     * @return this builder
     */
    public final Asm mul64(Register dst, Register src) {
        return emit(ALU64 | MUL | X, reg(dst, "dst"), reg(src, "src"), 0, 0);
    }

    /**
     * {@code dst /= imm, unsigned; division by zero gives 0} (64-bit).
     *
     * @param dst the destination register
     * @param imm the immediate, sign-extended to 64 bits
     * @return this builder
     */
    public final Asm div64(Register dst, int imm) {
        return emit(ALU64 | DIV | K, reg(dst, "dst"), 0, 0, imm);
    }

    /**
     * {@code dst /= src, unsigned; division by zero gives 0} (64-bit).
     *
     * @param dst the destination register
     * @param src the source register
     * @return this builder
     */
    public final Asm div64(Register dst, Register src) {
        return emit(ALU64 | DIV | X, reg(dst, "dst"), reg(src, "src"), 0, 0);
    }

    /**
     * {@code dst /= imm, signed; division by zero gives 0} (64-bit).
     *
     * @param dst the destination register
     * @param imm the immediate, sign-extended to 64 bits
     * @return this builder
     */
    public final Asm sdiv64(Register dst, int imm) {
        return emit(ALU64 | DIV | K, reg(dst, "dst"), 0, OFF_SIGNED, imm);
    }

    /**
     * {@code dst /= src, signed; division by zero gives 0} (64-bit).
     *
     * @param dst the destination register
     * @param src the source register
     * @return this builder
     */
    public final Asm sdiv64(Register dst, Register src) {
        return emit(ALU64 | DIV | X, reg(dst, "dst"), reg(src, "src"), OFF_SIGNED, 0);
    }

    /**
     * {@code dst |= imm} (64-bit).
     *
     * @param dst the destination register
     * @param imm the immediate, sign-extended to 64 bits
     * @return this builder
     */
    public final Asm or64(Register dst, int imm) {
        return emit(ALU64 | OR | K, reg(dst, "dst"), 0, 0, imm);
    }

    /**
     * {@code dst |= src} (64-bit).
     *
     * @param dst the destination register
     * @param src the source register
     * @return this builder
     */
    public final Asm or64(Register dst, Register src) {
        return emit(ALU64 | OR | X, reg(dst, "dst"), reg(src, "src"), 0, 0);
    }

    /**
     * {@code dst &= imm} (64-bit).
     *
     * @param dst the destination register
     * @param imm the immediate, sign-extended to 64 bits
     * @return this builder
     */
    public final Asm and64(Register dst, int imm) {
        return emit(ALU64 | AND | K, reg(dst, "dst"), 0, 0, imm);
    }

    /**
     * {@code dst &= src} (64-bit).
     *
     * @param dst the destination register
     * @param src the source register
     * @return this builder
     */
    public final Asm and64(Register dst, Register src) {
        return emit(ALU64 | AND | X, reg(dst, "dst"), reg(src, "src"), 0, 0);
    }

    /**
     * {@code dst <<= imm, the shift masked to the width} (64-bit).
     *
     * @param dst the destination register
     * @param imm the immediate, sign-extended to 64 bits
     * @return this builder
     */
    public final Asm lsh64(Register dst, int imm) {
        return emit(ALU64 | LSH | K, reg(dst, "dst"), 0, 0, imm);
    }

    /**
     * {@code dst <<= src, the shift masked to the width} (64-bit).
     *
     * @param dst the destination register
     * @param src the source register
     * @return this builder
     */
    public final Asm lsh64(Register dst, Register src) {
        return emit(ALU64 | LSH | X, reg(dst, "dst"), reg(src, "src"), 0, 0);
    }

    /**
     * {@code dst >>= imm, logical, the shift masked to the width} (64-bit).
     *
     * @param dst the destination register
     * @param imm the immediate, sign-extended to 64 bits
     * @return this builder
     */
    public final Asm rsh64(Register dst, int imm) {
        return emit(ALU64 | RSH | K, reg(dst, "dst"), 0, 0, imm);
    }

    /**
     * {@code dst >>= src, logical, the shift masked to the width} (64-bit).
     *
     * @param dst the destination register
     * @param src the source register
     * @return this builder
     */
    public final Asm rsh64(Register dst, Register src) {
        return emit(ALU64 | RSH | X, reg(dst, "dst"), reg(src, "src"), 0, 0);
    }

    /**
     * {@code dst %= imm, unsigned; modulo by zero leaves dst unchanged} (64-bit).
     *
     * @param dst the destination register
     * @param imm the immediate, sign-extended to 64 bits
     * @return this builder
     */
    public final Asm mod64(Register dst, int imm) {
        return emit(ALU64 | MOD | K, reg(dst, "dst"), 0, 0, imm);
    }

    /**
     * {@code dst %= src, unsigned; modulo by zero leaves dst unchanged} (64-bit).
     *
     * @param dst the destination register
     * @param src the source register
     * @return this builder
     */
    public final Asm mod64(Register dst, Register src) {
        return emit(ALU64 | MOD | X, reg(dst, "dst"), reg(src, "src"), 0, 0);
    }

    /**
     * {@code dst %= imm, signed; modulo by zero leaves dst unchanged} (64-bit).
     *
     * @param dst the destination register
     * @param imm the immediate, sign-extended to 64 bits
     * @return this builder
     */
    public final Asm smod64(Register dst, int imm) {
        return emit(ALU64 | MOD | K, reg(dst, "dst"), 0, OFF_SIGNED, imm);
    }

    /**
     * {@code dst %= src, signed; modulo by zero leaves dst unchanged} (64-bit).
     *
     * @param dst the destination register
     * @param src the source register
     * @return this builder
     */
    public final Asm smod64(Register dst, Register src) {
        return emit(ALU64 | MOD | X, reg(dst, "dst"), reg(src, "src"), OFF_SIGNED, 0);
    }

    /**
     * {@code dst ^= imm} (64-bit).
     *
     * @param dst the destination register
     * @param imm the immediate, sign-extended to 64 bits
     * @return this builder
     */
    public final Asm xor64(Register dst, int imm) {
        return emit(ALU64 | XOR | K, reg(dst, "dst"), 0, 0, imm);
    }

    /**
     * {@code dst ^= src} (64-bit).
     *
     * @param dst the destination register
     * @param src the source register
     * @return this builder
     */
    public final Asm xor64(Register dst, Register src) {
        return emit(ALU64 | XOR | X, reg(dst, "dst"), reg(src, "src"), 0, 0);
    }

    /**
     * {@code dst = imm} (64-bit).
     *
     * @param dst the destination register
     * @param imm the immediate, sign-extended to 64 bits
     * @return this builder
     */
    public final Asm mov64(Register dst, int imm) {
        return emit(ALU64 | MOV | K, reg(dst, "dst"), 0, 0, imm);
    }

    /**
     * {@code dst = src} (64-bit).
     *
     * @param dst the destination register
     * @param src the source register
     * @return this builder
     */
    public final Asm mov64(Register dst, Register src) {
        return emit(ALU64 | MOV | X, reg(dst, "dst"), reg(src, "src"), 0, 0);
    }

    /**
     * {@code dst >>= imm, arithmetic, the shift masked to the width} (64-bit).
     *
     * @param dst the destination register
     * @param imm the immediate, sign-extended to 64 bits
     * @return this builder
     */
    public final Asm arsh64(Register dst, int imm) {
        return emit(ALU64 | ARSH | K, reg(dst, "dst"), 0, 0, imm);
    }

    /**
     * {@code dst >>= src, arithmetic, the shift masked to the width} (64-bit).
     *
     * @param dst the destination register
     * @param src the source register
     * @return this builder
     */
    public final Asm arsh64(Register dst, Register src) {
        return emit(ALU64 | ARSH | X, reg(dst, "dst"), reg(src, "src"), 0, 0);
    }

    /**
     * {@code dst = -dst} (64-bit).
     *
     * @param dst the register to negate
     * @return this builder
     */
    public final Asm neg64(Register dst) {
        return emit(ALU64 | NEG | K, reg(dst, "dst"), 0, 0, 0);
    }

    /**
     * {@code dst = (s64) (sN) src}: move with sign extension from the lower {@code bits} of src.
     *
     * @param dst the destination register
     * @param src the source register
     * @param bits 8, 16 or 32
     * @return this builder
     */
    public final Asm movsx64(Register dst, Register src, int bits) {
        if (bits != 8 && bits != 16 && bits != 32) {
            throw new IllegalArgumentException("bits: " + bits + " is not 8, 16 or 32");
        }
        return emit(ALU64 | MOV | X, reg(dst, "dst"), reg(src, "src"), bits, 0);
    }

    /**
     * Unconditionally reverses the byte order of the lower {@code width} bits of dst and
     * zero-extends them ({@code BPF_ALU64 | BPF_END}, Linux 6.6).
     *
     * @param dst the register
     * @param width 16, 32 or 64
     * @return this builder
     */
    public final Asm bswap(Register dst, int width) {
        return emit(ALU64 | END | TO_LE, reg(dst, "dst"), 0, 0, checkWidth(width));
    }

    static int checkWidth(int width) {
        if (width != 16 && width != 32 && width != 64) {
            throw new IllegalArgumentException("width: " + width + " is not 16, 32 or 64");
        }
        return width;
    }
}
