package io.bpf4j.api;

/**
 * The kernel's verifier (or BTF checker) refused a program or a BTF blob. Carries the whole
 * log the verifier wrote; {@link #getMessage()} ends with its last lines, which name the
 * failing instruction.
 */
public class VerifierException extends BpfException {
    private static final long serialVersionUID = 1L;

    private final String log;

    /**
     * Creates the exception.
     *
     * @param backend the backend's name
     * @param operation {@link Operation#PROG_LOAD} or {@link Operation#BTF_LOAD}
     * @param object what was loaded, e.g. {@code program "xdp_drop"}, or null
     * @param errno the portable errno
     * @param rawErrno the platform's number
     * @param log the complete verifier log, possibly empty
     */
    public VerifierException(String backend, Operation operation, String object, Errno errno,
            int rawErrno, String log) {
        super(backend, operation, object, errno, rawErrno, tail(log));
        this.log = log == null ? "" : log;
    }

    private static String tail(String log) {
        if (log == null || log.isBlank()) return "no verifier log";
        String[] lines = log.strip().split("\n");
        int from = Math.max(0, lines.length - 3);
        return "verifier: " + String.join(" | ", java.util.Arrays.copyOfRange(lines, from, lines.length));
    }

    /**
     * The complete verifier log.
     *
     * @return the log, empty when the kernel wrote none
     */
    public String log() {
        return log;
    }
}
