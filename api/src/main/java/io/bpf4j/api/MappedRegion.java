package io.bpf4j.api;

import java.nio.ByteBuffer;

/**
 * A map's memory mapped into the process ({@link Bpf#mapMmap(int, long, boolean)}): on Linux the
 * values of an {@code ARRAY} map created with {@code BPF_F_MMAPABLE}, which the process and the
 * programs then read and write without a system call. It is a backend primitive: the global
 * variables of {@code io.bpf4j.api.object.BpfCollection} use it and own their regions.
 *
 * <p><b>Lifetime.</b> {@link #close()} unmaps the memory; it is idempotent. The buffer must not
 * be used after it: on some native bindings reading unmapped memory ends the process. The
 * mapping holds the map alive until it is closed.
 */
public interface MappedRegion extends AutoCloseable {

    /**
     * The mapped memory in native byte order, read-only unless it was mapped writable.
     *
     * @return a direct buffer of the requested length
     */
    ByteBuffer buffer();

    /** Unmaps the memory; later calls do nothing. */
    @Override
    void close();
}
