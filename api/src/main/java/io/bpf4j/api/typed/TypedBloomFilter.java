package io.bpf4j.api.typed;

import io.bpf4j.api.BpfMap;
import io.bpf4j.api.MapType;
import java.util.EnumSet;

/**
 * A {@code BLOOM_FILTER} with typed values: {@link #add} and {@link #mightContain}, which may
 * answer true for a value never added (at the rate the map's hash count gives) but never false
 * for one that was.
 *
 * @param <V> the value type
 */
public final class TypedBloomFilter<V> {
    private final BpfMap map;
    private final Codec<V> value;
    private final ThreadLocal<byte[]> scratch;

    private TypedBloomFilter(BpfMap map, Codec<V> value) {
        this.map = map;
        this.value = value;
        int vs = map.valueBufferSize();
        this.scratch = ThreadLocal.withInitial(() -> new byte[vs]);
    }

    /**
     * A typed view of a bloom filter.
     *
     * @param map a {@code BLOOM_FILTER} map
     * @param value the value codec
     * @param <V> the value type
     * @return the view
     * @throws IllegalArgumentException naming the map type or the sizes
     */
    public static <V> TypedBloomFilter<V> of(BpfMap map, Codec<V> value) {
        Views.kind(map, EnumSet.of(MapType.BLOOM_FILTER), "bloom filter");
        Views.size(value, map.valueSize(), "value", map);
        Views.btf(map, null, value);
        return new TypedBloomFilter<>(map, value);
    }

    /**
     * Adds a value.
     *
     * @param v the value
     */
    public void add(V v) {
        byte[] s = scratch.get();
        value.encode(v, s, 0);
        map.push(s, 0);
    }

    /**
     * Whether the value may have been added.
     *
     * @param v the value
     * @return false only when it certainly was not
     */
    public boolean mightContain(V v) {
        byte[] s = scratch.get();
        value.encode(v, s, 0);
        return map.lookup(null, s);
    }
}
