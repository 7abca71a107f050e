package io.bpf4j.sim.internal.vm;

import java.lang.invoke.MethodHandles;

/**
 * Turns a program into JVM code with the interpreter's exact behaviour: results, faults and
 * their messages, instruction counts, helper calls and tail calls. The implementation lives in
 * {@code io.bpf4j.sim.internal.jit}, compiled for a JDK with {@code java.lang.classfile}, and is
 * looked up by name so that this package still runs on JDK 17.
 */
public interface ProgramCompiler {
    /**
     * Compiles a program.
     *
     * @param program the program
     * @param vmPackage a lookup with full access to this package, where the code is defined
     * @return the code
     * @throws UnsupportedOperationException when the program should run on the interpreter,
     *     with the reason as message
     */
    CompiledCode compile(VmProgram program, MethodHandles.Lookup vmPackage);
}
