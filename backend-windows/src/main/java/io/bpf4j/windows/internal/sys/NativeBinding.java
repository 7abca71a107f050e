package io.bpf4j.windows.internal.sys;

import io.bpf4j.internal.binding.Bindings;
import java.nio.file.Path;

/**
 * Opens {@code ebpfapi.dll} with the binding the JDK allows: FFM on JDK 22+, JNA on 17 to 21 or
 * with {@code -Dbpf4j.native=jna}; {@code -Dbpf4j.native=ffm} insists on FFM.
 *
 * @param api the binding, or null when none works
 * @param reason why none works, in words a user can act on; null on success
 * @param cause the failure behind the reason, or null
 */
public record NativeBinding(EbpfApi api, String reason, Throwable cause) {
    private static final String FFM_CLASS = "io.bpf4j.windows.internal.sys.FfmEbpfApi";

    /**
     * Tries the bindings in order.
     *
     * @param library the library file
     * @param forced the value of {@code bpf4j.native}: empty, {@code ffm} or {@code jna}
     * @return the binding, or the reason none works
     */
    public static NativeBinding load(Path library, String forced) {
        Bindings.Choice<EbpfApi> c = Bindings.choose(forced, "io.bpf4j.windows",
                () -> (EbpfApi) Class.forName(FFM_CLASS).getConstructor(Path.class).newInstance(library),
                () -> new JnaEbpfApi(library),
                (kind, e) -> kind.equals("FFM")
                        ? (e instanceof IllegalArgumentException ? "cannot load " + library + ": " + e.getMessage() : null)
                        : "JNA binding failed to load " + library + ": " + e.getMessage());
        return new NativeBinding(c.binding(), c.reason(), c.cause());
    }
}
