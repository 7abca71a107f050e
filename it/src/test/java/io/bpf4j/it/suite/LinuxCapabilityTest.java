package io.bpf4j.it.suite;

/** The capability suite on the linux backend. */
class LinuxCapabilityTest extends CapabilitySuite {
    private final Backend backend = new LinuxBackend();

    @Override
    protected Backend backend() {
        return backend;
    }
}
