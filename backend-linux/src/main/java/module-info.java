/**
 * The Linux backend of bpf4j: raw {@code bpf()} through Panama FFM on JDK 22+ and JNA on older
 * JDKs. It exports nothing; {@link io.bpf4j.linux.LinuxProvider} is found through the
 * {@link io.bpf4j.api.BpfProvider} service.
 */
module io.bpf4j.linux {
    requires io.bpf4j.api;
    requires static com.sun.jna;

    provides io.bpf4j.api.BpfProvider with io.bpf4j.linux.LinuxProvider;
}
