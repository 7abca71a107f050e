package io.bpf4j.sim.internal.verifier;

import static io.bpf4j.api.asm.Opcodes.*;

import io.bpf4j.api.Errno;
import io.bpf4j.sim.internal.prog.Insns;
import java.util.ArrayDeque;

/**
 * Jumps, calls and exits ({@code check_cond_jmp_op}, {@code is_branch_taken},
 * {@code reg_set_min_max}, {@code mark_ptr_or_null_regs}, {@code find_good_pkt_pointers},
 * {@code check_return_code}).
 */
final class Jumps {
    private Jumps() {
    }

    /** One jump-class instruction; false when the path ended. */
    static boolean step(Verifier v, VState s, long x, ArrayDeque<VState> pending) {
        int o = Insns.op(x);
        if (o == JA) {
            s.pc = Insns.target(s.pc, x);
            return true;
        }
        if (o == CALL) {
            if (Insns.src(x) == PSEUDO_CALL) {
                int callee = s.pc + Insns.imm(x) + 1;
                if (!v.isGlobal(callee)) {
                    Frames.call(v, s, callee);
                    return true;
                }
                SpinLocks.beforeGlobalCall(s);
                globalCall(s);
            } else {
                VState callback = Calls.helper(v, s, Insns.imm(x));
                if (callback != null) pending.push(callback);
            }
            s.pc++;
            return true;
        }
        if (o == EXIT) {
            if (s.callers != null) {
                Frames.exit(v, s);
                return true;
            }
            exit(v, s);
            return false;
        }
        if (o == 0xe0) {
            return mayGoto(v, s, x, pending);
        }
        cond(v, s, x, pending);
        return true;
    }

    /**
     * {@code may_goto}: both ways, the fall-through one pass deeper. The kernel ends such loops by
     * pruning a state within an earlier one at another depth, with precision marks that let it
     * ignore counters; this model has no precision marks, so after {@link #MAY_GOTO_PASSES}
     * passes on one path it stops walking the loop body and judges only the way out.
     *
     * @return false when the fall-through is not walked further
     */
    private static boolean mayGoto(Verifier v, VState s, long x, ArrayDeque<VState> pending) {
        VState out = s.copy();
        out.pc = Insns.target(s.pc, x);
        pending.push(out);
        s.pc++;
        if (++s.mayGotoDepth > MAY_GOTO_PASSES) {
            v.note("may_goto loop bodies walked " + MAY_GOTO_PASSES + " times on a path, not further");
            return false;
        }
        return true;
    }

    /** Passes through one path's {@code may_goto}s whose loop bodies are walked. */
    static final int MAY_GOTO_PASSES = 64;

    /** A call of a global function: the callee is checked on its own; its effects here are not judged. */
    private static void globalCall(VState s) {
        for (int r = 1; r <= 5; r++) {
            Reg g = s.regs[r];
            if (g.type == Reg.STACK) s.forget(g.frame);
            if (g.type == Reg.ANY) for (int f = 0; f <= s.depth(); f++) s.forget(f);
        }
        s.refsUnknown = true;
        Verifier.clobberCall(s);
        s.regs[0] = Reg.any();
    }

    private static void exit(Verifier v, VState s) {
        // A global function must return a scalar, but which functions are global is in BTF the model does not read.
        // A function's exit hands r0 to its caller, which checks it where it reads it.
        if (!v.main) return;
        SpinLocks.atExit(s);
        if (s.refs.length > 0 && !s.refsUnknown) {
            Verifier.reject(Errno.EINVAL, "Unreleased reference id=" + s.refs[0] + " alloc_insn=" + s.refInsns[0]);
        }
        Reg r0 = Verifier.read(s, 0);
        long[] range = Ctx.returnRange(v.type, v.eat);
        if (range == null || r0.type == Reg.ANY) return;
        if (r0.type != Reg.SCALAR) {
            Verifier.reject(Errno.EINVAL, "At program exit the register R0 is not a known value (" + r0.typeName() + ")");
        }
        if (r0.smin < range[0] || r0.smax > range[1]) {
            String has = r0.isConst() ? "has value " + r0.smin : "has smin=" + r0.smin + " smax=" + r0.smax;
            Verifier.reject(Errno.EINVAL, "At program exit the register R0 " + has + " should have been in [" + range[0] + ", "
                    + range[1] + "]", r0.exact);
        }
    }

    private static void cond(Verifier v, VState s, long x, ArrayDeque<VState> pending) {
        boolean is32 = Insns.cls(x) == JMP32;
        int o = Insns.op(x);
        int d = Insns.dst(x);
        Reg dst = Verifier.read(s, d);
        Reg src = Insns.srcX(x) ? Verifier.read(s, Insns.src(x)) : Reg.constant(is32 ? Insns.imm(x) & Reg.U32 : (long) Insns.imm(x));
        int taken = Insns.target(s.pc, x);
        int fall = s.pc + 1;
        if (dst.type == Reg.SCALAR && src.type == Reg.SCALAR) {
            // A branch the values decide changes no state: no copy for the other way.
            int known = scalars(dst, src, o, is32);
            if (known >= 0) {
                if (!dst.isConst() || !src.isConst() || !dst.exact || !src.exact) v.onePath = false;
                s.pc = known == 1 ? taken : fall;
                return;
            }
        }
        v.onePath = false;
        VState other = s.copy();
        other.pc = taken;
        s.pc = fall;
        // Which way the values decide, if they do: 1 taken, 0 not, -1 both.
        int decided = -1;
        boolean kernelMayKnow = false;
        if (dst.type == Reg.ANY || src.type == Reg.ANY) {
            kernelMayKnow = true;
        } else if (dst.type == Reg.SCALAR && src.type == Reg.SCALAR) {
            Reg a = dst;
            Reg b = src;
            // Undecided (scalars() said so above): the kernel may still know with its known bits or 32-bit bounds.
            boolean wide = !is32 || fits32(a, b, o);
            kernelMayKnow = !wide || !a.exact || !b.exact || a.holes || b.holes || o == JSET;
            if (wide) {
                refine(other, d, Insns.srcX(x) ? Insns.src(x) : -1, a, b, o, true);
                refine(s, d, Insns.srcX(x) ? Insns.src(x) : -1, a, b, o, false);
            } else {
                inexact(other, d);
                inexact(s, d);
                if (Insns.srcX(x)) {
                    inexact(other, Insns.src(x));
                    inexact(s, Insns.src(x));
                }
            }
        } else {
            Reg ptr = dst.isPointer() ? dst : src;
            Reg other2 = dst.isPointer() ? src : dst;
            boolean zero = other2.isConst() && other2.umin == 0;
            if (dst.type == Reg.ANY || src.type == Reg.ANY) {
                kernelMayKnow = true;
            } else if (zero && (o == JEQ || o == JNE)) {
                if (ptr.orNull && !is32) {
                    // mark_ptr_or_null_regs(): the equal branch has NULL, the other the pointer.
                    VState isNull = o == JEQ ? other : s;
                    VState notNull = o == JEQ ? s : other;
                    nullCheck(isNull, ptr.id, true);
                    nullCheck(notNull, ptr.id, false);
                } else if (!ptr.orNull && (ptr.type == Reg.MAP_VALUE || ptr.type == Reg.MEM)) {
                    // is_branch_taken(): a pointer reg_not_null() says is never NULL.
                    decided = o == JNE ? 1 : 0;
                }
            } else if (!is32 && dst.isPointer() && src.isPointer()) {
                pkt(v, s, other, dst, src, o);
            }
        }
        if (decided == 1) {
            s.pc = taken;
            return;
        }
        if (decided == 0) return;
        if (kernelMayKnow) {
            s.speculative = true;
            other.speculative = true;
        }
        boolean takenOk = !infeasible(other);
        if (infeasible(s)) {
            // The fall-through cannot happen: continue on the branch instead.
            if (takenOk) copyInto(other, s);
            return;
        }
        if (takenOk) pending.push(other);
    }

    private static void copyInto(VState from, VState to) {
        System.arraycopy(from.regs, 0, to.regs, 0, from.regs.length);
        System.arraycopy(from.stack, 0, to.stack, 0, VState.SLOTS);
        System.arraycopy(from.bytes, 0, to.bytes, 0, from.bytes.length);
        to.refs = from.refs;
        to.refInsns = from.refInsns;
        to.refsUnknown = from.refsUnknown;
        to.speculative = from.speculative;
        to.pc = from.pc;
        to.callers = from.callers;
        to.func = from.func;
    }

    private static boolean infeasible(VState s) {
        for (Reg r : s.regs) if (r.type == Reg.SCALAR && r.empty()) return true;
        return false;
    }

    /** Which way two scalars decide a jump, as {@link #cond} judges them: 1 taken, 0 not, -1 either. */
    private static int scalars(Reg a, Reg b, int o, boolean is32) {
        if (!is32 || fits32(a, b, o)) return decide(a, b, o);
        if (a.isConst() && b.isConst()) return decide32((int) a.umin, (int) b.umin, o) ? 1 : 0;
        return -1;
    }

    /** Whether a 32-bit comparison of these values equals the 64-bit one. */
    private static boolean fits32(Reg a, Reg b, int o) {
        boolean signed = o == JSGT || o == JSGE || o == JSLT || o == JSLE;
        long lim = signed ? 0x7fff_ffffL : Reg.U32;
        return Long.compareUnsigned(a.umax, lim) <= 0 && Long.compareUnsigned(b.umax, lim) <= 0;
    }

    private static void inexact(VState s, int r) {
        Reg g = s.regs[r];
        if (g.type == Reg.SCALAR && !g.isConst()) {
            Reg c = g.copy();
            c.exact = false;
            c.id = 0;
            s.regs[r] = c;
        }
    }

    private static boolean decide32(int a, int b, int o) {
        switch (o) {
            case JEQ: return a == b;
            case JNE: return a != b;
            case JGT: return Integer.compareUnsigned(a, b) > 0;
            case JGE: return Integer.compareUnsigned(a, b) >= 0;
            case JLT: return Integer.compareUnsigned(a, b) < 0;
            case JLE: return Integer.compareUnsigned(a, b) <= 0;
            case JSGT: return a > b;
            case JSGE: return a >= b;
            case JSLT: return a < b;
            case JSLE: return a <= b;
            default: return (a & b) != 0;
        }
    }

    /** {@code is_branch_taken()} on intervals: 1 always, 0 never, -1 unknown. */
    static int decide(Reg a, Reg b, int o) {
        switch (o) {
            case JEQ:
                if (a.isConst() && b.isConst()) return a.umin == b.umin ? 1 : 0;
                if (Long.compareUnsigned(a.umin, b.umax) > 0 || Long.compareUnsigned(a.umax, b.umin) < 0) return 0;
                if (a.smin > b.smax || a.smax < b.smin) return 0;
                return -1;
            case JNE:
                int eq = decide(a, b, JEQ);
                return eq < 0 ? -1 : 1 - eq;
            case JGT:
                if (Long.compareUnsigned(a.umin, b.umax) > 0) return 1;
                if (Long.compareUnsigned(a.umax, b.umin) <= 0) return 0;
                return -1;
            case JGE:
                if (Long.compareUnsigned(a.umin, b.umax) >= 0) return 1;
                if (Long.compareUnsigned(a.umax, b.umin) < 0) return 0;
                return -1;
            case JLT:
                return flip(decide(a, b, JGE));
            case JLE:
                return flip(decide(a, b, JGT));
            case JSGT:
                if (a.smin > b.smax) return 1;
                if (a.smax <= b.smin) return 0;
                return -1;
            case JSGE:
                if (a.smin >= b.smax) return 1;
                if (a.smax < b.smin) return 0;
                return -1;
            case JSLT:
                return flip(decide(a, b, JSGE));
            case JSLE:
                return flip(decide(a, b, JSGT));
            default: // JSET
                if (a.isConst() && b.isConst()) return (a.umin & b.umin) != 0 ? 1 : 0;
                if (b.isConst() && b.umin != 0 && Long.compareUnsigned(a.umax, Long.lowestOneBit(b.umin)) < 0) return 0;
                return -1;
        }
    }

    private static int flip(int d) {
        return d < 0 ? -1 : 1 - d;
    }

    /**
     * {@code reg_set_min_max()} against a constant: narrows the compared register on one branch
     * (and its linked copies). Two variable operands narrow nothing here, so both become inexact.
     */
    private static void refine(VState s, int d, int sr, Reg a, Reg b, int o, boolean taken) {
        if (!b.isConst()) {
            if (!a.isConst()) {
                inexact(s, d);
                if (sr >= 0) inexact(s, sr);
                return;
            }
            // constant op register: narrow the register with the mirrored comparison
            if (sr >= 0) refineConst(s, sr, b, a.umin, mirror(o), taken);
            return;
        }
        refineConst(s, d, a, b.umin, o, taken);
    }

    private static int mirror(int o) {
        switch (o) {
            case JGT: return JLT;
            case JGE: return JLE;
            case JLT: return JGT;
            case JLE: return JGE;
            case JSGT: return JSLT;
            case JSGE: return JSLE;
            case JSLT: return JSGT;
            case JSLE: return JSGE;
            default: return o;
        }
    }

    private static void refineConst(VState s, int r, Reg a, long c, int o, boolean taken) {
        Reg n = a.copy();
        int op = o;
        if (!taken) {
            switch (o) {
                case JEQ: op = JNE; break;
                case JNE: op = JEQ; break;
                case JGT: op = JLE; break;
                case JGE: op = JLT; break;
                case JLT: op = JGE; break;
                case JLE: op = JGT; break;
                case JSGT: op = JSLE; break;
                case JSGE: op = JSLT; break;
                case JSLT: op = JSGE; break;
                case JSLE: op = JSGT; break;
                default: op = -1;
            }
        }
        switch (op) {
            case JEQ: n.umin = n.umax = n.smin = n.smax = c; break;
            case JNE:
                if (n.umin == c) n.umin++;
                if (n.umax == c) n.umax--;
                if (n.smin == c) n.smin++;
                if (n.smax == c) n.smax--;
                break;
            case JGT: n.umin = maxU(n.umin, c + 1); break;
            case JGE: n.umin = maxU(n.umin, c); break;
            case JLT: n.umax = minU(n.umax, c - 1); break;
            case JLE: n.umax = minU(n.umax, c); break;
            case JSGT: n.smin = Math.max(n.smin, c + 1); break;
            case JSGE: n.smin = Math.max(n.smin, c); break;
            case JSLT: n.smax = Math.min(n.smax, c - 1); break;
            case JSLE: n.smax = Math.min(n.smax, c); break;
            default:
                // JSET: the kernel learns known bits the intervals cannot hold.
                n.exact = false;
        }
        n.sync();
        // With holes in its known bits the kernel narrows the bounds further than an interval.
        if (n.holes && !n.isConst()) n.exact = false;
        s.regs[r] = n;
        if (n.id != 0 && !n.empty()) {
            int id = n.id;
            long base = n.delta;
            s.each(g -> {
                if (g == n || g.type != Reg.SCALAR || g.id != id) return g;
                Reg m = g.copy();
                long shift = g.delta - base;
                long lo = n.umin + shift;
                long hi = n.umax + shift;
                boolean wraps = Long.compareUnsigned(lo, hi) > 0 || (shift > 0 && Long.compareUnsigned(hi, n.umax) < 0)
                        || (shift < 0 && Long.compareUnsigned(lo, n.umin) > 0);
                if (wraps) {
                    m.exact = false;
                    return m;
                }
                m.umin = maxU(m.umin, lo);
                m.umax = minU(m.umax, hi);
                m.smin = m.smin;
                m.sync();
                m.exact = m.exact && n.exact;
                return m;
            });
        }
    }

    private static long maxU(long a, long b) {
        return Long.compareUnsigned(a, b) >= 0 ? a : b;
    }

    private static long minU(long a, long b) {
        return Long.compareUnsigned(a, b) <= 0 ? a : b;
    }

    private static void nullCheck(VState s, int id, boolean isNull) {
        s.each(g -> {
            if (!g.orNull || g.id != id) return g;
            if (isNull) return Reg.constant(0);
            Reg m = g.copy();
            m.orNull = false;
            return m;
        });
        if (isNull && s.holds(id)) {
            // A NULL reservation holds nothing.
            s.release(id);
        }
    }

    /**
     * {@code try_match_pkt_pointers()}: a packet pointer compared with the packet end (or a meta
     * pointer with the packet start) proves the bytes before it on the branch where it is not past.
     */
    private static boolean pkt(Verifier v, VState fall, VState taken, Reg dst, Reg src, int o) {
        boolean dataEnd = dst.type == Reg.PACKET && src.type == Reg.PACKET_END || dst.type == Reg.PACKET_META && src.type == Reg.PACKET;
        boolean endData = src.type == Reg.PACKET && dst.type == Reg.PACKET_END || src.type == Reg.PACKET_META && dst.type == Reg.PACKET;
        if (!dataEnd && !endData) return false;
        Reg p = dataEnd ? dst : src;
        // "p <= end" holds on: fall of p > end, taken of p <= end, fall of end < p, taken of end >= p;
        // "p < end" (one more byte) on: fall of p >= end, taken of p < end, fall of end <= p, taken of end > p.
        VState le = null;
        VState lt = null;
        switch (o) {
            case JGT: if (dataEnd) le = fall; else lt = taken; break;
            case JLE: if (dataEnd) le = taken; else lt = fall; break;
            case JGE: if (dataEnd) lt = fall; else le = taken; break;
            case JLT: if (dataEnd) lt = taken; else le = fall; break;
            default: return true;
        }
        if (le != null) good(le, p, p.off);
        if (lt != null) good(lt, p, p.off + 1);
        return true;
    }

    private static void good(VState s, Reg p, long newRange) {
        if (p.off < 0 || newRange <= 0 || newRange > 0xffff) return;
        int id = p.id;
        int t = p.type;
        s.each(g -> {
            if (g.type != t || g.id != id || g.range >= newRange) return g;
            Reg m = g.copy();
            m.range = (int) newRange;
            return m;
        });
    }
}
