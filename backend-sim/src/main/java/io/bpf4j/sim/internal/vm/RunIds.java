package io.bpf4j.sim.internal.vm;

import java.util.IdentityHashMap;

/**
 * The region ids a run gave objects (maps, map values), by identity. A run's first few are kept
 * in short arrays and found by a scan; the rest go to an {@link IdentityHashMap}, whose identity
 * hash per lookup and whole-table clear per run cost more than most short runs do.
 * {@link #reset()} keeps the short arrays' references, so that a repeated run stores none of them
 * again: what they keep alive is bounded, and let go when a later run puts other objects there.
 *
 * @param <K> the kind of object
 */
final class RunIds<K> {
    private static final int FEW = 8;

    private final Object[] few = new Object[FEW];
    private final int[] ids = new int[FEW];
    private int count;
    private final IdentityHashMap<K, Integer> more = new IdentityHashMap<>();

    /** The id of {@code k} in this run, or 0 when it has none (region ids are never 0). */
    int get(K k) {
        int n = count;
        for (int i = 0; i < n; i++) {
            if (few[i] == k) return ids[i];
        }
        if (more.isEmpty()) return 0;
        Integer id = more.get(k);
        return id == null ? 0 : id;
    }

    /** Records the id of {@code k}, which has none yet. */
    void put(K k, int id) {
        int n = count;
        if (n < FEW) {
            if (few[n] != k) few[n] = k;
            ids[n] = id;
            count = n + 1;
        } else {
            more.put(k, id);
        }
    }

    /** Forgets {@code k}'s id, if it has one. */
    void remove(K k) {
        int n = count;
        for (int i = 0; i < n; i++) {
            if (few[i] == k) {
                few[i] = few[n - 1];
                ids[i] = ids[n - 1];
                few[n - 1] = null;
                count = n - 1;
                return;
            }
        }
        more.remove(k);
    }

    /** Forgets every id, for the next run. */
    void reset() {
        count = 0;
        if (!more.isEmpty()) more.clear();
    }
}
