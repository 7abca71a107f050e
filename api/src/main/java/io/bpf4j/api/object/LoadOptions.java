package io.bpf4j.api.object;

import java.util.Objects;

/**
 * How {@link ObjectSpec#load(io.bpf4j.api.Bpf, LoadOptions)} loads an object.
 *
 * @param pinRoot the directory where maps with {@link Pinning#BY_NAME} are pinned and looked
 *     for, as libbpf's {@code pin_root_path}; libbpf's default is {@code /sys/fs/bpf}
 * @param logLevel the verifier log level for every program: 0 to ask for a log only when a load
 *     fails, 1 or 2 to always keep it ({@link io.bpf4j.api.BpfProgram#verifierLog()})
 * @param logSize the initial verifier log buffer in bytes, or 0 for the backend's default; it
 *     grows when the verifier needs more
 */
public record LoadOptions(String pinRoot, int logLevel, int logSize) {
    /** libbpf's default pin root. */
    public static final String DEFAULT_PIN_ROOT = "/sys/fs/bpf";

    /**
     * Checks the options.
     *
     * @throws IllegalArgumentException naming a bad option
     */
    public LoadOptions {
        Objects.requireNonNull(pinRoot, "pinRoot");
        if (pinRoot.isEmpty() || pinRoot.indexOf('\0') >= 0) throw new IllegalArgumentException("pinRoot: empty or contains NUL");
        if (logLevel < 0 || logLevel > 7) throw new IllegalArgumentException("logLevel: " + logLevel + " not in 0..7");
        if (logSize < 0) throw new IllegalArgumentException("logSize: negative");
    }

    /**
     * The defaults: pins under {@code /sys/fs/bpf}, a verifier log only on failure.
     *
     * @return the options
     */
    public static LoadOptions defaults() {
        return new LoadOptions(DEFAULT_PIN_ROOT, 0, 0);
    }

    /**
     * A copy with another pin root.
     *
     * @param dir the directory for {@link Pinning#BY_NAME} maps
     * @return the copy
     */
    public LoadOptions withPinRoot(String dir) {
        return new LoadOptions(dir, logLevel, logSize);
    }

    /**
     * A copy that keeps the verifier log of every program.
     *
     * @param level 1 or 2
     * @param size the initial buffer size in bytes
     * @return the copy
     */
    public LoadOptions withLog(int level, int size) {
        return new LoadOptions(pinRoot, level, size);
    }
}
