package io.bpf4j.api.asm;

import static io.bpf4j.api.asm.Opcodes.*;

/**
 * A fluent assembler producing the kernel's instruction array ({@code long[]}, one
 * little-endian {@code struct bpf_insn} per element, two for {@code ld_imm64}).
 *
 * <p>Every instruction of RFC 9669 and of the kernel's extensions has a method: arithmetic
 * ({@code add64}, {@code sdiv32}, {@code movsx64}, {@code bswap} ...), jumps to labels
 * ({@code jeq}, {@code jsgt32}, {@code ja}, {@code ja32}), calls to helpers and to local
 * functions, loads and stores of every size including sign-extending loads, all atomics, and
 * 64-bit immediate loads of constants and of maps for relocation. Labels may be used before they
 * are defined; {@link #toArray()} resolves them. Bad input (a missing register, an undefined or
 * duplicate label, an offset that does not fit) throws {@link IllegalArgumentException} naming
 * the parameter or the label.
 *
 * {@snippet :
 * import static io.bpf4j.api.asm.Register.*;
 *
 * long[] program = new Asm()
 *         .stw(R10, -4, 0)                 // key = 0 on the stack
 *         .mov64(R2, R10)
 *         .add64(R2, -4)
 *         .ldMapFd(R1, mapFd)              // relocated to the map when loaded
 *         .call(Helper.MAP_LOOKUP_ELEM)
 *         .jeq(R0, 0, "out")               // no value: return 0
 *         .mov64(R1, 1)
 *         .atomicAdd64(R0, 0, R1)          // count the call
 *         .label("out")
 *         .mov64(R0, 0)
 *         .exit()
 *         .toArray();
 * }
 *
 * <p>A builder is not thread-safe; it may be used again after {@code toArray()}, which leaves
 * it unchanged.
 */
public final class Asm extends AtomicAsm {
    /** Creates an empty program. */
    public Asm() {}

    /**
     * {@code dst = *(size *)(src + off)}, zero-extended.
     *
     * @param size the access width
     * @param dst the destination register
     * @param src the register holding the address
     * @param off the signed 16-bit offset
     * @return this builder
     */
    public Asm ldx(Size size, Register dst, Register src, int off) {
        return emit(LDX | MEM | sizeCode(size), reg(dst, "dst"), reg(src, "src"), off, 0);
    }

    /**
     * {@code dst = *(signed size *)(src + off)}, sign-extended ({@code BPF_MEMSX}).
     *
     * @param size {@link Size#B}, {@link Size#H} or {@link Size#W}
     * @param dst the destination register
     * @param src the register holding the address
     * @param off the signed 16-bit offset
     * @return this builder
     */
    public Asm ldxs(Size size, Register dst, Register src, int off) {
        if (size == Size.DW) {
            throw new IllegalArgumentException("size: a sign-extending load is B, H or W, not DW");
        }
        return emit(LDX | MEMSX | sizeCode(size), reg(dst, "dst"), reg(src, "src"), off, 0);
    }

    /**
     * {@code *(size *)(dst + off) = imm}.
     *
     * @param size the access width
     * @param dst the register holding the address
     * @param off the signed 16-bit offset
     * @param imm the value
     * @return this builder
     */
    public Asm st(Size size, Register dst, int off, int imm) {
        return emit(ST | MEM | sizeCode(size), reg(dst, "dst"), 0, off, imm);
    }

    /**
     * {@code *(size *)(dst + off) = src}.
     *
     * @param size the access width
     * @param dst the register holding the address
     * @param off the signed 16-bit offset
     * @param src the register to store
     * @return this builder
     */
    public Asm stx(Size size, Register dst, int off, Register src) {
        return emit(STX | MEM | sizeCode(size), reg(dst, "dst"), reg(src, "src"), off, 0);
    }

    /**
     * {@code dst = *(u8 *)(src + off)}: loads 1 byte, zero-extended.
     *
     * @param dst the destination register
     * @param src the register holding the address
     * @param off the signed 16-bit offset
     * @return this builder
     */
    public final Asm ldxb(Register dst, Register src, int off) {
        return ldx(Size.B, dst, src, off);
    }

    /**
     * {@code dst = *(u16 *)(src + off)}: loads 2 bytes, zero-extended.
     *
     * @param dst the destination register
     * @param src the register holding the address
     * @param off the signed 16-bit offset
     * @return this builder
     */
    public final Asm ldxh(Register dst, Register src, int off) {
        return ldx(Size.H, dst, src, off);
    }

    /**
     * {@code dst = *(u32 *)(src + off)}: loads 4 bytes, zero-extended.
     *
     * @param dst the destination register
     * @param src the register holding the address
     * @param off the signed 16-bit offset
     * @return this builder
     */
    public final Asm ldxw(Register dst, Register src, int off) {
        return ldx(Size.W, dst, src, off);
    }

    /**
     * {@code dst = *(u64 *)(src + off)}: loads 8 bytes, zero-extended.
     *
     * @param dst the destination register
     * @param src the register holding the address
     * @param off the signed 16-bit offset
     * @return this builder
     */
    public final Asm ldxdw(Register dst, Register src, int off) {
        return ldx(Size.DW, dst, src, off);
    }

    /**
     * {@code dst = *(s8 *)(src + off)}: loads 1 byte, sign-extended to 64 bits
     * ({@code BPF_MEMSX}, Linux 6.6).
     *
     * @param dst the destination register
     * @param src the register holding the address
     * @param off the signed 16-bit offset
     * @return this builder
     */
    public final Asm ldxsb(Register dst, Register src, int off) {
        return ldxs(Size.B, dst, src, off);
    }

    /**
     * {@code dst = *(s16 *)(src + off)}: loads 2 bytes, sign-extended to 64 bits
     * ({@code BPF_MEMSX}, Linux 6.6).
     *
     * @param dst the destination register
     * @param src the register holding the address
     * @param off the signed 16-bit offset
     * @return this builder
     */
    public final Asm ldxsh(Register dst, Register src, int off) {
        return ldxs(Size.H, dst, src, off);
    }

    /**
     * {@code dst = *(s32 *)(src + off)}: loads 4 bytes, sign-extended to 64 bits
     * ({@code BPF_MEMSX}, Linux 6.6).
     *
     * @param dst the destination register
     * @param src the register holding the address
     * @param off the signed 16-bit offset
     * @return this builder
     */
    public final Asm ldxsw(Register dst, Register src, int off) {
        return ldxs(Size.W, dst, src, off);
    }

    /**
     * {@code *(dst + off) = imm}: stores 1 byte of the immediate.
     *
     * @param dst the register holding the address
     * @param off the signed 16-bit offset
     * @param imm the value
     * @return this builder
     */
    public final Asm stb(Register dst, int off, int imm) {
        return st(Size.B, dst, off, imm);
    }

    /**
     * {@code *(dst + off) = imm}: stores 2 bytes of the immediate.
     *
     * @param dst the register holding the address
     * @param off the signed 16-bit offset
     * @param imm the value
     * @return this builder
     */
    public final Asm sth(Register dst, int off, int imm) {
        return st(Size.H, dst, off, imm);
    }

    /**
     * {@code *(dst + off) = imm}: stores 4 bytes of the immediate.
     *
     * @param dst the register holding the address
     * @param off the signed 16-bit offset
     * @param imm the value
     * @return this builder
     */
    public final Asm stw(Register dst, int off, int imm) {
        return st(Size.W, dst, off, imm);
    }

    /**
     * {@code *(dst + off) = imm}: stores 8 bytes of the immediate (sign-extended).
     *
     * @param dst the register holding the address
     * @param off the signed 16-bit offset
     * @param imm the value
     * @return this builder
     */
    public final Asm stdw(Register dst, int off, int imm) {
        return st(Size.DW, dst, off, imm);
    }

    /**
     * {@code *(dst + off) = src}: stores the lower 1 byte of src.
     *
     * @param dst the register holding the address
     * @param off the signed 16-bit offset
     * @param src the register to store
     * @return this builder
     */
    public final Asm stxb(Register dst, int off, Register src) {
        return stx(Size.B, dst, off, src);
    }

    /**
     * {@code *(dst + off) = src}: stores the lower 2 bytes of src.
     *
     * @param dst the register holding the address
     * @param off the signed 16-bit offset
     * @param src the register to store
     * @return this builder
     */
    public final Asm stxh(Register dst, int off, Register src) {
        return stx(Size.H, dst, off, src);
    }

    /**
     * {@code *(dst + off) = src}: stores the lower 4 bytes of src.
     *
     * @param dst the register holding the address
     * @param off the signed 16-bit offset
     * @param src the register to store
     * @return this builder
     */
    public final Asm stxw(Register dst, int off, Register src) {
        return stx(Size.W, dst, off, src);
    }

    /**
     * {@code *(dst + off) = src}: stores the lower 8 bytes of src.
     *
     * @param dst the register holding the address
     * @param off the signed 16-bit offset
     * @param src the register to store
     * @return this builder
     */
    public final Asm stxdw(Register dst, int off, Register src) {
        return stx(Size.DW, dst, off, src);
    }

    /**
     * {@code dst = value}: a 64-bit immediate load ({@code ld_imm64}, two slots).
     *
     * @param dst the destination register
     * @param value the constant
     * @return this builder
     */
    public Asm lddw(Register dst, long value) {
        return ldImm64(dst, 0, (int) value, (int) (value >>> 32));
    }

    /**
     * {@code dst = map}: loads a map by file descriptor ({@code BPF_PSEUDO_MAP_FD}); the kernel
     * replaces the descriptor with the map when it loads the program.
     *
     * @param dst the destination register
     * @param mapFd the map's file descriptor
     * @return this builder
     */
    public Asm ldMapFd(Register dst, int mapFd) {
        return ldImm64(dst, PSEUDO_MAP_FD, mapFd, 0);
    }

    /**
     * {@code dst = &map.value[0] + offset}: the address of the first value of an array map, by
     * file descriptor ({@code BPF_PSEUDO_MAP_VALUE}, used for global data).
     *
     * @param dst the destination register
     * @param mapFd the map's file descriptor
     * @param offset the byte offset into the value
     * @return this builder
     */
    public Asm ldMapValue(Register dst, int mapFd, int offset) {
        return ldImm64(dst, PSEUDO_MAP_VALUE, mapFd, offset);
    }

    /**
     * {@code dst = map}: loads the map at an index of the program's fd array
     * ({@code BPF_PSEUDO_MAP_IDX}).
     *
     * @param dst the destination register
     * @param index the index into the fd array
     * @return this builder
     */
    public Asm ldMapIdx(Register dst, int index) {
        return ldImm64(dst, PSEUDO_MAP_IDX, index, 0);
    }

    /**
     * {@code dst = &map.value[0] + offset} for the map at an index of the program's fd array
     * ({@code BPF_PSEUDO_MAP_IDX_VALUE}).
     *
     * @param dst the destination register
     * @param index the index into the fd array
     * @param offset the byte offset into the value
     * @return this builder
     */
    public Asm ldMapIdxValue(Register dst, int index, int offset) {
        return ldImm64(dst, PSEUDO_MAP_IDX_VALUE, index, offset);
    }

    /**
     * A raw {@code ld_imm64} with any pseudo source.
     *
     * @param dst the destination register
     * @param pseudo the source field: 0 or one of the {@code PSEUDO_*} constants of {@link Opcodes}
     * @param imm the first slot's immediate
     * @param nextImm the second slot's immediate
     * @return this builder
     */
    public Asm ldImm64(Register dst, int pseudo, int imm, int nextImm) {
        if (pseudo < 0 || pseudo > 0xf) {
            throw new IllegalArgumentException("pseudo: " + pseudo + " is not in 0..15");
        }
        emit(LD_IMM64, reg(dst, "dst"), pseudo, 0, imm);
        return emit(0, 0, 0, 0, nextImm);
    }

    /**
     * A legacy packet load {@code r0 = ntoh(*(size *)(skb->data + imm))} ({@code BPF_ABS});
     * the context must be in {@code r6}.
     *
     * @param size {@link Size#B}, {@link Size#H} or {@link Size#W}
     * @param imm the offset into the packet
     * @return this builder
     */
    public Asm ldAbs(Size size, int imm) {
        if (size == Size.DW) {
            throw new IllegalArgumentException("size: legacy packet loads are B, H or W, not DW");
        }
        return emit(LD | ABS | sizeCode(size), 0, 0, 0, imm);
    }

    /**
     * A legacy packet load {@code r0 = ntoh(*(size *)(skb->data + src + imm))} ({@code BPF_IND});
     * the context must be in {@code r6}.
     *
     * @param size {@link Size#B}, {@link Size#H} or {@link Size#W}
     * @param src the register holding the offset
     * @param imm the constant part of the offset
     * @return this builder
     */
    public Asm ldInd(Size size, Register src, int imm) {
        if (size == Size.DW) {
            throw new IllegalArgumentException("size: legacy packet loads are B, H or W, not DW");
        }
        return emit(LD | IND | sizeCode(size), 0, reg(src, "src"), 0, imm);
    }

}
