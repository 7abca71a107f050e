package io.bpf4j.api;

/**
 * Blocks a thread until one of a set of {@link MappedRing}s may be ready: a ring buffer or perf
 * ring has records to read, a user ring buffer has room to write. A backend primitive
 * ({@link Bpf#ringWaiter()}); the readers of {@code io.bpf4j.api.events} own one each.
 *
 * <p>Readiness is a hint: {@link #await(int)} may return when nothing is ready (a signal, a
 * record consumed meanwhile), so callers look at the rings' positions afterwards. Perf rings
 * signal only as their wake-up settings say (every N records, or past a watermark).
 *
 * <p>One thread awaits at a time; {@link #wakeup()} and {@link #close()} may be called from any
 * thread. A platform thread blocks in the platform's wait (Linux: {@code epoll_wait}), which pins
 * a virtual thread's carrier; the readers hand waits of virtual threads to a platform thread.
 */
public interface RingWaiter extends AutoCloseable {

    /**
     * Adds a ring mapped by the same backend.
     *
     * @param ring the ring
     * @throws IllegalArgumentException when the ring is not one this backend mapped
     */
    void add(MappedRing ring);

    /**
     * Waits until a ring may be ready, {@link #wakeup()} has been called, or the timeout passes.
     * Allocates nothing.
     *
     * @param timeoutMillis how long to wait at most; 0 does not block; negative waits without limit
     * @return false when the timeout passed with nothing ready, else true
     */
    boolean await(int timeoutMillis);

    /**
     * Makes a wait in progress, and every later one, return at once: how a reader being closed
     * releases its poller. It cannot be undone.
     */
    void wakeup();

    /**
     * Releases the wait's resources; idempotent. No thread may be in {@link #await(int)} then.
     */
    @Override
    void close();
}
