package io.bpf4j.it.suite;

/** The behaviour suite on the sim backend. */
class SimBehaviourTest extends BehaviourSuite {
    private final Backend backend = new SimBackend();

    @Override
    protected Backend backend() {
        return backend;
    }
}
