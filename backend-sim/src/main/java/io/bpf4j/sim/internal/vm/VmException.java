package io.bpf4j.sim.internal.vm;

/**
 * A program run stopped because it did something the kernel would never let it do, or ran out
 * of its instruction budget: an access outside the memory it holds, a call stack deeper than
 * the kernel's, a bad helper argument. The message names the instruction index, the
 * instruction and, for memory faults, the address.
 */
public class VmException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int pc;

    /**
     * Creates the exception.
     *
     * @param pc the index of the faulting instruction, or -1 when not tied to one
     * @param message what went wrong, including where
     */
    public VmException(int pc, String message) {
        super(message);
        this.pc = pc;
    }

    /**
     * The index of the faulting instruction.
     *
     * @return the instruction index, or -1 when the failure is not tied to one instruction
     */
    public int pc() {
        return pc;
    }
}
