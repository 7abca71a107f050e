package io.bpf4j.sim.internal.verifier;

import static io.bpf4j.api.asm.Opcodes.*;

import io.bpf4j.sim.internal.prog.Insns;

/**
 * Registers live at each instruction (read on some path before being written), so states that
 * differ only in dead registers prune each other, as the kernel's liveness marks let it.
 */
final class Liveness {
    private Liveness() {
    }

    /** Per instruction, a bit mask of the registers live before it. */
    static int[] of(long[] w) {
        int n = w.length;
        int[] use = new int[n];
        int[] def = new int[n];
        boolean[] second = new boolean[n];
        for (int i = 0; i < n; i++) {
            if (second[i]) continue;
            long x = w[i];
            int d = 1 << Insns.dst(x);
            int s = 1 << Insns.src(x);
            switch (Insns.cls(x)) {
                case ALU:
                case ALU64:
                    def[i] = d;
                    if (Insns.op(x) != MOV) use[i] |= d;
                    if (Insns.srcX(x) && Insns.op(x) != NEG && Insns.op(x) != END) use[i] |= s;
                    break;
                case LDX:
                    def[i] = d;
                    use[i] = s;
                    break;
                case ST:
                    use[i] = d;
                    break;
                case STX:
                    use[i] = d | s;
                    if (Insns.mode(x) == ATOMIC) {
                        int imm = Insns.imm(x);
                        if (imm == CMPXCHG) {
                            use[i] |= 1;
                            def[i] = 1;
                        } else if (imm == LOAD_ACQ) {
                            use[i] = s;
                            def[i] = d;
                        } else if ((imm & FETCH) != 0) {
                            def[i] = s;
                        }
                    }
                    break;
                case LD:
                    if (Insns.isLdImm64(x)) {
                        def[i] = d;
                        if (i + 1 < n) second[i + 1] = true;
                    } else {
                        use[i] = (1 << 6) | (Insns.mode(x) == IND ? s : 0);
                        def[i] = 0b111111;
                    }
                    break;
                default:
                    int o = Insns.op(x);
                    if (o == CALL) {
                        use[i] = 0b111110;
                        def[i] = 0b111111;
                    } else if (o == EXIT) {
                        use[i] = 1;
                    } else if (o != JA) {
                        use[i] = d | (Insns.srcX(x) ? s : 0);
                    }
            }
        }
        int[] live = new int[n];
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int i = n - 1; i >= 0; i--) {
                if (second[i]) continue;
                long x = w[i];
                int out = 0;
                if (Insns.isLdImm64(x)) {
                    if (i + 2 < n) out = live[i + 2];
                } else if (Insns.isJmp(x)) {
                    int o = Insns.op(x);
                    if (o == EXIT) {
                        out = 0;
                    } else if (o == CALL) {
                        if (i + 1 < n) out = live[i + 1];
                    } else {
                        int t = Insns.target(i, x);
                        if (t >= 0 && t < n) out = live[t];
                        if (o != JA && i + 1 < n) out |= live[i + 1];
                    }
                } else if (i + 1 < n) {
                    out = live[i + 1];
                }
                int in = use[i] | (out & ~def[i]);
                if (in != live[i]) {
                    live[i] = in;
                    changed = true;
                }
            }
        }
        return live;
    }
}
