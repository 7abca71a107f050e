package io.bpf4j.api.asm;

import static io.bpf4j.api.asm.Opcodes.*;

/**
 * The 32-bit conditional jumps of {@link Asm} ({@code BPF_JMP32}), which compare the lower
 * halves of registers; split out to keep files small.
 */
abstract class Jump32Asm extends JumpAsm {
    Jump32Asm() {}

    /**
     * Jumps to {@code label} if {@code dst == imm} (32-bit comparison).
     *
     * @param dst the register to test
     * @param imm the immediate, compared with the lower 32 bits of dst
     * @param label where to jump
     * @return this builder
     */
    public final Asm jeq32(Register dst, int imm, String label) {
        return emitJump(JMP32 | JEQ | K, reg(dst, "dst"), 0, imm, label);
    }

    /**
     * Jumps to {@code label} if {@code dst == src}, comparing the lower 32 bits.
     *
     * @param dst the register to test
     * @param src the register to compare with
     * @param label where to jump
     * @return this builder
     */
    public final Asm jeq32(Register dst, Register src, String label) {
        return emitJump(JMP32 | JEQ | X, reg(dst, "dst"), reg(src, "src"), 0, label);
    }

    /**
     * Jumps to {@code label} if {@code dst != imm} (32-bit comparison).
     *
     * @param dst the register to test
     * @param imm the immediate, compared with the lower 32 bits of dst
     * @param label where to jump
     * @return this builder
     */
    public final Asm jne32(Register dst, int imm, String label) {
        return emitJump(JMP32 | JNE | K, reg(dst, "dst"), 0, imm, label);
    }

    /**
     * Jumps to {@code label} if {@code dst != src}, comparing the lower 32 bits.
     *
     * @param dst the register to test
     * @param src the register to compare with
     * @param label where to jump
     * @return this builder
     */
    public final Asm jne32(Register dst, Register src, String label) {
        return emitJump(JMP32 | JNE | X, reg(dst, "dst"), reg(src, "src"), 0, label);
    }

    /**
     * Jumps to {@code label} if {@code dst > imm, unsigned} (32-bit comparison).
     *
     * @param dst the register to test
     * @param imm the immediate, compared with the lower 32 bits of dst
     * @param label where to jump
     * @return this builder
     */
    public final Asm jgt32(Register dst, int imm, String label) {
        return emitJump(JMP32 | JGT | K, reg(dst, "dst"), 0, imm, label);
    }

    /**
     * Jumps to {@code label} if {@code dst > src, unsigned}, comparing the lower 32 bits.
     *
     * @param dst the register to test
     * @param src the register to compare with
     * @param label where to jump
     * @return this builder
     */
    public final Asm jgt32(Register dst, Register src, String label) {
        return emitJump(JMP32 | JGT | X, reg(dst, "dst"), reg(src, "src"), 0, label);
    }

    /**
     * Jumps to {@code label} if {@code dst >= imm, unsigned} (32-bit comparison).
     *
     * @param dst the register to test
     * @param imm the immediate, compared with the lower 32 bits of dst
     * @param label where to jump
     * @return this builder
     */
    public final Asm jge32(Register dst, int imm, String label) {
        return emitJump(JMP32 | JGE | K, reg(dst, "dst"), 0, imm, label);
    }

    /**
     * Jumps to {@code label} if {@code dst >= src, unsigned}, comparing the lower 32 bits.
     *
     * @param dst the register to test
     * @param src the register to compare with
     * @param label where to jump
     * @return this builder
     */
    public final Asm jge32(Register dst, Register src, String label) {
        return emitJump(JMP32 | JGE | X, reg(dst, "dst"), reg(src, "src"), 0, label);
    }

    /**
     * Jumps to {@code label} if {@code dst < imm, unsigned} (32-bit comparison).
     *
     * @param dst the register to test
     * @param imm the immediate, compared with the lower 32 bits of dst
     * @param label where to jump
     * @return this builder
     */
    public final Asm jlt32(Register dst, int imm, String label) {
        return emitJump(JMP32 | JLT | K, reg(dst, "dst"), 0, imm, label);
    }

    /**
     * Jumps to {@code label} if {@code dst < src, unsigned}, comparing the lower 32 bits.
     *
     * @param dst the register to test
     * @param src the register to compare with
     * @param label where to jump
     * @return this builder
     */
    public final Asm jlt32(Register dst, Register src, String label) {
        return emitJump(JMP32 | JLT | X, reg(dst, "dst"), reg(src, "src"), 0, label);
    }

    /**
     * Jumps to {@code label} if {@code dst <= imm, unsigned} (32-bit comparison).
     *
     * @param dst the register to test
     * @param imm the immediate, compared with the lower 32 bits of dst
     * @param label where to jump
     * @return this builder
     */
    public final Asm jle32(Register dst, int imm, String label) {
        return emitJump(JMP32 | JLE | K, reg(dst, "dst"), 0, imm, label);
    }

    /**
     * Jumps to {@code label} if {@code dst <= src, unsigned}, comparing the lower 32 bits.
     *
     * @param dst the register to test
     * @param src the register to compare with
     * @param label where to jump
     * @return this builder
     */
    public final Asm jle32(Register dst, Register src, String label) {
        return emitJump(JMP32 | JLE | X, reg(dst, "dst"), reg(src, "src"), 0, label);
    }

    /**
     * Jumps to {@code label} if {@code dst > imm, signed} (32-bit comparison).
     *
     * @param dst the register to test
     * @param imm the immediate, compared with the lower 32 bits of dst
     * @param label where to jump
     * @return this builder
     */
    public final Asm jsgt32(Register dst, int imm, String label) {
        return emitJump(JMP32 | JSGT | K, reg(dst, "dst"), 0, imm, label);
    }

    /**
     * Jumps to {@code label} if {@code dst > src, signed}, comparing the lower 32 bits.
     *
     * @param dst the register to test
     * @param src the register to compare with
     * @param label where to jump
     * @return this builder
     */
    public final Asm jsgt32(Register dst, Register src, String label) {
        return emitJump(JMP32 | JSGT | X, reg(dst, "dst"), reg(src, "src"), 0, label);
    }

    /**
     * Jumps to {@code label} if {@code dst >= imm, signed} (32-bit comparison).
     *
     * @param dst the register to test
     * @param imm the immediate, compared with the lower 32 bits of dst
     * @param label where to jump
     * @return this builder
     */
    public final Asm jsge32(Register dst, int imm, String label) {
        return emitJump(JMP32 | JSGE | K, reg(dst, "dst"), 0, imm, label);
    }

    /**
     * Jumps to {@code label} if {@code dst >= src, signed}, comparing the lower 32 bits.
     *
     * @param dst the register to test
     * @param src the register to compare with
     * @param label where to jump
     * @return this builder
     */
    public final Asm jsge32(Register dst, Register src, String label) {
        return emitJump(JMP32 | JSGE | X, reg(dst, "dst"), reg(src, "src"), 0, label);
    }

    /**
     * Jumps to {@code label} if {@code dst < imm, signed} (32-bit comparison).
     *
     * @param dst the register to test
     * @param imm the immediate, compared with the lower 32 bits of dst
     * @param label where to jump
     * @return this builder
     */
    public final Asm jslt32(Register dst, int imm, String label) {
        return emitJump(JMP32 | JSLT | K, reg(dst, "dst"), 0, imm, label);
    }

    /**
     * Jumps to {@code label} if {@code dst < src, signed}, comparing the lower 32 bits.
     *
     * @param dst the register to test
     * @param src the register to compare with
     * @param label where to jump
     * @return this builder
     */
    public final Asm jslt32(Register dst, Register src, String label) {
        return emitJump(JMP32 | JSLT | X, reg(dst, "dst"), reg(src, "src"), 0, label);
    }

    /**
     * Jumps to {@code label} if {@code dst <= imm, signed} (32-bit comparison).
     *
     * @param dst the register to test
     * @param imm the immediate, compared with the lower 32 bits of dst
     * @param label where to jump
     * @return this builder
     */
    public final Asm jsle32(Register dst, int imm, String label) {
        return emitJump(JMP32 | JSLE | K, reg(dst, "dst"), 0, imm, label);
    }

    /**
     * Jumps to {@code label} if {@code dst <= src, signed}, comparing the lower 32 bits.
     *
     * @param dst the register to test
     * @param src the register to compare with
     * @param label where to jump
     * @return this builder
     */
    public final Asm jsle32(Register dst, Register src, String label) {
        return emitJump(JMP32 | JSLE | X, reg(dst, "dst"), reg(src, "src"), 0, label);
    }

    /**
     * Jumps to {@code label} if {@code (dst & imm) != 0} (32-bit comparison).
     *
     * @param dst the register to test
     * @param imm the immediate, compared with the lower 32 bits of dst
     * @param label where to jump
     * @return this builder
     */
    public final Asm jset32(Register dst, int imm, String label) {
        return emitJump(JMP32 | JSET | K, reg(dst, "dst"), 0, imm, label);
    }

    /**
     * Jumps to {@code label} if {@code (dst & src) != 0}, comparing the lower 32 bits.
     *
     * @param dst the register to test
     * @param src the register to compare with
     * @param label where to jump
     * @return this builder
     */
    public final Asm jset32(Register dst, Register src, String label) {
        return emitJump(JMP32 | JSET | X, reg(dst, "dst"), reg(src, "src"), 0, label);
    }
}
