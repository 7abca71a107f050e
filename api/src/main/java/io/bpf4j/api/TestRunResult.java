package io.bpf4j.api;

/**
 * Output of {@link Bpf#progTestRun(int, TestRunSpec)}.
 *
 * @param retval the program's return value (r0's low 32 bits), e.g. {@code XDP_PASS}
 * @param durationNs the mean run time per repetition in nanoseconds, as the kernel measured it
 * @param dataOut the output data, at most {@link TestRunSpec#dataSizeOut()} bytes
 * @param dataSizeOut the size of the output data the kernel reported
 * @param ctxOut the output context, at most {@link TestRunSpec#ctxSizeOut()} bytes; for a run
 *     given only a context (no data, no room for an output context, as
 *     {@link TestRunSpec#ofContext(byte[])} makes), the context as the run left it: Linux writes
 *     a syscall program's context back in place, and leaves the others' as they were given
 */
public record TestRunResult(int retval, int durationNs, byte[] dataOut, int dataSizeOut, byte[] ctxOut) {
}
