package io.bpf4j.api;

import java.util.Objects;

/**
 * Whether a backend supports one operation or type, and why not when it does not.
 *
 * <p>An entry has three outcomes. <em>Supported</em> and <em>unsupported</em> are conclusive:
 * the backend found out. <em>Unknown</em> ({@link #known()} false) means the backend could not
 * find out this time: its probe was cut short by something that passes, such as a process out
 * of descriptors or memory or an interrupted call, and the reason says what. An unknown entry
 * reads as not supported, but a backend never refuses an operation for it: it makes the call
 * and reports the platform's own error, and it probes again the next time it is asked.
 *
 * @param supported whether it works on this backend now; false for an unknown entry
 * @param reason why it is unsupported ("not in this kernel: ...", "never on Windows: ..."), or
 *     why it is unknown; null when supported
 * @param known false when the backend could not tell (the entry is neither cached nor enforced)
 */
public record Support(boolean supported, String reason, boolean known) {
    /** Supported. */
    public static final Support YES = new Support(true, null);

    /**
     * Checks that an entry that is not supported says why, and that a supported one is known.
     *
     * @param supported whether it works
     * @param reason why not; required when not supported
     * @param known whether the backend could tell
     */
    public Support {
        if (!supported) Objects.requireNonNull(reason, "reason");
        if (supported && reason != null) throw new IllegalArgumentException("reason: only for entries that are not supported");
        if (supported && !known) throw new IllegalArgumentException("known: a supported entry is known");
    }

    /**
     * A conclusive entry: supported, or unsupported for the given reason.
     *
     * @param supported whether it works
     * @param reason why not; required when unsupported, null when supported
     */
    public Support(boolean supported, String reason) {
        this(supported, reason, true);
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

    /**
     * An entry the backend could not decide this time.
     *
     * @param reason what stopped the probe, e.g. {@code "probe inconclusive: EMFILE (24)"}
     * @return the entry
     */
    public static Support unknown(String reason) {
        return new Support(false, reason, false);
    }

    @Override
    public String toString() {
        if (supported) return "supported";
        return (known ? "unsupported: " : "unknown: ") + reason;
    }
}
