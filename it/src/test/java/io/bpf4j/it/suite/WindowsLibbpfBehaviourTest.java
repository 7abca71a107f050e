package io.bpf4j.it.suite;

/**
 * The behaviour suite on the windows backend with {@code -Dbpf4j.windows.calls=libbpf}: the
 * shared commands go through the functions of efW's {@code bpf.h} ({@code bpf_map_create},
 * {@code bpf_prog_load}, {@code bpf_obj_pin} ...) instead of {@code bpf()}, with the JNA binding,
 * so both call paths and both bindings pass the same suite.
 */
class WindowsLibbpfBehaviourTest extends WindowsBehaviourTest {
    private final Backend backend = new WindowsBackend("libbpf", "jna");

    @Override
    protected Backend backend() {
        return backend;
    }
}
