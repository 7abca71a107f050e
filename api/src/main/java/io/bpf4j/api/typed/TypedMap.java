package io.bpf4j.api.typed;

import io.bpf4j.api.BpfMap;
import io.bpf4j.api.MapType;
import io.bpf4j.api.UpdateFlags;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * A hash, array, LRU hash or LPM trie map with typed keys and values. Lookups and updates encode
 * into per-thread buffers, so a call allocates only what it decodes; the view is as thread-safe as
 * the map handle.
 *
 * <pre>{@code
 * TypedMap<Long, Long> counts = TypedMap.of(map, Codecs.u32(), Codecs.u64());
 * counts.put(7L, 0L);
 * long n = counts.get(7L);
 * }</pre>
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class TypedMap<K, V> implements Iterable<Map.Entry<K, V>> {
    private static final Set<MapType> KINDS = EnumSet.of(MapType.HASH, MapType.ARRAY, MapType.LRU_HASH, MapType.LPM_TRIE);

    private final BpfMap map;
    private final Codec<K> key;
    private final Codec<V> value;
    private final ThreadLocal<byte[][]> scratch;

    private TypedMap(BpfMap map, Codec<K> key, Codec<V> value) {
        this.map = map;
        this.key = key;
        this.value = value;
        int ks = map.keySize();
        int vs = map.valueBufferSize();
        this.scratch = ThreadLocal.withInitial(() -> new byte[][] {new byte[ks], new byte[vs], new byte[ks]});
    }

    /**
     * A typed view of a map, checked against the map: its kind, the codecs' sizes, and, when the
     * map has BTF (a map a C program defined), the codecs' layouts against its key and value types.
     *
     * @param map a {@code HASH}, {@code ARRAY}, {@code LRU_HASH} or {@code LPM_TRIE} map
     * @param key the key codec ({@link Codecs#lpm(Codec)} for a trie)
     * @param value the value codec
     * @param <K> the key type
     * @param <V> the value type
     * @return the view
     * @throws IllegalArgumentException naming the map type, the codec and the sizes, or the field
     *     whose layout differs from the BTF
     */
    public static <K, V> TypedMap<K, V> of(BpfMap map, Codec<K> key, Codec<V> value) {
        Views.kind(map, KINDS, "key-value");
        Views.size(key, map.keySize(), "key", map);
        Views.size(value, map.valueSize(), "value", map);
        Views.btf(map, key, value);
        return new TypedMap<>(map, key, value);
    }

    /**
     * The map underneath.
     *
     * @return the handle
     */
    public BpfMap map() {
        return map;
    }

    /**
     * The value of a key.
     *
     * @param k the key
     * @return the value, or null when the key is missing
     */
    public V get(K k) {
        byte[][] s = scratch.get();
        key.encode(k, s[0], 0);
        return map.lookup(s[0], s[1]) ? value.decode(s[1], 0) : null;
    }

    /**
     * Whether a key is there.
     *
     * @param k the key
     * @return true when present
     */
    public boolean containsKey(K k) {
        byte[][] s = scratch.get();
        key.encode(k, s[0], 0);
        return map.lookup(s[0], s[1]);
    }

    /**
     * Creates or replaces an element ({@code BPF_ANY}).
     *
     * @param k the key
     * @param v the value
     */
    public void put(K k, V v) {
        put(k, v, UpdateFlags.ANY);
    }

    /**
     * Writes an element with update flags ({@link UpdateFlags#NOEXIST}, {@link UpdateFlags#EXIST},
     * {@link UpdateFlags#LOCK}).
     *
     * @param k the key
     * @param v the value
     * @param flags the flags
     */
    public void put(K k, V v, long flags) {
        byte[][] s = scratch.get();
        key.encode(k, s[0], 0);
        value.encode(v, s[1], 0);
        map.update(s[0], s[1], flags);
    }

    /**
     * Deletes an element.
     *
     * @param k the key
     * @return false when it was missing
     */
    public boolean remove(K k) {
        byte[][] s = scratch.get();
        key.encode(k, s[0], 0);
        return map.delete(s[0]);
    }

    /**
     * The elements, walked with get-next-key and a lookup each, as the kernel has them while the
     * walk goes (an element deleted meanwhile is skipped).
     *
     * @return an iterator over fresh entries
     */
    @Override
    public Iterator<Map.Entry<K, V>> iterator() {
        return new Iterator<>() {
            private final byte[] cur = new byte[map.keySize()];
            private final byte[] next = new byte[map.keySize()];
            private final byte[] val = new byte[map.valueBufferSize()];
            private boolean started;
            private Map.Entry<K, V> ahead;

            @Override
            public boolean hasNext() {
                while (ahead == null) {
                    if (!map.nextKey(started ? cur : null, next)) return false;
                    started = true;
                    System.arraycopy(next, 0, cur, 0, cur.length);
                    if (map.lookup(cur, val)) ahead = Map.entry(key.decode(cur, 0), value.decode(val, 0));
                }
                return true;
            }

            @Override
            public Map.Entry<K, V> next() {
                if (!hasNext()) throw new NoSuchElementException();
                Map.Entry<K, V> e = ahead;
                ahead = null;
                return e;
            }
        };
    }

    /**
     * Every element, read with the batch lookup command where the backend has it (else walked).
     *
     * @param batchSize elements per call, at least 1
     * @return the elements in the map's order
     */
    public Map<K, V> dump(int batchSize) {
        Map<K, V> out = new LinkedHashMap<>();
        // Decoded straight from the batch buffers: no copy of each element's bytes on the way.
        map.dumpBatch(batchSize, (keys, keyAt, values, valueAt) -> {
            out.put(key.decode(keys, keyAt), value.decode(values, valueAt));
            return true;
        });
        return out;
    }

    /**
     * Writes many elements in one command ({@code BPF_MAP_UPDATE_BATCH}).
     *
     * @param elements the elements
     * @param flags update flags for every element
     * @return how many were written
     */
    public int putAll(Map<K, V> elements, long flags) {
        int n = elements.size();
        if (n == 0) return 0;
        int ks = map.keySize();
        int vs = map.valueBufferSize();
        byte[] keys = new byte[n * ks];
        byte[] values = new byte[n * vs];
        int i = 0;
        for (Map.Entry<K, V> e : elements.entrySet()) {
            key.encode(e.getKey(), keys, i * ks);
            value.encode(e.getValue(), values, i * vs);
            i++;
        }
        return map.updateBatch(keys, values, n, flags);
    }

    /**
     * Deletes many elements in one command ({@code BPF_MAP_DELETE_BATCH}).
     *
     * @param ks the keys, all present (a missing one throws {@code ENOENT} after those before it)
     * @return how many were deleted
     */
    public int removeAll(java.util.Collection<K> ks) {
        int n = ks.size();
        if (n == 0) return 0;
        int size = map.keySize();
        byte[] keys = new byte[n * size];
        int i = 0;
        for (K k : ks) key.encode(k, keys, size * i++);
        return map.deleteBatch(keys, n);
    }

    @Override
    public String toString() {
        return "TypedMap[" + map.type() + " " + key + " -> " + value + "]";
    }
}
