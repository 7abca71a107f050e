package io.bpf4j.it.fuzz;

import static io.bpf4j.api.asm.Register.R0;
import static io.bpf4j.api.asm.Register.R1;
import static io.bpf4j.api.asm.Register.R2;
import static io.bpf4j.api.asm.Register.R5;
import static io.bpf4j.api.asm.Register.R9;
import static io.bpf4j.api.asm.Register.R10;

import io.bpf4j.api.asm.Asm;
import io.bpf4j.api.asm.Helper;
import io.bpf4j.api.asm.Register;
import io.bpf4j.api.asm.Size;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random valid programs, the same for a given seed whatever the map descriptors are. Layout:
 * r9 points at the 64-byte value of the "in" array map (its bytes are random and unknown to
 * the verifier), r0-r4 and r6-r8 are loaded from it, the 64 stack bytes below r10 are written
 * before anything reads them, r5 is reserved for loop counters. The body mixes ALU32/ALU64
 * (division, signed forms, shifts by register, sign-extending moves, byte swaps), loads and
 * stores of every size on the stack and the map value, atomics on both, forward branches and
 * small bounded loops. The epilogue copies the registers and the stack into the "out" map and
 * returns r6, so the whole 64-bit state is compared, not only the 32-bit retval.
 */
final class ProgGen {
    static final Register[] REGS = {R0, R1, R2, Register.R3, Register.R4, Register.R6, Register.R7, Register.R8};
    static final int OUT_SIZE = 8 * REGS.length + 64;
    static final Size[] SIZES = Size.values();

    private final Random r;
    private final Asm a = new Asm();
    private final List<String[]> pending = new ArrayList<>(); // [label, instructions left before it]
    private int labels;
    /** Whether the program has a 32-bit cmpxchg (see the kernel divergence in conformance/README.md). */
    boolean cmpxchg32;
    /** When set, every 32-bit cmpxchg is followed by {@code w0 = w0} (zero-extends r0). */
    private final boolean zeroExtendAfterCmpxchg32;

    private ProgGen(long seed, boolean zeroExtendAfterCmpxchg32) {
        this.r = new Random(seed);
        this.zeroExtendAfterCmpxchg32 = zeroExtendAfterCmpxchg32;
    }

    /** The program of {@code seed} against these map descriptors. */
    static ProgGen generate(long seed, int inFd, int outFd, boolean zeroExtendAfterCmpxchg32) {
        ProgGen g = new ProgGen(seed, zeroExtendAfterCmpxchg32);
        g.prologue(inFd);
        int n = 10 + g.r.nextInt(70);
        for (int i = 0; i < n; i++) g.body(i < n - 1);
        g.flushLabels(true);
        g.epilogue(outFd);
        return g;
    }

    /** The bytes the "in" map starts with, for this seed. */
    static byte[] input(long seed) {
        byte[] b = new byte[64];
        Random r = new Random(seed ^ 0x5DEECE66DL);
        for (int i = 0; i < 64; i += 8) {
            long v;
            switch (r.nextInt(5)) {
                case 0: v = r.nextInt(16) - 8; break;
                case 1: v = Long.MIN_VALUE; break;
                case 2: v = r.nextInt(); break;
                case 3: v = r.nextInt(70); break;
                default: v = r.nextLong(); break;
            }
            for (int j = 0; j < 8; j++) b[i + j] = (byte) (v >>> (8 * j));
        }
        return b;
    }

    long[] instructions() {
        return a.toArray();
    }

    private void prologue(int inFd) {
        a.stw(R10, -72, 0).mov64(R2, R10).add64(R2, -72).ldMapFd(R1, inFd).call(Helper.MAP_LOOKUP_ELEM)
                .jne(R0, 0, "have_in").mov64(R0, 0).exit().label("have_in").mov64(R9, R0);
        for (int i = REGS.length - 1; i >= 0; i--) a.ldxdw(REGS[i], R9, 8 * i); // r0 last: r9 is a copy
        for (int off = -64; off < 0; off += 8) {
            if (r.nextBoolean()) a.stdw(R10, off, r.nextInt());
            else a.stxdw(R10, off, reg());
        }
    }

    private void epilogue(int outFd) {
        // Spill the registers on the stack below the data, find the out value, copy both there.
        for (int i = 0; i < REGS.length; i++) a.stxdw(R10, -136 + 8 * i, REGS[i]);
        a.stw(R10, -140, 0).mov64(R2, R10).add64(R2, -140).ldMapFd(R1, outFd).call(Helper.MAP_LOOKUP_ELEM)
                .jeq(R0, 0, "no_out");
        for (int off = -136; off < -72; off += 8) a.ldxdw(R1, R10, off).stxdw(R0, off + 136, R1);
        for (int off = -64; off < 0; off += 8) a.ldxdw(R1, R10, off).stxdw(R0, off + 128, R1);
        a.label("no_out").ldxdw(R0, R10, -136 + 8 * 5).exit(); // r6
    }

    private Register reg() {
        return REGS[r.nextInt(REGS.length)];
    }

    private String newLabel() {
        return "L" + labels++;
    }

    private void tick() {
        for (String[] p : pending) p[1] = Integer.toString(Integer.parseInt(p[1]) - 1);
        flushLabels(false);
    }

    private void flushLabels(boolean all) {
        pending.removeIf(p -> {
            if (all || Integer.parseInt(p[1]) <= 0) {
                a.label(p[0]);
                return true;
            }
            return false;
        });
    }

    private void body(boolean mayBranch) {
        int c = r.nextInt(20);
        if (c < 9) {
            alu();
        } else if (c < 12) {
            memory();
        } else if (c < 14) {
            atomic();
        } else if (c < 17 && mayBranch) {
            branch();
        } else if (c < 18 && pending.isEmpty()) {
            loop();
        } else {
            alu();
        }
        tick();
    }

    private void alu() {
        new AluGen(r, a).emit(reg(), reg());
    }

    private void memory() {
        Size s = SIZES[r.nextInt(4)];
        boolean stack = r.nextBoolean();
        Register base = stack ? R10 : R9;
        int slots = 64 / s.bytes();
        int off = (stack ? -64 : 0) + s.bytes() * r.nextInt(slots);
        switch (r.nextInt(4)) {
            case 0 -> a.ldx(s, reg(), base, off);
            case 1 -> {
                if (s == Size.DW) a.ldx(s, reg(), base, off);
                else a.ldxs(s, reg(), base, off);
            }
            case 2 -> a.stx(s, base, off, reg());
            default -> a.st(s, base, off, r.nextInt());
        }
    }

    private void atomic() {
        Size s = r.nextBoolean() ? Size.W : Size.DW;
        boolean stack = r.nextBoolean();
        Register base = stack ? R10 : R9;
        int off = (stack ? -64 : 0) + s.bytes() * r.nextInt(64 / s.bytes());
        int[] ops = {0x00, 0x40, 0x50, 0xa0, 0x01, 0x41, 0x51, 0xa1, 0xe1, 0xf1};
        int op = ops[r.nextInt(ops.length)];
        Register src = reg();
        if (op == 0xf1 && src == R0) src = Register.R6; // cmpxchg: r0 is the expected value
        a.atomic(s, op, base, off, src);
        if (op == 0xf1 && s == Size.W) {
            cmpxchg32 = true;
            if (zeroExtendAfterCmpxchg32) a.mov32(R0, R0);
        }
    }

    private void branch() {
        String l = newLabel();
        new AluGen(r, a).jump(reg(), reg(), l);
        pending.add(new String[] {l, Integer.toString(1 + r.nextInt(8))});
    }

    /** {@code for (r5 = n; r5 != 0; r5--) { a few ALU ops }}: bounded, the verifier walks it. */
    private void loop() {
        String top = newLabel();
        a.mov64(R5, 1 + r.nextInt(6)).label(top);
        int k = 1 + r.nextInt(3);
        for (int i = 0; i < k; i++) alu();
        a.sub64(R5, 1).jne(R5, 0, top);
    }
}
