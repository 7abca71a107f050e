package io.bpf4j.api.asm;

import static io.bpf4j.api.asm.Opcodes.*;

/**
 * The atomic instructions of {@link Asm} ({@code BPF_STX | BPF_ATOMIC}), split out to keep files
 * small. The {@code ...32} forms operate on 4 bytes and zero-extend what they fetch.
 */
abstract class AtomicAsm extends Jump32Asm {
    AtomicAsm() {}

    /**
     * An atomic read-modify-write on {@code *(size *)(dst + off)} ({@code BPF_STX | BPF_ATOMIC}).
     *
     * @param size {@link Size#W} or {@link Size#DW}
     * @param op {@link Opcodes#ATOMIC_ADD}, {@code ATOMIC_OR}, {@code ATOMIC_AND} or
     *     {@code ATOMIC_XOR}, optionally {@code | FETCH}; or {@link Opcodes#XCHG} or {@link Opcodes#CMPXCHG}
     * @param dst the register holding the address
     * @param off the signed 16-bit offset
     * @param src the operand register
     * @return this builder
     */
    public final Asm atomic(Size size, int op, Register dst, int off, Register src) {
        if (size != Size.W && size != Size.DW) {
            throw new IllegalArgumentException("size: atomic operations are W or DW, not " + size);
        }
        boolean rmw = (op & ~(0xf0 | FETCH)) == 0 && Syntax.atomicName(op & 0xf0) != null;
        if (!rmw && op != XCHG && op != CMPXCHG) {
            throw new IllegalArgumentException("op: 0x" + Integer.toHexString(op) + " is not an atomic operation");
        }
        return emit(STX | ATOMIC | sizeCode(size), reg(dst, "dst"), reg(src, "src"), off, op);
    }

    /**
     * {@code *(u64 *)(dst + off) += src}, atomically.
     *
     * @param dst the register holding the address
     * @param off the signed 16-bit offset
     * @param src the operand
     * @return this builder
     */
    public final Asm atomicAdd64(Register dst, int off, Register src) {
        return atomic(Size.DW, ATOMIC_ADD, dst, off, src);
    }

    /**
     * {@code src = *(u64 *)(dst + off); *(dst + off) += src}, atomically: like
     * {@code atomicAdd64} but also fetches the old value into src.
     *
     * @param dst the register holding the address
     * @param off the signed 16-bit offset
     * @param src the operand, replaced by the old value
     * @return this builder
     */
    public final Asm atomicFetchAdd64(Register dst, int off, Register src) {
        return atomic(Size.DW, ATOMIC_ADD | FETCH, dst, off, src);
    }

    /**
     * {@code *(u64 *)(dst + off) |= src}, atomically.
     *
     * @param dst the register holding the address
     * @param off the signed 16-bit offset
     * @param src the operand
     * @return this builder
     */
    public final Asm atomicOr64(Register dst, int off, Register src) {
        return atomic(Size.DW, ATOMIC_OR, dst, off, src);
    }

    /**
     * {@code src = *(u64 *)(dst + off); *(dst + off) |= src}, atomically: like
     * {@code atomicOr64} but also fetches the old value into src.
     *
     * @param dst the register holding the address
     * @param off the signed 16-bit offset
     * @param src the operand, replaced by the old value
     * @return this builder
     */
    public final Asm atomicFetchOr64(Register dst, int off, Register src) {
        return atomic(Size.DW, ATOMIC_OR | FETCH, dst, off, src);
    }

    /**
     * {@code *(u64 *)(dst + off) &= src}, atomically.
     *
     * @param dst the register holding the address
     * @param off the signed 16-bit offset
     * @param src the operand
     * @return this builder
     */
    public final Asm atomicAnd64(Register dst, int off, Register src) {
        return atomic(Size.DW, ATOMIC_AND, dst, off, src);
    }

    /**
     * {@code src = *(u64 *)(dst + off); *(dst + off) &= src}, atomically: like
     * {@code atomicAnd64} but also fetches the old value into src.
     *
     * @param dst the register holding the address
     * @param off the signed 16-bit offset
     * @param src the operand, replaced by the old value
     * @return this builder
     */
    public final Asm atomicFetchAnd64(Register dst, int off, Register src) {
        return atomic(Size.DW, ATOMIC_AND | FETCH, dst, off, src);
    }

    /**
     * {@code *(u64 *)(dst + off) ^= src}, atomically.
     *
     * @param dst the register holding the address
     * @param off the signed 16-bit offset
     * @param src the operand
     * @return this builder
     */
    public final Asm atomicXor64(Register dst, int off, Register src) {
        return atomic(Size.DW, ATOMIC_XOR, dst, off, src);
    }

    /**
     * {@code src = *(u64 *)(dst + off); *(dst + off) ^= src}, atomically: like
     * {@code atomicXor64} but also fetches the old value into src.
     *
     * @param dst the register holding the address
     * @param off the signed 16-bit offset
     * @param src the operand, replaced by the old value
     * @return this builder
     */
    public final Asm atomicFetchXor64(Register dst, int off, Register src) {
        return atomic(Size.DW, ATOMIC_XOR | FETCH, dst, off, src);
    }

    /**
     * Atomically exchanges {@code *(u64 *)(dst + off)} and src.
     *
     * @param dst the register holding the address
     * @param off the signed 16-bit offset
     * @param src the new value, replaced by the old value
     * @return this builder
     */
    public final Asm xchg64(Register dst, int off, Register src) {
        return atomic(Size.DW, XCHG, dst, off, src);
    }

    /**
     * Atomically compares {@code *(u64 *)(dst + off)} with {@code r0} and, if equal,
     * stores src; {@code r0} gets the old value either way.
     *
     * @param dst the register holding the address
     * @param off the signed 16-bit offset
     * @param src the value to store
     * @return this builder
     */
    public final Asm cmpxchg64(Register dst, int off, Register src) {
        return atomic(Size.DW, CMPXCHG, dst, off, src);
    }

    /**
     * {@code *(u32 *)(dst + off) += src}, atomically.
     *
     * @param dst the register holding the address
     * @param off the signed 16-bit offset
     * @param src the operand
     * @return this builder
     */
    public final Asm atomicAdd32(Register dst, int off, Register src) {
        return atomic(Size.W, ATOMIC_ADD, dst, off, src);
    }

    /**
     * {@code src = *(u32 *)(dst + off); *(dst + off) += src}, atomically: like
     * {@code atomicAdd32} but also fetches the old value (zero-extended) into src.
     *
     * @param dst the register holding the address
     * @param off the signed 16-bit offset
     * @param src the operand, replaced by the old value
     * @return this builder
     */
    public final Asm atomicFetchAdd32(Register dst, int off, Register src) {
        return atomic(Size.W, ATOMIC_ADD | FETCH, dst, off, src);
    }

    /**
     * {@code *(u32 *)(dst + off) |= src}, atomically.
     *
     * @param dst the register holding the address
     * @param off the signed 16-bit offset
     * @param src the operand
     * @return this builder
     */
    public final Asm atomicOr32(Register dst, int off, Register src) {
        return atomic(Size.W, ATOMIC_OR, dst, off, src);
    }

    /**
     * {@code src = *(u32 *)(dst + off); *(dst + off) |= src}, atomically: like
     * {@code atomicOr32} but also fetches the old value (zero-extended) into src.
     *
     * @param dst the register holding the address
     * @param off the signed 16-bit offset
     * @param src the operand, replaced by the old value
     * @return this builder
     */
    public final Asm atomicFetchOr32(Register dst, int off, Register src) {
        return atomic(Size.W, ATOMIC_OR | FETCH, dst, off, src);
    }

    /**
     * {@code *(u32 *)(dst + off) &= src}, atomically.
     *
     * @param dst the register holding the address
     * @param off the signed 16-bit offset
     * @param src the operand
     * @return this builder
     */
    public final Asm atomicAnd32(Register dst, int off, Register src) {
        return atomic(Size.W, ATOMIC_AND, dst, off, src);
    }

    /**
     * {@code src = *(u32 *)(dst + off); *(dst + off) &= src}, atomically: like
     * {@code atomicAnd32} but also fetches the old value (zero-extended) into src.
     *
     * @param dst the register holding the address
     * @param off the signed 16-bit offset
     * @param src the operand, replaced by the old value
     * @return this builder
     */
    public final Asm atomicFetchAnd32(Register dst, int off, Register src) {
        return atomic(Size.W, ATOMIC_AND | FETCH, dst, off, src);
    }

    /**
     * {@code *(u32 *)(dst + off) ^= src}, atomically.
     *
     * @param dst the register holding the address
     * @param off the signed 16-bit offset
     * @param src the operand
     * @return this builder
     */
    public final Asm atomicXor32(Register dst, int off, Register src) {
        return atomic(Size.W, ATOMIC_XOR, dst, off, src);
    }

    /**
     * {@code src = *(u32 *)(dst + off); *(dst + off) ^= src}, atomically: like
     * {@code atomicXor32} but also fetches the old value (zero-extended) into src.
     *
     * @param dst the register holding the address
     * @param off the signed 16-bit offset
     * @param src the operand, replaced by the old value
     * @return this builder
     */
    public final Asm atomicFetchXor32(Register dst, int off, Register src) {
        return atomic(Size.W, ATOMIC_XOR | FETCH, dst, off, src);
    }

    /**
     * Atomically exchanges {@code *(u32 *)(dst + off)} and src; src gets the old value zero-extended.
     *
     * @param dst the register holding the address
     * @param off the signed 16-bit offset
     * @param src the new value, replaced by the old value
     * @return this builder
     */
    public final Asm xchg32(Register dst, int off, Register src) {
        return atomic(Size.W, XCHG, dst, off, src);
    }

    /**
     * Atomically compares {@code *(u32 *)(dst + off)} with {@code r0} and, if equal,
     * stores src; {@code r0} gets the old value zero-extended either way.
     *
     * @param dst the register holding the address
     * @param off the signed 16-bit offset
     * @param src the value to store
     * @return this builder
     */
    public final Asm cmpxchg32(Register dst, int off, Register src) {
        return atomic(Size.W, CMPXCHG, dst, off, src);
    }

    /**
     * {@code dst = load_acquire((size *)(src + off))}, zero-extended (Linux 6.15).
     *
     * @param size the access width
     * @param dst the destination register
     * @param src the register holding the address
     * @param off the signed 16-bit offset
     * @return this builder
     */
    public final Asm loadAcquire(Size size, Register dst, Register src, int off) {
        return emit(STX | ATOMIC | sizeCode(size), reg(dst, "dst"), reg(src, "src"), off, LOAD_ACQ);
    }

    /**
     * {@code store_release((size *)(dst + off), src)} (Linux 6.15).
     *
     * @param size the access width
     * @param dst the register holding the address
     * @param off the signed 16-bit offset
     * @param src the register to store
     * @return this builder
     */
    public final Asm storeRelease(Size size, Register dst, int off, Register src) {
        return emit(STX | ATOMIC | sizeCode(size), reg(dst, "dst"), reg(src, "src"), off, STORE_REL);
    }
}
