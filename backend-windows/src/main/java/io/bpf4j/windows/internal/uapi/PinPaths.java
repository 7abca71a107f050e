package io.bpf4j.windows.internal.uapi;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;

/**
 * eBPF for Windows' pin path canonical form ({@code docs/PinPaths.md},
 * {@code libs/shared/shared_common.c}): {@code BPF:\} then backslash-separated components.
 * There is no bpffs: pins live in one case-sensitive in-kernel table. The backend checks paths
 * here before any native call, so a path Windows would refuse is an
 * {@link IllegalArgumentException} naming it; the DLL canonicalizes again itself.
 */
public final class PinPaths {
    /** The canonical prefix. */
    public static final String PREFIX = "BPF:";
    /** {@code EBPF_MAX_PIN_PATH_LENGTH}. */
    public static final int MAX_LENGTH = 256;
    /** {@code MAX_PATH}: the canonical form must fit, with its NUL. */
    public static final int MAX_PATH = 260;
    private static final String LEGACY = "\\ebpf\\global\\";

    private PinPaths() {
    }

    /**
     * The canonical form of a pin path.
     *
     * @param path the path as the user gave it ({@code /sys/fs/bpf/x}, {@code BPF:\x}, {@code x})
     * @return the canonical form, e.g. {@code BPF:\sys\fs\bpf\x}
     * @throws IllegalArgumentException naming the path when Windows would refuse it (EINVAL)
     */
    public static String canonicalize(String path) {
        if (path == null || path.isEmpty()) throw new IllegalArgumentException("path: empty");
        if (path.indexOf('\0') >= 0) throw new IllegalArgumentException("path: contains NUL");
        if (path.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("path: \"" + path + "\" is longer than " + MAX_LENGTH + " characters");
        }
        String p = path;
        if (p.length() >= PREFIX.length() && p.substring(0, PREFIX.length()).toUpperCase(Locale.ROOT).equals(PREFIX)) {
            p = p.substring(PREFIX.length());
        }
        if (p.indexOf(':') >= 0) {
            throw new IllegalArgumentException("path: \"" + path + "\" has ':' after the BPF: prefix (not a pin path)");
        }
        p = p.replace('/', '\\');
        if (!p.startsWith("\\")) p = "\\" + p;
        Deque<String> parts = new ArrayDeque<>();
        for (String c : p.split("\\\\")) {
            if (c.isEmpty() || c.equals(".")) continue;
            if (c.equals("..")) {
                if (parts.isEmpty()) throw new IllegalArgumentException("path: \"" + path + "\" climbs above the root");
                parts.removeLast();
            } else {
                parts.addLast(c);
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String c : parts) sb.append('\\').append(c);
        String rooted = sb.length() == 0 ? "\\" : sb.toString();
        if ((rooted + "\\").startsWith(LEGACY)) rooted = rooted.length() <= LEGACY.length() ? "\\" : "\\" + rooted.substring(LEGACY.length());
        String canonical = PREFIX + rooted;
        if (canonical.length() + 1 > MAX_PATH) {
            throw new IllegalArgumentException("path: canonical form of \"" + path + "\" does not fit in MAX_PATH (260)");
        }
        return canonical;
    }
}
