package io.bpf4j.linux.internal.sys;

/**
 * Picks the native binding at run time: FFM on JDK 22+, JNA on 17 to 21 or when
 * {@code -Dbpf4j.native=jna}; {@code -Dbpf4j.native=ffm} insists on FFM.
 *
 * @param syscalls the binding, or null when none works
 * @param reason why none works, in words a user can act on; null on success
 * @param cause the failure behind the reason, or null
 */
public record NativeBinding(Syscalls syscalls, String reason, Throwable cause) {
    private static final String FFM_CLASS = "io.bpf4j.linux.internal.sys.FfmSyscalls";

    /**
     * Tries the bindings in order.
     *
     * @return the binding, or the reason none works
     */
    public static NativeBinding load() {
        String forced = System.getProperty("bpf4j.native", "").trim().toLowerCase(java.util.Locale.ROOT);
        if (!forced.isEmpty() && !forced.equals("ffm") && !forced.equals("jna")) {
            return new NativeBinding(null, "-Dbpf4j.native=" + forced + " is neither ffm nor jna", null);
        }
        String ffmFailure = null;
        Throwable ffmCause = null;
        int feature = Runtime.version().feature();
        if (!forced.equals("jna")) {
            if (feature >= 22) {
                try {
                    Syscalls s = (Syscalls) Class.forName(FFM_CLASS).getConstructor().newInstance();
                    return new NativeBinding(s, null, null);
                } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                    Throwable c = e instanceof java.lang.reflect.InvocationTargetException ? e.getCause() : e;
                    ffmCause = c;
                    ffmFailure = c instanceof IllegalCallerException
                            ? "native access denied: run with --enable-native-access=io.bpf4j.linux"
                                    + " (or ALL-UNNAMED on the class path)"
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
            return new NativeBinding(new JnaSyscalls(), null, null);
        } catch (LinkageError | RuntimeException e) {
            String why = "JNA binding failed: " + e;
            return new NativeBinding(null, ffmFailure == null ? why : ffmFailure + "; " + why, e);
        }
    }
}
