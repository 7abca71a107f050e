package io.bpf4j.sim.internal.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RunIdsTest {
    @Test
    void findsEveryIdBeforeAndAfterTheShortArraysFillAndAfterRemovals() {
        RunIds<Object> ids = new RunIds<>();
        Object[] k = new Object[20];
        for (int i = 0; i < k.length; i++) {
            k[i] = new Object();
            assertEquals(0, ids.get(k[i]), "none yet: " + i);
            ids.put(k[i], 100 + i);
        }
        for (int i = 0; i < k.length; i++) assertEquals(100 + i, ids.get(k[i]), "key " + i);
        // Removing from the short arrays leaves room there while the map still holds the rest.
        ids.remove(k[3]);
        ids.remove(k[15]);
        assertEquals(0, ids.get(k[3]));
        assertEquals(0, ids.get(k[15]));
        for (int i = 0; i < k.length; i++) {
            if (i != 3 && i != 15) assertEquals(100 + i, ids.get(k[i]), "after removals, key " + i);
        }
        Object late = new Object();
        ids.put(late, 500);
        assertEquals(500, ids.get(late));
        // Identity, not equality.
        assertEquals(0, ids.get(new Object()));
        ids.reset();
        for (Object o : k) assertEquals(0, ids.get(o));
        assertEquals(0, ids.get(late));
        ids.put(k[0], 7);
        assertEquals(7, ids.get(k[0]));
    }
}
