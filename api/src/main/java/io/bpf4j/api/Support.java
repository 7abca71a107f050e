package io.bpf4j.api;

import java.util.Objects;

/**
 * Whether a backend supports one operation or type, and why not when it does not.
 *
 * @param supported whether it works on this backend now
 * @param reason why it is unsupported ("not in this kernel: ...", "never on Windows: ...");
 *     null when supported
 */
public record Support(boolean supported, String reason) {
    /** Supported. */
    public static final Support YES = new Support(true, null);

    /**
     * Checks that an unsupported entry says why.
     *
     * @param supported whether it works
     * @param reason why not; required when unsupported
     */
    public Support {
        if (!supported) Objects.requireNonNull(reason, "reason");
        if (supported && reason != null) throw new IllegalArgumentException("reason: only for unsupported entries");
    }

    /**
     * An unsupported entry.
     *
     * @param reason why it is unsupported, in words a user can act on
     * @return the entry
     */
    public static Support no(String reason) {
        return new Support(false, reason);
    }

    @Override
    public String toString() {
        return supported ? "supported" : "unsupported: " + reason;
    }
}
