package io.bpf4j.sim.internal.vm;

import static io.bpf4j.api.asm.Register.R0;
import static io.bpf4j.api.asm.Register.R1;
import static io.bpf4j.api.asm.Register.R2;

import io.bpf4j.api.asm.Asm;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random programs for {@link EnginesAgreeTest}: a prologue that keeps the context pointer in
 * {@code r9} and gives {@code r0}..{@code r8} random values, a body of random instructions of
 * every kind (forward and backward jumps included, so some loop until their budget runs out),
 * an epilogue that stores {@code r0}..{@code r8} into the context and exits, and up to two
 * subprograms that the main program and they themselves call.
 */
final class ProgramGen {
    private ProgramGen() {}

    /** The context's size: nine registers and room for stores. */
    static final int CTX = 128;

    private static final int[] ALU_OPS = {0x0, 0x1, 0x2, 0x3, 0x4, 0x5, 0x6, 0x7, 0x9, 0xa, 0xc};
    private static final int[] JMP_OPS = {0x1, 0x2, 0x3, 0x4, 0x5, 0x6, 0x7, 0xa, 0xb, 0xc, 0xd};
    private static final int[] ATOMIC_OPS = {0x00, 0x01, 0x40, 0x41, 0x50, 0x51, 0xa0, 0xa1, 0xe1, 0xf1};
    private static final int[] LDX = {0, 0x71, 0x69, 0, 0x61, 0, 0, 0, 0x79};
    private static final int[] LDSX = {0, 0x91, 0x89, 0, 0x81};
    private static final int[] ST = {0, 0x72, 0x6a, 0, 0x62, 0, 0, 0, 0x7a};
    private static final int[] STX = {0, 0x73, 0x6b, 0, 0x63, 0, 0, 0, 0x7b};
    private static final int[] ATOMIC = {0, 0xd3, 0xcb, 0, 0xc3, 0, 0, 0, 0xdb};
    private static final int[] HELPERS = {5, 7, 8};

    static long insn(int op, int dst, int src, int off, int imm) {
        return (op & 0xffL) | (dst & 0xfL) << 8 | (src & 0xfL) << 12 | (off & 0xffffL) << 16 | (long) imm << 32;
    }

    /** The immediate of a call not yet placed: the mark plus the subprogram's number. */
    private static final int CALL_MARK = 0x7fff0000;

    static long[] generate(Random r) {
        int subprograms = r.nextInt(3);
        List<Long> out = new ArrayList<>();
        out.add(insn(0xbf, 9, 1, 0, 0));
        for (int reg = 0; reg <= 8; reg++) {
            if (r.nextBoolean()) {
                long v = r.nextLong();
                out.add(insn(0x18, reg, 0, 0, (int) v));
                out.add(insn(0, 0, 0, 0, (int) (v >>> 32)));
            } else {
                out.add(insn(0xb7, reg, 0, 0, value(r)));
            }
        }
        int n = 10 + r.nextInt(40);
        for (int i = 0; i < n; i++) {
            out.add(body(r, i, n, subprograms));
        }
        for (int reg = 0; reg <= 8; reg++) {
            out.add(insn(0x7b, 9, reg, reg * 8, 0));
        }
        out.add(insn(0x95, 0, 0, 0, 0));
        // Subprograms after the main program, each a body and an exit; they may call each other
        // and themselves (the frames run out then, as they do in the kernel's interpreter).
        int[] starts = new int[subprograms];
        for (int f = 0; f < subprograms; f++) {
            starts[f] = out.size();
            int m = 3 + r.nextInt(12);
            for (int i = 0; i < m; i++) {
                out.add(body(r, i, m, subprograms));
            }
            out.add(insn(0x95, 0, 0, 0, 0));
        }
        long[] code = out.stream().mapToLong(Long::longValue).toArray();
        for (int pc = 0; pc < code.length; pc++) {
            int imm = (int) (code[pc] >> 32);
            if ((code[pc] & 0xffff) == 0x1085 && (imm & 0xffff0000) == CALL_MARK) {
                code[pc] = insn(0x85, 0, 1, 0, starts[imm & 0xffff] - (pc + 1));
            }
        }
        return code;
    }

    private static int value(Random r) {
        switch (r.nextInt(3)) {
            case 0: return r.nextInt(11) - 5;
            case 1: return r.nextInt(256);
            default: return r.nextInt();
        }
    }

    private static int width(Random r) {
        return 1 << r.nextInt(4);
    }

    private static int dst(Random r) {
        return r.nextInt(9);
    }

    private static int src(Random r) {
        return r.nextInt(11);
    }

    /** A base register and an offset inside the stack or the context, now and then anywhere. */
    private static int[] place(Random r, int w) {
        if (r.nextInt(30) == 0) {
            return new int[] {r.nextBoolean() ? 10 : 9, r.nextInt(1200) - 600};
        }
        return r.nextBoolean() ? new int[] {10, -w * (1 + r.nextInt(512 / w))} : new int[] {9, w * r.nextInt(CTX / w)};
    }

    private static long body(Random r, int i, int n, int subprograms) {
        int kind = r.nextInt(100);
        if (kind < 35) {
            int cls = r.nextBoolean() ? 7 : 4;
            int hi = ALU_OPS[r.nextInt(ALU_OPS.length)];
            boolean x = r.nextBoolean();
            int imm = value(r);
            int off = 0;
            if (hi == 0x6 || hi == 0x7 || hi == 0xc) {
                imm = r.nextInt(70);
            }
            if (hi == 0x3 || hi == 0x9) {
                off = r.nextInt(2);
                if (!x && imm == 0) {
                    imm = 3;
                }
            }
            return insn(hi << 4 | (x ? 8 : 0) | cls, dst(r), x ? src(r) : 0, off, x ? 0 : imm);
        }
        if (kind < 45) {
            switch (r.nextInt(4)) {
                case 0: return insn(0xbf, dst(r), src(r), new int[] {0, 8, 16, 32}[r.nextInt(4)], 0);
                case 1: return insn(0xbc, dst(r), src(r), new int[] {0, 8, 16}[r.nextInt(3)], 0);
                case 2: return insn(r.nextBoolean() ? 0x87 : 0x84, dst(r), 0, 0, 0);
                default:
                    return insn(new int[] {0xd4, 0xdc, 0xd7}[r.nextInt(3)], dst(r), 0, 0, 16 << r.nextInt(3));
            }
        }
        if (kind < 65) {
            int w = width(r);
            int[] at = place(r, w);
            switch (r.nextInt(4)) {
                case 0: return insn(LDX[w], dst(r), at[0], at[1], 0);
                case 1: return insn(w == 8 ? LDX[w] : LDSX[w], dst(r), at[0], at[1], 0);
                case 2: return insn(ST[w], at[0], 0, at[1], value(r));
                default: return insn(STX[w], at[0], src(r), at[1], 0);
            }
        }
        if (kind < 73) {
            if (r.nextInt(4) == 0) {
                int w = width(r);
                int[] at = place(r, w);
                boolean acquire = r.nextBoolean();
                return acquire ? insn(ATOMIC[w], dst(r), at[0], at[1], 0x100) : insn(ATOMIC[w], at[0], dst(r), at[1], 0x110);
            }
            int w = r.nextBoolean() ? 4 : 8;
            int[] at = place(r, w);
            if (r.nextInt(20) == 0) {
                at[1] += 2;
            }
            return insn(ATOMIC[w], at[0], dst(r), at[1], ATOMIC_OPS[r.nextInt(ATOMIC_OPS.length)]);
        }
        if (kind < 92) {
            boolean back = r.nextInt(5) == 0;
            int off = back ? -(1 + r.nextInt(Math.min(i + 1, 6))) : r.nextInt(Math.min(5, n - i));
            int pick = r.nextInt(20);
            if (pick == 0) {
                return insn(0x05, 0, 0, off, 0);
            }
            if (pick == 1) {
                return insn(0x06, 0, 0, 0, off);
            }
            int hi = JMP_OPS[r.nextInt(JMP_OPS.length)];
            boolean x = r.nextBoolean();
            int cls = r.nextBoolean() ? 5 : 6;
            return insn(hi << 4 | (x ? 8 : 0) | cls, dst(r), x ? src(r) : 0, off, x ? 0 : value(r));
        }
        if (kind < 96) {
            if (subprograms > 0 && r.nextInt(3) != 0) {
                return insn(0x85, 0, 1, 0, CALL_MARK | r.nextInt(subprograms));
            }
            return insn(0x85, 0, 0, 0, HELPERS[r.nextInt(HELPERS.length)]);
        }
        if (kind < 98 || r.nextInt(4) != 0) {
            return insn(0x95, 0, 0, 0, 0);
        }
        return insn(0x30, 0, 0, 0, r.nextInt(64));
    }

    /** The benchmark's arithmetic loop. */
    static long[] loop() {
        return new Asm().mov64(R0, 0).mov64(R1, 0).mov64(R2, 0x12345).label("loop").add64(R0, R1).xor64(R0, R2)
                .lsh64(R2, 1).add64(R1, 1).jlt(R1, 1000, "loop").mov64(R0, 2).exit().toArray();
    }
}
