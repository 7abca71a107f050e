package io.bpf4j.it.suite;

/**
 * The behaviour suite on the windows backend: eBPF for Windows itself on Windows, the ABI
 * stand-in elsewhere. Where Windows differs (no SOCKET_FILTER programs, no map flags, no
 * program tag) {@link Profile#windows()} says so.
 */
class WindowsBehaviourTest extends BehaviourSuite {
    private final WindowsBackend backend = new WindowsBackend();

    @Override
    protected Backend backend() {
        return backend;
    }
}
