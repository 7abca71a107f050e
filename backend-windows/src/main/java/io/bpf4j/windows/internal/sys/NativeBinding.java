package io.bpf4j.windows.internal.sys;

import java.nio.file.Path;
import java.util.Locale;

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
        forced = forced == null ? "" : forced.trim().toLowerCase(Locale.ROOT);
        if (!forced.isEmpty() && !forced.equals("ffm") && !forced.equals("jna")) {
            return new NativeBinding(null, "-Dbpf4j.native=" + forced + " is neither ffm nor jna", null);
        }
        String ffmFailure = null;
        Throwable ffmCause = null;
        int feature = Runtime.version().feature();
        if (!forced.equals("jna")) {
            if (feature >= 22) {
                try {
                    EbpfApi api = (EbpfApi) Class.forName(FFM_CLASS).getConstructor(Path.class).newInstance(library);
                    return new NativeBinding(api, null, null);
                } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                    Throwable c = e instanceof java.lang.reflect.InvocationTargetException ? e.getCause() : e;
                    ffmCause = c;
                    ffmFailure = c instanceof IllegalCallerException
                            ? "native access denied: run with --enable-native-access=io.bpf4j.windows"
                                    + " (or ALL-UNNAMED on the class path)"
                            : c instanceof IllegalArgumentException
                                    ? "cannot load " + library + ": " + c.getMessage()
                                    : "FFM binding failed: " + c;
                }
            } else {
                ffmFailure = "JDK " + feature + " has no final FFM API (needs 22+)";
            }
            if (forced.equals("ffm")) return new NativeBinding(null, ffmFailure, ffmCause);
        }
        try {
            Class.forName("com.sun.jna.Native");
        } catch (ClassNotFoundException | LinkageError e) {
            String why = feature < 22 ? "JDK 17-21 needs JNA (net.java.dev.jna:jna 5.x) on the class path"
                    : "JNA (net.java.dev.jna:jna 5.x) is not on the class path";
            return new NativeBinding(null, ffmFailure == null ? why : ffmFailure + "; " + why, ffmCause);
        }
        try {
            return new NativeBinding(new JnaEbpfApi(library), null, null);
        } catch (LinkageError | RuntimeException e) {
            String why = "JNA binding failed to load " + library + ": " + e.getMessage();
            return new NativeBinding(null, ffmFailure == null ? why : ffmFailure + "; " + why, e);
        }
    }
}
