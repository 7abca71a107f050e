package io.bpf4j.linux.internal;

import io.bpf4j.api.MapType;
import io.bpf4j.internal.spi.MapLayout;
import io.bpf4j.linux.internal.uapi.BpfAttr;
import java.nio.ByteBuffer;

/**
 * One thread's view of the map an element or batch command is about to run on: the descriptor
 * the command uses and the layout that sizes its buffers. Reused per thread, so filling it
 * allocates nothing.
 *
 * <p>It is filled either from the layout an owning handle passes (the handle keeps the
 * descriptor open, so the layout is the kernel's truth for the whole call), or from the kernel
 * itself through a private duplicate of the caller's descriptor, made before the layout is read
 * and closed after the command: the info and the command then see the same object even if
 * another thread closes the caller's number and the kernel hands it to another map in between.
 * Nothing is remembered between calls, so no buffer is ever sized from what a descriptor
 * number meant earlier.
 */
final class MapView {
    /** The descriptor the command runs on: the caller's, or the private duplicate. */
    int fd;
    /** The caller's descriptor number, for error messages. */
    int callerFd;
    /** Whether {@link #fd} is a duplicate this view must close. */
    boolean duplicate;
    MapType type;
    int keySize;
    /** The value size as created (one CPU's value for per-CPU maps). */
    int valueSize;
    /** Bytes user space exchanges per element (per-CPU and descriptor maps differ from value_size). */
    int userValueSize;
    /** The handle's layout, or null when learnt from the kernel. */
    MapLayout layout;
    /** The {@code bpf_map_info} a learnt view came from (its name names the map in errors). */
    ByteBuffer info;

    void of(int fd, MapLayout l) {
        this.fd = fd;
        this.callerFd = fd;
        this.duplicate = false;
        // Calls through the same handle find its layout already here: storing references costs
        // a garbage collector's write barrier (G1's has a StoreLoad fence) on every call.
        if (layout == l) return;
        this.type = l.type();
        this.keySize = l.keySize();
        this.valueSize = l.valueSize();
        this.userValueSize = l.userValueSize();
        this.layout = l;
        this.info = null;
    }

    /** How errors name the map; allocates, so only on error paths. */
    @Override
    public String toString() {
        return object();
    }

    /** How errors name the map; allocates, so only on error paths. */
    String object() {
        if (layout != null) return layout.object();
        String name = info == null ? "" : BpfAttr.getString(info, 24, 16);
        return name.isEmpty() ? "map fd " + callerFd : "map \"" + name + "\"";
    }
}
