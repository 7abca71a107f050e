package io.bpf4j.internal.spi;

import io.bpf4j.api.BatchResult;

/**
 * Map element and batch commands on a descriptor whose layout the caller guarantees for the
 * whole call, because it owns the descriptor and keeps it open until the call returns. A
 * backend that implements this next to {@link io.bpf4j.api.Bpf} sizes its native buffers from
 * {@code layout} and makes one native call; the {@code Bpf} methods with a bare descriptor
 * learn the layout from the kernel each time instead.
 *
 * <p>Arguments are checked exactly as the matching {@code Bpf} methods check them, against
 * {@code layout}; errors name {@link MapLayout#object()}.
 */
public interface KnownMaps {

    /**
     * {@code BPF_MAP_LOOKUP_ELEM}, as {@link io.bpf4j.api.Bpf#mapLookupElem(int, byte[], byte[], long)}.
     *
     * @param mapFd the map, kept open by the caller
     * @param layout the map's layout
     * @param key the key, or null for keyless maps
     * @param value receives the value
     * @param flags 0 or {@code BPF_F_LOCK}
     * @return false when the key is missing
     */
    boolean mapLookupElem(int mapFd, MapLayout layout, byte[] key, byte[] value, long flags);

    /**
     * {@code BPF_MAP_UPDATE_ELEM}, as {@link io.bpf4j.api.Bpf#mapUpdateElem(int, byte[], byte[], long)}.
     *
     * @param mapFd the map, kept open by the caller
     * @param layout the map's layout
     * @param key the key, or null for keyless maps
     * @param value the value
     * @param flags update flags
     */
    void mapUpdateElem(int mapFd, MapLayout layout, byte[] key, byte[] value, long flags);

    /**
     * {@code BPF_MAP_DELETE_ELEM}, as {@link io.bpf4j.api.Bpf#mapDeleteElem(int, byte[])}.
     *
     * @param mapFd the map, kept open by the caller
     * @param layout the map's layout
     * @param key the key
     * @return false when the key was missing
     */
    boolean mapDeleteElem(int mapFd, MapLayout layout, byte[] key);

    /**
     * {@code BPF_MAP_GET_NEXT_KEY}, as {@link io.bpf4j.api.Bpf#mapGetNextKey(int, byte[], byte[])}.
     *
     * @param mapFd the map, kept open by the caller
     * @param layout the map's layout
     * @param key the current key, or null for the first
     * @param nextKey receives the next key
     * @return false at the end
     */
    boolean mapGetNextKey(int mapFd, MapLayout layout, byte[] key, byte[] nextKey);

    /**
     * {@code BPF_MAP_LOOKUP_AND_DELETE_ELEM}, as
     * {@link io.bpf4j.api.Bpf#mapLookupAndDeleteElem(int, byte[], byte[], long)}.
     *
     * @param mapFd the map, kept open by the caller
     * @param layout the map's layout
     * @param key the key, or null for queues and stacks
     * @param value receives the value
     * @param flags 0 or {@code BPF_F_LOCK}
     * @return false when missing
     */
    boolean mapLookupAndDeleteElem(int mapFd, MapLayout layout, byte[] key, byte[] value, long flags);

    /**
     * {@code BPF_MAP_LOOKUP_BATCH}, as
     * {@link io.bpf4j.api.Bpf#mapLookupBatch(int, byte[], byte[], byte[], byte[], int, long, long)}.
     *
     * @param mapFd the map, kept open by the caller
     * @param layout the map's layout
     * @param inBatch the cursor, or null to start
     * @param outBatch receives the cursor
     * @param keys receives up to {@code count} keys
     * @param values receives up to {@code count} values
     * @param count elements at most
     * @param elemFlags 0 or {@code BPF_F_LOCK}
     * @param flags 0
     * @return how many were copied and whether the walk ended
     */
    BatchResult mapLookupBatch(int mapFd, MapLayout layout, byte[] inBatch, byte[] outBatch, byte[] keys,
            byte[] values, int count, long elemFlags, long flags);
}
