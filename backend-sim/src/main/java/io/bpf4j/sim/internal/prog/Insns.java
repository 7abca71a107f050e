package io.bpf4j.sim.internal.prog;

import static io.bpf4j.api.asm.Opcodes.*;

/**
 * Field access on the kernel's 64-bit instruction words ({@code struct bpf_insn} read as a
 * little-endian long: opcode, dst:4 src:4, off, imm) and the kernel's table of public opcodes.
 */
final class Insns {
    private static final boolean[] TABLE = new boolean[256];

    static {
        int[] aluOps = {ADD, SUB, AND, OR, LSH, RSH, XOR, MUL, MOV, ARSH, DIV, MOD};
        for (int op : aluOps) {
            for (int src : new int[] {K, X}) {
                TABLE[ALU | op | src] = true;
                TABLE[ALU64 | op | src] = true;
            }
        }
        TABLE[ALU | NEG] = true;
        TABLE[ALU64 | NEG] = true;
        TABLE[ALU | END | TO_BE] = true;
        TABLE[ALU | END | TO_LE] = true;
        TABLE[ALU64 | END | TO_LE] = true;
        int[] jmpOps = {JEQ, JNE, JGT, JLT, JGE, JLE, JSGT, JSLT, JSGE, JSLE, JSET};
        for (int op : jmpOps) {
            for (int src : new int[] {K, X}) {
                TABLE[JMP | op | src] = true;
                TABLE[JMP32 | op | src] = true;
            }
        }
        TABLE[JMP | CALL] = true;
        TABLE[JMP | EXIT] = true;
        TABLE[JMP | JA] = true;
        TABLE[JMP32 | JA] = true;
        TABLE[JMP | 0xe0] = true; // BPF_JCOND (may_goto)
        for (int size : new int[] {B, H, W, DW}) {
            TABLE[STX | ATOMIC | size] = true;
            TABLE[STX | MEM | size] = true;
            TABLE[ST | MEM | size] = true;
            TABLE[LDX | MEM | size] = true;
        }
        for (int size : new int[] {B, H, W}) {
            TABLE[LDX | MEMSX | size] = true;
            TABLE[LD | ABS | size] = true;
            TABLE[LD | IND | size] = true;
        }
        TABLE[LD | IMM | DW] = true;
    }

    private Insns() {
    }

    /** {@code bpf_opcode_in_insntable()}. */
    static boolean known(int code) {
        return TABLE[code & 0xff];
    }

    static int code(long w) {
        return (int) w & 0xff;
    }

    static int cls(long w) {
        return (int) w & 0x07;
    }

    static int dst(long w) {
        return (int) (w >>> 8) & 0xf;
    }

    static int src(long w) {
        return (int) (w >>> 12) & 0xf;
    }

    static int off(long w) {
        return (short) (w >>> 16);
    }

    static int imm(long w) {
        return (int) (w >>> 32);
    }

    static int op(long w) {
        return (int) w & 0xf0;
    }

    static int mode(long w) {
        return (int) w & 0xe0;
    }

    static int size(long w) {
        return (int) w & 0x18;
    }

    static boolean srcX(long w) {
        return ((int) w & 0x08) != 0;
    }

    static boolean isLdImm64(long w) {
        return code(w) == LD_IMM64;
    }

    static boolean isJmp(long w) {
        return cls(w) == JMP || cls(w) == JMP32;
    }

    static boolean isPseudoCall(long w) {
        return code(w) == CALL_OP && src(w) == PSEUDO_CALL;
    }

    /** The jump target of a jump instruction ({@code gotol} uses the immediate). */
    static int target(int pc, long w) {
        return code(w) == (JMP32 | JA) ? pc + imm(w) + 1 : pc + off(w) + 1;
    }
}
