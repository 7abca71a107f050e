package io.bpf4j.api;

/**
 * A loaded program or BTF object: its new descriptor and what the verifier wrote.
 *
 * @param fd the new descriptor; the caller owns it and closes it with {@link Bpf#closeFd(int)}
 * @param log the verifier log when one was asked for, else empty
 */
public record LoadResult(int fd, String log) {
    /**
     * Normalises a missing log to empty.
     *
     * @param fd the descriptor
     * @param log the log, or null
     */
    public LoadResult {
        log = log == null ? "" : log;
    }
}
