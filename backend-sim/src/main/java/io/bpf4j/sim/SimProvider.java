package io.bpf4j.sim;

import io.bpf4j.api.Availability;
import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfProvider;

/**
 * The simulator's provider: {@code sim}, always available, never chosen by {@code Bpf.open()}
 * on its own because it is not a kernel. Each {@link #open()} is a fresh, empty simulator.
 */
public final class SimProvider implements BpfProvider {
    /** Creates the provider; cheap and side-effect free. */
    public SimProvider() {
    }

    @Override
    public String name() {
        return "sim";
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public boolean isKernel() {
        return false;
    }

    @Override
    public Availability availability() {
        return Availability.yes();
    }

    @Override
    public Bpf open() {
        return Simulator.builder().build();
    }
}
