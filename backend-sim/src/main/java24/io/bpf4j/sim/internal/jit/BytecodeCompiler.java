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
 * <p>It declines, so that the program runs on the interpreter, what needs frames below the main
 * function or the timed loop: bpf-to-bpf calls, callbacks ({@code ld_imm64} of a subprogram
 * address), {@code callx} and {@code may_goto}; and a program whose code would exceed the size
 * HotSpot compiles (8000 bytes of bytecode), which would run slower than the interpreter.
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
        Blocks blocks = Blocks.of(code, k);
        List<Object> data = new ArrayList<>();
        Emitter e = new Emitter(code, k, helpers, blocks, data);
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

    private static int codeSize(ClassModel m) {
        for (MethodModel mm : m.methods()) {
            if (mm.methodName().equalsString("run")) {
                return mm.findAttribute(java.lang.classfile.Attributes.code()).map(CodeAttribute::codeLength).orElse(0);
            }
        }
        return 0;
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
                        throw new UnsupportedOperationException("it makes bpf-to-bpf calls (pc " + pc + ")");
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
