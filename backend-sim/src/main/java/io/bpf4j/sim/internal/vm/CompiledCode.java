package io.bpf4j.sim.internal.vm;

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

    /** Runs the program in frame 0 from its first instruction, with {@code vm}'s registers and remaining budget. */
    abstract long run(Vm vm);

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

    /** Continues on the interpreter at {@code pc}, the registers and budget already in {@code vm}. */
    static long resume(CompiledCode code, Vm vm, int pc) {
        return Interpreter.exec(vm, code.program, pc, 0);
    }

    /** After a helper raised a signal: the run's stop value, or the rest of the run in the tail call's target. */
    static long signal(Vm vm) {
        if (vm.signal == Vm.SIGNAL_STOP) {
            vm.signal = 0;
            return vm.stopValue;
        }
        vm.signal = 0;
        VmProgram target = vm.takeTailCall();
        vm.enterFrame(0);
        return vm.engine.tail(vm, target);
    }
}
