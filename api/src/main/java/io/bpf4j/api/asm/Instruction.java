package io.bpf4j.api.asm;

/**
 * One eBPF instruction slot, mirroring the kernel's {@code struct bpf_insn}: an 8-bit opcode,
 * two 4-bit registers, a signed 16-bit offset and a signed 32-bit immediate.
 *
 * <p>Its 64-bit encoding is the little-endian word the kernel reads:
 * {@code opcode | dst << 8 | src << 12 | off << 16 | imm << 32}. A 64-bit immediate load
 * ({@code ld_imm64}) takes two slots; the second has opcode 0 and carries the upper half of the
 * constant in its {@code imm}.
 *
 * @param opcode the opcode byte, 0 to 255
 * @param dst the destination register field, 0 to 15 (registers are 0 to 10)
 * @param src the source register field, 0 to 15 (also the pseudo source of calls and loads)
 * @param off the signed 16-bit offset, -32768 to 32767
 * @param imm the signed 32-bit immediate
 */
public record Instruction(int opcode, int dst, int src, int off, int imm) {

    /**
     * Checks the field ranges.
     *
     * @throws IllegalArgumentException naming the field that is out of range
     */
    public Instruction {
        if (opcode < 0 || opcode > 0xff) {
            throw new IllegalArgumentException("opcode: " + opcode + " is not in 0..255");
        }
        if (dst < 0 || dst > 0xf) {
            throw new IllegalArgumentException("dst: " + dst + " is not in 0..15");
        }
        if (src < 0 || src > 0xf) {
            throw new IllegalArgumentException("src: " + src + " is not in 0..15");
        }
        if (off < Short.MIN_VALUE || off > Short.MAX_VALUE) {
            throw new IllegalArgumentException("off: " + off + " is not in -32768..32767");
        }
    }

    /**
     * Encodes the instruction as the kernel's little-endian 64-bit word.
     *
     * @return {@code opcode | dst << 8 | src << 12 | off << 16 | imm << 32}
     */
    public long encode() {
        return (opcode & 0xffL) | (long) dst << 8 | (long) src << 12 | (off & 0xffffL) << 16
                | (long) imm << 32;
    }

    /**
     * Decodes a 64-bit instruction word.
     *
     * @param word the word as in the kernel's instruction array
     * @return the instruction
     */
    public static Instruction decode(long word) {
        return new Instruction((int) word & 0xff, (int) (word >>> 8) & 0xf, (int) (word >>> 12) & 0xf,
                (short) (word >>> 16), (int) (word >>> 32));
    }

    /**
     * The instruction class.
     *
     * @return {@code opcode & 0x07}, one of {@link Opcodes#LD} .. {@link Opcodes#ALU64}
     */
    public int cls() {
        return Opcodes.cls(opcode);
    }

    /**
     * Whether this is the first slot of a 64-bit immediate load, which is followed by a second slot.
     *
     * @return {@code true} for {@code ld_imm64}
     */
    public boolean isLoadImm64() {
        return opcode == Opcodes.LD_IMM64;
    }

    /**
     * Returns the instruction in the uBPF-style assembly syntax {@link TextAssembler} reads,
     * e.g. {@code ldxw %r0, [%r1+4]}. A {@code ld_imm64} shows only the lower half of its
     * constant, which is all this slot holds; {@link TextAssembler#disassemble(long[])} shows whole
     * programs.
     */
    @Override
    public String toString() {
        return Syntax.format(this, imm & 0xffffffffL, 0);
    }
}
