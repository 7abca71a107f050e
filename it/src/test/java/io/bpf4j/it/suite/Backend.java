package io.bpf4j.it.suite;

import io.bpf4j.api.Bpf;

/**
 * What a suite needs from a backend beyond {@link Bpf}: a place to pin, a way to remove pins,
 * and a network interface to attach to. One implementation per backend.
 */
interface Backend {
    /** Opens a fresh backend instance, or aborts the test with the reason it cannot run here. */
    Bpf open();

    /** A directory on the backend's bpffs where this run may pin, created if needed. */
    String pinDir();

    /** Removes a pin (bpffs has no bpf() command for it: on Linux it is unlink). */
    void unpin(String path);

    /** An interface index that exists and may carry test programs (the loopback device). */
    int loopbackIfindex();

    /** Called after the backend is closed: remove what the run left and fail on leaked descriptors. */
    default void finish() {
    }
}
