package io.bpf4j.internal.binding;

import java.lang.reflect.InvocationTargetException;
import java.util.Locale;
import java.util.function.BiFunction;

/**
 * The one policy both native backends follow to pick a binding (DESIGN.md, "Native access and
 * JDK policy"): FFM on JDK 22 and later, JNA on 17 to 21 or with {@code -Dbpf4j.native=jna};
 * {@code -Dbpf4j.native=ffm} insists on FFM. A failure becomes a reason a user can act on.
 */
public final class Bindings {
    /** The system property that forces a binding. */
    public static final String PROPERTY = "bpf4j.native";

    private Bindings() {
    }

    /**
     * Makes one binding; may throw anything its native library or class loading throws.
     *
     * @param <T> the binding type
     */
    @FunctionalInterface
    public interface Loader<T> {
        /**
         * Makes the binding.
         *
         * @return the binding
         * @throws Exception when it cannot be made
         */
        T load() throws Exception;
    }

    /**
     * The chosen binding, or why none works.
     *
     * @param <T> the binding type
     * @param binding the binding, or null when none works
     * @param reason why none works; null on success
     * @param cause the failure behind the reason, or null
     */
    public record Choice<T>(T binding, String reason, Throwable cause) {
    }

    /**
     * Picks a binding.
     *
     * @param <T> the binding type
     * @param forced the value of {@value #PROPERTY}: null or empty, {@code ffm} or {@code jna}
     * @param module the module that needs native access, named in the message when it is denied
     * @param ffm makes the FFM binding; called only on JDK 22+, so its classes must be loaded
     *     reflectively inside it
     * @param jna makes the JNA binding; called only when JNA is on the class or module path
     * @param describe words for a backend's own failures: given {@code "FFM"} or {@code "JNA"}
     *     and the failure, a message, or null for the default wording; may itself be null
     * @return the binding or the reason
     */
    public static <T> Choice<T> choose(String forced, String module, Loader<T> ffm, Loader<T> jna,
            BiFunction<String, Throwable, String> describe) {
        String mode = forced == null ? "" : forced.trim().toLowerCase(Locale.ROOT);
        if (!mode.isEmpty() && !mode.equals("ffm") && !mode.equals("jna")) {
            return new Choice<>(null, "-D" + PROPERTY + "=" + mode + " is neither ffm nor jna", null);
        }
        String ffmFailure = null;
        Throwable ffmCause = null;
        int feature = Runtime.version().feature();
        if (!mode.equals("jna")) {
            if (feature >= 22) {
                try {
                    return new Choice<>(ffm.load(), null, null);
                } catch (Exception | LinkageError e) {
                    Throwable c = e instanceof InvocationTargetException && e.getCause() != null ? e.getCause() : e;
                    ffmCause = c;
                    String own = describe == null ? null : describe.apply("FFM", c);
                    ffmFailure = own != null ? own
                            : c instanceof IllegalCallerException
                                    ? "native access denied: run with --enable-native-access=" + module
                                            + " (or ALL-UNNAMED on the class path)"
                                    : "FFM binding failed: " + c;
                }
            } else {
                ffmFailure = "JDK " + feature + " has no final FFM API (needs 22+)";
            }
            if (mode.equals("ffm")) return new Choice<>(null, ffmFailure, ffmCause);
        }
        try {
            Class.forName("com.sun.jna.Native");
        } catch (ClassNotFoundException | LinkageError e) {
            String why = feature < 22 ? "JDK 17-21 needs JNA (net.java.dev.jna:jna 5.x) on the class path"
                    : "JNA (net.java.dev.jna:jna 5.x) is not on the class path";
            return new Choice<>(null, ffmFailure == null ? why : ffmFailure + "; " + why, ffmCause);
        }
        try {
            return new Choice<>(jna.load(), null, null);
        } catch (Exception | LinkageError e) {
            String own = describe == null ? null : describe.apply("JNA", e);
            String why = own != null ? own : "JNA binding failed: " + e;
            return new Choice<>(null, ffmFailure == null ? why : ffmFailure + "; " + why, e);
        }
    }
}
