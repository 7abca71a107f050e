package io.bpf4j.api.asm;

import static io.bpf4j.api.asm.Opcodes.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Assembles and disassembles the uBPF-style assembly of the bpf_conformance suite.
 *
 * <p>One instruction or label per line; {@code #} and {@code ;} start comments. Registers are
 * {@code %r0}..{@code %r10}, memory operands {@code [%r1+4]}, jump targets a label or a
 * relative offset {@code +3} / {@code -2}; as in the reference assembler, {@code exit} used as a
 * jump target means the first {@code exit} instruction unless a label of that name exists.
 * Mnemonics:
 * <ul>
 *   <li>arithmetic {@code add sub mul div sdiv or and lsh rsh mod smod xor mov arsh}, 64-bit
 *       bare or with {@code 64}, 32-bit with {@code 32}: {@code add32 %r0, 1}, {@code mov %r0, %r1};
 *       {@code neg}, {@code neg32}; {@code movsx864 movsx1664 movsx3264 movsx832 movsx1632}
 *       (source bits, then width); {@code le16 le32 le64 be16 be32 be64},
 *       {@code bswap16 bswap32 bswap64} (also spelled {@code swap16} ...)</li>
 *   <li>jumps {@code ja}, {@code ja32} and {@code jeq jne jgt jge jlt jle jsgt jsge jslt jsle jset}
 *       with optional {@code 32}: {@code jne32 %r1, 0, label}; {@code call 5},
 *       {@code call helper 5}, {@code call local fn}, {@code call kfunc 123}, {@code callx %r2}
 *       (also {@code call %r2}), {@code exit}</li>
 *   <li>memory {@code ldxb ldxh ldxw ldxdw}, sign-extending {@code ldxsb ldxsh ldxsw},
 *       {@code stb sth stw stdw [%r10-8], 1}, {@code stxb stxh stxw stxdw [%r10-8], %r1},
 *       load-acquire {@code ldacqw %r0, [%r1]} and store-release {@code strelw [%r1], %r2}</li>
 *   <li>atomics {@code lock add [%r10-8], %r1}, {@code lock fetch add32 ...} (also or, and,
 *       xor), {@code lock xchg}, {@code lock cmpxchg}, each with optional {@code 32}</li>
 *   <li>64-bit loads {@code lddw %r0, 0x1122334455667788}, {@code ldmapfd %r1, 3},
 *       {@code ldmapvalue %r1, 3, 8}, {@code ldmapidx %r1, 0}, {@code ldmapidxvalue %r1, 0, 8};
 *       legacy packet loads {@code ldabsw 12}, {@code ldindh %r1, 2}; and a raw slot
 *       {@code .insn 0x95, 0, 0, 0, 0} (opcode, dst, src, off, imm)</li>
 * </ul>
 * Immediates are decimal or {@code 0x} hexadecimal, optionally negative; a 32-bit immediate may
 * be written signed or unsigned ({@code 0xffffffff} is -1). The output is the same
 * {@code long[]} {@link Asm} builds.
 */
public final class TextAssembler {
    private TextAssembler() {}

    /**
     * Assembles a program.
     *
     * @param source the program text, lines separated by {@code \n}
     * @return the instruction array
     * @throws IllegalArgumentException on bad input, with a message starting {@code line N:}
     */
    public static long[] assemble(String source) {
        return assemble(Arrays.asList(Objects.requireNonNull(source, "source").split("\r?\n", -1)), 1);
    }

    /**
     * Assembles a program given as lines, e.g. one section of a larger file.
     *
     * @param lines the program lines
     * @param firstLineNumber the line number of {@code lines.get(0)}, used in error messages
     * @return the instruction array
     * @throws IllegalArgumentException on bad input, with a message starting {@code line N:}
     */
    public static long[] assemble(List<String> lines, int firstLineNumber) {
        Objects.requireNonNull(lines, "lines");
        Asm asm = new Asm();
        TextLine.State state = new TextLine.State();
        for (int i = 0; i < lines.size(); i++) {
            int lineNo = firstLineNumber + i;
            String line = lines.get(i);
            try {
                TextLine.assemble(asm, state, line, lineNo);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("line " + lineNo + ": " + e.getMessage() + " in \"" + line.strip()
                        + "\"", e);
            }
        }
        if (!asm.hasLabel("exit") && state.firstExit >= 0) {
            asm.labelAt("exit", state.firstExit);
        }
        for (TextLine.LabelUse use : state.labelUses) {
            if (!asm.hasLabel(use.label())) {
                throw new IllegalArgumentException("line " + use.line() + ": label \"" + use.label() + "\" is not defined");
            }
        }
        return asm.toArray();
    }

    /**
     * Disassembles a program into the syntax {@link #assemble(String)} reads, one instruction per
     * line, jump targets as relative offsets. Assembling the result gives the same words back.
     *
     * @param program the instruction array
     * @return the text, each line ending with {@code \n}
     */
    public static String disassemble(long[] program) {
        Objects.requireNonNull(program, "program");
        StringBuilder sb = new StringBuilder();
        for (int pc = 0; pc < program.length; pc++) {
            Instruction insn = Instruction.decode(program[pc]);
            if (insn.isLoadImm64() && pc + 1 < program.length) {
                Instruction next = Instruction.decode(program[pc + 1]);
                if (next.opcode() == 0 && next.dst() == 0 && next.src() == 0 && next.off() == 0) {
                    long value = (insn.imm() & 0xffffffffL) | (long) next.imm() << 32;
                    sb.append(Syntax.format(insn, value, next.imm())).append('\n');
                    pc++;
                    continue;
                }
            }
            sb.append(insn.isLoadImm64() ? rawInsn(insn) : insn.toString()).append('\n');
        }
        return sb.toString();
    }

    private static String rawInsn(Instruction i) {
        return String.format(Locale.ROOT, ".insn 0x%02x, %d, %d, %d, %d", i.opcode(), i.dst(), i.src(), i.off(), i.imm());
    }

    /** Splits a line's operands at commas outside brackets. */
    static List<String> operands(String text) {
        List<String> out = new ArrayList<>();
        if (text.isBlank()) {
            return out;
        }
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '[') {
                depth++;
            } else if (c == ']') {
                depth--;
            } else if (c == ',' && depth == 0) {
                out.add(text.substring(start, i).strip());
                start = i + 1;
            }
        }
        out.add(text.substring(start).strip());
        return out;
    }
}
