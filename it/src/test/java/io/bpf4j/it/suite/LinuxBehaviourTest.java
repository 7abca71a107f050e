package io.bpf4j.it.suite;

/** The behaviour suite on the linux backend. */
class LinuxBehaviourTest extends BehaviourSuite {
    private final Backend backend = new LinuxBackend();

    @Override
    protected Backend backend() {
        return backend;
    }
}
