package io.bpf4j.api.events;

import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfMap;
import io.bpf4j.api.MapType;
import io.bpf4j.api.MappedRing;
import io.bpf4j.api.RingWaiter;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * Reads records that programs write to one or more {@code BPF_MAP_TYPE_RINGBUF} maps
 * ({@code bpf_ringbuf_output}, {@code bpf_ringbuf_reserve}/{@code submit}), as libbpf's
 * {@code ring_buffer__poll} does, on every backend that maps ring buffers.
 *
 * {@snippet :
 * try (BpfMap events = BpfMap.create(bpf, MapSpec.of(MapType.RINGBUF, 0, 0, 1 << 16));
 *      RingBufferReader reader = events.ringBufferReader(r -> System.out.println(r.getLong(0)))) {
 *     while (running) reader.poll(Duration.ofMillis(100));
 * }
 * }
 *
 * <p>Each record is handed to its map's {@link RecordHandler} as an {@link EventRecord} that views
 * the ring's memory; nothing is copied or allocated per record. Records of one map arrive in the
 * order the programs reserved them; maps are drained in the order they were added.
 *
 * <p><b>Threads.</b> One thread polls at a time (another gets {@link IllegalStateException});
 * {@link #close()} may come from any thread, including the handler's: a {@code poll} blocked in a
 * wait returns at once, one in a handler returns after it, and the rings are unmapped when the
 * polling thread has left. A virtual thread may poll: its waits are handed to a platform thread
 * while it parks, so it does not pin its carrier.
 *
 * <p><b>Handler exceptions.</b> The exception propagates from {@code poll} or {@code consume}. The
 * record it was handed counts as consumed (the handler saw it: it is not delivered again), the
 * consumer position is published, and the records after it stay for the next call. Nothing is
 * lost or duplicated.
 */
public final class RingBufferReader implements AutoCloseable {
    private final Bpf bpf;
    private final Resources resources = new Resources();
    private final RingWaiter waiter;
    private final Poller poller;
    private final EventRecord record = new EventRecord();
    private final Poller.Source source = this::drainAll;
    private RingConsumer[] rings = new RingConsumer[0];

    private RingBufferReader(Bpf bpf) {
        this.bpf = bpf;
        this.waiter = bpf.ringWaiter();
        this.poller = new Poller(this, "ring buffer reader", waiter, resources);
    }

    /**
     * Opens a reader on one ring buffer map.
     *
     * @param map a {@code RINGBUF} map; the reader maps its memory and does not need the handle
     *     afterwards
     * @param handler receives every record of the map
     * @return the reader
     * @throws IllegalArgumentException when the map is no {@code RINGBUF}
     * @throws io.bpf4j.api.BpfUnsupportedException when the backend cannot map or wait for ring
     *     buffers ({@link io.bpf4j.api.Operation#RINGBUF_MAP}, {@link io.bpf4j.api.Operation#RING_WAIT})
     */
    public static RingBufferReader open(BpfMap map, RecordHandler handler) {
        Objects.requireNonNull(map, "map");
        Objects.requireNonNull(handler, "handler");
        requireRingbuf(map);
        RingBufferReader r = new RingBufferReader(map.bpf());
        try {
            r.add(map, handler);
        } catch (RuntimeException e) {
            r.close();
            throw e;
        }
        return r;
    }

    private static void requireRingbuf(BpfMap map) {
        if (map.type() != MapType.RINGBUF) {
            throw new IllegalArgumentException("map: " + describe(map) + " is a " + map.type() + " map, not RINGBUF");
        }
    }

    static String describe(BpfMap map) {
        return map.name().isEmpty() ? "the map" : "map \"" + map.name() + "\"";
    }

    /**
     * Adds another ring buffer map; its records get {@link EventRecord#source()} = the number of
     * maps added before it.
     *
     * @param map a {@code RINGBUF} map of the same backend
     * @param handler receives its records
     * @return this reader
     * @throws IllegalArgumentException when the map is no {@code RINGBUF} or of another backend
     * @throws IllegalStateException when the reader is closed or being polled
     */
    public RingBufferReader add(BpfMap map, RecordHandler handler) {
        Objects.requireNonNull(map, "map");
        Objects.requireNonNull(handler, "handler");
        requireRingbuf(map);
        if (map.bpf() != bpf) throw new IllegalArgumentException("map: belongs to another backend than the reader");
        poller.enter();
        try {
            int index = rings.length;
            String name = "ring buffer " + index + " (" + describe(map) + ")";
            MappedRing ring = bpf.ringBufferMap(map.fd());
            resources.ring(ring);
            RingConsumer c = new RingConsumer(name, index, ring, handler);
            waiter.add(ring);
            RingConsumer[] more = Arrays.copyOf(rings, index + 1);
            more[index] = c;
            rings = more;
            return this;
        } finally {
            poller.exit();
        }
    }

    /**
     * Delivers the records ready now, waiting up to {@code timeout} for some when there are none.
     *
     * @param timeout how long to wait at most; {@link Duration#ZERO} does not block, a negative
     *     duration waits without limit
     * @return how many records were delivered; 0 when the timeout passed, or when the reader was
     *     closed while waiting
     * @throws IllegalStateException when the reader is closed, or polled by another thread
     * @throws CorruptRingException when a ring holds a record no kernel writes
     */
    public int poll(Duration timeout) {
        return poller.poll(Poller.nanos(Objects.requireNonNull(timeout, "timeout")), source);
    }

    /**
     * Delivers the records ready now without waiting.
     *
     * @return how many records were delivered
     * @throws IllegalStateException when the reader is closed, or polled by another thread
     * @throws CorruptRingException when a ring holds a record no kernel writes
     */
    public int consume() {
        return poller.consume(source);
    }

    private int drainAll() {
        int n = 0;
        for (RingConsumer c : rings) {
            n += c.drain(record, poller);
            if (poller.closing()) break;
        }
        return n;
    }

    /**
     * How many maps the reader reads.
     *
     * @return the count
     */
    public int rings() {
        return rings.length;
    }

    /**
     * Whether {@link #close()} has been called.
     *
     * @return true once closed
     */
    public boolean isClosed() {
        return poller.closing();
    }

    /**
     * Closes the reader: a {@code poll} waiting on another thread returns at once, and the rings
     * are unmapped as soon as no thread is inside the reader. Idempotent; later calls of the other
     * methods throw {@link IllegalStateException}.
     */
    @Override
    public void close() {
        poller.close();
    }
}
