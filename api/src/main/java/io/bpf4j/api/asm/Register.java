package io.bpf4j.api.asm;

/**
 * The eleven registers of the eBPF machine.
 *
 * <p>{@code r0} holds return values, {@code r1}..{@code r5} carry arguments and are clobbered
 * by calls, {@code r6}..{@code r9} are callee-saved, and {@code r10} is the read-only frame
 * pointer (the top of the current 512-byte stack frame).
 */
public enum Register {
    /** Return value. */
    R0,
    /** First argument; the context at program entry. */
    R1,
    /** Second argument. */
    R2,
    /** Third argument. */
    R3,
    /** Fourth argument. */
    R4,
    /** Fifth argument. */
    R5,
    /** Callee-saved. */
    R6,
    /** Callee-saved. */
    R7,
    /** Callee-saved. */
    R8,
    /** Callee-saved. */
    R9,
    /** Read-only frame pointer. */
    R10;

    private static final Register[] ALL = values();

    /**
     * The register number as encoded in an instruction.
     *
     * @return 0 to 10
     */
    public int number() {
        return ordinal();
    }

    /**
     * The register with the given number.
     *
     * @param number 0 to 10
     * @return the register
     * @throws IllegalArgumentException if {@code number} is out of range
     */
    public static Register of(int number) {
        if (number < 0 || number >= ALL.length) {
            throw new IllegalArgumentException("register: " + number + " is not in 0..10");
        }
        return ALL[number];
    }

    /** Returns the register's name in assembly syntax, e.g. {@code %r1}. */
    @Override
    public String toString() {
        return "%r" + ordinal();
    }
}
