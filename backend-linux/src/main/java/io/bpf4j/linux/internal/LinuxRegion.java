package io.bpf4j.linux.internal;

import io.bpf4j.api.MappedRegion;
import java.nio.ByteBuffer;

/**
 * A map's values mapped on Linux. The mapping itself holds the map alive, so no descriptor is
 * kept. Closing works on a closed backend and never throws, like {@link LinuxRing}.
 */
final class LinuxRegion implements MappedRegion {
    private final Kernel k;
    private final long address;
    private final long length;
    private ByteBuffer buffer;
    private boolean closed;

    LinuxRegion(Kernel k, long address, long length, ByteBuffer buffer) {
        this.k = k;
        this.address = address;
        this.length = length;
        this.buffer = buffer;
    }

    @Override
    public ByteBuffer buffer() {
        return buffer;
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        buffer = null;
        k.sys.munmap(address, length);
    }
}
