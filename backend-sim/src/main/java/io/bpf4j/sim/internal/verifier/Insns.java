package io.bpf4j.sim.internal.verifier;

import static io.bpf4j.api.asm.Opcodes.*;

/** Fields of the kernel's 64-bit instruction words ({@code struct bpf_insn} read as a little-endian long). */
final class Insns {
    private Insns() {
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

    /** Access size in bytes. */
    static int bytes(long w) {
        switch ((int) w & 0x18) {
            case B: return 1;
            case H: return 2;
            case W: return 4;
            default: return 8;
        }
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

    static int target(int pc, long w) {
        return code(w) == (JMP32 | JA) ? pc + imm(w) + 1 : pc + off(w) + 1;
    }
}
