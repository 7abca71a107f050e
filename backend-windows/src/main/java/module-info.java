/**
 * The eBPF for Windows backend: {@code ebpfapi.dll} through Panama FFM (JNA on JDK 17 to 21).
 * Selected by {@code Bpf.open()} on Windows, or by name with {@code Bpf.open("windows")}.
 * It exports one package, for {@link io.bpf4j.windows.WindowsBpf}: what eBPF for Windows offers
 * beyond the portable interface (pin listing, attach by GUID, native images, XDP functions).
 */
module io.bpf4j.windows {
    requires transitive io.bpf4j.api;
    requires static com.sun.jna;

    exports io.bpf4j.windows;

    provides io.bpf4j.api.BpfProvider with io.bpf4j.windows.WindowsProvider;
}
