package io.bpf4j.it.fuzz;

import io.bpf4j.api.asm.Asm;
import io.bpf4j.api.asm.Register;
import java.util.Random;

/**
 * One random ALU instruction or conditional jump. Immediates stay valid for the verifier:
 * immediate shifts below the width, immediate divisors non-zero; divisions and shifts by a
 * register take whatever the register holds (the ISA defines x/0, x%0 and masks shifts).
 */
final class AluGen {
    private final Random r;
    private final Asm a;

    AluGen(Random r, Asm a) {
        this.r = r;
        this.a = a;
    }

    private int imm() {
        switch (r.nextInt(4)) {
            case 0: return r.nextInt(16) - 8;
            case 1: return r.nextInt();
            case 2: return Integer.MIN_VALUE;
            default: return r.nextInt(100);
        }
    }

    private int nonZeroImm() {
        int v = imm();
        return v == 0 ? -1 : v;
    }

    void emit(Register d, Register s) {
        boolean w64 = r.nextBoolean();
        boolean byReg = r.nextBoolean();
        int op = r.nextInt(17);
        int i = op == 4 || op == 5 || op == 6 || op == 7 ? nonZeroImm() : imm();
        int sh = r.nextInt(w64 ? 64 : 32);
        switch (op) {
            case 0 -> { if (w64) { if (byReg) a.add64(d, s); else a.add64(d, i); } else { if (byReg) a.add32(d, s); else a.add32(d, i); } }
            case 1 -> { if (w64) { if (byReg) a.sub64(d, s); else a.sub64(d, i); } else { if (byReg) a.sub32(d, s); else a.sub32(d, i); } }
            case 2 -> { if (w64) { if (byReg) a.mul64(d, s); else a.mul64(d, i); } else { if (byReg) a.mul32(d, s); else a.mul32(d, i); } }
            case 3 -> { if (w64) { if (byReg) a.xor64(d, s); else a.xor64(d, i); } else { if (byReg) a.xor32(d, s); else a.xor32(d, i); } }
            case 4 -> { if (w64) { if (byReg) a.div64(d, s); else a.div64(d, i); } else { if (byReg) a.div32(d, s); else a.div32(d, i); } }
            case 5 -> { if (w64) { if (byReg) a.sdiv64(d, s); else a.sdiv64(d, i); } else { if (byReg) a.sdiv32(d, s); else a.sdiv32(d, i); } }
            case 6 -> { if (w64) { if (byReg) a.mod64(d, s); else a.mod64(d, i); } else { if (byReg) a.mod32(d, s); else a.mod32(d, i); } }
            case 7 -> { if (w64) { if (byReg) a.smod64(d, s); else a.smod64(d, i); } else { if (byReg) a.smod32(d, s); else a.smod32(d, i); } }
            case 8 -> { if (w64) { if (byReg) a.or64(d, s); else a.or64(d, i); } else { if (byReg) a.or32(d, s); else a.or32(d, i); } }
            case 9 -> { if (w64) { if (byReg) a.and64(d, s); else a.and64(d, i); } else { if (byReg) a.and32(d, s); else a.and32(d, i); } }
            case 10 -> { if (w64) { if (byReg) a.lsh64(d, s); else a.lsh64(d, sh); } else { if (byReg) a.lsh32(d, s); else a.lsh32(d, sh); } }
            case 11 -> { if (w64) { if (byReg) a.rsh64(d, s); else a.rsh64(d, sh); } else { if (byReg) a.rsh32(d, s); else a.rsh32(d, sh); } }
            case 12 -> { if (w64) { if (byReg) a.arsh64(d, s); else a.arsh64(d, sh); } else { if (byReg) a.arsh32(d, s); else a.arsh32(d, sh); } }
            case 13 -> { if (w64) { if (byReg) a.mov64(d, s); else a.mov64(d, i); } else { if (byReg) a.mov32(d, s); else a.mov32(d, i); } }
            case 14 -> { if (w64) a.neg64(d); else a.neg32(d); }
            case 15 -> {
                int bits = new int[] {8, 16, 32}[r.nextInt(3)];
                if (w64) a.movsx64(d, s, bits);
                else a.movsx32(d, s, bits == 32 ? 16 : bits);
            }
            default -> {
                int width = new int[] {16, 32, 64}[r.nextInt(3)];
                switch (r.nextInt(3)) {
                    case 0 -> a.bswap(d, width);
                    case 1 -> a.le(d, width);
                    default -> a.be(d, width);
                }
            }
        }
    }

    void jump(Register d, Register s, String label) {
        boolean j32 = r.nextBoolean();
        boolean byReg = r.nextBoolean();
        int i = imm();
        int op = r.nextInt(11);
        if (j32) {
            switch (op) {
                case 0 -> { if (byReg) a.jeq32(d, s, label); else a.jeq32(d, i, label); }
                case 1 -> { if (byReg) a.jne32(d, s, label); else a.jne32(d, i, label); }
                case 2 -> { if (byReg) a.jgt32(d, s, label); else a.jgt32(d, i, label); }
                case 3 -> { if (byReg) a.jge32(d, s, label); else a.jge32(d, i, label); }
                case 4 -> { if (byReg) a.jlt32(d, s, label); else a.jlt32(d, i, label); }
                case 5 -> { if (byReg) a.jle32(d, s, label); else a.jle32(d, i, label); }
                case 6 -> { if (byReg) a.jsgt32(d, s, label); else a.jsgt32(d, i, label); }
                case 7 -> { if (byReg) a.jsge32(d, s, label); else a.jsge32(d, i, label); }
                case 8 -> { if (byReg) a.jslt32(d, s, label); else a.jslt32(d, i, label); }
                case 9 -> { if (byReg) a.jsle32(d, s, label); else a.jsle32(d, i, label); }
                default -> { if (byReg) a.jset32(d, s, label); else a.jset32(d, i, label); }
            }
        } else {
            switch (op) {
                case 0 -> { if (byReg) a.jeq(d, s, label); else a.jeq(d, i, label); }
                case 1 -> { if (byReg) a.jne(d, s, label); else a.jne(d, i, label); }
                case 2 -> { if (byReg) a.jgt(d, s, label); else a.jgt(d, i, label); }
                case 3 -> { if (byReg) a.jge(d, s, label); else a.jge(d, i, label); }
                case 4 -> { if (byReg) a.jlt(d, s, label); else a.jlt(d, i, label); }
                case 5 -> { if (byReg) a.jle(d, s, label); else a.jle(d, i, label); }
                case 6 -> { if (byReg) a.jsgt(d, s, label); else a.jsgt(d, i, label); }
                case 7 -> { if (byReg) a.jsge(d, s, label); else a.jsge(d, i, label); }
                case 8 -> { if (byReg) a.jslt(d, s, label); else a.jslt(d, i, label); }
                case 9 -> { if (byReg) a.jsle(d, s, label); else a.jsle(d, i, label); }
                default -> { if (byReg) a.jset(d, s, label); else a.jset(d, i, label); }
            }
        }
    }
}
