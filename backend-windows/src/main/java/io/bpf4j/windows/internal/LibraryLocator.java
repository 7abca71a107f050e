package io.bpf4j.windows.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Finds {@code ebpfapi.dll}: the path in {@code -Dbpf4j.windows.library} (which may also name a
 * stand-in library on another OS, as the ABI tests do), else the eBPF for Windows install folder
 * and the {@code PATH}, where the installer puts it.
 */
public final class LibraryLocator {
    /** System property naming the library file to load instead of the installed one. */
    public static final String PROPERTY = "bpf4j.windows.library";
    /** The folder the eBPF for Windows installer uses (and appends to the system PATH). */
    static final String INSTALL_DIR = "C:\\Program Files\\ebpf-for-windows";
    private static final String DLL = "ebpfapi.dll";

    /**
     * Where the library is, or why it was not found.
     *
     * @param library the library file, or null when not found
     * @param reason why it was not found, or null when found
     */
    public record Result(Path library, String reason) {
    }

    private LibraryLocator() {
    }

    /**
     * Looks for the library.
     *
     * @param osName the {@code os.name} to judge by
     * @param property the value of {@value #PROPERTY}, or null
     * @param pathEnv the {@code PATH}, or null
     * @return the library, or the reason it was not found
     */
    public static Result locate(String osName, String property, String pathEnv) {
        if (property != null && !property.isBlank()) {
            Path p = Path.of(property);
            return Files.isRegularFile(p) ? new Result(p, null)
                    : new Result(null, DLL + " not found: -D" + PROPERTY + "=" + property + " is not a file");
        }
        boolean windows = osName != null && osName.toLowerCase(Locale.ROOT).startsWith("windows");
        if (!windows) {
            return new Result(null, DLL + " not found: this is not Windows (os.name=" + osName
                    + "); eBPF for Windows runs on Windows 11 or Server 2022+ x64. To drive the backend"
                    + " against a stand-in library, set -D" + PROPERTY + "=PATH");
        }
        List<Path> tried = new ArrayList<>();
        tried.add(Path.of(INSTALL_DIR, DLL));
        if (pathEnv != null) {
            for (String dir : pathEnv.split(";")) {
                if (!dir.isBlank()) tried.add(Path.of(dir.trim(), DLL));
            }
        }
        for (Path p : tried) {
            if (Files.isRegularFile(p)) return new Result(p, null);
        }
        return new Result(null, DLL + " not found in " + INSTALL_DIR + " or on the PATH: install eBPF for"
                + " Windows (msiexec /i ebpf-for-windows.msi ADDLOCAL=ALL /qn) or set -D" + PROPERTY + "=PATH");
    }
}
