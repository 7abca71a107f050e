package io.bpf4j.api;

import java.util.Objects;

/**
 * Whether a backend can run here, and the actionable reason when it cannot
 * ("not Linux (os.name=Windows 11)", "bpf() returned EPERM: the process lacks CAP_BPF (or CAP_SYS_ADMIN); in Docker: --cap-add BPF", ...).
 *
 * @param available whether {@link BpfProvider#open()} will work
 * @param reason why not; null when available
 * @param cause the failure behind the reason, or null
 */
public record Availability(boolean available, String reason, Throwable cause) {
    /**
     * Checks that an unavailable backend says why.
     *
     * @param available whether the backend can run
     * @param reason why not; required when unavailable
     * @param cause the underlying failure, or null
     */
    public Availability {
        if (!available) Objects.requireNonNull(reason, "reason");
    }

    /**
     * An available backend.
     *
     * @return the availability
     */
    public static Availability yes() {
        return new Availability(true, null, null);
    }

    /**
     * An unavailable backend.
     *
     * @param reason why, in words a user can act on
     * @return the availability
     */
    public static Availability no(String reason) {
        return new Availability(false, reason, null);
    }

    /**
     * An unavailable backend, with the failure that showed it.
     *
     * @param reason why, in words a user can act on
     * @param cause the failure
     * @return the availability
     */
    public static Availability no(String reason, Throwable cause) {
        return new Availability(false, reason, cause);
    }
}
