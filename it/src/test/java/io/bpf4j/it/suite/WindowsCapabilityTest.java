package io.bpf4j.it.suite;

/**
 * The capability suite on the windows backend. The exercises take the trivial program type
 * (XDP), the legacy attach hook (sock_addr, for every compartment) and links (XDP links made
 * with {@code ebpf_program_attach_by_fds}) from {@link Profile#windows()} and
 * {@link WindowsBackend}.
 */
class WindowsCapabilityTest extends CapabilitySuite {
    private final WindowsBackend backend = new WindowsBackend();

    @Override
    protected Backend backend() {
        return backend;
    }
}
