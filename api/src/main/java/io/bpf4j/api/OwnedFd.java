package io.bpf4j.api;

import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one owner of a descriptor: closes it exactly once, on {@link #close()} or, as a safety net
 * only, when the handle becomes unreachable.
 */
final class OwnedFd implements AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create();
    private static final int CLOSED = -1;

    private final Bpf bpf;
    private final AtomicInteger fd;
    private final Cleaner.Cleanable cleanable;

    OwnedFd(Bpf bpf, int fd) {
        if (fd < 0) throw new IllegalArgumentException("fd: negative (" + fd + ")");
        this.bpf = bpf;
        this.fd = new AtomicInteger(fd);
        // The action holds the counter and backend, never the handle, so the handle can become unreachable.
        AtomicInteger shared = this.fd;
        this.cleanable = CLEANER.register(this, () -> {
            int n = shared.getAndSet(CLOSED);
            if (n != CLOSED) {
                try {
                    bpf.closeFd(n);
                } catch (RuntimeException ignored) {
                    // A backend already closed has released its descriptors; nothing is left to leak.
                }
            }
        });
    }

    Bpf bpf() {
        return bpf;
    }

    /** The descriptor; the owner describes itself only when it is closed, so hot paths allocate nothing. */
    int get(BpfObject owner) {
        int n = fd.get();
        if (n == CLOSED) throw new IllegalStateException(owner.describe() + " is closed");
        return n;
    }

    boolean isClosed() {
        return fd.get() == CLOSED;
    }

    /** Gives up ownership: the caller now owns the descriptor. */
    int release(BpfObject owner) {
        int n = fd.getAndSet(CLOSED);
        if (n == CLOSED) throw new IllegalStateException(owner.describe() + " is closed");
        cleanable.clean(); // runs the action, which now finds the descriptor already taken
        return n;
    }

    @Override
    public void close() {
        cleanable.clean();
    }
}
