package io.bpf4j.it.suite;

/** The capability suite on the sim backend. */
class SimCapabilityTest extends CapabilitySuite {
    private final Backend backend = new SimBackend();

    @Override
    protected Backend backend() {
        return backend;
    }
}
