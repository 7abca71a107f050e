/** The simulator backend: an in-memory kernel selected with {@code Bpf.open("sim")}. */
module io.bpf4j.sim {
    requires transitive io.bpf4j.api;

    exports io.bpf4j.sim;

    provides io.bpf4j.api.BpfProvider with io.bpf4j.sim.SimProvider;
}
