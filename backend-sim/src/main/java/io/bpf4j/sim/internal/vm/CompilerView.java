package io.bpf4j.sim.internal.vm;

/**
 * What a {@link ProgramCompiler} outside this package reads of a {@link VmProgram}: the arrays
 * the interpreter steps through, shared, not copied (the compiler only reads them).
 */
public final class CompilerView {
    private CompilerView() {}

    /**
     * The low 32 bits of each instruction slot: opcode, registers, offset.
     *
     * @param p the program
     * @return the program's own array
     */
    public static int[] code(VmProgram p) {
        return p.code;
    }

    /**
     * The immediate of each slot, widened to 64 bits; for {@code ld_imm64}, the whole constant
     * or the map index in the first slot.
     *
     * @param p the program
     * @return the program's own array
     */
    public static long[] constants(VmProgram p) {
        return p.k;
    }

    /**
     * The helpers by helper id, null where the program may not call one.
     *
     * @param p the program
     * @return the program's own array
     */
    public static VmHelper[] helpers(VmProgram p) {
        return p.helpers;
    }
}
