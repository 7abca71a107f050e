package io.bpf4j.api;

/**
 * No backend could be opened: the named one is unavailable, or no kernel backend is. The
 * message lists every provider's reason, and each provider's failure is attached as suppressed.
 */
public class BackendUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was asked for and every provider's reason
     */
    public BackendUnavailableException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what was asked for and the reason
     * @param cause the failure behind it
     */
    public BackendUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
