package io.bpf4j.api.asm;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * Lists a loaded program's translated instructions ({@link io.bpf4j.api.Bpf#progGetXlated(int)})
 * in the syntax of {@link TextAssembler}, one line per instruction, with the two things a dump
 * has that a program being written does not: map references hold map <em>ids</em>, printed as
 * {@code map[NAME]} (or {@code map[id:N]} when the name is unknown) with the id in a comment;
 * helper calls are printed by name; and a local call holds its relative target in {@code off}
 * and its subprogram's index in {@code imm}, printed {@code call local +5 ; subprog 1}.
 *
 * <pre>{@code
 *    0: ldxw %r2, [%r1]
 *    1: lddw %r1, map[counts] ; id 17
 *    3: call bpf_map_lookup_elem
 * }</pre>
 *
 * <p>Instances are immutable; the {@code with} methods return a copy.
 */
public final class Disassembler {
    private static final IntFunction<String> NO_NAMES = id -> null;
    private static final IntFunction<String> HELPER_IDS = imm -> {
        Helper h = Helper.byId(imm);
        return h == null ? null : h.cName();
    };

    private final IntFunction<String> mapNames;
    private final IntFunction<String> callNames;
    /** Whether {@link #callNames} also names kfunc calls (true once given by the caller). */
    private final boolean kfuncs;

    private Disassembler(IntFunction<String> mapNames, IntFunction<String> callNames, boolean kfuncs) {
        this.mapNames = mapNames;
        this.callNames = callNames;
        this.kfuncs = kfuncs;
    }

    /**
     * A disassembler that knows no map names and names helper calls by their Linux helper id
     * ({@link Helper#byId(int)}), as a program's instructions hold them before the kernel's
     * verifier rewrites the calls.
     *
     * @return the disassembler
     */
    public static Disassembler create() {
        return new Disassembler(NO_NAMES, HELPER_IDS, false);
    }

    /**
     * Uses map names for map references.
     *
     * @param nameById a map's name by its id; {@code null} or empty when unknown
     * @return a copy that uses them
     */
    public Disassembler withMapNames(IntFunction<String> nameById) {
        return new Disassembler(Objects.requireNonNull(nameById, "nameById"), callNames, kfuncs);
    }

    /**
     * Names helper calls ({@code call} with source 0) and kfunc calls (source
     * {@link Opcodes#PSEUDO_KFUNC_CALL}) from their {@code imm}, for dumps where the {@code imm}
     * is not a helper id (Linux's translated calls hold the function's address relative to
     * {@code __bpf_call_base}, kfuncs too).
     *
     * @param nameByImm a call's target name by the instruction's {@code imm}; {@code null} when
     *     unknown, and the call is printed with its number
     * @return a copy that uses it
     */
    public Disassembler withCallNames(IntFunction<String> nameByImm) {
        return new Disassembler(mapNames, Objects.requireNonNull(nameByImm, "nameByImm"), true);
    }

    /**
     * One listed instruction.
     *
     * @param pc the index of its first slot
     * @param text the instruction in {@link TextAssembler}'s syntax, with names
     * @param bytes its raw bytes as the kernel keeps them: 8, or 16 for a {@code ld_imm64}
     */
    public record Line(int pc, String text, byte[] bytes) {
        /**
         * Copies the bytes.
         *
         * @throws IllegalArgumentException when there are not 8 or 16 bytes or the pc is negative
         */
        public Line {
            if (pc < 0) throw new IllegalArgumentException("pc: " + pc + " is negative");
            Objects.requireNonNull(text, "text");
            if (bytes.length != 8 && bytes.length != 16) {
                throw new IllegalArgumentException("bytes: " + bytes.length + " is not 8 or 16");
            }
            bytes = bytes.clone();
        }

        /**
         * The raw bytes.
         *
         * @return a copy
         */
        @Override
        public byte[] bytes() {
            return bytes.clone();
        }
    }

    /**
     * Lists instructions.
     *
     * @param insns the instructions, one 64-bit word per slot
     * @return one line per instruction, a {@code ld_imm64} being one line of two slots (a
     *     {@code ld_imm64} in the last slot, which has no second half, is listed as a raw
     *     {@code .insn})
     */
    public List<Line> lines(long[] insns) {
        Objects.requireNonNull(insns, "insns");
        List<Line> out = new ArrayList<>();
        for (int pc = 0; pc < insns.length; pc++) {
            Instruction i = Instruction.decode(insns[pc]);
            if (i.isLoadImm64() && pc + 1 < insns.length) {
                Instruction next = Instruction.decode(insns[pc + 1]);
                out.add(new Line(pc, loadImm64(i, next), bytes(insns[pc], insns[pc + 1])));
                pc++;
            } else if (i.isLoadImm64()) {
                out.add(new Line(pc, String.format(".insn 0x%02x, %d, %d, %d, %d", i.opcode(), i.dst(), i.src(), i.off(), i.imm()),
                        bytes(insns[pc])));
            } else {
                out.add(new Line(pc, single(i), bytes(insns[pc])));
            }
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * Lists instructions as text, one line each ({@code pc: text}), optionally with each
     * instruction's raw bytes in hex on the line below, as {@code bpftool prog dump xlated ... opcodes}
     * shows them.
     *
     * @param insns the instructions
     * @param opcodes whether to add the raw bytes
     * @return the listing, each line ending in a newline
     */
    public String text(long[] insns, boolean opcodes) {
        List<Line> lines = lines(insns);
        int width = Integer.toString(Math.max(0, insns.length - 1)).length();
        StringBuilder sb = new StringBuilder();
        for (Line l : lines) {
            sb.append(String.format("%" + Math.max(4, width) + "d: ", l.pc())).append(l.text()).append('\n');
            if (opcodes) sb.append(" ".repeat(Math.max(4, width) + 2)).append(hex(l.bytes())).append('\n');
        }
        return sb.toString();
    }

    /**
     * Bytes as two-digit lower-case hex, separated by spaces.
     *
     * @param bytes the bytes
     * @return e.g. {@code 79 12 00 00 00 00 00 00}
     */
    public static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length * 3);
        for (int i = 0; i < bytes.length; i++) {
            if (i > 0) sb.append(' ');
            sb.append(Character.forDigit((bytes[i] >> 4) & 15, 16)).append(Character.forDigit(bytes[i] & 15, 16));
        }
        return sb.toString();
    }

    private String single(Instruction i) {
        if (i.opcode() == (Opcodes.JMP | Opcodes.CALL) && (i.src() == 0 || kfuncs && i.src() == Opcodes.PSEUDO_KFUNC_CALL)) {
            String name = callNames.apply(i.imm());
            if (name != null && !name.isEmpty()) return (i.src() == 0 ? "call " : "call kfunc ") + name;
        }
        if (i.opcode() == (Opcodes.JMP | Opcodes.CALL) && i.src() == Opcodes.PSEUDO_CALL) {
            // Translated, a local call keeps its relative target in off and its subprogram's index
            // in imm (jit_subprogs(), kernel/bpf/verifier.c).
            return "call local " + Syntax.rel(i.off()) + " ; subprog " + i.imm();
        }
        return i.toString();
    }

    private String loadImm64(Instruction i, Instruction next) {
        if (i.src() == Opcodes.PSEUDO_MAP_FD || i.src() == Opcodes.PSEUDO_MAP_VALUE) {
            String name = mapNames.apply(i.imm());
            String map = name == null || name.isEmpty() ? "map[id:" + Integer.toUnsignedString(i.imm()) + "]" : "map[" + name + "]";
            String off = i.src() == Opcodes.PSEUDO_MAP_VALUE ? "+" + Integer.toUnsignedString(next.imm()) : "";
            String id = name == null || name.isEmpty() ? "" : " ; id " + Integer.toUnsignedString(i.imm());
            return "lddw " + Syntax.reg(i.dst()) + ", " + map + off + id;
        }
        long value = (i.imm() & 0xffffffffL) | (long) next.imm() << 32;
        return Syntax.format(i, value, next.imm());
    }

    private static byte[] bytes(long... words) {
        byte[] b = new byte[words.length * 8];
        for (int w = 0; w < words.length; w++) {
            for (int k = 0; k < 8; k++) b[w * 8 + k] = (byte) (words[w] >>> (8 * k));
        }
        return b;
    }
}
