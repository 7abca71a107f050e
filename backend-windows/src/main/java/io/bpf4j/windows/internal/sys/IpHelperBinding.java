package io.bpf4j.windows.internal.sys;

import io.bpf4j.internal.binding.Bindings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Opens {@code iphlpapi.dll} for interface names, with the binding the JDK allows (as
 * {@link NativeBinding} opens {@code ebpfapi.dll}). On Windows it is the system's copy in
 * {@code %SystemRoot%\System32}, named by full path so no other folder's DLL of that name can be
 * picked up; {@code -Dbpf4j.windows.iphlpapi=PATH} names another file (a stand-in on another OS).
 *
 * @param api the binding, or null when none works
 * @param reason why interface names cannot be resolved, in words a user can act on; null on success
 * @param cause the failure behind the reason, or null
 */
public record IpHelperBinding(IpHelperApi api, String reason, Throwable cause) {
    /** System property naming the library file to load instead of the system's iphlpapi.dll. */
    public static final String PROPERTY = "bpf4j.windows.iphlpapi";
    private static final String FFM_CLASS = "io.bpf4j.windows.internal.sys.FfmIpHelperApi";
    private static final String DLL = "iphlpapi.dll";

    /**
     * The binding this process is configured for, from {@value #PROPERTY}, {@code os.name},
     * {@code bpf4j.native} and {@code SystemRoot}.
     *
     * @return the binding or the reason
     */
    public static IpHelperBinding system() {
        return configured(System.getProperty("os.name"), System.getProperty(PROPERTY), System.getenv("SystemRoot"),
                System.getProperty(Bindings.PROPERTY));
    }

    /**
     * The binding for a configuration.
     *
     * @param osName the {@code os.name} to judge by
     * @param property the value of {@value #PROPERTY}, or null
     * @param systemRoot the {@code SystemRoot} folder, or null for {@code C:\Windows}
     * @param forced the value of {@code bpf4j.native}, or null
     * @return the binding or the reason
     */
    public static IpHelperBinding configured(String osName, String property, String systemRoot, String forced) {
        Path p = locate(osName, property, systemRoot);
        return p == null ? unavailable(whyNotFound(osName, property)) : load(p, forced);
    }

    /**
     * A binding that is not there.
     *
     * @param reason why
     * @return it
     */
    public static IpHelperBinding unavailable(String reason) {
        return new IpHelperBinding(null, reason, null);
    }

    /** The library file, or null when there is none to load. */
    static Path locate(String osName, String property, String systemRoot) {
        if (property != null && !property.isBlank()) {
            Path p = Path.of(property);
            return Files.isRegularFile(p) ? p : null;
        }
        if (osName == null || !osName.toLowerCase(Locale.ROOT).startsWith("windows")) return null;
        Path p = Path.of(systemRoot == null || systemRoot.isBlank() ? "C:\\Windows" : systemRoot, "System32", DLL);
        return Files.isRegularFile(p) ? p : null;
    }

    private static String whyNotFound(String osName, String property) {
        if (property != null && !property.isBlank()) {
            return "interface names need " + DLL + ": -D" + PROPERTY + "=" + property + " is not a file";
        }
        if (osName == null || !osName.toLowerCase(Locale.ROOT).startsWith("windows")) {
            return "interface names need Windows' " + DLL + " (IP helper API), and this is not Windows (os.name=" + osName
                    + "); set -D" + PROPERTY + "=PATH to use a stand-in library";
        }
        return "interface names need " + DLL + " (IP helper API), which is not in %SystemRoot%\\System32; pass the interface index";
    }

    /**
     * Opens the library with the binding the JDK allows.
     *
     * @param library the file
     * @param forced the value of {@code bpf4j.native}: null or empty, {@code ffm} or {@code jna}
     * @return the binding, or why it cannot be made (the library does not load or lacks one of
     *     {@link IpHelperApi#EXPORTS})
     */
    public static IpHelperBinding load(Path library, String forced) {
        Bindings.Choice<IpHelperApi> c = Bindings.choose(forced, "io.bpf4j.windows",
                () -> (IpHelperApi) Class.forName(FFM_CLASS).getConstructor(Path.class).newInstance(library),
                () -> new JnaIpHelperApi(library),
                (kind, e) -> e instanceof IllegalArgumentException || e instanceof UnsatisfiedLinkError
                        ? "interface names need " + library + " with " + String.join(", ", IpHelperApi.EXPORTS)
                                + ", and " + kind + " could not bind it: " + e.getMessage()
                        : null);
        return new IpHelperBinding(c.binding(), c.reason(), c.cause());
    }
}
