package io.bpf4j.api.typed;

import io.bpf4j.api.BpfMap;
import io.bpf4j.api.MapType;
import io.bpf4j.api.UpdateFlags;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A per-CPU hash, array or LRU hash map with typed keys and one typed value per possible CPU
 * (the kernel keeps each CPU's value 8-byte aligned; the view hides that).
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class PerCpuMap<K, V> {
    private static final Set<MapType> KINDS = EnumSet.of(MapType.PERCPU_HASH, MapType.PERCPU_ARRAY, MapType.LRU_PERCPU_HASH);

    private final BpfMap map;
    private final Codec<K> key;
    private final Codec<V> value;
    private final int stride;
    private final int cpus;
    private final ThreadLocal<byte[][]> scratch;

    private PerCpuMap(BpfMap map, Codec<K> key, Codec<V> value) {
        this.map = map;
        this.key = key;
        this.value = value;
        this.stride = (map.valueSize() + 7) & ~7;
        this.cpus = map.valueBufferSize() / stride;
        int ks = map.keySize();
        int vs = map.valueBufferSize();
        this.scratch = ThreadLocal.withInitial(() -> new byte[][] {new byte[ks], new byte[vs]});
    }

    /**
     * A typed view of a per-CPU map, checked as {@link TypedMap#of} checks.
     *
     * @param map a {@code PERCPU_HASH}, {@code PERCPU_ARRAY} or {@code LRU_PERCPU_HASH} map
     * @param key the key codec
     * @param value the codec of one CPU's value
     * @param <K> the key type
     * @param <V> the value type
     * @return the view
     * @throws IllegalArgumentException naming the map type, the codec and the sizes
     */
    public static <K, V> PerCpuMap<K, V> of(BpfMap map, Codec<K> key, Codec<V> value) {
        Views.kind(map, KINDS, "per-CPU");
        Views.size(key, map.keySize(), "key", map);
        Views.size(value, map.valueSize(), "value", map);
        Views.btf(map, key, value);
        return new PerCpuMap<>(map, key, value);
    }

    /**
     * How many values an element has: the possible CPUs.
     *
     * @return the count
     */
    public int cpus() {
        return cpus;
    }

    /**
     * Each CPU's value of a key.
     *
     * @param k the key
     * @return one value per possible CPU, in CPU order, or null when the key is missing
     */
    public List<V> get(K k) {
        byte[][] s = scratch.get();
        key.encode(k, s[0], 0);
        if (!map.lookup(s[0], s[1])) return null;
        List<V> out = new ArrayList<>(cpus);
        for (int c = 0; c < cpus; c++) out.add(value.decode(s[1], c * stride));
        return out;
    }

    /**
     * Writes one value per CPU.
     *
     * @param k the key
     * @param values exactly {@link #cpus()} values
     */
    public void put(K k, List<V> values) {
        if (values == null || values.size() != cpus) {
            throw new IllegalArgumentException("values: " + (values == null ? "null" : values.size()) + " values for " + cpus
                    + " possible CPUs");
        }
        byte[][] s = scratch.get();
        key.encode(k, s[0], 0);
        java.util.Arrays.fill(s[1], (byte) 0);
        for (int c = 0; c < cpus; c++) value.encode(values.get(c), s[1], c * stride);
        map.update(s[0], s[1], UpdateFlags.ANY);
    }

    /**
     * Writes the same value on every CPU (e.g. zero to reset a counter).
     *
     * @param k the key
     * @param v the value
     */
    public void putAll(K k, V v) {
        byte[][] s = scratch.get();
        key.encode(k, s[0], 0);
        java.util.Arrays.fill(s[1], (byte) 0);
        for (int c = 0; c < cpus; c++) value.encode(v, s[1], c * stride);
        map.update(s[0], s[1], UpdateFlags.ANY);
    }

    /**
     * Deletes an element (per-CPU arrays cannot: the kernel refuses with {@code EINVAL}).
     *
     * @param k the key
     * @return false when it was missing
     */
    public boolean remove(K k) {
        byte[][] s = scratch.get();
        key.encode(k, s[0], 0);
        return map.delete(s[0]);
    }
}
