package io.bpf4j.sim.internal.vm;

import io.bpf4j.api.MapType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Small map implementations for the interpreter's tests, with the kernel's errors. */
final class TestMaps {
    private TestMaps() {}

    /** A hash map; per-CPU when {@code cpus > 1}. */
    static final class Hash implements VmMap {
        final int keySize;
        final int valueSize;
        final int maxEntries;
        final Map<ByteBuffer, byte[][]> entries = new HashMap<>();
        final int cpus;

        Hash(int keySize, int valueSize, int maxEntries, int cpus) {
            this.keySize = keySize;
            this.valueSize = valueSize;
            this.maxEntries = maxEntries;
            this.cpus = cpus;
        }

        @Override
        public MapType type() {
            return cpus > 1 ? MapType.PERCPU_HASH : MapType.HASH;
        }

        @Override
        public int keySize() {
            return keySize;
        }

        @Override
        public int valueSize() {
            return valueSize;
        }

        @Override
        public int maxEntries() {
            return maxEntries;
        }

        @Override
        public synchronized byte[] lookup(byte[] key, int cpu) {
            byte[][] v = entries.get(ByteBuffer.wrap(key.clone()));
            return v == null ? null : v[cpu % cpus];
        }

        @Override
        public synchronized int update(byte[] key, byte[] value, long flags, int cpu) {
            ByteBuffer k = ByteBuffer.wrap(key.clone());
            byte[][] v = entries.get(k);
            if (flags == 1 && v != null) {
                return -17;
            }
            if (flags == 2 && v == null) {
                return -2;
            }
            if (v == null) {
                if (entries.size() == maxEntries) {
                    return -7;
                }
                v = new byte[cpus][valueSize];
                entries.put(k, v);
            }
            System.arraycopy(value, 0, v[cpu % cpus], 0, valueSize);
            return 0;
        }

        @Override
        public synchronized int delete(byte[] key) {
            return entries.remove(ByteBuffer.wrap(key.clone())) == null ? -2 : 0;
        }

        byte[] get(long key) {
            byte[] k = ByteBuffer.allocate(keySize).order(ByteOrder.LITTLE_ENDIAN).putLong(0, key).array();
            return lookup(k, 0);
        }
    }

    /** An array map; its values exist from creation. */
    static final class Array implements VmMap {
        final byte[][] values;
        final int valueSize;
        final boolean readOnly;

        Array(int valueSize, int maxEntries, boolean readOnly) {
            this.values = new byte[maxEntries][valueSize];
            this.valueSize = valueSize;
            this.readOnly = readOnly;
        }

        @Override
        public long forEachElem(int cpu, ElemVisitor visitor) {
            byte[] key = new byte[4];
            long n = 0;
            for (int i = 0; i < values.length; i++) {
                key[0] = (byte) i;
                key[1] = (byte) (i >>> 8);
                n++;
                if (visitor.visit(key, values[i])) break;
            }
            return n;
        }

        @Override
        public MapType type() {
            return MapType.ARRAY;
        }

        @Override
        public int keySize() {
            return 4;
        }

        @Override
        public int valueSize() {
            return valueSize;
        }

        @Override
        public int maxEntries() {
            return values.length;
        }

        private int index(byte[] key) {
            return ByteBuffer.wrap(key).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        }

        @Override
        public byte[] lookup(byte[] key, int cpu) {
            int i = index(key);
            return i >= 0 && i < values.length ? values[i] : null;
        }

        @Override
        public int update(byte[] key, byte[] value, long flags, int cpu) {
            int i = index(key);
            if (i < 0 || i >= values.length) {
                return -7;
            }
            if (flags == 1) {
                return -17;
            }
            System.arraycopy(value, 0, values[i], 0, valueSize);
            return 0;
        }

        @Override
        public int delete(byte[] key) {
            return -22;
        }

        @Override
        public boolean readOnlyForPrograms() {
            return readOnly;
        }
    }

    /** A FIFO queue. */
    static final class Queue implements VmMap {
        final ArrayDeque<byte[]> items = new ArrayDeque<>();
        final int valueSize;
        final int maxEntries;

        Queue(int valueSize, int maxEntries) {
            this.valueSize = valueSize;
            this.maxEntries = maxEntries;
        }

        @Override
        public MapType type() {
            return MapType.QUEUE;
        }

        @Override
        public int keySize() {
            return 0;
        }

        @Override
        public int valueSize() {
            return valueSize;
        }

        @Override
        public int maxEntries() {
            return maxEntries;
        }

        @Override
        public byte[] lookup(byte[] key, int cpu) {
            return null;
        }

        @Override
        public int update(byte[] key, byte[] value, long flags, int cpu) {
            return -22;
        }

        @Override
        public int delete(byte[] key) {
            return -22;
        }

        @Override
        public int push(byte[] value, long flags) {
            if (items.size() == maxEntries) {
                if (flags != 2) {
                    return -7;
                }
                items.removeFirst();
            }
            items.addLast(value.clone());
            return 0;
        }

        @Override
        public int pop(byte[] out) {
            byte[] v = items.pollFirst();
            if (v == null) {
                return -2;
            }
            System.arraycopy(v, 0, out, 0, valueSize);
            return 0;
        }

        @Override
        public int peek(byte[] out) {
            byte[] v = items.peekFirst();
            if (v == null) {
                return -2;
            }
            System.arraycopy(v, 0, out, 0, valueSize);
            return 0;
        }
    }

    /** A ring buffer that records submitted records and accounts space like the kernel. */
    static final class Ring implements VmRingBuffer {
        final int size;
        int used;
        final List<byte[]> committed = new ArrayList<>();
        int discarded;

        Ring(int size) {
            this.size = size;
        }

        private static int footprint(int n) {
            return (n + 8 + 7) & ~7;
        }

        @Override
        public MapType type() {
            return MapType.RINGBUF;
        }

        @Override
        public int keySize() {
            return 0;
        }

        @Override
        public int valueSize() {
            return 0;
        }

        @Override
        public int maxEntries() {
            return size;
        }

        @Override
        public byte[] lookup(byte[] key, int cpu) {
            return null;
        }

        @Override
        public int update(byte[] key, byte[] value, long flags, int cpu) {
            return -22;
        }

        @Override
        public int delete(byte[] key) {
            return -22;
        }

        @Override
        public byte[] reserve(int n) {
            // As __bpf_ringbuf_reserve(): at most size - 1 bytes ahead of the consumer.
            if (used + footprint(n) > size - 1) {
                return null;
            }
            used += footprint(n);
            return new byte[n];
        }

        @Override
        public void submit(byte[] record, long flags) {
            committed.add(record);
        }

        @Override
        public void discard(byte[] record, long flags) {
            // A discarded record keeps its space until the consumer skips it; nothing consumes here.
            discarded++;
        }

        @Override
        public int output(byte[] data, long flags) {
            if (used + footprint(data.length) > size - 1) {
                return -11;
            }
            used += footprint(data.length);
            committed.add(data);
            return 0;
        }

        @Override
        public long query(long flags) {
            return flags == 1 ? size : flags == 0 ? used : 0;
        }
    }

    /** A program array. */
    static final class Progs implements VmProgArray {
        final VmProgram[] slots;

        Progs(int n) {
            slots = new VmProgram[n];
        }

        @Override
        public MapType type() {
            return MapType.PROG_ARRAY;
        }

        @Override
        public int keySize() {
            return 4;
        }

        @Override
        public int valueSize() {
            return 4;
        }

        @Override
        public int maxEntries() {
            return slots.length;
        }

        @Override
        public byte[] lookup(byte[] key, int cpu) {
            return null;
        }

        @Override
        public int update(byte[] key, byte[] value, long flags, int cpu) {
            return -22;
        }

        @Override
        public int delete(byte[] key) {
            return -22;
        }

        @Override
        public VmProgram program(int index) {
            return slots[index];
        }
    }

    /** A perf event array collecting samples per index. */
    static final class Perf implements VmPerfEventArray {
        final int n;
        final List<String> samples = new ArrayList<>();

        Perf(int n) {
            this.n = n;
        }

        @Override
        public MapType type() {
            return MapType.PERF_EVENT_ARRAY;
        }

        @Override
        public int keySize() {
            return 4;
        }

        @Override
        public int valueSize() {
            return 4;
        }

        @Override
        public int maxEntries() {
            return n;
        }

        @Override
        public byte[] lookup(byte[] key, int cpu) {
            return null;
        }

        @Override
        public int update(byte[] key, byte[] value, long flags, int cpu) {
            return -22;
        }

        @Override
        public int delete(byte[] key) {
            return -22;
        }

        @Override
        public int output(int index, byte[] sample, int cpu) {
            samples.add(index + ":" + new String(sample, java.nio.charset.StandardCharsets.ISO_8859_1));
            return 0;
        }
    }

    /** Resolves descriptors to maps by position: fd {@code 100 + i} is {@code maps[i]}. */
    static MapResolver fds(VmMap... maps) {
        return new MapResolver() {
            @Override
            public VmMap byFd(int fd) {
                int i = fd - 100;
                return i >= 0 && i < maps.length ? maps[i] : null;
            }

            @Override
            public VmMap byIndex(int index) {
                return index >= 0 && index < maps.length ? maps[index] : null;
            }
        };
    }
}
