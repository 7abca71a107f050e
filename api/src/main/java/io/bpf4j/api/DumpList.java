package io.bpf4j.api;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.RandomAccess;

/**
 * The elements of a batch dump as a list: each batch's keys and values stay in one array each,
 * as the kernel wrote them, and an entry is made when the list is read. A dump of a million
 * elements then keeps a few hundred arrays alive instead of three million objects, which the
 * collector would otherwise copy while the dump runs; what a reader allocates per entry dies
 * young.
 */
final class DumpList extends AbstractList<Map.Entry<byte[], byte[]>> implements RandomAccess {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private final int keySize;
    private final int valueSize;
    private final List<byte[]> keyChunks = new ArrayList<>();
    private final List<byte[]> valueChunks = new ArrayList<>();
    /** {@code starts[i]}: the index of chunk i's first element; one more entry holds the size. */
    private int[] starts = new int[8];
    private int chunks;

    DumpList(int keySize, int valueSize) {
        this.keySize = keySize;
        this.valueSize = valueSize;
    }

    /** Keeps the first {@code count} elements of a batch's arrays (copied: the dump reuses them). */
    void addBatch(byte[] keys, byte[] values, int count) {
        if (count == 0) return;
        keyChunks.add(Arrays.copyOf(keys, count * keySize));
        valueChunks.add(Arrays.copyOf(values, count * valueSize));
        if (chunks + 2 > starts.length) starts = Arrays.copyOf(starts, starts.length * 2);
        starts[chunks + 1] = starts[chunks] + count;
        chunks++;
    }

    @Override
    public int size() {
        return starts[chunks];
    }

    @Override
    public Map.Entry<byte[], byte[]> get(int index) {
        if (index < 0 || index >= size()) throw new IndexOutOfBoundsException("index: " + index + ", size " + size());
        int c = Arrays.binarySearch(starts, 0, chunks + 1, index);
        if (c < 0) c = -c - 2; // not a chunk's first element: the chunk starting before it
        int i = index - starts[c];
        return new Element(keyChunks.get(c), i * keySize, keySize, valueChunks.get(c), i * valueSize, valueSize);
    }

    /** Walks the chunks in order, without the search {@link #get(int)} makes. */
    @Override
    public Iterator<Map.Entry<byte[], byte[]>> iterator() {
        return new Iterator<>() {
            private int chunk;
            private int at;

            @Override
            public boolean hasNext() {
                return chunk < chunks;
            }

            @Override
            public Map.Entry<byte[], byte[]> next() {
                if (chunk >= chunks) throw new NoSuchElementException();
                int i = at;
                Element e = new Element(keyChunks.get(chunk), i * keySize, keySize, valueChunks.get(chunk), i * valueSize,
                        valueSize);
                if (++at == starts[chunk + 1] - starts[chunk]) {
                    chunk++;
                    at = 0;
                }
                return e;
            }
        };
    }

    /** A copy of {@code len} bytes: word by word when short, where the bulk copy's stub call costs more than the copy. */
    static byte[] copy(byte[] src, int off, int len) {
        byte[] dst = new byte[len];
        if (len > 64) {
            System.arraycopy(src, off, dst, 0, len);
            return dst;
        }
        int i = 0;
        for (; i + 8 <= len; i += 8) LONGS.set(dst, i, (long) LONGS.get(src, off + i));
        for (; i < len; i++) dst[i] = src[off + i];
        return dst;
    }

    /**
     * One element, a view of its batch's arrays. {@link #getKey()} and {@link #getValue()} return
     * a new copy on each call, so nobody can change the dump through them; two elements are
     * equal when their keys and values hold the same bytes.
     */
    static final class Element implements Map.Entry<byte[], byte[]> {
        private final byte[] keys;
        private final int keyAt;
        private final int keyLen;
        private final byte[] values;
        private final int valueAt;
        private final int valueLen;

        Element(byte[] keys, int keyAt, int keyLen, byte[] values, int valueAt, int valueLen) {
            this.keys = keys;
            this.keyAt = keyAt;
            this.keyLen = keyLen;
            this.values = values;
            this.valueAt = valueAt;
            this.valueLen = valueLen;
        }

        @Override
        public byte[] getKey() {
            return copy(keys, keyAt, keyLen);
        }

        @Override
        public byte[] getValue() {
            return copy(values, valueAt, valueLen);
        }

        @Override
        public byte[] setValue(byte[] value) {
            throw new UnsupportedOperationException("a dump is a snapshot; update the map instead");
        }

        @Override
        public boolean equals(Object o) {
            if (this == o) return true;
            if (!(o instanceof Map.Entry<?, ?> e)) return false;
            return e.getKey() instanceof byte[] k && e.getValue() instanceof byte[] v
                    && Arrays.equals(keys, keyAt, keyAt + keyLen, k, 0, k.length)
                    && Arrays.equals(values, valueAt, valueAt + valueLen, v, 0, v.length);
        }

        @Override
        public int hashCode() {
            int h = 1;
            for (int i = keyAt; i < keyAt + keyLen; i++) h = 31 * h + keys[i];
            int v = 1;
            for (int i = valueAt; i < valueAt + valueLen; i++) v = 31 * v + values[i];
            return h ^ v;
        }

        @Override
        public String toString() {
            return Arrays.toString(getKey()) + "=" + Arrays.toString(getValue());
        }
    }
}
