package io.bpf4j.api;

import io.bpf4j.internal.spi.KnownMaps;
import io.bpf4j.internal.spi.MapLayout;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;

/**
 * An owned map. Keys and values are {@code byte[]} of the map's sizes; per-CPU maps take and
 * return {@link #valueBufferSize()} bytes, one 8-byte-aligned slot per possible CPU.
 *
 * {@snippet :
 * try (Bpf bpf = Bpf.open();
 *      BpfMap counts = BpfMap.create(bpf, MapSpec.of(MapType.HASH, 4, 8, 1024).withName("counts"))) {
 *     counts.put(key, value);
 *     Optional<byte[]> v = counts.lookup(key);       // empty when the key is missing
 *     for (Map.Entry<byte[], byte[]> e : counts.entries()) {
 *         System.out.println(Arrays.toString(e.getKey()));
 *     }
 * }
 * }
 *
 * <p>The methods taking caller buffers ({@link #lookup(byte[], byte[])},
 * {@link #update(byte[], byte[], long)}, {@link #delete(byte[])},
 * {@link #nextKey(byte[], byte[])}) allocate nothing.
 *
 * <p>The handle knows its map's layout (type, key and value sizes) from its creation or from
 * the kernel's info when it took the descriptor over, and holds the descriptor open for the
 * whole of each call, so its element commands make one native call where the bare-descriptor
 * methods of {@link Bpf} must ask the kernel for the layout first.
 */
public final class BpfMap extends BpfObject {
    private final MapType type;
    private final int keySize;
    private final int valueSize;
    private final int maxEntries;
    private final int flags;
    private final String name;
    private final int valueBufferSize;
    private final MapLayout layout;
    /** The backend's layout-trusting element commands, or null to use the bare-descriptor ones. */
    private final KnownMaps known;

    private BpfMap(Bpf bpf, int fd, MapType type, int keySize, int valueSize, int maxEntries, int flags, String name) {
        super(bpf, fd);
        this.type = type;
        this.keySize = keySize;
        this.valueSize = valueSize;
        this.maxEntries = maxEntries;
        this.flags = flags;
        this.name = name;
        this.layout = MapLayout.of(type, keySize, valueSize, name, bpf.possibleCpus());
        this.valueBufferSize = layout.userValueSize();
        this.known = bpf instanceof KnownMaps k ? k : null;
    }

    private static int roundUp8(int n) {
        return (n + 7) & ~7;
    }

    /**
     * Creates a map ({@code BPF_MAP_CREATE}).
     *
     * @param bpf the backend
     * @param spec the map's attributes
     * @return the handle
     */
    public static BpfMap create(Bpf bpf, MapSpec spec) {
        Objects.requireNonNull(bpf, "bpf");
        Objects.requireNonNull(spec, "spec");
        int fd = bpf.mapCreate(spec);
        return new BpfMap(bpf, fd, spec.type(), spec.keySize(), spec.valueSize(), spec.maxEntries(), spec.flags(),
                spec.name());
    }

    /**
     * Takes ownership of a map descriptor; reads the map's shape from its info.
     *
     * @param bpf the backend
     * @param fd the descriptor, now owned by the handle (closed if reading the info fails)
     * @return the handle
     */
    public static BpfMap fromFd(Bpf bpf, int fd) {
        Objects.requireNonNull(bpf, "bpf");
        MapInfo info;
        try {
            info = bpf.mapGetInfo(fd);
        } catch (RuntimeException e) {
            bpf.closeFd(fd);
            throw e;
        }
        return new BpfMap(bpf, fd, info.type(), info.keySize(), info.valueSize(), info.maxEntries(), info.flags(),
                info.name());
    }

    /**
     * Opens a map by id ({@code BPF_MAP_GET_FD_BY_ID}).
     *
     * @param bpf the backend
     * @param id the map's id
     * @return the handle
     */
    public static BpfMap fromId(Bpf bpf, int id) {
        return fromFd(bpf, bpf.mapGetFdById(id));
    }

    /**
     * Opens a pinned map ({@code BPF_OBJ_GET}).
     *
     * @param bpf the backend
     * @param path the pin path
     * @return the handle
     */
    public static BpfMap pinned(Bpf bpf, String path) {
        if (path == null || path.isEmpty()) throw new IllegalArgumentException("path: empty");
        return fromFd(bpf, bpf.objGet(path, 0));
    }

    /**
     * The map type.
     *
     * @return the type
     */
    public MapType type() {
        return type;
    }

    /**
     * The key size in bytes.
     *
     * @return the key size
     */
    public int keySize() {
        return keySize;
    }

    /**
     * The value size in bytes as a program sees it (one CPU's value for per-CPU maps).
     *
     * @return the value size
     */
    public int valueSize() {
        return valueSize;
    }

    /**
     * The size of the value buffers this handle reads and writes: the value size, or
     * {@code round_up(valueSize, 8) * possibleCpus} for per-CPU maps.
     *
     * @return the buffer size
     */
    public int valueBufferSize() {
        return valueBufferSize;
    }

    /**
     * The capacity.
     *
     * @return max entries
     */
    public int maxEntries() {
        return maxEntries;
    }

    /**
     * The creation flags.
     *
     * @return {@link MapFlags} bits
     */
    public int flags() {
        return flags;
    }

    /**
     * The name.
     *
     * @return the name, possibly empty
     */
    public String name() {
        return name;
    }

    /**
     * A reader of this {@code RINGBUF} map's records; more maps can be added to it.
     *
     * @param handler receives each record
     * @return the reader, which owns its mapping of the ring and outlives this handle
     * @throws IllegalArgumentException when this map is no {@code RINGBUF}, naming its type
     * @see io.bpf4j.api.events.RingBufferReader
     */
    public io.bpf4j.api.events.RingBufferReader ringBufferReader(io.bpf4j.api.events.RecordHandler handler) {
        return io.bpf4j.api.events.RingBufferReader.open(this, handler);
    }

    /**
     * A reader of the samples programs send to this {@code PERF_EVENT_ARRAY}.
     *
     * @param options ring size and wake-up settings
     * @param handler receives each sample
     * @param lost hears of samples the kernel dropped
     * @return the reader, which owns its per-CPU rings and outlives this handle
     * @throws IllegalArgumentException when this map is no {@code PERF_EVENT_ARRAY}, naming its type
     * @see io.bpf4j.api.events.PerfBufferReader
     */
    public io.bpf4j.api.events.PerfBufferReader perfBufferReader(io.bpf4j.api.events.PerfBufferOptions options,
            io.bpf4j.api.events.RecordHandler handler, io.bpf4j.api.events.LostHandler lost) {
        return io.bpf4j.api.events.PerfBufferReader.open(this, options, handler, lost);
    }

    /**
     * A writer of records into this {@code USER_RINGBUF} map, for programs to drain.
     *
     * @return the writer, which owns its mapping of the ring and outlives this handle
     * @throws IllegalArgumentException when this map is no {@code USER_RINGBUF}, naming its type
     * @see io.bpf4j.api.events.UserRingBufferWriter
     */
    public io.bpf4j.api.events.UserRingBufferWriter userRingBufferWriter() {
        return io.bpf4j.api.events.UserRingBufferWriter.open(this);
    }

    /**
     * The map's info ({@code BPF_OBJ_GET_INFO_BY_FD}).
     *
     * @return the info, including the id
     */
    public MapInfo info() {
        return with(bpf()::mapGetInfo);
    }

    /**
     * Looks a key up into a caller buffer, allocating nothing.
     *
     * @param key the key
     * @param value receives the value, {@link #valueBufferSize()} bytes
     * @return false when the key is missing
     */
    public boolean lookup(byte[] key, byte[] value) {
        return lookup(key, value, 0);
    }

    private boolean lookup(byte[] key, byte[] value, long flags) {
        int n = beginCall();
        try {
            return known != null ? known.mapLookupElem(n, layout, key, value, flags)
                    : bpf().mapLookupElem(n, key, value, flags);
        } finally {
            endCall();
        }
    }

    /**
     * Looks a key up.
     *
     * @param key the key
     * @return the value, or empty when the key is missing
     */
    public Optional<byte[]> lookup(byte[] key) {
        byte[] value = new byte[valueBufferSize];
        return lookup(key, value) ? Optional.of(value) : Optional.empty();
    }

    /**
     * Creates or replaces an element ({@code BPF_ANY}).
     *
     * @param key the key
     * @param value the value
     */
    public void put(byte[] key, byte[] value) {
        update(key, value, UpdateFlags.ANY);
    }

    /**
     * Updates an element with flags.
     *
     * @param key the key
     * @param value the value
     * @param flags {@link UpdateFlags}
     */
    public void update(byte[] key, byte[] value, long flags) {
        int n = beginCall();
        try {
            if (known != null) known.mapUpdateElem(n, layout, key, value, flags);
            else bpf().mapUpdateElem(n, key, value, flags);
        } finally {
            endCall();
        }
    }

    /**
     * Deletes an element.
     *
     * @param key the key
     * @return false when the key was missing
     */
    public boolean delete(byte[] key) {
        int n = beginCall();
        try {
            return known != null ? known.mapDeleteElem(n, layout, key) : bpf().mapDeleteElem(n, key);
        } finally {
            endCall();
        }
    }

    /**
     * The key after {@code key}, into a caller buffer.
     *
     * @param key the current key, or null for the first
     * @param next receives the next key
     * @return false at the end
     */
    public boolean nextKey(byte[] key, byte[] next) {
        int n = beginCall();
        try {
            return known != null ? known.mapGetNextKey(n, layout, key, next) : bpf().mapGetNextKey(n, key, next);
        } finally {
            endCall();
        }
    }

    /**
     * Looks an element up and deletes it into a caller buffer, allocating nothing; with a null
     * key, pops from a queue or stack.
     *
     * @param key the key, or null for a queue or stack
     * @param value receives the value, {@link #valueBufferSize()} bytes
     * @return false when the key was missing (or the queue empty)
     */
    public boolean lookupAndDelete(byte[] key, byte[] value) {
        int n = beginCall();
        try {
            return known != null ? known.mapLookupAndDeleteElem(n, layout, key, value, 0)
                    : bpf().mapLookupAndDeleteElem(n, key, value, 0);
        } finally {
            endCall();
        }
    }

    /**
     * Looks up and deletes an element in one step.
     *
     * @param key the key
     * @return the value it had, or empty when it was missing
     */
    public Optional<byte[]> lookupAndDelete(byte[] key) {
        byte[] value = new byte[valueBufferSize];
        return lookupAndDelete(key, value) ? Optional.of(value) : Optional.empty();
    }

    /**
     * Pushes onto a queue or stack (or adds to a bloom filter).
     *
     * @param value the value
     * @param flags {@link UpdateFlags#EXIST} to overwrite the oldest element when full, else 0
     */
    public void push(byte[] value, long flags) {
        update(null, value, flags);
    }

    /**
     * Pops from a queue or stack.
     *
     * @return the value, or empty when the map is empty
     */
    public Optional<byte[]> pop() {
        byte[] value = new byte[valueBufferSize];
        return lookupAndDelete(null, value) ? Optional.of(value) : Optional.empty();
    }

    /**
     * Peeks at a queue or stack (or, for a bloom filter, tests membership of {@code value}).
     *
     * @return the value, or empty when the map is empty
     */
    public Optional<byte[]> peek() {
        byte[] value = new byte[valueBufferSize];
        return lookup(null, value, 0) ? Optional.of(value) : Optional.empty();
    }

    /**
     * Writes many elements in one command ({@code BPF_MAP_UPDATE_BATCH}).
     *
     * @param keys {@code count} keys back to back
     * @param values {@code count} values back to back ({@link #valueBufferSize()} bytes each)
     * @param count how many
     * @param elemFlags {@link UpdateFlags} for every element
     * @return how many were written (all; a failure throws after the ones before it)
     */
    public int updateBatch(byte[] keys, byte[] values, int count, long elemFlags) {
        return with(n -> bpf().mapUpdateBatch(n, keys, values, count, elemFlags, 0));
    }

    /**
     * Deletes many elements in one command ({@code BPF_MAP_DELETE_BATCH}).
     *
     * @param keys {@code count} keys back to back
     * @param count how many
     * @return how many were deleted (all; a missing key throws {@code ENOENT} after the ones before it)
     */
    public int deleteBatch(byte[] keys, int count) {
        return with(n -> bpf().mapDeleteBatch(n, keys, count, 0, 0));
    }

    /** Freezes the map: user space can no longer write it ({@code BPF_MAP_FREEZE}). */
    public void freeze() {
        withFd(bpf()::mapFreeze);
    }

    /**
     * The keys, walked with get_next_key. As in the kernel, deleting the current key while
     * walking restarts the walk from the first key.
     *
     * @return a lazy iterable; each iterator walks the map afresh
     */
    public Iterable<byte[]> keys() {
        return () -> new Iterator<>() {
            private byte[] current;
            private byte[] next;
            private boolean done;

            @Override
            public boolean hasNext() {
                if (next != null) return true;
                if (done) return false;
                byte[] candidate = new byte[keySize];
                if (nextKey(current, candidate)) {
                    next = candidate;
                    return true;
                }
                done = true;
                return false;
            }

            @Override
            public byte[] next() {
                if (!hasNext()) throw new NoSuchElementException();
                current = next;
                next = null;
                return current.clone();
            }
        };
    }

    /**
     * The elements, walked with get_next_key and lookup; elements deleted between the two steps
     * are skipped.
     *
     * @return a lazy iterable of key-value pairs
     */
    public Iterable<Map.Entry<byte[], byte[]>> entries() {
        return () -> new Iterator<>() {
            private final Iterator<byte[]> keys = keys().iterator();
            private Map.Entry<byte[], byte[]> next;

            @Override
            public boolean hasNext() {
                while (next == null && keys.hasNext()) {
                    byte[] k = keys.next();
                    byte[] v = new byte[valueBufferSize];
                    if (lookup(k, v)) next = new AbstractMap.SimpleImmutableEntry<>(k, v);
                }
                return next != null;
            }

            @Override
            public Map.Entry<byte[], byte[]> next() {
                if (!hasNext()) throw new NoSuchElementException();
                Map.Entry<byte[], byte[]> e = next;
                next = null;
                return e;
            }
        };
    }

    /**
     * Reads the whole map with the batch commands, {@code batchSize} elements per call. When a
     * hash bucket holds more elements than fit, the kernel answers ENOSPC and the batch is
     * grown and retried. {@link #dumpBatch(int, BatchVisitor)} does the same without building
     * the list.
     *
     * <p>The list is an unmodifiable snapshot that keeps each batch as the kernel wrote it; its
     * entries are made as it is read, and their {@code getKey()} and {@code getValue()} return a
     * new copy on each call. Two entries are equal when their keys and values hold the same bytes.
     *
     * @param batchSize elements per call, at least 1
     * @return every element
     */
    public List<Map.Entry<byte[], byte[]>> dumpBatch(int batchSize) {
        DumpList all = new DumpList(keySize, valueBufferSize);
        dump(batchSize, (keys, values, count) -> {
            all.addBatch(keys, values, count);
            return true;
        });
        return java.util.Collections.unmodifiableList(all);
    }

    /**
     * Reads the whole map with the batch commands, {@code batchSize} elements per call, handing
     * each element to {@code visitor} in the batch buffers: nothing is allocated per element, and
     * the buffers are allocated once per dump (and again only when a hash bucket holds more
     * elements than a batch, which the kernel answers with ENOSPC and the dump grows past).
     *
     * @param batchSize elements per call, at least 1
     * @param visitor called for each element in the kernel's order; returning false stops the dump
     * @return how many elements were visited
     */
    public long dumpBatch(int batchSize, BatchVisitor visitor) {
        if (batchSize < 1) throw new IllegalArgumentException("batchSize: " + batchSize + " < 1");
        if (visitor == null) throw new IllegalArgumentException("visitor: null");
        long[] visited = {0};
        dump(batchSize, (keys, values, count) -> {
            for (int i = 0; i < count; i++) {
                visited[0]++;
                if (!visitor.element(keys, i * keySize, values, i * valueBufferSize)) return false;
            }
            return true;
        });
        return visited[0];
    }

    /** Receives each batch of a dump: its first {@code count} keys and values; false stops the dump. */
    private interface Batches {
        boolean batch(byte[] keys, byte[] values, int count);
    }

    private void dump(int batchSize, Batches sink) {
        if (batchSize < 1) throw new IllegalArgumentException("batchSize: " + batchSize + " < 1");
        byte[] in = null;
        byte[] out = new byte[Math.max(keySize, 8)];
        int count = batchSize;
        byte[] keys = new byte[count * keySize];
        byte[] values = new byte[count * valueBufferSize];
        while (true) {
            BatchResult r;
            try {
                r = lookupBatch(in, out, keys, values, count);
            } catch (BpfException e) {
                if (e.errno() == Errno.ENOSPC && count < Integer.MAX_VALUE / 2) {
                    count *= 2;
                    keys = new byte[count * keySize];
                    values = new byte[count * valueBufferSize];
                    continue;
                }
                throw e;
            }
            if (!sink.batch(keys, values, r.count()) || r.done()) return;
            // The cursor the kernel wrote becomes the next call's input: swap rather than copy.
            byte[] next = in == null ? new byte[out.length] : in;
            in = out;
            out = next;
        }
    }

    private BatchResult lookupBatch(byte[] in, byte[] out, byte[] keys, byte[] values, int count) {
        int n = beginCall();
        try {
            return known != null ? known.mapLookupBatch(n, layout, in, out, keys, values, count, 0, 0)
                    : bpf().mapLookupBatch(n, in, out, keys, values, count, 0, 0);
        } finally {
            endCall();
        }
    }

    /**
     * Splits a per-CPU value buffer into one value per CPU.
     *
     * @param buffer {@link #valueBufferSize()} bytes from a lookup
     * @return one array of {@link #valueSize()} bytes per possible CPU
     */
    public List<byte[]> perCpuValues(byte[] buffer) {
        if (!type.isPerCpu()) throw new IllegalStateException(describe() + " is not a per-CPU map");
        if (buffer.length != valueBufferSize) {
            throw new IllegalArgumentException("buffer: " + buffer.length + " bytes, expected " + valueBufferSize);
        }
        int stride = roundUp8(valueSize);
        List<byte[]> values = new ArrayList<>();
        for (int off = 0; off < buffer.length; off += stride) values.add(Arrays.copyOfRange(buffer, off, off + valueSize));
        return values;
    }

    @Override
    String describe() {
        return name.isEmpty() ? "map" : "map \"" + name + "\"";
    }
}
