package io.bpf4j.sim.internal.vm;

import java.lang.invoke.MethodHandles;

/**
 * What runs a program: the {@link Interpreter}, or bytecode that a {@link ProgramCompiler}
 * generates from the program (on a JDK with {@code java.lang.classfile}, 24 and later).
 *
 * <p>{@code -Dbpf4j.sim.engine=interpreter} or {@code =compiled} chooses; without it the
 * compiled engine runs where it is available and the interpreter elsewhere. A program the
 * compiler does not take (see {@link ProgramCompiler}) runs on the interpreter in either mode,
 * and so does every callback frame. Asking for {@code compiled} where it cannot work fails
 * every run with the reason, rather than measuring or testing the interpreter unawares; and
 * {@code -Dbpf4j.sim.engine.strict=true} makes a program the compiler declines fail its run with
 * the reason (benchmarks and tests use it to prove that what they time or check was compiled).
 */
public abstract class Engine {
    /** The system property that chooses the engine. */
    public static final String PROPERTY = "bpf4j.sim.engine";
    /** The system property that makes a declined program an error in the compiled engine. */
    public static final String STRICT_PROPERTY = "bpf4j.sim.engine.strict";
    private static final String COMPILER_CLASS = "io.bpf4j.sim.internal.jit.BytecodeCompiler";

    /** The interpreter, on every JDK. */
    static final Engine INTERPRETER = new Engine() {
        @Override
        long exec(Vm vm, VmProgram program) {
            return Interpreter.exec(vm, program);
        }

        @Override
        public String name() {
            return "interpreter";
        }
    };

    private static final Object[] COMPILER = loadCompiler();
    /** The engine of new {@link Vm}s, from {@link #PROPERTY}. */
    static final Engine DEFAULT = choose(System.getProperty(PROPERTY));

    Engine() {}

    /** Runs {@code program}'s main function from its first instruction, as {@link Interpreter#exec(Vm, VmProgram)}. */
    abstract long exec(Vm vm, VmProgram program);

    /** Continues a run in {@code program} after a tail call, in frame {@code depth} with the registers and budget as they are. */
    long tail(Vm vm, VmProgram program, int depth) {
        return Interpreter.exec(vm, program, 0, depth);
    }

    /**
     * The engine's name, as {@link #PROPERTY} spells it.
     *
     * @return {@code interpreter} or {@code compiled}
     */
    public abstract String name();

    /**
     * The engine new simulator runs use.
     *
     * @return the engine {@link #PROPERTY} chose
     */
    public static Engine current() {
        return DEFAULT;
    }

    /**
     * Whether the compiled engine can run here.
     *
     * @return true on a JDK with {@code java.lang.classfile}
     */
    public static boolean compiledAvailable() {
        return COMPILER[0] != null;
    }

    /**
     * Why the compiled engine cannot run here.
     *
     * @return the reason, or null when it can
     */
    public static String compiledUnavailableReason() {
        return (String) COMPILER[1];
    }

    /** The compiled engine, or one that fails every run with the reason it is unavailable. */
    static Engine compiled() {
        ProgramCompiler c = (ProgramCompiler) COMPILER[0];
        return c != null ? new Compiled(c, Boolean.getBoolean(STRICT_PROPERTY)) : new Unavailable((String) COMPILER[1]);
    }

    static Engine choose(String property) {
        if (property == null || property.isEmpty()) {
            return COMPILER[0] != null ? compiled() : INTERPRETER;
        }
        switch (property) {
            case "interpreter": return INTERPRETER;
            case "compiled": return compiled();
            default:
                throw new IllegalArgumentException(PROPERTY + ": \"" + property
                        + "\" is neither \"interpreter\" nor \"compiled\"");
        }
    }

    private static Object[] loadCompiler() {
        if (Runtime.version().feature() < 24) {
            return new Object[] {null, "the compiled engine needs java.lang.classfile (JDK 24 or later); this is JDK "
                    + Runtime.version().feature()};
        }
        try {
            return new Object[] {Class.forName(COMPILER_CLASS).getConstructor().newInstance(), null};
        } catch (ReflectiveOperationException | LinkageError e) {
            return new Object[] {null, "the compiled engine did not load: " + e};
        }
    }

    /**
     * Whether the compiler takes {@code program}, compiling it if it has not tried yet.
     *
     * @param program the program
     * @return null when it runs compiled, else why it runs on the interpreter
     */
    public static String fallbackReason(VmProgram program) {
        ProgramCompiler c = (ProgramCompiler) COMPILER[0];
        if (c == null) {
            return (String) COMPILER[1];
        }
        Object o = Compiled.code(c, program);
        return o instanceof CompiledCode ? null : (String) o;
    }

    /** Bytecode per program, compiled at its first run; the interpreter for what it refuses. */
    static final class Compiled extends Engine {
        private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();
        private final ProgramCompiler compiler;
        private final boolean strict;

        Compiled(ProgramCompiler compiler, boolean strict) {
            this.compiler = compiler;
            this.strict = strict;
        }

        private long interpret(Vm vm, VmProgram program, Object reason, int depth) {
            if (strict) {
                throw new IllegalStateException(STRICT_PROPERTY + ": program \"" + program.name()
                        + "\" is not compiled: " + reason);
            }
            return Interpreter.exec(vm, program, 0, depth);
        }

        @Override
        public String name() {
            return "compiled";
        }

        /** The program's code, or the reason it has none; compiled once and kept with the program. */
        static Object code(ProgramCompiler compiler, VmProgram p) {
            Object o = p.compiled;
            if (o == null) {
                try {
                    o = compiler.compile(p, LOOKUP);
                } catch (UnsupportedOperationException e) {
                    o = e.getMessage();
                }
                p.compiled = o;
            }
            return o;
        }

        @Override
        long exec(Vm vm, VmProgram program) {
            Object o = code(compiler, program);
            if (!(o instanceof CompiledCode)) {
                vm.left = vm.budget;
                vm.credit = 0;
                return interpret(vm, program, o, 0);
            }
            vm.left = vm.budget;
            vm.credit = 0;
            vm.enterFrame(0);
            try {
                return ((CompiledCode) o).run(vm, 0);
            } catch (CompiledCode.Stop s) {
                return s.value;
            } finally {
                vm.executed = vm.budget - vm.left + vm.credit;
            }
        }

        @Override
        long tail(Vm vm, VmProgram program, int depth) {
            Object o = code(compiler, program);
            if (!(o instanceof CompiledCode)) {
                return interpret(vm, program, o, depth);
            }
            return ((CompiledCode) o).run(vm, depth);
        }
    }

    /** The compiled engine where it cannot run: every run fails, saying why. */
    private static final class Unavailable extends Engine {
        private final String reason;

        Unavailable(String reason) {
            this.reason = reason;
        }

        @Override
        public String name() {
            return "compiled";
        }

        @Override
        long exec(Vm vm, VmProgram program) {
            throw new IllegalStateException(PROPERTY + "=compiled: " + reason);
        }
    }
}
