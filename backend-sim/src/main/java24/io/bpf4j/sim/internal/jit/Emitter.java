package io.bpf4j.sim.internal.jit;

import static java.lang.constant.ConstantDescs.CD_Throwable;
import static java.lang.constant.ConstantDescs.CD_int;
import static java.lang.constant.ConstantDescs.CD_long;
import static java.lang.constant.ConstantDescs.CD_void;

import io.bpf4j.sim.internal.vm.VmHelper;
import java.lang.classfile.ClassBuilder;
import java.lang.classfile.ClassFile;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Label;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.DynamicConstantDesc;
import java.lang.constant.MethodTypeDesc;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the hidden class of one program: a constructor and {@code long run(Vm)}. Each
 * instruction becomes the bytecode of the interpreter's {@code case} for it, with
 * {@code r[n]} a local; where the interpreter calls a static method of its own (division, byte
 * swaps, sign extension, atomics) the code calls the same method, so the two cannot drift.
 */
final class Emitter {
    private static final String VM_PACKAGE = "io.bpf4j.sim.internal.vm.";
    static final ClassDesc THIS = ClassDesc.of(VM_PACKAGE + "CompiledProgram");
    private static final ClassDesc VM = ClassDesc.of(VM_PACKAGE + "Vm");
    private static final ClassDesc MEMORY = ClassDesc.of(VM_PACKAGE + "Memory");
    private static final ClassDesc HELPER = ClassDesc.of(VM_PACKAGE + "VmHelper");
    private static final ClassDesc PROGRAM = ClassDesc.of(VM_PACKAGE + "VmProgram");
    private static final ClassDesc CODE = ClassDesc.of(VM_PACKAGE + "CompiledCode");
    private static final ClassDesc INTERP = ClassDesc.of(VM_PACKAGE + "Interpreter");
    private static final ClassDesc LONG_ARRAY = CD_long.arrayType();
    private static final ClassDesc INT_ARRAY = CD_int.arrayType();

    private static final MethodTypeDesc LOAD = MethodTypeDesc.of(CD_long, CD_long, CD_int);
    private static final MethodTypeDesc STORE = MethodTypeDesc.of(CD_void, CD_long, CD_int, CD_long);
    private static final MethodTypeDesc CALL = MethodTypeDesc.of(CD_long, VM, CD_long, CD_long, CD_long, CD_long, CD_long);
    private static final MethodTypeDesc ATOMIC = MethodTypeDesc.of(CD_void, LONG_ARRAY, MEMORY, CD_int, CD_int, CD_int,
            CD_int, CD_int);
    private static final MethodTypeDesc PSEUDO = MethodTypeDesc.of(CD_long, CD_int, CD_long, CD_int);
    private static final MethodTypeDesc FAULT = MethodTypeDesc.of(ClassDesc.of("java.lang.RuntimeException"),
            CD_Throwable, CD_int, CODE, VM, CD_long);
    private static final MethodTypeDesc RESUME = MethodTypeDesc.of(CD_long, CODE, VM, CD_int, CD_int);
    private static final MethodTypeDesc SIGNAL = MethodTypeDesc.of(CD_long, VM, CD_int);
    private static final MethodTypeDesc PUSH = MethodTypeDesc.of(CD_void, VM, CD_int);
    private static final MethodTypeDesc POP = MethodTypeDesc.of(CD_void, CODE, VM, CD_int);
    private static final MethodTypeDesc FUNCTION = MethodTypeDesc.of(CD_long, VM, CD_int);

    // Local slots of a function's method: this, the Vm, the frame depth, the Vm's Memory and
    // register array, the budget, r0..r10.
    private static final int VMS = 1;
    private static final int DEPTH = 2;
    private static final int MEM = 3;
    private static final int REGS = 4;
    private static final int LEFT = 5;
    private static final int R0 = 7;
    private static final int PC = R0 + 2 * 11;

    private final int[] code;
    private final long[] k;
    private final VmHelper[] helpers;
    private final Blocks blocks;
    private final List<Object> data;
    private final Map<Integer, Integer> helperSlot = new HashMap<>();
    /** The first instruction of each function, in order: the main program, then the subprograms. */
    private final int[] functions;

    private CodeBuilder b;
    private Label[] at;
    private final List<Fault> faults = new ArrayList<>();
    private final List<Deopt> deopts = new ArrayList<>();
    private Label signal;
    private Label legacyMiss;

    private record Fault(Label start, Label end, int pc) {}

    private record Deopt(Label label, int pc) {}

    Emitter(int[] code, long[] k, VmHelper[] helpers, Blocks blocks, List<Object> data, int[] functions) {
        this.functions = functions;
        this.code = code;
        this.k = k;
        this.helpers = helpers;
        this.blocks = blocks;
        this.data = data;
    }

    /** Whether {@link #insn} has a translation of {@code op} (the compiler checks the rest). */
    static boolean knows(int op) {
        switch (op) {
            case 0x20: case 0x28: case 0x30: case 0x40: case 0x48: case 0x50:
            case 0x61: case 0x69: case 0x71: case 0x79: case 0x81: case 0x89: case 0x91:
            case 0x62: case 0x6a: case 0x72: case 0x7a: case 0x63: case 0x6b: case 0x73: case 0x7b:
            case 0xc3: case 0xdb: case 0xcb: case 0xd3:
            case 0x05: case 0x06: case 0x95:
            case 0xd4: case 0xdc: case 0xd7: case 0x84: case 0x87:
                return true;
            default:
                break;
        }
        int cls = op & 7;
        int hi = op >>> 4;
        if (cls == 4 || cls == 7) {
            return hi <= 0xc && hi != 0x8;
        }
        if (cls == 5 || cls == 6) {
            return (hi >= 1 && hi <= 7) || (hi >= 0xa && hi <= 0xd);
        }
        return false;
    }

    void emitClass(ClassBuilder cb) {
        cb.withFlags(ClassFile.ACC_FINAL | ClassFile.ACC_SUPER);
        cb.withSuperclass(CODE);
        MethodTypeDesc init = MethodTypeDesc.of(CD_void, PROGRAM, INT_ARRAY);
        cb.withMethodBody(ConstantDescs.INIT_NAME, init, ClassFile.ACC_PUBLIC,
                c -> c.aload(0).aload(1).aload(2).invokespecial(CODE, ConstantDescs.INIT_NAME, init).return_());
        cb.withMethodBody("run", FUNCTION, ClassFile.ACC_FINAL,
                c -> c.aload(0).aload(VMS).iload(DEPTH).invokevirtual(THIS, function(0), FUNCTION).lreturn());
        for (int f = 0; f < functions.length; f++) {
            int start = functions[f];
            int end = f + 1 < functions.length ? functions[f + 1] : code.length;
            cb.withMethodBody(function(start), FUNCTION, ClassFile.ACC_FINAL, c -> emitFunction(c, start, end));
        }
    }

    static String function(int start) {
        return "f" + start;
    }

    /** The method of the function at {@code [start, end)}, run in frame {@code depth} (its second argument). */
    private void emitFunction(CodeBuilder cob, int start, int end) {
        // The class file API runs this again, on a new builder, when a branch turns out too long
        // for a short offset: nothing of an earlier pass may be kept but the class data.
        b = cob;
        faults.clear();
        deopts.clear();
        at = new Label[code.length + 1];
        for (int pc = start; pc < end; pc++) {
            if (blocks.starts(pc)) {
                at[pc] = b.newLabel();
            }
        }
        signal = b.newLabel();
        legacyMiss = b.newLabel();
        b.aload(VMS).getfield(VM, "mem", MEMORY).astore(MEM);
        b.aload(VMS).getfield(VM, "regs", LONG_ARRAY).astore(REGS);
        b.aload(VMS).getfield(VM, "left", CD_long).lstore(LEFT);
        for (int r = 0; r <= 10; r++) {
            b.aload(REGS).loadConstant(r).laload().lstore(reg(r));
        }
        for (int pc = start; pc < end; pc++) {
            if (at[pc] != null) {
                b.labelBinding(at[pc]);
                budget(pc);
            }
            if (insn(pc)) {
                pc++;
            }
        }
        stubs();
    }

    static int reg(int r) {
        return R0 + 2 * r;
    }

    private void ld(int r) {
        b.lload(reg(r));
    }

    private void st(int r) {
        b.lstore(reg(r));
    }

    private void lconst(long v) {
        b.loadConstant(v);
    }

    private void iconst(int v) {
        b.loadConstant(v);
    }

    /** A block that the remaining budget cannot cover continues on the interpreter. */
    private void budget(int pc) {
        int n = blocks.length()[pc];
        Label deopt = b.newLabel();
        deopts.add(new Deopt(deopt, pc));
        b.lload(LEFT);
        lconst(n);
        b.lcmp();
        b.iflt(deopt);
        b.lload(LEFT);
        lconst(n);
        b.lsub();
        b.lstore(LEFT);
    }

    private void spill() {
        for (int r = 0; r <= 10; r++) {
            b.aload(REGS).loadConstant(r);
            ld(r);
            b.lastore();
        }
    }

    private void storeLeft() {
        b.aload(VMS).lload(LEFT).putfield(VM, "left", CD_long);
    }

    private void stubs() {
        Label faultCommon = b.newLabel();
        for (Fault f : faults) {
            Label h = b.newLabel();
            b.labelBinding(h);
            iconst(f.pc());
            b.goto_(faultCommon);
            b.exceptionCatchAll(f.start(), f.end(), h);
        }
        if (!faults.isEmpty()) {
            b.labelBinding(faultCommon);
            b.aload(0).aload(VMS).lload(LEFT);
            b.invokestatic(CODE, "fault", FAULT);
            b.athrow();
        }
        Label deoptCommon = b.newLabel();
        for (Deopt d : deopts) {
            b.labelBinding(d.label());
            iconst(d.pc());
            b.goto_(deoptCommon);
        }
        b.labelBinding(deoptCommon);
        b.istore(PC);
        spill();
        storeLeft();
        b.aload(0).aload(VMS).iload(PC).iload(DEPTH).invokestatic(CODE, "resume", RESUME).lreturn();
        b.labelBinding(signal);
        spill();
        b.aload(VMS).iload(DEPTH).invokestatic(CODE, "signal", SIGNAL).lreturn();
        b.labelBinding(legacyMiss);
        b.pop2();
        storeLeft();
        lconst(0);
        b.lreturn();
    }

    /** Emits instruction {@code pc}; returns whether it took two slots. */
    private boolean insn(int pc) {
        int c = code[pc];
        int op = c & 0xff;
        int d = (c >>> 8) & 0xf;
        int s = (c >>> 12) & 0xf;
        int off = c >> 16;
        long imm = k[pc];
        int cls = op & 7;
        switch (op) {
            case 0x18:
                if (s == 0) {
                    lconst(imm);
                } else {
                    Label start = faultStart();
                    b.aload(VMS);
                    iconst(s);
                    lconst(imm);
                    iconst((int) k[pc + 1]);
                    b.invokevirtual(VM, "pseudo", PSEUDO);
                    faultEnd(start, pc);
                }
                st(d);
                return true;
            case 0x95: {
                // Above frame 0 (a subprogram, or a program tail-called from one) the caller
                // reloads r1..r5 as this function left them.
                Label main = b.newLabel();
                b.iload(DEPTH).ifeq(main);
                for (int r = 0; r <= 5; r++) {
                    b.aload(REGS).loadConstant(r);
                    ld(r);
                    b.lastore();
                }
                b.labelBinding(main);
                storeLeft();
                ld(0);
                b.lreturn();
                return false;
            }
            case 0x05:
                b.goto_(at[pc + 1 + off]);
                return false;
            case 0x06:
                b.goto_(at[pc + 1 + (int) imm]);
                return false;
            case 0x85:
                if (s == 0) {
                    call(pc, (int) imm);
                } else {
                    callFunction(pc, pc + 1 + (int) imm);
                }
                return false;
            case 0x61: load(pc, d, s, off, 4, 0); return false;
            case 0x69: load(pc, d, s, off, 2, 0); return false;
            case 0x71: load(pc, d, s, off, 1, 0); return false;
            case 0x79: load(pc, d, s, off, 8, 0); return false;
            case 0x81: load(pc, d, s, off, 4, 32); return false;
            case 0x89: load(pc, d, s, off, 2, 16); return false;
            case 0x91: load(pc, d, s, off, 1, 8); return false;
            case 0x62: store(pc, d, -1, off, 4, imm); return false;
            case 0x6a: store(pc, d, -1, off, 2, imm); return false;
            case 0x72: store(pc, d, -1, off, 1, imm); return false;
            case 0x7a: store(pc, d, -1, off, 8, imm); return false;
            case 0x63: store(pc, d, s, off, 4, 0); return false;
            case 0x6b: store(pc, d, s, off, 2, 0); return false;
            case 0x73: store(pc, d, s, off, 1, 0); return false;
            case 0x7b: store(pc, d, s, off, 8, 0); return false;
            case 0xc3: atomic(pc, c, d, s, (int) imm, 4); return false;
            case 0xdb: atomic(pc, c, d, s, (int) imm, 8); return false;
            case 0xcb: atomic(pc, c, d, s, (int) imm, 2); return false;
            case 0xd3: atomic(pc, c, d, s, (int) imm, 1); return false;
            case 0x20: case 0x28: case 0x30: case 0x40: case 0x48: case 0x50:
                legacy(pc, c, s, (int) imm);
                return false;
            default:
                break;
        }
        Alu alu = new Alu(b);
        if (cls == 7) {
            alu.alu64(op, c, d, s, imm);
        } else if (cls == 4) {
            alu.alu32(op, c, d, s, (int) imm);
        } else {
            alu.jump(op, d, s, imm, at[pc + 1 + off]);
        }
        return false;
    }

    private Label faultStart() {
        Label l = b.newLabel();
        b.labelBinding(l);
        return l;
    }

    private void faultEnd(Label start, int pc) {
        Label end = b.newLabel();
        b.labelBinding(end);
        faults.add(new Fault(start, end, pc));
    }

    private void address(int r, int off) {
        ld(r);
        if (off != 0) {
            lconst(off);
            b.ladd();
        }
    }

    private void load(int pc, int d, int s, int off, int n, int signBits) {
        Label start = faultStart();
        b.aload(MEM);
        address(s, off);
        iconst(n);
        b.invokevirtual(MEMORY, "load", LOAD);
        faultEnd(start, pc);
        switch (signBits) {
            case 32: b.l2i().i2l(); break;
            case 16: b.l2i().i2s().i2l(); break;
            case 8: b.l2i().i2b().i2l(); break;
            default: break;
        }
        st(d);
    }

    private void store(int pc, int d, int s, int off, int n, long imm) {
        Label start = faultStart();
        b.aload(MEM);
        address(d, off);
        iconst(n);
        if (s < 0) {
            lconst(imm);
        } else {
            ld(s);
        }
        b.invokevirtual(MEMORY, "store", STORE);
        faultEnd(start, pc);
    }

    /** The interpreter's own atomic step on the register array, which it reads and writes. */
    private void atomic(int pc, int c, int d, int s, int imm, int n) {
        int[] touched = {0, d, s};
        for (int r : touched) {
            b.aload(REGS).loadConstant(r);
            ld(r);
            b.lastore();
        }
        Label start = faultStart();
        b.aload(REGS).aload(MEM);
        iconst(c);
        iconst(d);
        iconst(s);
        iconst(imm);
        iconst(n);
        b.invokestatic(INTERP, "atomic", ATOMIC);
        faultEnd(start, pc);
        for (int r : touched) {
            b.aload(REGS).loadConstant(r).laload();
            st(r);
        }
    }

    /**
     * A bpf-to-bpf call: the interpreter's frame switch ({@code CompiledCode.push} and
     * {@code pop}) around a call of the callee's method, the registers passing through
     * {@code vm.regs} as they do in the interpreter.
     */
    private void callFunction(int pc, int target) {
        spill();
        storeLeft();
        Label start = faultStart();
        b.aload(VMS).iload(DEPTH).invokestatic(CODE, "push", PUSH);
        b.aload(0).aload(VMS).iload(DEPTH).iconst_1().iadd().invokevirtual(THIS, function(target), FUNCTION);
        faultEnd(start, pc);
        st(0);
        b.aload(0).aload(VMS).iload(DEPTH).invokestatic(CODE, "pop", POP);
        for (int r = 1; r <= 10; r++) {
            b.aload(REGS).loadConstant(r).laload().lstore(reg(r));
        }
        b.aload(VMS).getfield(VM, "left", CD_long).lstore(LEFT);
    }

    private void call(int pc, int id) {
        // Helpers read registers through Vm.register (bpf_tail_call returns r0 as it was), and
        // the frame of their caller through Vm.depth.
        spill();
        storeLeft();
        b.aload(VMS).iload(DEPTH).putfield(VM, "depth", CD_int);
        Label start = faultStart();
        b.ldc(DynamicConstantDesc.ofNamed(ConstantDescs.BSM_CLASS_DATA_AT, ConstantDescs.DEFAULT_NAME, HELPER,
                helperSlot.computeIfAbsent(id, x -> {
                    data.add(helpers[x]);
                    return data.size() - 1;
                })));
        b.aload(VMS);
        for (int r = 1; r <= 5; r++) {
            ld(r);
        }
        b.invokeinterface(HELPER, "call", CALL);
        faultEnd(start, pc);
        st(0);
        b.aload(VMS).getfield(VM, "left", CD_long).lstore(LEFT);
        b.aload(VMS).getfield(VM, "signal", CD_int).ifne(signal);
    }

    private void legacy(int pc, int c, int s, int imm) {
        int n = (c & 0x18) == 0x10 ? 1 : (c & 0x18) == 0x08 ? 2 : 4;
        Label start = faultStart();
        b.aload(VMS);
        iconst(imm);
        if ((c & 0x40) != 0) {
            ld(s);
            b.l2i().iadd();
        }
        b.i2l();
        iconst(n);
        b.invokevirtual(VM, "legacyLoad", LOAD);
        faultEnd(start, pc);
        b.dup2();
        lconst(0);
        b.lcmp();
        b.iflt(legacyMiss);
        st(0);
    }
}
