/**
 * A JUnit 5 kit for tests of eBPF agents: {@link io.bpf4j.junit.BpfTest} runs a test on the
 * simulator and on the kernel.
 */
module io.bpf4j.junit {
    requires transitive io.bpf4j.api;
    requires transitive io.bpf4j.sim;
    requires transitive org.junit.jupiter.api;

    exports io.bpf4j.junit;
    opens io.bpf4j.junit to org.junit.platform.commons;
}
