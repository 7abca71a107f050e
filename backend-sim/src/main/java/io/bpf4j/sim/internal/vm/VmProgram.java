package io.bpf4j.sim.internal.vm;

import io.bpf4j.api.asm.Instruction;
import java.util.BitSet;

/**
 * A program decoded for the interpreter by {@link VmLoader}: immutable, shareable between
 * threads and between {@link Vm} instances.
 *
 * <p>Each instruction slot is decoded once into flat arrays: the low 32 bits of the
 * instruction word (opcode, registers, offset) and its immediate widened to 64 bits (for
 * {@code ld_imm64}, the whole constant, or the index of the map it refers to).
 */
public final class VmProgram {
    final long[] words;
    final int[] code;
    final long[] k;
    final VmMap[] maps;
    final VmHelper[] helpers;
    final String name;
    /** The {@link CompiledCode} of the compiled engine, or why it has none; null until its first run there. */
    volatile Object compiled;
    /** Instructions whose address an {@code ld_imm64} of {@code BPF_PSEUDO_FUNC} takes: the callbacks. */
    private final BitSet callbacks;
    /** Bytes of the main frame below the frame pointer that the program can reach (see {@link VmLoader#stackDepth}). */
    final int stackDepth;

    VmProgram(String name, long[] words, int[] code, long[] k, VmMap[] maps, VmHelper[] helpers, BitSet callbacks,
            int stackDepth) {
        this.name = name;
        this.stackDepth = stackDepth;
        this.callbacks = callbacks;
        this.words = words;
        this.code = code;
        this.k = k;
        this.maps = maps;
        this.helpers = helpers;
    }

    /**
     * The number of instruction slots.
     *
     * @return the length of the instruction array as loaded
     */
    public int length() {
        return words.length;
    }

    /**
     * The instructions as loaded (map references still hold the descriptors or indexes).
     *
     * @return a copy of the instruction array
     */
    public long[] instructions() {
        return words.clone();
    }

    /**
     * The maps the program refers to, each once, in order of first reference.
     *
     * @return a copy of the map list
     */
    public VmMap[] maps() {
        return maps.clone();
    }

    /**
     * The program's name, for messages.
     *
     * @return the name given to the loader, or an empty string
     */
    public String name() {
        return name;
    }

    /** Whether the program takes the address of the subprogram starting at {@code pc}. */
    boolean isCallbackTarget(int pc) {
        return pc >= 0 && callbacks.get(pc);
    }

    /** The instruction at {@code pc} in assembly syntax, for messages. */
    String describe(int pc) {
        if (pc < 0 || pc >= words.length) {
            return "pc " + pc;
        }
        return "pc " + pc + " (" + Instruction.decode(words[pc]) + ")";
    }
}
