package io.bpf4j.api;

/**
 * What every owning handle ({@link BpfMap}, {@link BpfProgram}, {@link BpfLink},
 * {@link BpfBtf}) shares: one descriptor, owned by the handle alone. {@link #close()} is
 * idempotent and thread-safe; use after close throws {@link IllegalStateException}; a
 * {@link java.lang.ref.Cleaner} closes a forgotten handle as a safety net only. The kernel
 * object itself outlives the handle only when pinned, attached or otherwise held, as the
 * kernel documents.
 */
public abstract sealed class BpfObject implements AutoCloseable permits BpfMap, BpfProgram, BpfLink, BpfBtf {
    private final OwnedFd fd;

    BpfObject(Bpf bpf, int fd) {
        this.fd = new OwnedFd(bpf, fd);
    }

    /**
     * The backend this object lives in.
     *
     * @return the backend
     */
    public final Bpf bpf() {
        return fd.bpf();
    }

    /**
     * The descriptor, for calls this handle does not wrap. It stays owned by the handle.
     *
     * @return the descriptor
     * @throws IllegalStateException if the handle is closed
     */
    public final int fd() {
        return fd.get(this);
    }

    /**
     * Gives up ownership of the descriptor; the caller must close it with {@link Bpf#closeFd(int)}.
     *
     * @return the descriptor
     * @throws IllegalStateException if the handle is closed
     */
    public final int release() {
        return fd.release(this);
    }

    /**
     * Pins the object on bpffs (Windows: a {@code BPF:\} path) so it outlives its descriptors.
     *
     * @param path the pin path, e.g. {@code /sys/fs/bpf/counts}
     */
    public final void pin(String path) {
        if (path == null || path.isEmpty()) throw new IllegalArgumentException("path: empty");
        bpf().objPin(fd(), path);
    }

    /**
     * Whether {@link #close()} has run.
     *
     * @return true once closed
     */
    public final boolean isClosed() {
        return fd.isClosed();
    }

    /** Closes the descriptor; later calls do nothing. */
    @Override
    public final void close() {
        fd.close();
    }

    abstract String describe();
}
