package io.bpf4j.sim.internal.jit;

import static io.bpf4j.api.asm.Opcodes.PSEUDO_FUNC;

import io.bpf4j.sim.internal.vm.CompiledCode;
import io.bpf4j.sim.internal.vm.CompilerView;
import io.bpf4j.sim.internal.vm.ProgramCompiler;
import io.bpf4j.sim.internal.vm.VmHelper;
import io.bpf4j.sim.internal.vm.VmProgram;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.MethodModel;
import java.lang.classfile.attribute.CodeAttribute;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;

/**
 * Compiles a program to one hidden class per program ({@code Lookup.defineHiddenClass}, so it
 * is unloaded with the program) whose {@code run} method holds the registers in {@code long}
 * locals and turns each instruction into straight-line bytecode, jumps into branches to labels;
 * memory goes through the interpreter's checked {@code Memory}, helpers through the same
 * {@code VmHelper} objects (constants of the class, so the JIT can inline them), and the
 * instruction budget is taken per basic block (see {@link CompiledCode}).
 *
 * <p>Each function (the main program, and each target of a bpf-to-bpf call) becomes a method
 * taking its frame depth; a call switches frames as the interpreter does, the registers passing
 * through {@code vm.regs}.
 *
 * <p>It declines, so that the program runs on the interpreter: callbacks ({@code ld_imm64} of a
 * subprogram address, which helpers run in frames of their own), {@code callx} and
 * {@code may_goto} (the timed loop); and a program whose run method would exceed the size HotSpot
 * compiles (8000 bytes of bytecode), which would run slower than the interpreter.
 */
public final class BytecodeCompiler implements ProgramCompiler {
    /** HotSpot's {@code HugeMethodLimit}: larger methods are never JIT-compiled. */
    static final int HUGE_METHOD_LIMIT = 8000;

    /** Looked up by name from the interpreter's package. */
    public BytecodeCompiler() {}

    @Override
    public CompiledCode compile(VmProgram program, MethodHandles.Lookup vmPackage) {
        int[] code = CompilerView.code(program);
        long[] k = CompilerView.constants(program);
        VmHelper[] helpers = CompilerView.helpers(program);
        decline(code, k, helpers);
        int[] functions = functions(code, k);
        Blocks blocks = Blocks.of(code, k);
        List<Object> data = new ArrayList<>();
        Emitter e = new Emitter(code, k, helpers, blocks, data, functions);
        ClassFile cf = ClassFile.of(ClassFile.ClassHierarchyResolverOption.of(
                ClassHierarchyResolver.defaultResolver().orElse(
                        ClassHierarchyResolver.ofClassLoading(vmPackage.lookupClass().getClassLoader()))));
        byte[] bytes;
        try {
            bytes = cf.build(Emitter.THIS, e::emitClass);
        } catch (IllegalArgumentException tooLarge) {
            // A method's code is limited to 64 KiB; far past the size HotSpot compiles anyway.
            throw new UnsupportedOperationException("its bytecode does not fit one method: " + tooLarge.getMessage());
        }
        int size = codeSize(cf.parse(bytes));
        if (size > HUGE_METHOD_LIMIT) {
            throw new UnsupportedOperationException("its bytecode (" + size + " bytes) is above HotSpot's limit of "
                    + HUGE_METHOD_LIMIT + " for compiling a method");
        }
        try {
            MethodHandles.Lookup hidden = vmPackage.defineHiddenClassWithClassData(bytes, List.copyOf(data), true);
            return (CompiledCode) hidden.findConstructor(hidden.lookupClass(),
                    MethodType.methodType(void.class, VmProgram.class, int[].class)).invoke(program, blocks.unexecuted());
        } catch (RuntimeException | Error t) {
            throw t;
        } catch (Throwable t) {
            throw new IllegalStateException("cannot define the compiled program", t);
        }
    }

    /** The largest method's code. */
    private static int codeSize(ClassModel m) {
        int size = 0;
        for (MethodModel mm : m.methods()) {
            size = Math.max(size, mm.findAttribute(java.lang.classfile.Attributes.code()).map(CodeAttribute::codeLength)
                    .orElse(0));
        }
        return size;
    }

    /**
     * The first instruction of each function (the main program and the targets of bpf-to-bpf
     * calls), in order; each becomes a method. Throws when a jump leaves its function, which the
     * kernel's verifier refuses and a method cannot express.
     */
    static int[] functions(int[] code, long[] k) {
        java.util.TreeSet<Integer> starts = new java.util.TreeSet<>();
        starts.add(0);
        for (int pc = 0; pc < code.length; pc++) {
            int c = code[pc];
            if ((c & 0xff) == 0x85 && ((c >>> 12) & 0xf) == 1) {
                starts.add(pc + 1 + (int) k[pc]);
            } else if ((c & 0xff) == 0x18) {
                pc++;
            }
        }
        int[] functions = starts.stream().mapToInt(Integer::intValue).toArray();
        for (int f = 0; f < functions.length; f++) {
            int end = f + 1 < functions.length ? functions[f + 1] : code.length;
            for (int pc = functions[f]; pc < end; pc++) {
                int c = code[pc];
                int op = c & 0xff;
                int cls = op & 7;
                int target = -1;
                if (op == 0x18) {
                    pc++;
                } else if (op == 0x06) {
                    target = pc + 1 + (int) k[pc];
                } else if ((cls == 5 || cls == 6) && op != 0x85 && op != 0x95 && op != 0x8d) {
                    target = pc + 1 + (c >> 16);
                }
                if (target >= 0 && (target < functions[f] || target >= end)) {
                    throw new UnsupportedOperationException("the jump at pc " + pc + " leaves its function");
                }
            }
            int last = end - 1;
            int op = code[last] & 0xff;
            if (op != 0x95 && op != 0x05 && op != 0x06) {
                throw new UnsupportedOperationException("the function at pc " + functions[f] + " runs into the next one");
            }
        }
        return functions;
    }

    /** Throws for what the compiled code does not do; see the class comment. */
    private static void decline(int[] code, long[] k, VmHelper[] helpers) {
        for (int pc = 0; pc < code.length; pc++) {
            int c = code[pc];
            int op = c & 0xff;
            int s = (c >>> 12) & 0xf;
            switch (op) {
                case 0x85:
                    if (s != 0) {
                        break;
                    }
                    if (k[pc] <= 0 || k[pc] >= helpers.length || helpers[(int) k[pc]] == null) {
                        throw new UnsupportedOperationException("it calls helper " + k[pc] + ", which is not bound (pc "
                                + pc + ")");
                    }
                    break;
                case 0x8d:
                    throw new UnsupportedOperationException("it uses callx (pc " + pc + ")");
                case 0xe5:
                    throw new UnsupportedOperationException("it uses may_goto (pc " + pc + ")");
                case 0x18:
                    if (s == PSEUDO_FUNC) {
                        throw new UnsupportedOperationException("it passes callbacks (pc " + pc + ")");
                    }
                    pc++;
                    break;
                default:
                    if (!Emitter.knows(op)) {
                        throw new UnsupportedOperationException("opcode " + Integer.toHexString(op) + " at pc " + pc);
                    }
            }
        }
    }
}
