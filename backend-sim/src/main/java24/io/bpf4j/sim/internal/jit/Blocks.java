package io.bpf4j.sim.internal.jit;

import java.util.BitSet;

/**
 * The basic blocks of a program, as the compiled code takes its instruction budget: a block
 * starts at the first instruction, at every jump target and after every jump, exit, helper
 * call and legacy packet load (those last two may end the run or hand it to another program, so
 * the budget must be exact there).
 *
 * @param leaders the first slot of each block
 * @param length per leader, the instructions of its block ({@code ld_imm64} counting once)
 * @param unexecuted per slot, the instructions of its block after it
 */
record Blocks(BitSet leaders, int[] length, int[] unexecuted) {
    static Blocks of(int[] code, long[] k) {
        int n = code.length;
        BitSet leaders = new BitSet(n + 1);
        leaders.set(0);
        for (int pc = 0; pc < n; pc++) {
            int c = code[pc];
            int op = c & 0xff;
            int cls = op & 7;
            if (op == 0x18) {
                pc++;
            } else if (cls == 0) {
                leaders.set(pc + 1);
            } else if (op == 0x85 || op == 0x95) {
                leaders.set(pc + 1);
                if (op == 0x85 && ((c >>> 12) & 0xf) == 1) {
                    leaders.set(pc + 1 + (int) k[pc]);
                }
            } else if (op == 0x06) {
                leaders.set(pc + 1);
                leaders.set(pc + 1 + (int) k[pc]);
            } else if (cls == 5 || cls == 6) {
                leaders.set(pc + 1);
                leaders.set(pc + 1 + (c >> 16));
            }
        }
        int[] length = new int[n];
        int[] unexecuted = new int[n];
        int pc = 0;
        while (pc < n) {
            int start = pc;
            int count = 0;
            do {
                count++;
                pc += (code[pc] & 0xff) == 0x18 ? 2 : 1;
            } while (pc < n && !leaders.get(pc));
            length[start] = count;
            int after = count;
            for (int q = start; q < pc; q += (code[q] & 0xff) == 0x18 ? 2 : 1) {
                unexecuted[q] = --after;
            }
        }
        return new Blocks(leaders, length, unexecuted);
    }

    boolean starts(int pc) {
        return leaders.get(pc);
    }
}
