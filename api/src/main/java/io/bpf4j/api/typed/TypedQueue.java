package io.bpf4j.api.typed;

import io.bpf4j.api.BpfMap;
import io.bpf4j.api.MapType;
import io.bpf4j.api.UpdateFlags;
import java.util.EnumSet;

/**
 * A {@code QUEUE} (first in, first out) or {@code STACK} (last in, first out) with typed values.
 *
 * @param <V> the value type
 */
public final class TypedQueue<V> {
    private final BpfMap map;
    private final Codec<V> value;
    private final ThreadLocal<byte[]> scratch;

    private TypedQueue(BpfMap map, Codec<V> value) {
        this.map = map;
        this.value = value;
        int vs = map.valueBufferSize();
        this.scratch = ThreadLocal.withInitial(() -> new byte[vs]);
    }

    /**
     * A typed view of a queue or stack.
     *
     * @param map a {@code QUEUE} or {@code STACK} map
     * @param value the value codec
     * @param <V> the value type
     * @return the view
     * @throws IllegalArgumentException naming the map type or the sizes
     */
    public static <V> TypedQueue<V> of(BpfMap map, Codec<V> value) {
        Views.kind(map, EnumSet.of(MapType.QUEUE, MapType.STACK), "queue");
        Views.size(value, map.valueSize(), "value", map);
        Views.btf(map, null, value);
        return new TypedQueue<>(map, value);
    }

    /**
     * Adds a value; fails with {@code E2BIG} (a {@code BpfException}) when full.
     *
     * @param v the value
     */
    public void push(V v) {
        push(v, false);
    }

    /**
     * Adds a value.
     *
     * @param v the value
     * @param overwrite when full, drop the oldest value instead of failing ({@code BPF_EXIST})
     */
    public void push(V v, boolean overwrite) {
        byte[] s = scratch.get();
        value.encode(v, s, 0);
        map.push(s, overwrite ? UpdateFlags.EXIST : 0);
    }

    /**
     * Takes the next value out.
     *
     * @return it, or null when empty
     */
    public V pop() {
        byte[] s = scratch.get();
        return map.lookupAndDelete(null, s) ? value.decode(s, 0) : null;
    }

    /**
     * The next value, left in place.
     *
     * @return it, or null when empty
     */
    public V peek() {
        byte[] s = scratch.get();
        return map.lookup(null, s) ? value.decode(s, 0) : null;
    }
}
