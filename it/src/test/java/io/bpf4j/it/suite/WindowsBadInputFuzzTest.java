package io.bpf4j.it.suite;

/** The bad-input fuzz on the Windows backend (its ABI stand-in off Windows). */
class WindowsBadInputFuzzTest extends BadInputFuzz {
    private final Backend backend = new WindowsBackend();

    @Override
    protected Backend backend() {
        return backend;
    }
}
