package io.bpf4j.sim.internal.kernel;

import java.util.Map;
import java.util.TreeMap;

/**
 * Ids of one object kind. The kernel allocates them with {@code idr_alloc_cyclic} from 1, so they
 * only grow (until they wrap at {@code INT_MAX}, which a simulation never reaches), and frees an
 * id when the object's last reference goes.
 */
final class IdTable {
    private final TreeMap<Integer, KObject> live = new TreeMap<>();
    private int next = 1;

    int add(KObject obj) {
        int id = next++;
        live.put(id, obj);
        return id;
    }

    void remove(int id) {
        live.remove(id);
    }

    KObject get(int id) {
        return live.get(id);
    }

    /** The first live id above {@code start}, or 0. */
    int nextAfter(int start) {
        Map.Entry<Integer, KObject> e = live.higherEntry(start);
        return e == null ? 0 : e.getKey();
    }

    int size() {
        return live.size();
    }
}
