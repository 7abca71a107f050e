package io.bpf4j.api.typed;

import io.bpf4j.api.BpfMap;
import io.bpf4j.api.MapType;
import io.bpf4j.api.UpdateFlags;
import java.util.EnumSet;

/**
 * An {@code ARRAY_OF_MAPS} or {@code HASH_OF_MAPS} set by map handle rather than by descriptor
 * bytes. Reading an element from user space gives the inner map's id, as the kernel answers.
 *
 * @param <K> the key type
 */
public final class MapOfMaps<K> {
    private final BpfMap map;
    private final Codec<K> key;

    private MapOfMaps(BpfMap map, Codec<K> key) {
        this.map = map;
        this.key = key;
    }

    /**
     * A view of a map of maps.
     *
     * @param map an {@code ARRAY_OF_MAPS} or {@code HASH_OF_MAPS} map
     * @param key the key codec ({@link Codecs#u32()} for an array)
     * @param <K> the key type
     * @return the view
     * @throws IllegalArgumentException naming the map type or the sizes
     */
    public static <K> MapOfMaps<K> of(BpfMap map, Codec<K> key) {
        Views.kind(map, EnumSet.of(MapType.ARRAY_OF_MAPS, MapType.HASH_OF_MAPS), "map-of-maps");
        Views.size(key, map.keySize(), "key", map);
        return new MapOfMaps<>(map, key);
    }

    private byte[] key(K k) {
        byte[] b = new byte[map.keySize()];
        key.encode(k, b, 0);
        return b;
    }

    /**
     * Puts an inner map in (the outer map keeps its own reference; the handle may be closed). The
     * kernel refuses a map unlike the outer map's inner template.
     *
     * @param k the key
     * @param inner the inner map
     */
    public void set(K k, BpfMap inner) {
        if (inner == null) throw new IllegalArgumentException("inner: null");
        map.update(key(k), FdSlots.u32(inner.fd(), "inner"), UpdateFlags.ANY);
    }

    /**
     * Takes an inner map out.
     *
     * @param k the key
     * @return false when there was none
     */
    public boolean remove(K k) {
        return map.delete(key(k));
    }

    /**
     * The id of an inner map.
     *
     * @param k the key
     * @return the id, or 0 when there is none
     */
    public int innerMapId(K k) {
        byte[] v = new byte[4];
        return map.lookup(key(k), v) ? Bytes.getInt(v, 0) : 0;
    }
}
