package io.bpf4j.sim.internal.prog;

import static io.bpf4j.api.asm.Opcodes.*;

/**
 * Field access on the kernel's 64-bit instruction words ({@code struct bpf_insn} read as a
 * little-endian long: opcode, dst:4 src:4, off, imm) and the kernel's table of public opcodes.
 */
public final class Insns {
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

    /**
     * Whether the kernel knows this opcode ({@code bpf_opcode_in_insntable()}).
     *
     * @param code the opcode byte
     * @return true for a public opcode
     */
    public static boolean known(int code) {
        return TABLE[code & 0xff];
    }

    /**
     * The opcode byte.
     *
     * @param w an instruction word
     * @return its opcode
     */
    public static int code(long w) {
        return (int) w & 0xff;
    }

    /**
     * The instruction class (low three bits).
     *
     * @param w an instruction word
     * @return its class
     */
    public static int cls(long w) {
        return (int) w & 0x07;
    }

    /**
     * The destination register.
     *
     * @param w an instruction word
     * @return its dst_reg
     */
    public static int dst(long w) {
        return (int) (w >>> 8) & 0xf;
    }

    /**
     * The source register.
     *
     * @param w an instruction word
     * @return its src_reg
     */
    public static int src(long w) {
        return (int) (w >>> 12) & 0xf;
    }

    /**
     * The signed 16-bit offset.
     *
     * @param w an instruction word
     * @return its off
     */
    public static int off(long w) {
        return (short) (w >>> 16);
    }

    /**
     * The signed 32-bit immediate.
     *
     * @param w an instruction word
     * @return its imm
     */
    public static int imm(long w) {
        return (int) (w >>> 32);
    }

    /**
     * The operation bits (high four).
     *
     * @param w an instruction word
     * @return its operation
     */
    public static int op(long w) {
        return (int) w & 0xf0;
    }

    /**
     * The load/store mode bits.
     *
     * @param w an instruction word
     * @return its mode
     */
    public static int mode(long w) {
        return (int) w & 0xe0;
    }

    /**
     * The load/store size bits.
     *
     * @param w an instruction word
     * @return its size field
     */
    public static int size(long w) {
        return (int) w & 0x18;
    }

    /**
     * Whether the source is a register (BPF_X).
     *
     * @param w an instruction word
     * @return true for BPF_X
     */
    public static boolean srcX(long w) {
        return ((int) w & 0x08) != 0;
    }

    /**
     * Whether this is the first half of an {@code ld_imm64}.
     *
     * @param w an instruction word
     * @return true for {@code ld_imm64}
     */
    public static boolean isLdImm64(long w) {
        return code(w) == LD_IMM64;
    }

    /**
     * Whether this is a jump-class instruction (JMP or JMP32).
     *
     * @param w an instruction word
     * @return true for a jump class
     */
    public static boolean isJmp(long w) {
        return cls(w) == JMP || cls(w) == JMP32;
    }

    /**
     * Whether this is a bpf-to-bpf call.
     *
     * @param w an instruction word
     * @return true for a pseudo call
     */
    public static boolean isPseudoCall(long w) {
        return code(w) == CALL_OP && src(w) == PSEUDO_CALL;
    }

    /**
     * Where a jump lands ({@code gotol} takes its offset from imm).
     *
     * @param pc the jump's index
     * @param w the jump
     * @return the target index
     */
    public static int target(int pc, long w) {
        return code(w) == (JMP32 | JA) ? pc + imm(w) + 1 : pc + off(w) + 1;
    }

    /**
     * The access size in bytes of a load or store.
     *
     * @param w an instruction word
     * @return 1, 2, 4 or 8
     */
    public static int bytes(long w) {
        switch ((int) w & 0x18) {
            case B: return 1;
            case H: return 2;
            case W: return 4;
            default: return 8;
        }
    }
}
