package io.bpf4j.api.asm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The instruction buffer and label bookkeeping behind {@link Asm}. Split from {@code Asm} only
 * to keep files small; its public methods are documented as {@code Asm}'s.
 */
abstract class AsmCore {
    /** What a label reference patches. */
    private enum Patch { OFF16, IMM32 }

    private record Fixup(int slot, String label, Patch patch) {}

    private long[] code = new long[64];
    private int size;
    private final Map<String, Integer> labels = new HashMap<>();
    private final List<Fixup> fixups = new ArrayList<>();

    AsmCore() {}

    final Asm self() {
        return (Asm) this;
    }

    static int reg(Register r, String name) {
        return Objects.requireNonNull(r, name).number();
    }

    static int sizeCode(Size size) {
        return Objects.requireNonNull(size, "size").code();
    }

    static String checkLabel(String label) {
        Objects.requireNonNull(label, "label");
        if (label.isEmpty()) {
            throw new IllegalArgumentException("label: must not be empty");
        }
        return label;
    }

    static int checkOff(int off, String name) {
        if (off < Short.MIN_VALUE || off > Short.MAX_VALUE) {
            throw new IllegalArgumentException(name + ": " + off + " is not in -32768..32767");
        }
        return off;
    }

    final Asm emit(int opcode, int dst, int src, int off, int imm) {
        return emitWord(new Instruction(opcode, dst, src, checkOff(off, "off"), imm).encode());
    }

    final Asm emitWord(long word) {
        if (size == code.length) {
            code = Arrays.copyOf(code, size * 2);
        }
        code[size++] = word;
        return self();
    }

    /** Emits an instruction whose 16-bit offset will point at {@code label}. */
    final Asm emitJump(int opcode, int dst, int src, int imm, String label) {
        fixups.add(new Fixup(size, checkLabel(label), Patch.OFF16));
        return emit(opcode, dst, src, 0, imm);
    }

    /** Emits an instruction whose 32-bit immediate will point at {@code label}. */
    final Asm emitImmJump(int opcode, int dst, int src, String label) {
        fixups.add(new Fixup(size, checkLabel(label), Patch.IMM32));
        return emit(opcode, dst, src, 0, 0);
    }

    /**
     * Appends a raw instruction slot.
     *
     * @param insn the instruction, emitted as is
     * @return this builder
     */
    public final Asm insn(Instruction insn) {
        return emitWord(Objects.requireNonNull(insn, "insn").encode());
    }

    /**
     * Appends a raw instruction word, e.g. one slot copied from another program.
     *
     * @param word the little-endian instruction word
     * @return this builder
     */
    public final Asm word(long word) {
        return emitWord(word);
    }

    /**
     * Defines a label at the position of the next instruction. Jumps and local calls may refer
     * to a label before or after it is defined.
     *
     * @param label the label name
     * @return this builder
     * @throws IllegalArgumentException if {@code label} is already defined
     */
    public final Asm label(String label) {
        return labelAt(label, size);
    }

    /** Defines {@code label} at an arbitrary slot (used for the assembler's implicit labels). */
    final Asm labelAt(String label, int slot) {
        checkLabel(label);
        Integer previous = labels.putIfAbsent(label, slot);
        if (previous != null) {
            throw new IllegalArgumentException("label: \"" + label + "\" is already defined at instruction " + previous);
        }
        return self();
    }

    final boolean hasLabel(String label) {
        return labels.containsKey(label);
    }

    /**
     * The number of instruction slots emitted so far ({@code ld_imm64} counts two).
     *
     * @return the slot index the next instruction will get
     */
    public final int size() {
        return size;
    }

    /**
     * Resolves the labels and returns the program as the kernel's instruction array.
     *
     * @return a new array of little-endian instruction words
     * @throws IllegalArgumentException if a label is undefined or a jump does not fit its field
     */
    public final long[] toArray() {
        long[] out = Arrays.copyOf(code, size);
        for (Fixup f : fixups) {
            Integer target = labels.get(f.label());
            if (target == null) {
                throw new IllegalArgumentException("label: \"" + f.label() + "\" is not defined (used by instruction "
                        + f.slot() + ")");
            }
            long delta = (long) target - f.slot() - 1;
            long w = out[f.slot()];
            if (f.patch() == Patch.OFF16) {
                if (delta < Short.MIN_VALUE || delta > Short.MAX_VALUE) {
                    throw new IllegalArgumentException("label: jump from instruction " + f.slot() + " to \"" + f.label()
                            + "\" is " + delta + " instructions, which does not fit a 16-bit offset (use ja32)");
                }
                out[f.slot()] = (w & ~0xffff_0000L) | (delta & 0xffff) << 16;
            } else {
                out[f.slot()] = (w & 0xffff_ffffL) | delta << 32;
            }
        }
        return out;
    }
}
