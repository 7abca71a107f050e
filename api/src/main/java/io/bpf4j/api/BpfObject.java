package io.bpf4j.api;

/**
 * What every owning handle ({@link BpfMap}, {@link BpfProgram}, {@link BpfLink},
 * {@link BpfBtf}) shares: one descriptor, owned by the handle alone. {@link #close()} is
 * idempotent and thread-safe; use after close throws {@link IllegalStateException}; a
 * {@link java.lang.ref.Cleaner} closes a forgotten handle as a safety net only. The kernel
 * object itself outlives the handle only when pinned, attached or otherwise held, as the
 * kernel documents.
 *
 * <p>A call made through the handle keeps its descriptor open until the call returns: a
 * concurrent {@link #close()} waits for it, and calls made after {@code close()} has begun
 * throw {@link IllegalStateException}. So a call never runs against another object that
 * happened to get the same descriptor number. Closing the descriptor behind the handle's back
 * (through {@link Bpf#closeFd(int)} with {@link #fd()}) breaks that promise; use
 * {@link #release()} to take the descriptor over instead.
 *
 * <p>Closing the backend ({@link Bpf#close()}) does not close handles: each still owns its
 * descriptor and closes it on {@code close()}, or through its cleaner.
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
        int n = beginCall();
        try {
            bpf().objPin(n, path);
        } finally {
            endCall();
        }
    }

    /**
     * Whether {@link #close()} has run.
     *
     * @return true once closed
     */
    public final boolean isClosed() {
        return fd.isClosed();
    }

    /**
     * Closes the descriptor, after any call in flight through this handle has returned; later
     * calls do nothing.
     *
     * @throws BpfException if the platform's close fails (the descriptor is given up all the same)
     */
    @Override
    public final void close() {
        fd.close();
    }

    /** Starts a call that needs the descriptor open until {@link #endCall()}; allocates nothing. */
    final int beginCall() {
        return fd.beginCall(this);
    }

    /** Ends a call started by {@link #beginCall()}. */
    final void endCall() {
        fd.endCall();
    }

    /** Runs {@code call} with the descriptor held open for its whole length. */
    final <T> T with(java.util.function.IntFunction<T> call) {
        int n = beginCall();
        try {
            return call.apply(n);
        } finally {
            endCall();
        }
    }

    /** Runs {@code call} with the descriptor held open for its whole length. */
    final void withFd(java.util.function.IntConsumer call) {
        int n = beginCall();
        try {
            call.accept(n);
        } finally {
            endCall();
        }
    }

    abstract String describe();
}
