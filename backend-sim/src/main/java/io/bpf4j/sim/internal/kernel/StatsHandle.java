package io.bpf4j.sim.internal.kernel;

/** The descriptor of {@code BPF_ENABLE_STATS}: statistics stay on while one is open. */
public final class StatsHandle extends KObject {
    private final Kernel kernel;

    /**
     * Turns statistics on.
     *
     * @param kernel the kernel
     */
    public StatsHandle(Kernel kernel) {
        super(ObjKind.OTHER);
        this.kernel = kernel;
        kernel.statsUsers(1);
    }

    @Override
    protected void destroy() {
        kernel.statsUsers(-1);
    }

    @Override
    protected Kernel kernel() {
        return null;
    }

    @Override
    public String describe() {
        return "stats";
    }
}
