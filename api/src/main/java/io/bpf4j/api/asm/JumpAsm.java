package io.bpf4j.api.asm;

import static io.bpf4j.api.asm.Opcodes.*;

import java.util.Objects;

/**
 * The jumps, calls and exit of {@link Asm}, split out to keep files small. Conditional
 * jumps here compare whole registers ({@code BPF_JMP}); {@link Jump32Asm} has the 32-bit ones. Targets are labels, resolved by {@link #toArray()}.
 */
abstract class JumpAsm extends Alu32Asm {
    JumpAsm() {}

    /**
     * Jumps to {@code label} unconditionally with a 16-bit offset ({@code BPF_JMP | BPF_JA}).
     *
     * @param label where to jump
     * @return this builder
     */
    public final Asm ja(String label) {
        return emitJump(JMP | JA, 0, 0, 0, label);
    }

    /**
     * Jumps to {@code label} unconditionally with a 32-bit offset held in {@code imm}
     * ({@code BPF_JMP32 | BPF_JA}, Linux 6.6).
     *
     * @param label where to jump
     * @return this builder
     */
    public final Asm ja32(String label) {
        return emitImmJump(JMP32 | JA, 0, 0, label);
    }

    /**
     * A conditional jump with an immediate operand.
     *
     * @param opcode the whole opcode: {@code JMP} or {@code JMP32}, an operation, {@code K}
     * @param dst the register to test
     * @param imm the immediate
     * @param label where to jump
     * @return this builder
     */
    public final Asm jump(int opcode, Register dst, int imm, String label) {
        return emitJump(checkCond(opcode, K), reg(dst, "dst"), 0, imm, label);
    }

    /**
     * A conditional jump with a register operand.
     *
     * @param opcode the whole opcode: {@code JMP} or {@code JMP32}, an operation, {@code X}
     * @param dst the register to test
     * @param src the register to compare with
     * @param label where to jump
     * @return this builder
     */
    public final Asm jump(int opcode, Register dst, Register src, String label) {
        return emitJump(checkCond(opcode, X), reg(dst, "dst"), reg(src, "src"), 0, label);
    }

    private static int checkCond(int opcode, int source) {
        int cls = cls(opcode);
        int op = op(opcode);
        boolean cond = Syntax.JMP_NAMES[op >> 4] != null;
        if ((cls != JMP && cls != JMP32) || !cond || (opcode & ~0xff) != 0 || source(opcode) != source) {
            throw new IllegalArgumentException("opcode: 0x" + Integer.toHexString(opcode)
                    + " is not a conditional jump with source " + (source == K ? "K" : "X"));
        }
        return opcode;
    }

    /**
     * Jumps to {@code label} if {@code dst == imm} (64-bit comparison).
     *
     * @param dst the register to test
     * @param imm the immediate, sign-extended to 64 bits
     * @param label where to jump
     * @return this builder
     */
    public final Asm jeq(Register dst, int imm, String label) {
        return emitJump(JMP | JEQ | K, reg(dst, "dst"), 0, imm, label);
    }

    /**
     * Jumps to {@code label} if {@code dst == src}, comparing the registers.
     *
     * @param dst the register to test
     * @param src the register to compare with
     * @param label where to jump
     * @return this builder
     */
    public final Asm jeq(Register dst, Register src, String label) {
        return emitJump(JMP | JEQ | X, reg(dst, "dst"), reg(src, "src"), 0, label);
    }

    /**
     * Jumps to {@code label} if {@code dst != imm} (64-bit comparison).
     *
     * @param dst the register to test
     * @param imm the immediate, sign-extended to 64 bits
     * @param label where to jump
     * @return this builder
     */
    public final Asm jne(Register dst, int imm, String label) {
        return emitJump(JMP | JNE | K, reg(dst, "dst"), 0, imm, label);
    }

    /**
     * Jumps to {@code label} if {@code dst != src}, comparing the registers.
     *
     * @param dst the register to test
     * @param src the register to compare with
     * @param label where to jump
     * @return this builder
     */
    public final Asm jne(Register dst, Register src, String label) {
        return emitJump(JMP | JNE | X, reg(dst, "dst"), reg(src, "src"), 0, label);
    }

    /**
     * Jumps to {@code label} if {@code dst > imm, unsigned} (64-bit comparison).
     *
     * @param dst the register to test
     * @param imm the immediate, sign-extended to 64 bits
     * @param label where to jump
     * @return this builder
     */
    public final Asm jgt(Register dst, int imm, String label) {
        return emitJump(JMP | JGT | K, reg(dst, "dst"), 0, imm, label);
    }

    /**
     * Jumps to {@code label} if {@code dst > src, unsigned}, comparing the registers.
     *
     * @param dst the register to test
     * @param src the register to compare with
     * @param label where to jump
     * @return this builder
     */
    public final Asm jgt(Register dst, Register src, String label) {
        return emitJump(JMP | JGT | X, reg(dst, "dst"), reg(src, "src"), 0, label);
    }

    /**
     * Jumps to {@code label} if {@code dst >= imm, unsigned} (64-bit comparison).
     *
     * @param dst the register to test
     * @param imm the immediate, sign-extended to 64 bits
     * @param label where to jump
     * @return this builder
     */
    public final Asm jge(Register dst, int imm, String label) {
        return emitJump(JMP | JGE | K, reg(dst, "dst"), 0, imm, label);
    }

    /**
     * Jumps to {@code label} if {@code dst >= src, unsigned}, comparing the registers.
     *
     * @param dst the register to test
     * @param src the register to compare with
     * @param label where to jump
     * @return this builder
     */
    public final Asm jge(Register dst, Register src, String label) {
        return emitJump(JMP | JGE | X, reg(dst, "dst"), reg(src, "src"), 0, label);
    }

    /**
     * Jumps to {@code label} if {@code dst < imm, unsigned} (64-bit comparison).
     *
     * @param dst the register to test
     * @param imm the immediate, sign-extended to 64 bits
     * @param label where to jump
     * @return this builder
     */
    public final Asm jlt(Register dst, int imm, String label) {
        return emitJump(JMP | JLT | K, reg(dst, "dst"), 0, imm, label);
    }

    /**
     * Jumps to {@code label} if {@code dst < src, unsigned}, comparing the registers.
     *
     * @param dst the register to test
     * @param src the register to compare with
     * @param label where to jump
     * @return this builder
     */
    public final Asm jlt(Register dst, Register src, String label) {
        return emitJump(JMP | JLT | X, reg(dst, "dst"), reg(src, "src"), 0, label);
    }

    /**
     * Jumps to {@code label} if {@code dst <= imm, unsigned} (64-bit comparison).
     *
     * @param dst the register to test
     * @param imm the immediate, sign-extended to 64 bits
     * @param label where to jump
     * @return this builder
     */
    public final Asm jle(Register dst, int imm, String label) {
        return emitJump(JMP | JLE | K, reg(dst, "dst"), 0, imm, label);
    }

    /**
     * Jumps to {@code label} if {@code dst <= src, unsigned}, comparing the registers.
     *
     * @param dst the register to test
     * @param src the register to compare with
     * @param label where to jump
     * @return this builder
     */
    public final Asm jle(Register dst, Register src, String label) {
        return emitJump(JMP | JLE | X, reg(dst, "dst"), reg(src, "src"), 0, label);
    }

    /**
     * Jumps to {@code label} if {@code dst > imm, signed} (64-bit comparison).
     *
     * @param dst the register to test
     * @param imm the immediate, sign-extended to 64 bits
     * @param label where to jump
     * @return this builder
     */
    public final Asm jsgt(Register dst, int imm, String label) {
        return emitJump(JMP | JSGT | K, reg(dst, "dst"), 0, imm, label);
    }

    /**
     * Jumps to {@code label} if {@code dst > src, signed}, comparing the registers.
     *
     * @param dst the register to test
     * @param src the register to compare with
     * @param label where to jump
     * @return this builder
     */
    public final Asm jsgt(Register dst, Register src, String label) {
        return emitJump(JMP | JSGT | X, reg(dst, "dst"), reg(src, "src"), 0, label);
    }

    /**
     * Jumps to {@code label} if {@code dst >= imm, signed} (64-bit comparison).
     *
     * @param dst the register to test
     * @param imm the immediate, sign-extended to 64 bits
     * @param label where to jump
     * @return this builder
     */
    public final Asm jsge(Register dst, int imm, String label) {
        return emitJump(JMP | JSGE | K, reg(dst, "dst"), 0, imm, label);
    }

    /**
     * Jumps to {@code label} if {@code dst >= src, signed}, comparing the registers.
     *
     * @param dst the register to test
     * @param src the register to compare with
     * @param label where to jump
     * @return this builder
     */
    public final Asm jsge(Register dst, Register src, String label) {
        return emitJump(JMP | JSGE | X, reg(dst, "dst"), reg(src, "src"), 0, label);
    }

    /**
     * Jumps to {@code label} if {@code dst < imm, signed} (64-bit comparison).
     *
     * @param dst the register to test
     * @param imm the immediate, sign-extended to 64 bits
     * @param label where to jump
     * @return this builder
     */
    public final Asm jslt(Register dst, int imm, String label) {
        return emitJump(JMP | JSLT | K, reg(dst, "dst"), 0, imm, label);
    }

    /**
     * Jumps to {@code label} if {@code dst < src, signed}, comparing the registers.
     *
     * @param dst the register to test
     * @param src the register to compare with
     * @param label where to jump
     * @return this builder
     */
    public final Asm jslt(Register dst, Register src, String label) {
        return emitJump(JMP | JSLT | X, reg(dst, "dst"), reg(src, "src"), 0, label);
    }

    /**
     * Jumps to {@code label} if {@code dst <= imm, signed} (64-bit comparison).
     *
     * @param dst the register to test
     * @param imm the immediate, sign-extended to 64 bits
     * @param label where to jump
     * @return this builder
     */
    public final Asm jsle(Register dst, int imm, String label) {
        return emitJump(JMP | JSLE | K, reg(dst, "dst"), 0, imm, label);
    }

    /**
     * Jumps to {@code label} if {@code dst <= src, signed}, comparing the registers.
     *
     * @param dst the register to test
     * @param src the register to compare with
     * @param label where to jump
     * @return this builder
     */
    public final Asm jsle(Register dst, Register src, String label) {
        return emitJump(JMP | JSLE | X, reg(dst, "dst"), reg(src, "src"), 0, label);
    }

    /**
     * Jumps to {@code label} if {@code (dst & imm) != 0} (64-bit comparison).
     *
     * @param dst the register to test
     * @param imm the immediate, sign-extended to 64 bits
     * @param label where to jump
     * @return this builder
     */
    public final Asm jset(Register dst, int imm, String label) {
        return emitJump(JMP | JSET | K, reg(dst, "dst"), 0, imm, label);
    }

    /**
     * Jumps to {@code label} if {@code (dst & src) != 0}, comparing the registers.
     *
     * @param dst the register to test
     * @param src the register to compare with
     * @param label where to jump
     * @return this builder
     */
    public final Asm jset(Register dst, Register src, String label) {
        return emitJump(JMP | JSET | X, reg(dst, "dst"), reg(src, "src"), 0, label);
    }

    /**
     * Calls a helper function.
     *
     * @param helper the helper
     * @return this builder
     */
    public final Asm call(Helper helper) {
        return emit(JMP | CALL, 0, 0, 0, Objects.requireNonNull(helper, "helper").id());
    }

    /**
     * Calls a helper function by number, e.g. one newer than {@link Helper} or a test helper.
     *
     * @param helperId the helper id
     * @return this builder
     */
    public final Asm call(int helperId) {
        return emit(JMP | CALL, 0, 0, 0, helperId);
    }

    /**
     * Calls the local function (BPF-to-BPF call) starting at {@code label}: it gets its own
     * stack frame, {@code r1}..{@code r5} as arguments, and {@code r6}..{@code r9} are preserved.
     *
     * @param label the first instruction of the function
     * @return this builder
     */
    public final Asm callLocal(String label) {
        return emitImmJump(JMP | CALL, 0, PSEUDO_CALL, label);
    }

    /**
     * Calls a kernel function (kfunc) by its BTF id.
     *
     * @param btfId the BTF id of the function in vmlinux
     * @return this builder
     */
    public final Asm callKfunc(int btfId) {
        return emit(JMP | CALL, 0, PSEUDO_KFUNC_CALL, 0, btfId);
    }

    /**
     * Returns from the current function; from the main program, ends it with {@code r0} as result.
     *
     * @return this builder
     */
    public final Asm exit() {
        return emit(JMP | EXIT, 0, 0, 0, 0);
    }
}
