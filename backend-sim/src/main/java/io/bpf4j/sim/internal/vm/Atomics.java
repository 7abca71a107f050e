package io.bpf4j.sim.internal.vm;

import static io.bpf4j.api.asm.Opcodes.*;

/**
 * The atomic read-modify-write instructions on a byte array, atomic also against other threads
 * running programs on the same map. They use compare-and-exchange on the array-view
 * {@code VarHandle}s, which needs the address aligned in JVM memory too; where the JVM lays
 * arrays out so that it is not, they fall back to locking the array.
 */
final class Atomics {
    private Atomics() {}

    /**
     * Applies atomic operation {@code imm} of width {@code n} (4 or 8) at {@code m[i]} with
     * operand {@code r[s]}, updating {@code r[s]} (fetch, xchg) or {@code r[0]} (cmpxchg).
     */
    static void apply(long[] r, byte[] m, int i, int n, int imm, int s) {
        long old;
        try {
            old = n == 8 ? apply64(m, i, imm, r[s], r[0]) : apply32(m, i, imm, (int) r[s], (int) r[0]) & 0xffffffffL;
        } catch (IllegalStateException | UnsupportedOperationException misalignedInJvm) {
            synchronized (m) {
                old = locked(m, i, n, imm, r[s], r[0]);
            }
        }
        if (imm == CMPXCHG) {
            r[0] = old;
        } else if ((imm & FETCH) != 0) {
            r[s] = old;
        }
    }

    /** A compare-and-exchange loop: the byte-array views lack the bitwise and exchange modes. */
    private static long apply64(byte[] m, int i, int imm, long v, long expected) {
        if ((imm & ~FETCH) == (CMPXCHG & ~FETCH)) {
            return (long) Memory.I64.compareAndExchange(m, i, expected, v);
        }
        for (;;) {
            long old = (long) Memory.I64.getVolatile(m, i);
            long next = combine(imm, old, v);
            if ((long) Memory.I64.compareAndExchange(m, i, old, next) == old) {
                return old;
            }
        }
    }

    private static int apply32(byte[] m, int i, int imm, int v, int expected) {
        if ((imm & ~FETCH) == (CMPXCHG & ~FETCH)) {
            return (int) Memory.I32.compareAndExchange(m, i, expected, v);
        }
        for (;;) {
            int old = (int) Memory.I32.getVolatile(m, i);
            int next = (int) combine(imm, old, v);
            if ((int) Memory.I32.compareAndExchange(m, i, old, next) == old) {
                return old;
            }
        }
    }

    private static long combine(int imm, long old, long v) {
        switch (imm & ~FETCH) {
            case ATOMIC_ADD: return old + v;
            case ATOMIC_OR: return old | v;
            case ATOMIC_AND: return old & v;
            case ATOMIC_XOR: return old ^ v;
            default: return v;
        }
    }

    private static long locked(byte[] m, int i, int n, int imm, long v, long expected) {
        long old = n == 8 ? (long) Memory.I64.get(m, i) : (int) Memory.I32.get(m, i) & 0xffffffffL;
        long mask = n == 8 ? -1L : 0xffffffffL;
        long next = (imm & ~FETCH) == (CMPXCHG & ~FETCH) ? (old == (expected & mask) ? v : old) : combine(imm, old, v);
        if (n == 8) {
            Memory.I64.set(m, i, next);
        } else {
            Memory.I32.set(m, i, (int) next);
        }
        return old;
    }
}
