package io.bpf4j.api;

/**
 * The backend cannot do this operation, map type, program type or attach type, and says why:
 * never on this platform, not in this kernel, not permitted, not yet implemented. It matches
 * the {@link Support} the backend reports in {@link Bpf#capabilities()}.
 */
public class BpfUnsupportedException extends BpfException {
    private static final long serialVersionUID = 1L;

    private final String reason;

    /**
     * Creates the exception.
     *
     * @param backend the backend's name
     * @param operation the operation that was asked for
     * @param reason why it is unsupported, as reported by the capabilities
     */
    public BpfUnsupportedException(String backend, Operation operation, String reason) {
        this(backend, operation, Errno.EOPNOTSUPP, -1, reason);
    }

    /**
     * Creates the exception for an unsupported operation the platform reported with an errno.
     *
     * @param backend the backend's name
     * @param operation the operation that was asked for
     * @param errno the portable errno the platform reported
     * @param rawErrno the platform's number, or -1
     * @param reason why it is unsupported
     */
    public BpfUnsupportedException(String backend, Operation operation, Errno errno, int rawErrno,
            String reason) {
        super(backend, operation, null, errno, rawErrno, "unsupported: " + reason);
        this.reason = reason;
    }

    /**
     * Why the operation is unsupported.
     *
     * @return the reason, e.g. {@code "kernel lacks BPF_MAP_TYPE_ARENA (needs Linux 6.9)"}
     */
    public String reason() {
        return reason;
    }
}
