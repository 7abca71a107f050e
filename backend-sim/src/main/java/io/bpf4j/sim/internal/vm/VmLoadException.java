package io.bpf4j.sim.internal.vm;

/**
 * A program was rejected at load time, as the kernel's verifier would reject it; the message
 * follows the kernel's verifier log wording where there is one (e.g.
 * {@code invalid func unknown#212}, {@code jump out of range from insn 3 to 9}).
 */
public final class VmLoadException extends VmException {
    private static final long serialVersionUID = 1L;

    private final int errno;

    /**
     * Creates the exception.
     *
     * @param pc the index of the rejected instruction, or -1
     * @param errno the positive Linux errno the kernel returns for this rejection (usually EINVAL)
     * @param message the verifier-style message
     */
    public VmLoadException(int pc, int errno, String message) {
        super(pc, message);
        this.errno = errno;
    }

    /**
     * The Linux errno a kernel would return from {@code BPF_PROG_LOAD}.
     *
     * @return a positive errno, e.g. 22 for EINVAL or 7 for E2BIG
     */
    public int errno() {
        return errno;
    }
}
