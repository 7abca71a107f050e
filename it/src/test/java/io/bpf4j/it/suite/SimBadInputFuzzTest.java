package io.bpf4j.it.suite;

/** The bad-input fuzz on the simulator. */
class SimBadInputFuzzTest extends BadInputFuzz {
    private final Backend backend = new SimBackend();

    @Override
    protected Backend backend() {
        return backend;
    }
}
