package io.bpf4j.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The list a batch dump returns: batches kept whole, entries made on reading. */
class DumpListTest {
    /** Key i is {i, 0}, value i is {i, i, i}; batches of the given sizes, with junk past each count. */
    private static DumpList list(int... batchSizes) {
        DumpList l = new DumpList(2, 3);
        int next = 0;
        for (int n : batchSizes) {
            byte[] keys = new byte[(n + 2) * 2];
            byte[] values = new byte[(n + 2) * 3];
            java.util.Arrays.fill(keys, (byte) -1);
            java.util.Arrays.fill(values, (byte) -1);
            for (int i = 0; i < n; i++, next++) {
                keys[i * 2] = (byte) next;
                keys[i * 2 + 1] = 0;
                for (int j = 0; j < 3; j++) values[i * 3 + j] = (byte) next;
            }
            l.addBatch(keys, values, n);
        }
        return l;
    }

    @Test
    void getAndIterationAgreeAcrossBatchesOfEverySize() {
        DumpList l = list(3, 1, 0, 5, 2);
        assertEquals(11, l.size());
        Iterator<Map.Entry<byte[], byte[]>> it = l.iterator();
        for (int i = 0; i < l.size(); i++) {
            Map.Entry<byte[], byte[]> e = it.next();
            assertArrayEquals(new byte[] {(byte) i, 0}, e.getKey(), "key " + i);
            assertArrayEquals(new byte[] {(byte) i, (byte) i, (byte) i}, e.getValue(), "value " + i);
            assertEquals(e, l.get(i), "get(" + i + ") and the iterator's element " + i);
            assertEquals(e.hashCode(), l.get(i).hashCode());
        }
        assertEquals(false, it.hasNext());
        assertThrows(java.util.NoSuchElementException.class, it::next);
        assertThrows(IndexOutOfBoundsException.class, () -> l.get(11));
        assertThrows(IndexOutOfBoundsException.class, () -> l.get(-1));
        assertEquals(0, list().size());
        assertEquals(false, list(0, 0).iterator().hasNext());
    }

    @Test
    void entriesHandOutCopiesAndCompareByContent() {
        DumpList l = list(4);
        Map.Entry<byte[], byte[]> e = l.get(2);
        e.getKey()[0] = 99;
        e.getValue()[1] = 99;
        assertArrayEquals(new byte[] {2, 0}, l.get(2).getKey(), "changing a key handed out changes nothing");
        assertArrayEquals(new byte[] {2, 2, 2}, e.getValue());
        Map.Entry<byte[], byte[]> same = new AbstractMap.SimpleImmutableEntry<>(new byte[] {2, 0}, new byte[] {2, 2, 2});
        assertEquals(e, same);
        assertNotEquals(e, l.get(3));
        assertNotEquals(e, new AbstractMap.SimpleImmutableEntry<>("2", "2"));
        assertThrows(UnsupportedOperationException.class, () -> e.setValue(new byte[3]));
        assertEquals("[2, 0]=[2, 2, 2]", e.toString());
        List<Map.Entry<byte[], byte[]>> copy = new ArrayList<>(l);
        assertEquals(l, copy);
    }
}
