package io.bpf4j.windows.internal.uapi;

import java.nio.charset.StandardCharsets;

/**
 * eBPF for Windows' pin paths. There is no bpffs: pins live in one case-sensitive in-kernel
 * table, sorted by byte (libs/runtime/ebpf_pinning_table.c@v1.5.0:363-383). From 1.0.0-rc1 every
 * path is first put in canonical form, {@code BPF:\} then backslash-separated components
 * ({@code ebpf_canonicalize_path}, libs/shared/shared_common.c@v1.5.0:766-879, the same rules
 * at Release-v1.0.0-rc1:653-736); at 0.21.x the path is stored exactly as given. The backend
 * checks paths here before any native call, so a path Windows would refuse is an
 * {@link IllegalArgumentException} naming it; the DLL canonicalizes again itself.
 */
public final class PinPaths {
    /** The canonical prefix. */
    public static final String PREFIX = "BPF:";
    /**
     * {@code EBPF_MAX_PIN_PATH_LENGTH} (include/ebpf_core_structs.h@v1.5.0:15): the pin table
     * refuses a stored path of this many bytes or more with EINVAL
     * (libs/runtime/ebpf_pinning_table.c@v1.5.0:128-130, @Release-v0.21.0:127).
     */
    public static final int MAX_LENGTH = 256;
    /**
     * {@code MAX_PATH}: the buffer every caller inside efW canonicalizes into
     * (libs/api/ebpf_api.cpp@Release-v1.0.0-rc1:1279). From 1.1.0 an input that cannot fit is
     * refused (shared_common.c@Release-v1.1.0:694-710); at 1.0.0-rc1 {@code strcat_s} overflows
     * it, and the C runtime's invalid-parameter handler ends the process
     * (shared_common.c@Release-v1.0.0-rc1:661-673).
     */
    public static final int MAX_PATH = 260;
    private static final String LEGACY = "\\ebpf\\global\\";

    private PinPaths() {
    }

    /**
     * The form a path is stored under in the pin table.
     *
     * @param path the path as the user gave it
     * @param canonical whether the library canonicalizes (1.0.0-rc1 and later)
     * @return the stored form
     * @throws IllegalArgumentException naming the path when Windows would refuse it
     */
    public static String stored(String path, boolean canonical) {
        if (canonical) return canonicalize(path);
        basic(path);
        fits(path, path);
        return path;
    }

    /**
     * The canonical form of a pin path, by efW's rules: the {@code BPF:} prefix matched without
     * case and added when missing; a relative path rooted at {@code \}; {@code /} becomes
     * {@code \}; a {@code :} after the prefix is refused; a leading {@code \ebpf\global\} (any
     * case) is dropped before anything is collapsed; {@code \\} and {@code \.\} collapse;
     * {@code \..\} and a final {@code \..} remove the component before them and are refused
     * when there is none. A final {@code \.} is kept, as efW keeps it.
     *
     * @param path the path as the user gave it ({@code /sys/fs/bpf/x}, {@code BPF:\x}, {@code x})
     * @return the canonical form, e.g. {@code BPF:\sys\fs\bpf\x}
     * @throws IllegalArgumentException naming the path when Windows would refuse it (EINVAL)
     */
    public static String canonicalize(String path) {
        basic(path);
        boolean prefixed = path.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
        boolean relative = path.charAt(0) != '/' && path.charAt(0) != '\\';
        String rest = prefixed ? path.substring(PREFIX.length()) : path;
        int required = PREFIX.length() + 1 + (relative ? 1 : 0) + bytes(rest);
        if (required > MAX_PATH) {
            throw new IllegalArgumentException("path: \"" + path + "\" does not fit in MAX_PATH (260) once prefixed");
        }
        StringBuilder o = new StringBuilder(PREFIX);
        if (relative) o.append('\\');
        o.append(rest);
        for (int i = PREFIX.length(); i < o.length(); i++) {
            char c = o.charAt(i);
            if (c == '/') o.setCharAt(i, '\\');
            else if (c == ':') throw new IllegalArgumentException("path: \"" + path + "\" has ':' after the BPF: prefix");
        }
        int p = PREFIX.length();
        if (o.length() >= p + LEGACY.length() && o.substring(p, p + LEGACY.length()).equalsIgnoreCase(LEGACY)) {
            o.delete(p + 1, p + LEGACY.length());
        }
        int i = p;
        while (i < o.length()) {
            if (at(o, i, "\\\\")) {
                o.deleteCharAt(i + 1);
            } else if (at(o, i, "\\.\\")) {
                o.delete(i + 1, i + 3);
            } else if (at(o, i, "\\..\\")) {
                int sep = previousSeparator(o, i, path);
                o.delete(sep + 1, i + 4);
                i = sep;
            } else if (o.length() - i == 3 && at(o, i, "\\..")) {
                int sep = previousSeparator(o, i, path);
                o.setLength(sep);
                i = sep;
            } else {
                i++;
            }
        }
        String canonical = o.toString();
        fits(path, canonical);
        return canonical;
    }

    private static void basic(String path) {
        if (path == null || path.isEmpty()) throw new IllegalArgumentException("path: empty");
        if (path.indexOf('\0') >= 0) throw new IllegalArgumentException("path: contains NUL");
    }

    private static void fits(String path, String stored) {
        if (bytes(stored) >= MAX_LENGTH) {
            throw new IllegalArgumentException("path: \"" + path + "\" is stored as " + bytes(stored)
                    + " bytes; the pin table takes at most " + (MAX_LENGTH - 1));
        }
    }

    private static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static boolean at(StringBuilder o, int i, String s) {
        return o.length() - i >= s.length() && o.substring(i, i + s.length()).equals(s);
    }

    /** The separator before index {@code i}, looking no further back than the root. */
    private static int previousSeparator(StringBuilder o, int i, String path) {
        for (int k = i - 1; k >= PREFIX.length(); k--) {
            if (o.charAt(k) == '\\') return k;
        }
        throw new IllegalArgumentException("path: \"" + path + "\" climbs above the root");
    }
}
