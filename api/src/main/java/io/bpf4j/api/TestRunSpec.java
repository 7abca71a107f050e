package io.bpf4j.api;

/**
 * Input of {@link Bpf#progTestRun(int, TestRunSpec)} ({@code BPF_PROG_TEST_RUN}).
 *
 * @param dataIn packet data, or null
 * @param dataSizeOut room for output data in bytes (0: none wanted)
 * @param ctxIn the context (e.g. {@code struct xdp_md}, {@code struct __sk_buff}), or null
 * @param ctxSizeOut room for the output context in bytes (0: none wanted)
 * @param repeat how many times to run (0 and 1 both mean once)
 * @param flags {@link TestRunFlags} bits
 * @param cpu the CPU, with {@link TestRunFlags#RUN_ON_CPU}
 * @param batchSize XDP live frames: frames per batch, or 0
 */
public record TestRunSpec(byte[] dataIn, int dataSizeOut, byte[] ctxIn, int ctxSizeOut, int repeat, int flags,
        int cpu, int batchSize) {
    /**
     * Checks sizes.
     *
     * @throws IllegalArgumentException naming the bad attribute
     */
    public TestRunSpec {
        if (dataSizeOut < 0) throw new IllegalArgumentException("dataSizeOut: negative (" + dataSizeOut + ")");
        if (ctxSizeOut < 0) throw new IllegalArgumentException("ctxSizeOut: negative (" + ctxSizeOut + ")");
        if (repeat < 0) throw new IllegalArgumentException("repeat: negative (" + repeat + ")");
        if (cpu < 0) throw new IllegalArgumentException("cpu: negative (" + cpu + ")");
        if (batchSize < 0) throw new IllegalArgumentException("batchSize: negative (" + batchSize + ")");
    }

    /**
     * Run once on the given data, with room for the same amount of output data.
     *
     * @param data the packet (for socket filter, XDP and TC programs at least an Ethernet header)
     * @return the spec
     */
    public static TestRunSpec ofData(byte[] data) {
        return new TestRunSpec(data, data == null ? 0 : data.length, null, 0, 1, 0, 0, 0);
    }

    /**
     * Run once with only a context (syscall, raw tracepoint programs). The repeat count is 0 and
     * no room for an output context is asked, because Linux refuses both for these programs
     * ({@code bpf_prog_test_run_syscall} and {@code bpf_prog_test_run_raw_tp} in
     * {@code net/bpf/test_run.c}, 6.18); a syscall program's context as it left it comes back in
     * {@link TestRunResult#ctxOut()}.
     *
     * @param ctx the context
     * @return the spec
     */
    public static TestRunSpec ofContext(byte[] ctx) {
        return new TestRunSpec(null, 0, ctx, 0, 0, 0, 0, 0);
    }

    /**
     * A copy run {@code n} times.
     *
     * @param n the repeat count
     * @return the copy
     */
    public TestRunSpec withRepeat(int n) {
        return new TestRunSpec(dataIn, dataSizeOut, ctxIn, ctxSizeOut, n, flags, cpu, batchSize);
    }

    /**
     * A copy with a context as well.
     *
     * @param ctx the input context
     * @param sizeOut room for the output context
     * @return the copy
     */
    public TestRunSpec withContext(byte[] ctx, int sizeOut) {
        return new TestRunSpec(dataIn, dataSizeOut, ctx, sizeOut, repeat, flags, cpu, batchSize);
    }
}
