package io.bpf4j.windows.internal;

import io.bpf4j.api.BpfException;
import io.bpf4j.api.Errno;
import io.bpf4j.api.MapInfo;
import io.bpf4j.api.MapType;
import io.bpf4j.api.MappedRing;
import io.bpf4j.api.Operation;
import io.bpf4j.internal.rules.EventRules;
import io.bpf4j.windows.internal.sys.EbpfApi;
import io.bpf4j.windows.internal.sys.Export;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;

/**
 * Perf event arrays on eBPF for Windows, read through efW's asynchronous perf buffer callbacks and
 * copied into rings of the backend's own in Linux's perf layout, which the portable
 * {@code PerfBufferReader} reads.
 *
 * <p><b>Which export.</b> Every supported release delivers perf records through callbacks that
 * efW calls on its own thread (an I/O completion of its thread pool) while a query per CPU is
 * outstanding ({@code ebpf_map_subscribe}, libs/api/ebpf_api.cpp@Release-v0.21.0:4589; the
 * completion routine that calls them at :4443):
 * <ul>
 *   <li>0.21: {@code perf_buffer__new}, which takes only {@code page_cnt} 0 and NULL options
 *       (libs/api/libbpf_map.cpp@Release-v0.21.0:433-490).</li>
 *   <li>1.0.0-rc1 and later: {@code ebpf_perf_buffer__new} with {@code EBPF_PERFBUF_FLAG_AUTO_CALLBACK}
 *       (include/ebpf_api.h@v1.5.0:910-923; libs/api/ebpf_api.cpp@v1.5.0:6407-6430). At 1.0.0-rc1
 *       {@code perf_buffer__new} refuses anything else (EBPF_OPERATION_NOT_SUPPORTED,
 *       libs/api/libbpf_map.cpp@Release-v1.0.0-rc1:515-519). From 1.1.0 {@code perf_buffer__new}
 *       instead maps the rings for {@code perf_buffer__poll}, whose callbacks run inside
 *       {@code perf_buffer__consume} and whose CPUs share one manual-reset event
 *       (libs/api/ebpf_api.cpp@v1.5.0:6436-6470, libs/api/libbpf_map.cpp@v1.5.0:690-720). Its rings hold
 *       efW's records, not {@code perf_event_header}s, so a copy is needed there too; the
 *       callback mode is used on every release so that one path serves all.</li>
 * </ul>
 * Both subscribe every CPU below {@code libbpf_num_possible_cpus()} at once, so the first
 * {@link #open} of an array creates a ring per CPU (with its size and wake-up settings) and
 * subscribes, and each open takes its CPU's ring; the last ring taken to be closed frees the perf
 * buffer. A record's data is valid only during the callback
 * (libs/api/ebpf_api.cpp@Release-v0.21.0:4529-4536 passes {@code record->data} of efW's mapping and
 * advances the consumer after the call), hence the copy.
 *
 * <p><b>Losses.</b> efW counts records its kernel ring dropped and reports the growth of that count
 * through the lost callback, per CPU, before the CPU's records (libs/api/ebpf_api.cpp@Release-v0.21.0:4485-4493;
 * include/ebpf_api.h@v1.5.0:787-792). A copy ring that is full drops the record and counts it too.
 * Both surface as Linux's {@code PERF_RECORD_LOST} records in the CPU's ring, written as soon as
 * there is room, so the reader reports every loss in order with the records around it.
 */
final class PerfOps {
    /** {@code EBPF_PERFBUF_FLAG_AUTO_CALLBACK}, include/ebpf_api.h@v1.5.0:920-923. */
    static final long AUTO_CALLBACK = 1;
    /** {@code sizeof(struct ebpf_perf_buffer_opts)}: {@code size_t sz; uint64_t flags} (include/ebpf_api.h@v1.5.0:910-914). */
    static final int OPTS_SIZE = 16;

    private final WinBackend b;
    /** By map id: descriptors are reused and duplicated, ids are not. */
    private final Map<Integer, Session> sessions = new HashMap<>();

    PerfOps(WinBackend b) {
        this.b = b;
    }

    MappedRing open(int arrayFd, int cpu, int pages, int wakeup, boolean watermark) {
        EventRules.perfBufferOpen(arrayFd, cpu, pages, wakeup);
        b.need(Operation.PERF_BUFFER_OPEN);
        MapInfo info = b.mapGetInfo(arrayFd);
        if (info.type() != MapType.PERF_EVENT_ARRAY) {
            throw new IllegalArgumentException("arrayFd is a " + info.type() + " map, not a PERF_EVENT_ARRAY map");
        }
        // efW subscribes the possible CPUs and nothing else (libs/api/libbpf_map.cpp@Release-v0.21.0:458-463).
        if (cpu >= b.possibleCpus()) return null;
        synchronized (this) {
            Session s = sessions.get(info.id());
            if (s != null && s.ended()) s = null;   // its last ring is closing: a new subscription
            if (s == null) {
                s = new Session(info.id(), b.possibleCpus(), pages, wakeup, watermark);
                s.subscribe(arrayFd);
                sessions.put(info.id(), s);
            }
            return s.take(cpu);
        }
    }

    private synchronized void ended(Session s) {
        sessions.remove(s.mapId, s);
    }

    /**
     * One efW perf buffer and the copy rings of its CPUs. The rings exist before efW is asked to
     * subscribe, since efW calls back at once with what its rings already hold; a later
     * {@link #open} of the same array takes its CPU's ring.
     */
    final class Session implements EbpfApi.PerfSink {
        final int mapId;
        private final CopyRing[] rings;
        private final boolean[] handed;
        private EbpfApi.PerfCallbacks callbacks;
        private long perfBuffer;
        private int out;
        private boolean ended;

        Session(int mapId, int cpus, int pages, int wakeup, boolean watermark) {
            this.mapId = mapId;
            this.rings = new CopyRing[cpus];
            this.handed = new boolean[cpus];
            for (int c = 0; c < cpus; c++) rings[c] = new CopyRing(this, b.api, c, pages * 4096, wakeup, watermark);
        }

        void subscribe(int arrayFd) {
            EbpfApi api = b.api;
            callbacks = api.perfCallbacks(this);
            long pb;
            String call;
            if (api.has(Export.EBPF_PERF_BUFFER_NEW)) {
                call = Export.EBPF_PERF_BUFFER_NEW.symbol();
                ByteBuffer opts = Scratch.direct(OPTS_SIZE).order(ByteOrder.nativeOrder());
                opts.putLong(0, OPTS_SIZE).putLong(8, AUTO_CALLBACK);
                pb = api.perfBufferNew(Export.EBPF_PERF_BUFFER_NEW, arrayFd, callbacks, api.address(opts));
            } else {
                call = Export.PERF_BUFFER_NEW.symbol();
                pb = api.perfBufferNew(Export.PERF_BUFFER_NEW, arrayFd, callbacks, 0);
            }
            if (pb == 0) {
                callbacks.close();
                // efW sets its C runtime's errno, which another module cannot read.
                throw new BpfException(Fail.BACKEND, Operation.PERF_BUFFER_OPEN, "map " + arrayFd, Errno.UNKNOWN, 0,
                        call + " returned NULL (efW allows one outstanding query per CPU, so a second subscriber of"
                                + " the same array fails: libs/execution_context/ebpf_maps.c@Release-v0.21.0:2149-2153)");
            }
            perfBuffer = pb;
        }

        boolean ended() {
            synchronized (rings) {
                return ended;
            }
        }

        MappedRing take(int cpu) {
            synchronized (rings) {
                if (handed[cpu]) {
                    throw new BpfException(Fail.BACKEND, Operation.PERF_BUFFER_OPEN, "map id " + mapId, Errno.EBUSY, 16,
                            "cpu " + cpu + " already has a reader");
                }
                handed[cpu] = true;
                out++;
                return rings[cpu];
            }
        }

        void release(CopyRing r) {
            synchronized (rings) {
                if (ended || !handed[r.cpu]) return;
                if (--out > 0) return;
                ended = true;
            }
            // perf_buffer__free unsubscribes and waits for callbacks in flight
            // (ebpf_map_unsubscribe, libs/api/ebpf_api.cpp@Release-v0.21.0:4816-4820), so the stubs can go after it.
            b.api.perfBufferFree(perfBuffer);
            callbacks.close();
            for (CopyRing c : rings) c.close();
            PerfOps.this.ended(this);
        }

        @Override
        public void sample(int cpu, long data, int size) {
            if (cpu >= 0 && cpu < rings.length) rings[cpu].sample(data, size);
        }

        @Override
        public void lost(int cpu, long count) {
            if (cpu >= 0 && cpu < rings.length) rings[cpu].lost(count);
        }
    }
}
