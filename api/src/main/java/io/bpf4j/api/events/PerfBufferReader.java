package io.bpf4j.api.events;

import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfMap;
import io.bpf4j.api.MapType;
import io.bpf4j.api.MappedRing;
import io.bpf4j.api.RingWaiter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reads what programs send with {@code bpf_perf_event_output} to a
 * {@code BPF_MAP_TYPE_PERF_EVENT_ARRAY}, as libbpf's {@code perf_buffer__poll} does: one ring per
 * online CPU, each registered in the array at the CPU's index, so a program writing with
 * {@code BPF_F_CURRENT_CPU} lands in its CPU's ring.
 *
 * {@snippet :
 * try (BpfMap events = BpfMap.create(bpf, MapSpec.of(MapType.PERF_EVENT_ARRAY, 4, 4, bpf.possibleCpus()));
 *      PerfBufferReader reader = events.perfBufferReader(PerfBufferOptions.DEFAULTS,
 *              r -> System.out.println("cpu " + r.cpu() + ": " + r.getLong(0)),
 *              (cpu, lost) -> System.err.println(lost + " lost on cpu " + cpu))) {
 *     while (running) reader.poll(Duration.ofMillis(100));
 * }
 * }
 *
 * <p>Records of one CPU arrive in the order they were written; CPUs are drained in turn. A
 * record is a {@code PERF_SAMPLE_RAW} sample: the kernel pads it so that it ends on 8 bytes, so
 * {@link EventRecord#length()} can exceed what the program wrote by up to 7 bytes. When a CPU's
 * ring is full the kernel drops samples and later reports how many ({@link LostHandler});
 * {@link #lostSamples()} keeps the total. Closing the reader takes its rings out of the array.
 *
 * <p>Threads, handler exceptions and closing behave as for {@link RingBufferReader}. A handler's
 * exception leaves the ring's tail published just past the record that threw.
 */
public final class PerfBufferReader implements AutoCloseable {
    private final Resources resources = new Resources();
    private final Poller poller;
    private final EventRecord record = new EventRecord();
    private final Poller.Source source = this::drainAll;
    private final PerfConsumer[] rings;
    private final RecordHandler handler;
    private final LostHandler lostHandler;

    private PerfBufferReader(BpfMap array, PerfBufferOptions options, RecordHandler handler, LostHandler lost) {
        Bpf bpf = array.bpf();
        this.handler = handler;
        this.lostHandler = lost;
        RingWaiter waiter = bpf.ringWaiter();
        this.poller = new Poller(this, "perf buffer reader", waiter, resources);
        List<PerfConsumer> opened = new ArrayList<>();
        try {
            int fd = array.fd();
            int cpus = Math.min(array.maxEntries(), bpf.possibleCpus());
            boolean watermark = options.watermarkBytes() > 0;
            int wakeup = watermark ? options.watermarkBytes() : options.wakeupEvents();
            String name = RingBufferReader.describe(array);
            for (int cpu = 0; cpu < cpus; cpu++) {
                MappedRing ring = bpf.perfBufferOpen(fd, cpu, options.pagesPerCpu(), wakeup, watermark);
                if (ring == null) continue; // offline: nothing runs there
                resources.ring(ring);
                opened.add(new PerfConsumer("perf ring of cpu " + cpu + " (" + name + ")", cpu, ring));
                waiter.add(ring);
            }
            if (opened.isEmpty()) {
                throw new IllegalStateException("array: no online CPU below its " + array.maxEntries() + " entries");
            }
        } catch (RuntimeException e) {
            poller.close();
            throw e;
        }
        this.rings = opened.toArray(new PerfConsumer[0]);
    }

    /**
     * Opens a reader with {@link PerfBufferOptions#DEFAULTS}.
     *
     * @param array a {@code PERF_EVENT_ARRAY}
     * @param handler receives every sample
     * @param lost hears of dropped samples
     * @return the reader
     * @throws IllegalArgumentException when the map is no {@code PERF_EVENT_ARRAY}
     */
    public static PerfBufferReader open(BpfMap array, RecordHandler handler, LostHandler lost) {
        return open(array, PerfBufferOptions.DEFAULTS, handler, lost);
    }

    /**
     * Opens a reader: a ring on every online CPU below the array's size, each stored in the array
     * at its CPU's index (replacing what was there).
     *
     * @param array a {@code PERF_EVENT_ARRAY}; the reader does not need the handle afterwards
     * @param options ring size and wake-up settings
     * @param handler receives every sample
     * @param lost hears of dropped samples ({@link LostHandler#IGNORE} to only count them)
     * @return the reader
     * @throws IllegalArgumentException when the map is no {@code PERF_EVENT_ARRAY}
     * @throws io.bpf4j.api.BpfUnsupportedException when the backend has no perf buffers
     *     ({@link io.bpf4j.api.Operation#PERF_BUFFER_OPEN}, {@link io.bpf4j.api.Operation#RING_WAIT})
     */
    public static PerfBufferReader open(BpfMap array, PerfBufferOptions options, RecordHandler handler, LostHandler lost) {
        Objects.requireNonNull(array, "array");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(lost, "lost");
        if (array.type() != MapType.PERF_EVENT_ARRAY) {
            throw new IllegalArgumentException("array: " + RingBufferReader.describe(array) + " is a " + array.type()
                    + " map, not PERF_EVENT_ARRAY");
        }
        return new PerfBufferReader(array, options, handler, lost);
    }

    /**
     * Delivers the samples and loss reports ready now, waiting up to {@code timeout} when there
     * are none.
     *
     * @param timeout how long to wait at most; {@link Duration#ZERO} does not block, a negative
     *     duration waits without limit
     * @return how many samples were delivered (loss reports do not count); 0 when the timeout
     *     passed or the reader was closed while waiting
     * @throws IllegalStateException when the reader is closed, or polled by another thread
     * @throws CorruptRingException when a ring holds a record no kernel writes
     */
    public int poll(Duration timeout) {
        return poller.poll(Poller.nanos(Objects.requireNonNull(timeout, "timeout")), source);
    }

    /**
     * Delivers what is ready now without waiting.
     *
     * @return how many samples were delivered
     * @throws IllegalStateException when the reader is closed, or polled by another thread
     * @throws CorruptRingException when a ring holds a record no kernel writes
     */
    public int consume() {
        return poller.consume(source);
    }

    private int drainAll() {
        int n = 0;
        for (PerfConsumer c : rings) {
            n += c.drain(record, handler, lostHandler, poller);
            if (poller.closing()) break;
        }
        return n;
    }

    /**
     * The CPUs the reader has rings on.
     *
     * @return a new array, ascending
     */
    public int[] cpus() {
        int[] out = new int[rings.length];
        for (int i = 0; i < out.length; i++) out[i] = rings[i].cpu();
        return out;
    }

    /**
     * How many samples the kernel reported lost, over every CPU, as the reader has read the
     * reports so far. Read it from the polling thread (or after the poll returned).
     *
     * @return the total
     */
    public long lostSamples() {
        long n = 0;
        for (PerfConsumer c : rings) n += c.lost();
        return n;
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
     * Closes the reader as {@link RingBufferReader#close()} does; the rings leave the array.
     */
    @Override
    public void close() {
        poller.close();
    }
}
