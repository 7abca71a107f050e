package io.bpf4j.sim.internal.verifier;

import static io.bpf4j.api.asm.Opcodes.*;

import io.bpf4j.api.Errno;
import io.bpf4j.sim.internal.prog.Insns;

/**
 * ALU instructions on abstract values ({@code check_alu_op}, {@code adjust_reg_min_max_vals},
 * {@code adjust_ptr_min_max_vals}): constants fold exactly, add, subtract, mask and right shift keep
 * interval bounds as the kernel does, and other operations give bounds marked inexact.
 */
final class Alu {
    private static final String[] OPS = {"+=", "-=", "*=", "/=", "|=", "&=", "<<=", ">>=", "neg", "%=", "^=", "=", "s>>=", "endian"};

    private Alu() {
    }

    static void step(Verifier v, VState s, long x) {
        boolean is32 = Insns.cls(x) == ALU;
        int o = Insns.op(x);
        int d = Insns.dst(x);
        if (o == MOV) {
            s.regs[d] = mov(s, x, is32);
            return;
        }
        Reg dst = Verifier.read(s, d);
        if (o == NEG || o == END) {
            if (dst.type == Reg.ANY) return;
            if (dst.isPointer()) {
                s.regs[d] = Reg.unknown(false);
                return;
            }
            if (dst.isConst()) {
                s.regs[d] = Reg.constant(unary(x, is32, dst.umin));
                return;
            }
            Reg r = Reg.unknown(false);
            if (o == END && !is32 || o == END && Insns.srcX(x)) {
                // to_be and bswap: any value of the width
            }
            s.regs[d] = r;
            return;
        }
        Reg src = Insns.srcX(x) ? Verifier.read(s, Insns.src(x))
                : Reg.constant(is32 ? Insns.imm(x) & Reg.U32 : (long) Insns.imm(x));
        if (dst.type == Reg.ANY || src.type == Reg.ANY) {
            s.regs[d] = Reg.any();
            return;
        }
        if (dst.isPointer() && src.isPointer()) {
            if (o == SUB) {
                s.regs[d] = Reg.unknown(false);
                return;
            }
            Verifier.reject(Errno.EACCES, "R" + d + " pointer " + OPS[o >> 4] + " pointer prohibited");
        }
        if (dst.isPointer() || src.isPointer()) {
            s.regs[d] = pointer(v, s, d, dst.isPointer() ? dst : src, dst.isPointer() ? src : dst, dst.isPointer(), o, is32);
            return;
        }
        s.regs[d] = is32 ? scalar32(dst, src, o, x) : scalar64(dst, src, o, x);
    }

    private static Reg mov(VState s, long x, boolean is32) {
        if (!Insns.srcX(x)) return Reg.constant(is32 ? Insns.imm(x) & Reg.U32 : (long) Insns.imm(x));
        int sr = Insns.src(x);
        Reg src = Verifier.read(s, sr);
        int sx = Insns.off(x);
        // A copied function address still names its function.
        if (src.type == Reg.ANY) return sx == 0 && !is32 ? src.copy() : Reg.any();
        if (sx != 0) {
            // Sign-extending part of a pointer gives a scalar the kernel knows nothing of.
            if (src.isPointer()) return Reg.unknown(false);
            int bits = sx;
            if (src.isConst()) {
                long val = (src.umin << (64 - bits)) >> (64 - bits);
                return Reg.constant(is32 ? val & Reg.U32 : val);
            }
            Reg r = Reg.unknown(false);
            if (!is32) {
                r.smin = -(1L << (bits - 1));
                r.smax = (1L << (bits - 1)) - 1;
                r.sync();
            } else {
                r.umax = Reg.U32;
                r.sync();
            }
            return r;
        }
        if (!is32) {
            if (src.type == Reg.SCALAR && !src.isConst() && src.id == 0) src.id = nextLink(s);
            return src.copy();
        }
        if (src.isPointer()) return Reg.unknown(false);
        if (src.isConst()) return Reg.constant(src.umin & Reg.U32);
        if (Long.compareUnsigned(src.umax, Reg.U32) <= 0) {
            if (src.id == 0) src.id = nextLink(s);
            return src.copy();
        }
        Reg r = Reg.unknown(false);
        r.umax = Reg.U32;
        r.sync();
        return r;
    }

    /** A link id unused in this state (ids from the verifier's counter could collide across functions; the state is enough). */
    private static int nextLink(VState s) {
        return s.maxId() + 1 + 1_000_000;
    }

    private static long unary(long x, boolean is32, long val) {
        if (Insns.op(x) == NEG) return is32 ? (-val) & Reg.U32 : -val;
        int bits = Insns.imm(x);
        boolean swap = !is32 || Insns.srcX(x);
        long r;
        if (swap) {
            r = bits == 16 ? Short.reverseBytes((short) val) & 0xffffL : bits == 32 ? Integer.reverseBytes((int) val) & Reg.U32 : Long.reverseBytes(val);
        } else {
            r = bits == 16 ? val & 0xffffL : bits == 32 ? val & Reg.U32 : val;
        }
        return r;
    }

    private static Reg pointer(Verifier v, VState s, int d, Reg ptr, Reg off, boolean ptrIsDst, int o, boolean is32) {
        if (is32) {
            if (o == SUB) return Reg.unknown(false);
            Verifier.reject(Errno.EACCES, "R" + d + " 32-bit pointer arithmetic prohibited");
        }
        if (ptr.orNull) {
            Verifier.reject(Errno.EACCES, "R" + d + " pointer arithmetic on " + ptr.typeName() + " prohibited, null-check it first");
        }
        if ((ptr.type == Reg.MAP_PTR && !(off.isConst() && off.umin == 0 && o == ADD)) || ptr.type == Reg.PACKET_END
                || ptr.type == Reg.SOCKET) {
            Verifier.reject(Errno.EACCES, "R" + d + " pointer arithmetic on " + ptr.typeName() + " prohibited");
        }
        if (o == SUB && !ptrIsDst) Verifier.reject(Errno.EACCES, "R" + d + " tried to subtract pointer from scalar");
        if (o == SUB && ptr.type == Reg.STACK) Verifier.reject(Errno.EACCES, "R" + d + " subtraction from stack pointer prohibited");
        if (o == AND || o == OR || o == XOR) {
            Verifier.reject(Errno.EACCES, "R" + d + " bitwise operator " + OPS[o >> 4] + " on pointer prohibited");
        }
        if (o != ADD && o != SUB) {
            Verifier.reject(Errno.EACCES, "R" + d + " pointer arithmetic with " + OPS[o >> 4] + " operator prohibited");
        }
        String what = ptr.typeName();
        sane(off, what, false);
        Reg r = ptr.copy();
        if (off.isConst()) {
            r.off = o == ADD ? ptr.off + off.umin : ptr.off - off.umin;
            sane(r, what, true);
            return r;
        }
        if (ptr.type == Reg.STACK || ptr.type == Reg.CTX) {
            if (ptr.type == Reg.STACK) {
                // Writes through a variable stack offset may land on any slot.
                s.forget(ptr.frame);
                v.note("variable offset into the stack");
            }
            return Reg.any();
        }
        Reg var = o == ADD ? add(ptr, off) : sub(ptr, off);
        r.umin = var.umin;
        r.umax = var.umax;
        r.smin = var.smin;
        r.smax = var.smax;
        r.exact = ptr.exact && off.exact;
        sane(r, what, true);
        if (ptr.type == Reg.PACKET || ptr.type == Reg.PACKET_META) {
            r.id = v.newId();
            r.range = 0;
        }
        return r;
    }

    private static final long MAX_VAR_OFF = 1L << 29;

    /** {@code check_reg_sane_offset()}: offsets a pointer may not reach, on the scalar added and on the result. */
    private static void sane(Reg r, String what, boolean pointer) {
        if (!pointer && r.isConst() && (r.smin >= MAX_VAR_OFF || r.smin <= -MAX_VAR_OFF)) {
            Verifier.reject(Errno.EINVAL, "math between " + what + " pointer and " + r.smin + " is not allowed");
        }
        if (pointer && (r.off >= MAX_VAR_OFF || r.off <= -MAX_VAR_OFF)) {
            Verifier.reject(Errno.EINVAL, what + " pointer offset " + r.off + " is not allowed");
        }
        if (r.smin == Long.MIN_VALUE) {
            Verifier.reject(Errno.EINVAL, "math between " + what + " pointer and register with unbounded min value is not allowed", r.exact);
        }
        if (r.smin >= MAX_VAR_OFF || r.smin <= -MAX_VAR_OFF) {
            Verifier.reject(Errno.EINVAL, "value " + r.smin + " makes " + what + " pointer be out of bounds", r.exact);
        }
    }

    /** Interval addition with the kernel's overflow rule: a bound that may wrap becomes unbounded. */
    static Reg add(Reg a, Reg b) {
        Reg r = Reg.unknown(a.exact && b.exact);
        r.holes = a.holes || b.holes;
        long lo = a.umin + b.umin;
        long hi = a.umax + b.umax;
        if (Long.compareUnsigned(lo, a.umin) >= 0 && Long.compareUnsigned(hi, a.umax) >= 0) {
            r.umin = lo;
            r.umax = hi;
        }
        long slo = a.smin + b.smin;
        long shi = a.smax + b.smax;
        if (!(((a.smin ^ slo) & (b.smin ^ slo)) < 0 || ((a.smax ^ shi) & (b.smax ^ shi)) < 0)) {
            r.smin = slo;
            r.smax = shi;
        }
        r.sync();
        return r;
    }

    private static Reg sub(Reg a, Reg b) {
        Reg r = Reg.unknown(a.exact && b.exact);
        r.holes = a.holes || b.holes;
        if (Long.compareUnsigned(a.umin, b.umax) >= 0) {
            r.umin = a.umin - b.umax;
            r.umax = a.umax - b.umin;
        }
        long slo = a.smin - b.smax;
        long shi = a.smax - b.smin;
        if (!(((a.smin ^ b.smax) & (a.smin ^ slo)) < 0 || ((a.smax ^ b.smin) & (a.smax ^ shi)) < 0)) {
            r.smin = slo;
            r.smax = shi;
        }
        r.sync();
        return r;
    }

    private static boolean lowMask(long c) {
        return c >= 0 && (c & (c + 1)) == 0;
    }

    private static Reg scalar64(Reg a, Reg b, int o, long x) {
        if (a.isConst() && b.isConst() && kernelFolds(o, b.umin, false)) return Reg.constant(fold64(a.umin, b.umin, o, Insns.off(x) == 1));
        Reg r;
        switch (o) {
            case ADD:
                r = add(a, b);
                link(a, b, r, 1);
                return r;
            case SUB:
                r = sub(a, b);
                link(a, b, r, -1);
                return r;
            case AND:
                Reg c = b.isConst() ? b : a.isConst() ? a : null;
                Reg var = c == b ? a : b;
                r = Reg.unknown(false);
                long hi = Long.compareUnsigned(a.umax, b.umax) < 0 ? a.umax : b.umax;
                if (c != null && Long.compareUnsigned(c.umin & Reg.ones(var.umax), hi) < 0) hi = c.umin & Reg.ones(var.umax);
                r.umin = 0;
                r.umax = hi;
                r.sync();
                r.exact = c != null && var.exact && !var.holes;
                r.holes = c == null || !lowMask(c.umin);
                return r;
            case OR:
                if (b.isConst() && a.umin >= 0 && b.umin >= 0) {
                    // scalar_min_max_or(): at least the larger minimum, at most every bit either may have.
                    r = Reg.unknown(a.exact && !a.holes);
                    r.umin = Math.max(a.umin, b.umin);
                    r.umax = Reg.ones(a.umax) | b.umin;
                    r.holes = true;
                    r.sync();
                    return r;
                }
                return Reg.unknown(false);
            case RSH:
                if (b.isConst() && b.umin >= 0 && b.umin < 64) {
                    r = Reg.unknown(a.exact);
                    r.holes = a.holes;
                    r.umin = a.umin >>> b.umin;
                    r.umax = a.umax >>> b.umin;
                    r.sync();
                    return r;
                }
                return Reg.unknown(false);
            case MUL:
                // scalar_min_max_mul(): products of 32-bit bounded values keep bounds.
                r = Reg.unknown(false);
                if (Long.compareUnsigned(a.umax, Reg.U32) <= 0 && Long.compareUnsigned(b.umax, Reg.U32) <= 0) {
                    r.umin = a.umin * b.umin;
                    r.umax = a.umax * b.umax;
                    r.sync();
                    Reg c2 = b.isConst() ? b : a.isConst() ? a : null;
                    r.exact = a.exact && b.exact && !a.holes && !b.holes && c2 != null;
                    r.holes = c2 == null || (c2.umin & 1) == 0;
                }
                return r;
            case DIV:
            case MOD:
                // Linux 6.18 keeps no bounds through division: a narrower range here would decide
                // branches the kernel walks both ways (and refuses on).
                return Reg.unknown(true);
            default:
                return Reg.unknown(false);
        }
    }

    /** A copy moved by a constant stays linked to its source, as the kernel's {@code BPF_ADD_CONST} ids. */
    private static void link(Reg a, Reg b, Reg r, int sign) {
        if (a.id != 0 && b.isConst() && a.type == Reg.SCALAR) {
            r.id = a.id;
            r.delta = a.delta + sign * b.umin;
        }
    }

    private static Reg scalar32(Reg a, Reg b, int o, long x) {
        if (a.isConst() && b.isConst() && kernelFolds(o, b.umin & Reg.U32, true)) {
            return Reg.constant(fold32((int) a.umin, (int) b.umin, o, Insns.off(x) == 1) & Reg.U32);
        }
        boolean fits = Long.compareUnsigned(a.umax, Reg.U32) <= 0;
        Reg r = Reg.unknown(false);
        r.umax = Reg.U32;
        if (b.isConst()) {
            long c = b.umin & Reg.U32;
            switch (o) {
                case AND:
                    r.umax = fits ? Math.min(a.umax, c & Reg.ones(a.umax)) : c;
                    r.exact = fits && a.exact && !a.holes;
                    r.holes = !lowMask(c) || a.holes;
                    break;
                case RSH:
                    if (c < 32) {
                        r.umin = fits ? a.umin >>> c : 0;
                        r.umax = (fits ? a.umax : Reg.U32) >>> c;
                        r.exact = fits && a.exact;
                    }
                    break;
                case ADD:
                    if (fits && a.umax + c <= Reg.U32) {
                        r.umin = a.umin + c;
                        r.umax = a.umax + c;
                        r.exact = a.exact;
                    }
                    break;
                case SUB:
                    if (fits && a.umin >= c) {
                        r.umin = a.umin - c;
                        r.umax = a.umax - c;
                        r.exact = a.exact;
                    }
                    break;
                default:
            }
        }
        r.sync();
        return r;
    }

    /**
     * Whether Linux 6.18 knows the result of an operation on two constants as a constant: it leaves
     * division, modulo and shifts by the width or more unknown ({@code adjust_scalar_min_max_vals()}),
     * and a constant the kernel lacks would decide branches it walks both ways.
     */
    static boolean kernelFolds(int o, long by, boolean is32) {
        if (o == DIV || o == MOD) return false;
        if (o == LSH || o == RSH || o == ARSH) return Long.compareUnsigned(by, is32 ? 32 : 64) < 0;
        return true;
    }

    static long fold64(long a, long b, int o, boolean signed) {
        switch (o) {
            case ADD: return a + b;
            case SUB: return a - b;
            case MUL: return a * b;
            case DIV:
                if (b == 0) return 0;
                return signed ? (b == -1 ? -a : a / b) : Long.divideUnsigned(a, b);
            case MOD:
                if (b == 0) return a;
                return signed ? (b == -1 ? 0 : a % b) : Long.remainderUnsigned(a, b);
            case OR: return a | b;
            case AND: return a & b;
            case XOR: return a ^ b;
            case LSH: return a << (b & 63);
            case RSH: return a >>> (b & 63);
            case ARSH: return a >> (b & 63);
            default: return 0;
        }
    }

    static long fold32(int a, int b, int o, boolean signed) {
        switch (o) {
            case ADD: return a + b;
            case SUB: return a - b;
            case MUL: return a * b;
            case DIV:
                if (b == 0) return 0;
                return signed ? (b == -1 ? -a : a / b) : Integer.divideUnsigned(a, b);
            case MOD:
                if (b == 0) return a;
                return signed ? (b == -1 ? 0 : a % b) : Integer.remainderUnsigned(a, b);
            case OR: return a | b;
            case AND: return a & b;
            case XOR: return a ^ b;
            case LSH: return a << (b & 31);
            case RSH: return a >>> (b & 31);
            case ARSH: return a >> (b & 31);
            default: return 0;
        }
    }
}
