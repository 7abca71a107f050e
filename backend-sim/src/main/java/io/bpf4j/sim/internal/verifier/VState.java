package io.bpf4j.sim.internal.verifier;

import io.bpf4j.sim.internal.maps.SimMap;
import io.bpf4j.sim.internal.prog.Insns;
import java.util.Arrays;
import java.util.function.UnaryOperator;

/**
 * One path's state ({@code struct bpf_verifier_state}): the running frame's registers and 512-byte
 * stack in 8-byte slots, its callers' frames, references held, and whether the path was reached through a branch the kernel
 * may have proven dead (then a refusal found on it only marks the program unverified).
 */
final class VState {
    static final int SLOTS = 64;

    final Reg[] regs = new Reg[11];
    /** A slot holds a spilled register, or null for bytes the model reads as an unknown scalar. */
    final Reg[] stack = new Reg[SLOTS];
    /** Per stack byte: 0 unknown, 1 known zero, 2 part of a narrow scalar spill the kernel tracks. */
    final byte[] bytes = new byte[SLOTS * 8];
    /** Reference ids held, each with the instruction that acquired it. */
    int[] refs = new int[0];
    int[] refInsns = new int[0];
    /** References were passed where the model cannot follow them (a bpf-to-bpf call). */
    boolean refsUnknown;
    boolean speculative;
    /** The map whose value's spin lock this path holds, null for none, and the id of the pointer that took it. */
    SimMap lockMap;
    int lockId;
    /** {@code may_goto} fall-throughs taken on this path (the kernel's {@code may_goto_depth}). */
    int mayGotoDepth;
    int pc;
    /** The newest state recorded at a prune point on this path (shared with forks). */
    StateStore.Node trail;

    /** The callers' frames, outermost first, while a callee runs; null in the outermost function. */
    Frames.Frame[] callers;
    /** The first instruction of the function this frame runs. */
    int func;

    VState() {
        for (int i = 0; i < regs.length; i++) regs[i] = Reg.notInit();
    }

    /** A state whose registers the caller sets ({@link #copy}): copies are most of the walk's allocation. */
    private VState(boolean unset) {
    }

    VState copy() {
        VState s = new VState(true);
        for (int i = 0; i < regs.length; i++) s.regs[i] = regs[i].copy();
        for (int i = 0; i < SLOTS; i++) s.stack[i] = stack[i] == null ? null : stack[i].copy();
        System.arraycopy(bytes, 0, s.bytes, 0, bytes.length);
        // acquire() and release() replace these arrays and never write into them, so copies share them.
        s.refs = refs;
        s.refInsns = refInsns;
        s.refsUnknown = refsUnknown;
        s.speculative = speculative;
        s.lockMap = lockMap;
        s.lockId = lockId;
        s.mayGotoDepth = mayGotoDepth;
        s.pc = pc;
        s.trail = trail;
        s.func = func;
        if (callers != null) {
            s.callers = new Frames.Frame[callers.length];
            for (int i = 0; i < callers.length; i++) s.callers[i] = callers[i].copy();
        }
        return s;
    }

    void acquire(int id, int insn) {
        refs = Arrays.copyOf(refs, refs.length + 1);
        refInsns = Arrays.copyOf(refInsns, refInsns.length + 1);
        refs[refs.length - 1] = id;
        refInsns[refInsns.length - 1] = insn;
    }

    boolean holds(int id) {
        for (int r : refs) if (r == id) return true;
        return false;
    }

    /** Drops a reference and invalidates every copy of a pointer holding it ({@code release_reference}). */
    void release(int id) {
        int k = -1;
        for (int i = 0; i < refs.length; i++) if (refs[i] == id) k = i;
        if (k >= 0) {
            int[] a = new int[refs.length - 1];
            int[] b = new int[refs.length - 1];
            for (int i = 0, j = 0; i < refs.length; i++) {
                if (i == k) continue;
                a[j] = refs[i];
                b[j++] = refInsns[i];
            }
            refs = a;
            refInsns = b;
        }
        each(r -> r.ref == id ? Reg.notInit() : r);
    }

    /** Rewrites every register and spilled slot, in every frame ({@code bpf_for_each_reg_in_vstate}). */
    void each(UnaryOperator<Reg> f) {
        each(regs, stack, f);
        if (callers != null) for (Frames.Frame c : callers) each(c.regs, c.stack, f);
    }

    private static void each(Reg[] regs, Reg[] stack, UnaryOperator<Reg> f) {
        for (int i = 0; i < regs.length; i++) regs[i] = f.apply(regs[i]);
        for (int i = 0; i < SLOTS; i++) {
            if (stack[i] == null) continue;
            Reg r = f.apply(stack[i]);
            stack[i] = r.type == Reg.NOT_INIT ? null : r;
        }
    }

    /** Forgets what frame {@code frame}'s stack holds: a write the model does not follow may have landed anywhere in it. */
    void forget(int frame) {
        Arrays.fill(stackOf(frame), Reg.any());
        Arrays.fill(bytesOf(frame), (byte) 0);
    }

    /** The largest id in use in any frame. */
    int maxId() {
        int max = 0;
        for (Reg r : regs) max = Math.max(max, r.id);
        for (Reg r : stack) if (r != null) max = Math.max(max, r.id);
        if (callers != null) {
            for (Frames.Frame c : callers) {
                for (Reg r : c.regs) max = Math.max(max, r.id);
                for (Reg r : c.stack) if (r != null) max = Math.max(max, r.id);
            }
        }
        return max;
    }

    /** The frame number of the running function (0 for the outermost). */
    int depth() {
        return callers == null ? 0 : callers.length;
    }

    /** The spilled slots of frame {@code frame}. */
    Reg[] stackOf(int frame) {
        return frame == depth() ? stack : callers[frame].stack;
    }

    /** The stack bytes' marks of frame {@code frame}. */
    byte[] bytesOf(int frame) {
        return frame == depth() ? bytes : callers[frame].bytes;
    }

    /** The function frame {@code frame} runs. */
    int funcOf(int frame) {
        return frame == depth() ? func : callers[frame].func;
    }

    private boolean callersSame(VState s) {
        if (depth() != s.depth()) return false;
        for (int i = 0; i < depth(); i++) if (!callers[i].same(s.callers[i])) return false;
        return true;
    }

    private boolean callersCover(VState s) {
        if (depth() != s.depth()) return false;
        for (int i = 0; i < depth(); i++) if (!callers[i].covers(s.callers[i])) return false;
        return true;
    }

    static boolean stackSame(Reg[] a, byte[] ab, Reg[] b, byte[] bb) {
        if (!Arrays.equals(ab, bb)) return false;
        for (int i = 0; i < SLOTS; i++) {
            if ((a[i] == null) != (b[i] == null)) return false;
            if (a[i] != null && !a[i].same(b[i])) return false;
        }
        return true;
    }

    /** Whether the old stack {@code a} covers {@code b}. */
    static boolean stackCovers(Reg[] a, byte[] ab, Reg[] b, byte[] bb) {
        for (int i = 0; i < SLOTS; i++) {
            Reg o = a[i];
            for (int k = i * 8; k < i * 8 + 8; k++) if (ab[k] != 0 && ab[k] != bb[k]) return false;
            if (o == null || o.type == Reg.ANY && o.func == 0) continue;
            if (b[i] == null || !o.covers(b[i])) return false;
        }
        return true;
    }

    /** Whether the model holds every value as the kernel does: no unjudged values, no inexact bounds. */
    boolean allExact() {
        for (Reg r : regs) if (r.type == Reg.ANY || r.type == Reg.SCALAR && !r.exact) return false;
        for (Reg r : stack) if (r != null && (r.type == Reg.ANY || r.type == Reg.SCALAR && !r.exact)) return false;
        for (byte b : bytes) if (b == 2) return false;
        if (callers != null) {
            for (Frames.Frame c : callers) {
                for (Reg r : c.regs) if (r.type == Reg.ANY || r.type == Reg.SCALAR && !r.exact) return false;
            }
        }
        return !refsUnknown;
    }

    /** Whether two states are the same ({@code states_equal(..., EXACT)}). */
    boolean same(VState s) {
        // Registers first: they tell most states apart, and are the cheapest to compare.
        for (int i = 0; i < regs.length; i++) if (!regs[i].same(s.regs[i])) return false;
        if (refs.length != s.refs.length || lockMap != s.lockMap) return false;
        return stackSame(stack, bytes, s.stack, s.bytes) && callersSame(s);
    }

    /** Whether this visited state covers {@code s}, so exploring {@code s} would find nothing new. */
    boolean covers(VState s, int live) {
        if (speculative && !s.speculative) return false;
        if (refs.length != s.refs.length || refsUnknown != s.refsUnknown || lockMap != s.lockMap) return false;
        for (int i = 0; i < regs.length; i++) if ((live & (1 << i)) != 0 && !regs[i].covers(s.regs[i])) return false;
        return stackCovers(stack, bytes, s.stack, s.bytes) && callersCover(s);
    }
}
