package io.bpf4j.api.asm;

import static io.bpf4j.api.asm.Opcodes.*;

/**
 * The 32-bit arithmetic instructions of {@link Asm}, split out to keep files small. They
 * operate on the lower halves of registers and zero the upper half of the destination, as the
 * kernel does.
 */
abstract class Alu32Asm extends Alu64Asm {
    Alu32Asm() {}

    /**
     * {@code dst += imm} on the lower 32 bits, zero-extending the result (32-bit).
     *
     * @param dst the destination register
     * @param imm the immediate
     * @return this builder
     */
    public final Asm add32(Register dst, int imm) {
        return emit(ALU | ADD | K, reg(dst, "dst"), 0, 0, imm);
    }

    /**
     * {@code dst += src} on the lower 32 bits, zero-extending the result (32-bit).
     *
     * @param dst the destination register
     * @param src the source register
     * @return this builder
     */
    public final Asm add32(Register dst, Register src) {
        return emit(ALU | ADD | X, reg(dst, "dst"), reg(src, "src"), 0, 0);
    }

    /**
     * {@code dst -= imm} on the lower 32 bits, zero-extending the result (32-bit).
     *
     * @param dst the destination register
     * @param imm the immediate
     * @return this builder
     */
    public final Asm sub32(Register dst, int imm) {
        return emit(ALU | SUB | K, reg(dst, "dst"), 0, 0, imm);
    }

    /**
     * {@code dst -= src} on the lower 32 bits, zero-extending the result (32-bit).
     *
     * @param dst the destination register
     * @param src the source register
     * @return this builder
     */
    public final Asm sub32(Register dst, Register src) {
        return emit(ALU | SUB | X, reg(dst, "dst"), reg(src, "src"), 0, 0);
    }

    /**
     * {@code dst *= imm} on the lower 32 bits, zero-extending the result (32-bit).
     *
     * @param dst the destination register
     * @param imm the immediate
     * @return this builder
     */
    public final Asm mul32(Register dst, int imm) {
        return emit(ALU | MUL | K, reg(dst, "dst"), 0, 0, imm);
    }

    /**
     * {@code dst *= src} on the lower 32 bits, zero-extending the result (32-bit).
     *
     * @param dst the destination register
     * @param src the source register
     * @return this builder
     */
    public final Asm mul32(Register dst, Register src) {
        return emit(ALU | MUL | X, reg(dst, "dst"), reg(src, "src"), 0, 0);
    }

    /**
     * {@code dst /= imm, unsigned; division by zero gives 0} on the lower 32 bits, zero-extending the result (32-bit).
     *
     * @param dst the destination register
     * @param imm the immediate
     * @return this builder
     */
    public final Asm div32(Register dst, int imm) {
        return emit(ALU | DIV | K, reg(dst, "dst"), 0, 0, imm);
    }

    /**
     * {@code dst /= src, unsigned; division by zero gives 0} on the lower 32 bits, zero-extending the result (32-bit).
     *
     * @param dst the destination register
     * @param src the source register
     * @return this builder
     */
    public final Asm div32(Register dst, Register src) {
        return emit(ALU | DIV | X, reg(dst, "dst"), reg(src, "src"), 0, 0);
    }

    /**
     * {@code dst /= imm, signed; division by zero gives 0} on the lower 32 bits, zero-extending the result (32-bit).
     *
     * @param dst the destination register
     * @param imm the immediate
     * @return this builder
     */
    public final Asm sdiv32(Register dst, int imm) {
        return emit(ALU | DIV | K, reg(dst, "dst"), 0, OFF_SIGNED, imm);
    }

    /**
     * {@code dst /= src, signed; division by zero gives 0} on the lower 32 bits, zero-extending the result (32-bit).
     *
     * @param dst the destination register
     * @param src the source register
     * @return this builder
     */
    public final Asm sdiv32(Register dst, Register src) {
        return emit(ALU | DIV | X, reg(dst, "dst"), reg(src, "src"), OFF_SIGNED, 0);
    }

    /**
     * {@code dst |= imm} on the lower 32 bits, zero-extending the result (32-bit).
     *
     * @param dst the destination register
     * @param imm the immediate
     * @return this builder
     */
    public final Asm or32(Register dst, int imm) {
        return emit(ALU | OR | K, reg(dst, "dst"), 0, 0, imm);
    }

    /**
     * {@code dst |= src} on the lower 32 bits, zero-extending the result (32-bit).
     *
     * @param dst the destination register
     * @param src the source register
     * @return this builder
     */
    public final Asm or32(Register dst, Register src) {
        return emit(ALU | OR | X, reg(dst, "dst"), reg(src, "src"), 0, 0);
    }

    /**
     * {@code dst &= imm} on the lower 32 bits, zero-extending the result (32-bit).
     *
     * @param dst the destination register
     * @param imm the immediate
     * @return this builder
     */
    public final Asm and32(Register dst, int imm) {
        return emit(ALU | AND | K, reg(dst, "dst"), 0, 0, imm);
    }

    /**
     * {@code dst &= src} on the lower 32 bits, zero-extending the result (32-bit).
     *
     * @param dst the destination register
     * @param src the source register
     * @return this builder
     */
    public final Asm and32(Register dst, Register src) {
        return emit(ALU | AND | X, reg(dst, "dst"), reg(src, "src"), 0, 0);
    }

    /**
     * {@code dst <<= imm, the shift masked to the width} on the lower 32 bits, zero-extending the result (32-bit).
     *
     * @param dst the destination register
     * @param imm the immediate
     * @return this builder
     */
    public final Asm lsh32(Register dst, int imm) {
        return emit(ALU | LSH | K, reg(dst, "dst"), 0, 0, imm);
    }

    /**
     * {@code dst <<= src, the shift masked to the width} on the lower 32 bits, zero-extending the result (32-bit).
     *
     * @param dst the destination register
     * @param src the source register
     * @return this builder
     */
    public final Asm lsh32(Register dst, Register src) {
        return emit(ALU | LSH | X, reg(dst, "dst"), reg(src, "src"), 0, 0);
    }

    /**
     * {@code dst >>= imm, logical, the shift masked to the width} on the lower 32 bits, zero-extending the result (32-bit).
     *
     * @param dst the destination register
     * @param imm the immediate
     * @return this builder
     */
    public final Asm rsh32(Register dst, int imm) {
        return emit(ALU | RSH | K, reg(dst, "dst"), 0, 0, imm);
    }

    /**
     * {@code dst >>= src, logical, the shift masked to the width} on the lower 32 bits, zero-extending the result (32-bit).
     *
     * @param dst the destination register
     * @param src the source register
     * @return this builder
     */
    public final Asm rsh32(Register dst, Register src) {
        return emit(ALU | RSH | X, reg(dst, "dst"), reg(src, "src"), 0, 0);
    }

    /**
     * {@code dst %= imm, unsigned; modulo by zero leaves dst unchanged} on the lower 32 bits, zero-extending the result (32-bit).
     *
     * @param dst the destination register
     * @param imm the immediate
     * @return this builder
     */
    public final Asm mod32(Register dst, int imm) {
        return emit(ALU | MOD | K, reg(dst, "dst"), 0, 0, imm);
    }

    /**
     * {@code dst %= src, unsigned; modulo by zero leaves dst unchanged} on the lower 32 bits, zero-extending the result (32-bit).
     *
     * @param dst the destination register
     * @param src the source register
     * @return this builder
     */
    public final Asm mod32(Register dst, Register src) {
        return emit(ALU | MOD | X, reg(dst, "dst"), reg(src, "src"), 0, 0);
    }

    /**
     * {@code dst %= imm, signed; modulo by zero leaves dst unchanged} on the lower 32 bits, zero-extending the result (32-bit).
     *
     * @param dst the destination register
     * @param imm the immediate
     * @return this builder
     */
    public final Asm smod32(Register dst, int imm) {
        return emit(ALU | MOD | K, reg(dst, "dst"), 0, OFF_SIGNED, imm);
    }

    /**
     * {@code dst %= src, signed; modulo by zero leaves dst unchanged} on the lower 32 bits, zero-extending the result (32-bit).
     *
     * @param dst the destination register
     * @param src the source register
     * @return this builder
     */
    public final Asm smod32(Register dst, Register src) {
        return emit(ALU | MOD | X, reg(dst, "dst"), reg(src, "src"), OFF_SIGNED, 0);
    }

    /**
     * {@code dst ^= imm} on the lower 32 bits, zero-extending the result (32-bit).
     *
     * @param dst the destination register
     * @param imm the immediate
     * @return this builder
     */
    public final Asm xor32(Register dst, int imm) {
        return emit(ALU | XOR | K, reg(dst, "dst"), 0, 0, imm);
    }

    /**
     * {@code dst ^= src} on the lower 32 bits, zero-extending the result (32-bit).
     *
     * @param dst the destination register
     * @param src the source register
     * @return this builder
     */
    public final Asm xor32(Register dst, Register src) {
        return emit(ALU | XOR | X, reg(dst, "dst"), reg(src, "src"), 0, 0);
    }

    /**
     * {@code dst = imm} on the lower 32 bits, zero-extending the result (32-bit).
     *
     * @param dst the destination register
     * @param imm the immediate
     * @return this builder
     */
    public final Asm mov32(Register dst, int imm) {
        return emit(ALU | MOV | K, reg(dst, "dst"), 0, 0, imm);
    }

    /**
     * {@code dst = src} on the lower 32 bits, zero-extending the result (32-bit).
     *
     * @param dst the destination register
     * @param src the source register
     * @return this builder
     */
    public final Asm mov32(Register dst, Register src) {
        return emit(ALU | MOV | X, reg(dst, "dst"), reg(src, "src"), 0, 0);
    }

    /**
     * {@code dst >>= imm, arithmetic, the shift masked to the width} on the lower 32 bits, zero-extending the result (32-bit).
     *
     * @param dst the destination register
     * @param imm the immediate
     * @return this builder
     */
    public final Asm arsh32(Register dst, int imm) {
        return emit(ALU | ARSH | K, reg(dst, "dst"), 0, 0, imm);
    }

    /**
     * {@code dst >>= src, arithmetic, the shift masked to the width} on the lower 32 bits, zero-extending the result (32-bit).
     *
     * @param dst the destination register
     * @param src the source register
     * @return this builder
     */
    public final Asm arsh32(Register dst, Register src) {
        return emit(ALU | ARSH | X, reg(dst, "dst"), reg(src, "src"), 0, 0);
    }

    /**
     * {@code dst = -dst} on the lower 32 bits, zero-extending the result.
     *
     * @param dst the register to negate
     * @return this builder
     */
    public final Asm neg32(Register dst) {
        return emit(ALU | NEG | K, reg(dst, "dst"), 0, 0, 0);
    }

    /**
     * {@code dst = (u32) (s32) (sN) src}: 32-bit move with sign extension from the lower
     * {@code bits} of src, zero-extending the result.
     *
     * @param dst the destination register
     * @param src the source register
     * @param bits 8 or 16
     * @return this builder
     */
    public final Asm movsx32(Register dst, Register src, int bits) {
        if (bits != 8 && bits != 16) {
            throw new IllegalArgumentException("bits: " + bits + " is not 8 or 16");
        }
        return emit(ALU | MOV | X, reg(dst, "dst"), reg(src, "src"), bits, 0);
    }

    /**
     * Converts the lower {@code width} bits of dst from host to little-endian order and
     * zero-extends them ({@code le16}, {@code le32}, {@code le64}); on a little-endian machine
     * only the truncation is visible.
     *
     * @param dst the register
     * @param width 16, 32 or 64
     * @return this builder
     */
    public final Asm le(Register dst, int width) {
        return emit(ALU | END | TO_LE, reg(dst, "dst"), 0, 0, checkWidth(width));
    }

    /**
     * Converts the lower {@code width} bits of dst from host to big-endian order and
     * zero-extends them ({@code be16}, {@code be32}, {@code be64}).
     *
     * @param dst the register
     * @param width 16, 32 or 64
     * @return this builder
     */
    public final Asm be(Register dst, int width) {
        return emit(ALU | END | TO_BE, reg(dst, "dst"), 0, 0, checkWidth(width));
    }
}
