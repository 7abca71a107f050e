/** The {@code bpf4j} command: probe the backends and what they support. */
module io.bpf4j.cli {
    requires io.bpf4j.api;
    requires io.bpf4j.sim;
    requires info.picocli;

    opens io.bpf4j.cli to info.picocli;
}
