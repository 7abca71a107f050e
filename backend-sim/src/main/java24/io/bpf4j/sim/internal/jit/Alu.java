package io.bpf4j.sim.internal.jit;

import static java.lang.constant.ConstantDescs.CD_int;
import static java.lang.constant.ConstantDescs.CD_long;

import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Label;
import java.lang.classfile.Opcode;
import java.lang.constant.ClassDesc;
import java.lang.constant.MethodTypeDesc;

/**
 * The ALU and conditional-jump instructions of {@link Emitter}: each the bytecode of the
 * interpreter's {@code case}, with the registers in {@code long} locals, and the interpreter's
 * own static methods for division, sign extension and byte swaps.
 */
final class Alu {
    private static final ClassDesc INTERP = ClassDesc.of("io.bpf4j.sim.internal.vm.Interpreter");
    private static final ClassDesc LONGS = ClassDesc.of("java.lang.Long");
    private static final ClassDesc INTS = ClassDesc.of("java.lang.Integer");
    private static final MethodTypeDesc JJI_J = MethodTypeDesc.of(CD_long, CD_long, CD_long, CD_int);
    private static final MethodTypeDesc III_J = MethodTypeDesc.of(CD_long, CD_int, CD_int, CD_int);
    private static final MethodTypeDesc JI_J = MethodTypeDesc.of(CD_long, CD_long, CD_int);
    private static final MethodTypeDesc JJ_I = MethodTypeDesc.of(CD_int, CD_long, CD_long);
    private static final MethodTypeDesc II_I = MethodTypeDesc.of(CD_int, CD_int, CD_int);
    private static final long M32 = 0xffffffffL;

    private final CodeBuilder b;

    Alu(CodeBuilder b) {
        this.b = b;
    }

    private void ld(int r) {
        b.lload(Emitter.reg(r));
    }

    private void st(int r) {
        b.lstore(Emitter.reg(r));
    }

    private void lconst(long v) {
        b.loadConstant(v);
    }

    private void iconst(int v) {
        b.loadConstant(v);
    }

    private void zext() {
        b.i2l();
        lconst(M32);
        b.land();
    }

    void alu64(int op, int c, int d, int s, long imm) {
        boolean x = (op & 8) != 0;
        int hi = op >>> 4;
        switch (hi) {
            case 0x8: ld(d); b.lneg(); st(d); return;
            case 0xb:
                if (x) {
                    ld(s);
                    iconst(c);
                    b.invokestatic(INTERP, "movsx64", JI_J);
                } else {
                    lconst(imm);
                }
                st(d);
                return;
            case 0xd:
                ld(d);
                iconst((int) imm);
                b.invokestatic(INTERP, "swap", JI_J);
                st(d);
                return;
            default:
                break;
        }
        ld(d);
        if (hi == 0x6 || hi == 0x7 || hi == 0xc) {
            if (x) {
                ld(s);
                b.l2i();
            } else {
                iconst((int) imm);
            }
        } else if (x) {
            ld(s);
        } else {
            lconst(imm);
        }
        switch (hi) {
            case 0x0: b.ladd(); break;
            case 0x1: b.lsub(); break;
            case 0x2: b.lmul(); break;
            case 0x3: iconst(c); b.invokestatic(INTERP, "div64", JJI_J); break;
            case 0x4: b.lor(); break;
            case 0x5: b.land(); break;
            case 0x6: b.lshl(); break;
            case 0x7: b.lushr(); break;
            case 0x9: iconst(c); b.invokestatic(INTERP, "mod64", JJI_J); break;
            case 0xa: b.lxor(); break;
            case 0xc: b.lshr(); break;
            default: throw new IllegalStateException("alu64 " + op);
        }
        st(d);
    }

    void alu32(int op, int c, int d, int s, int imm) {
        boolean x = (op & 8) != 0;
        int hi = op >>> 4;
        switch (hi) {
            case 0x8: ld(d); b.l2i().ineg(); zext(); st(d); return;
            case 0xb:
                if (x) {
                    ld(s);
                    iconst(c);
                    b.invokestatic(INTERP, "movsx32", JI_J);
                } else {
                    lconst(imm & M32);
                }
                st(d);
                return;
            case 0xd:
                ld(d);
                iconst(imm);
                b.invokestatic(INTERP, x ? "swap" : "le", JI_J);
                st(d);
                return;
            default:
                break;
        }
        ld(d);
        b.l2i();
        if (x) {
            ld(s);
            b.l2i();
        } else {
            iconst(imm);
        }
        switch (hi) {
            case 0x0: b.iadd(); break;
            case 0x1: b.isub(); break;
            case 0x2: b.imul(); break;
            case 0x3: iconst(c); b.invokestatic(INTERP, "div32", III_J); st(d); return;
            case 0x4: b.ior(); break;
            case 0x5: b.iand(); break;
            case 0x6: b.ishl(); break;
            case 0x7: b.iushr(); break;
            case 0x9: iconst(c); b.invokestatic(INTERP, "mod32", III_J); st(d); return;
            case 0xa: b.ixor(); break;
            case 0xc: b.ishr(); break;
            default: throw new IllegalStateException("alu32 " + op);
        }
        zext();
        st(d);
    }

    void jump(int op, int d, int s, long imm, Label target) {
        boolean x = (op & 8) != 0;
        boolean wide = (op & 7) == 5;
        int hi = op >>> 4;
        ld(d);
        if (!wide) {
            b.l2i();
        }
        if (x) {
            ld(s);
            if (!wide) {
                b.l2i();
            }
        } else if (wide) {
            lconst(imm);
        } else {
            iconst((int) imm);
        }
        boolean unsigned = hi == 0x2 || hi == 0x3 || hi == 0xa || hi == 0xb;
        if (hi == 0x4) {
            if (wide) {
                b.land();
                lconst(0);
                b.lcmp();
            } else {
                b.iand();
            }
            b.ifne(target);
            return;
        }
        if (wide) {
            if (unsigned) {
                b.invokestatic(LONGS, "compareUnsigned", JJ_I);
            } else {
                b.lcmp();
            }
            b.branch(zeroTest(hi), target);
        } else if (unsigned) {
            b.invokestatic(INTS, "compareUnsigned", II_I);
            b.branch(zeroTest(hi), target);
        } else {
            b.branch(intTest(hi), target);
        }
    }

    /** The test of a comparison's result against zero. */
    private static Opcode zeroTest(int hi) {
        switch (hi) {
            case 0x1: return Opcode.IFEQ;
            case 0x5: return Opcode.IFNE;
            case 0x2: case 0x6: return Opcode.IFGT;
            case 0x3: case 0x7: return Opcode.IFGE;
            case 0xa: case 0xc: return Opcode.IFLT;
            case 0xb: case 0xd: return Opcode.IFLE;
            default: throw new IllegalStateException("jump " + hi);
        }
    }

    private static Opcode intTest(int hi) {
        switch (hi) {
            case 0x1: return Opcode.IF_ICMPEQ;
            case 0x5: return Opcode.IF_ICMPNE;
            case 0x6: return Opcode.IF_ICMPGT;
            case 0x7: return Opcode.IF_ICMPGE;
            case 0xc: return Opcode.IF_ICMPLT;
            case 0xd: return Opcode.IF_ICMPLE;
            default: throw new IllegalStateException("jump32 " + hi);
        }
    }
}
