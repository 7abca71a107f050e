package io.bpf4j.sim.internal.vm;

import java.util.Arrays;

/**
 * A program compiled to JVM bytecode: the base of the hidden class a {@link ProgramCompiler}
 * defines in this package, and the slow paths its code calls.
 *
 * <p>The generated {@link #run} keeps {@code r0}..{@code r10} in locals and takes the
 * instruction budget per basic block: {@code vm.left} holds the budget at entry and at exit, and
 * before each helper call. A block the remaining budget cannot cover continues on the
 * interpreter ({@link #resume}), which then stops at exactly the instruction it would have
 * stopped at; a fault credits back the instructions of its block after the faulting one
 * ({@link #fault}), so counts and messages are the interpreter's.
 */
public abstract class CompiledCode {
    final VmProgram program;
    private final int[] unexecuted;

    /**
     * For the generated subclass.
     *
     * @param program the program compiled
     * @param unexecuted per instruction, how many instructions of its basic block follow it
     */
    protected CompiledCode(VmProgram program, int[] unexecuted) {
        this.program = program;
        this.unexecuted = unexecuted;
    }

    /**
     * Runs the program from its first instruction in frame {@code depth} (0, or the frame of a
     * subprogram that made a tail call), with {@code vm}'s registers and remaining budget.
     */
    abstract long run(Vm vm, int depth);

    /** A helper stopped the run inside a subprogram: unwinds the compiled frames to the engine. */
    static final class Stop extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final long value;

        Stop(long value) {
            super(null, null, false, false);
            this.value = value;
        }
    }

    // ---- called by the generated code ----

    /** Ends a run that threw at instruction {@code pc}, with the interpreter's exception. */
    static RuntimeException fault(Throwable t, int pc, CompiledCode code, Vm vm, long left) {
        vm.left = Math.min(left + code.unexecuted[pc], vm.left);
        VmProgram p = code.program;
        if (t instanceof Memory.Fault) {
            return new VmException(pc, p.describe(pc) + ": " + t.getMessage());
        }
        if (t instanceof VmException) {
            VmException e = (VmException) t;
            return e.pc() >= 0 ? e : new VmException(pc, p.describe(pc) + ": " + e.getMessage());
        }
        if (t instanceof RuntimeException) {
            return (RuntimeException) t;
        }
        if (t instanceof Error) {
            throw (Error) t;
        }
        return new IllegalStateException(t);
    }

    /**
     * Continues on the interpreter at {@code pc} until the function running in frame
     * {@code depth} exits, the registers and budget already in {@code vm}.
     */
    static long resume(CompiledCode code, Vm vm, int pc, int depth) {
        return Interpreter.exec(vm, code.program, pc, depth);
    }

    /**
     * After a helper raised a signal: the run's stop value, or the rest of the frame in the tail
     * call's target (which replaces the function in its frame, as in the interpreter).
     */
    static long signal(Vm vm, int depth) {
        if (vm.signal == Vm.SIGNAL_STOP) {
            vm.signal = 0;
            if (depth == 0) {
                return vm.stopValue;
            }
            throw new Stop(vm.stopValue);
        }
        vm.signal = 0;
        VmProgram target = vm.takeTailCall(depth);
        vm.enterFrame(depth);
        return vm.engine.tail(vm, target, depth);
    }

    /** A bpf-to-bpf call from frame {@code depth}: the interpreter's frame switch, registers in {@code vm.regs}. */
    static void push(Vm vm, int depth) {
        if (depth + 1 >= Memory.MAX_FRAMES) {
            throw new VmException(-1, "the call stack of " + (depth + 2) + " frames is too deep");
        }
        long[] r = vm.regs;
        int b = depth * 4;
        long[] saved = vm.frameSaved;
        saved[b] = r[6];
        saved[b + 1] = r[7];
        saved[b + 2] = r[8];
        saved[b + 3] = r[9];
        int callee = depth + 1;
        r[10] = vm.mem.framePointer(callee);
        Arrays.fill(vm.mem.stack, callee * Memory.FRAME_SIZE, (callee + 1) * Memory.FRAME_SIZE, (byte) 0);
        vm.enterFrame(callee);
    }

    /** The return to frame {@code depth}: its {@code r6}..{@code r10}, and its program if the callee tail-called. */
    static void pop(CompiledCode code, Vm vm, int depth) {
        long[] r = vm.regs;
        int b = depth * 4;
        long[] saved = vm.frameSaved;
        r[6] = saved[b];
        r[7] = saved[b + 1];
        r[8] = saved[b + 2];
        r[9] = saved[b + 3];
        r[10] = vm.mem.framePointer(depth);
        if (vm.current() != code.program) {
            vm.enter(code.program);
        }
    }
}
