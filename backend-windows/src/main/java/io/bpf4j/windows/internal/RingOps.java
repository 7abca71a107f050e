package io.bpf4j.windows.internal;

import io.bpf4j.api.BpfException;
import io.bpf4j.api.Errno;
import io.bpf4j.api.MapType;
import io.bpf4j.api.MappedRing;
import io.bpf4j.api.Operation;
import io.bpf4j.api.RingWaiter;
import io.bpf4j.windows.internal.sys.EbpfApi;
import io.bpf4j.windows.internal.sys.Export;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Ring buffers on eBPF for Windows 1.0.0-rc1 and later, and the waiter of every ring the backend
 * hands out (these, and the perf copy rings of {@link PerfOps}, which need only Win32 events).
 * These releases map a {@code RINGBUF} map into the process with {@code ebpf_ring_buffer_map_map_buffer} and signal a Win32 event set with
 * {@code ebpf_map_set_wait_handle} (ebpfapi/Source.def@Release-v1.0.0-rc1:126,141-142).
 *
 * <p>efW's layout is Linux's, so the mapping is handed to the readers as it is, without copying:
 * the consumer page starts with {@code volatile uint64_t consumer_offset} and the producer page with
 * {@code producer_offset} (include/ebpf_api.h@v1.5.0:768-785); a record is a 32-bit length whose
 * bit 31 is "locked" (Linux's busy bit) and bit 30 "discarded", then a 32-bit page offset, then the
 * data padded to 8 bytes (libs/shared/ebpf_ring_buffer_record.h@v1.5.0:10-25,
 * libs/runtime/ebpf_ring_buffer.c@v1.5.0:266-269); offsets grow without wrapping and are masked by
 * the power-of-two size. The data is mapped twice back to back: by the kernel up to 1.4
 * (libs/runtime/kernel/ebpf_platform_kernel.c@Release-v1.1.0:87-122, data = producer + PAGE_SIZE
 * at :215), by two adjacent views in 1.5 (libs/api/ebpf_api.cpp@v1.5.0:5948), so the data buffer
 * spans twice the size. The consumer view is read-write, the producer's read-only
 * (libs/api/ebpf_api.cpp@v1.5.0:5933,5940).
 *
 * <p>The kernel signals the event when a record is submitted and producer and consumer differ
 * (libs/runtime/ebpf_ring_buffer.c@Release-v1.0.0-rc1:341-359). efW keeps one wait handle per map
 * and a new one replaces it (include/ebpf_api.h@v1.5.0:672-676), so two waiters on one map steal
 * each other's wake-ups; the readers own one waiter each.
 */
final class RingOps {
    private static final int WAIT_TIMEOUT = 258;
    private static final int INFINITE = 0xFFFFFFFF;
    /** MAXIMUM_WAIT_OBJECTS, one of which wakes the waiter. */
    private static final int MAX_RINGS = 63;

    private final WinBackend b;

    RingOps(WinBackend b) {
        this.b = b;
    }

    MappedRing map(int mapFd) {
        if (mapFd < 0) throw new IllegalArgumentException("mapFd must be a descriptor, got " + mapFd);
        b.need(Operation.RINGBUF_MAP);
        MapType type = b.mapGetInfo(mapFd).type();
        if (type != MapType.RINGBUF) {
            throw new IllegalArgumentException("mapFd is a " + type + " map, not a RINGBUF map"
                    + (type == MapType.USER_RINGBUF ? " (eBPF for Windows has no USER_RINGBUF)" : ""));
        }
        EbpfApi api = b.api;
        ByteBuffer out = Scratch.direct(32);
        long at = api.address(out);
        int r = api.ebpfRingBufferMapMapBuffer(mapFd, at, at + 8, at + 16, at + 24);
        if (r != 0) throw Fail.result(Operation.RINGBUF_MAP, "map " + mapFd, r, Export.EBPF_RING_BUFFER_MAP_MAP_BUFFER.symbol());
        out.order(ByteOrder.nativeOrder());
        long consumer = out.getLong(0);
        long producer = out.getLong(8);
        long data = out.getLong(16);
        long size = out.getLong(24);
        if (size <= 0 || Long.bitCount(size) != 1 || size > (1 << 29)) {
            api.ebpfRingBufferMapUnmapBuffer(mapFd, consumer, producer, data);
            throw new BpfException(Fail.BACKEND, Operation.RINGBUF_MAP, "map " + mapFd, Errno.UNKNOWN, 0,
                    "ebpf_ring_buffer_map_map_buffer gave a data size of " + size + ", not a power of two");
        }
        return new Ring(api, mapFd, consumer, producer, data, (int) size);
    }

    RingWaiter waiter() {
        b.need(Operation.RING_WAIT);
        return new Waiter(b.api);
    }

    /** One mapping; its event, when a waiter added it, belongs to the waiter. */
    static final class Ring implements MappedRing {
        private final EbpfApi api;
        final int mapFd;
        private final long consumer;
        private final long producer;
        private final long data;
        private final int size;
        private final ByteBuffer consumerView;
        private final ByteBuffer producerView;
        private final ByteBuffer dataView;
        private boolean closed;

        Ring(EbpfApi api, int mapFd, long consumer, long producer, long data, int size) {
            this.api = api;
            this.mapFd = mapFd;
            this.consumer = consumer;
            this.producer = producer;
            this.data = data;
            this.size = size;
            this.consumerView = api.view(consumer, 8);
            this.producerView = api.view(producer, 8).asReadOnlyBuffer().order(ByteOrder.nativeOrder());
            this.dataView = api.view(data, 2 * size).asReadOnlyBuffer().order(ByteOrder.nativeOrder());
        }

        @Override
        public ByteBuffer consumerPosition() {
            return consumerView;
        }

        @Override
        public ByteBuffer producerPosition() {
            return producerView;
        }

        @Override
        public ByteBuffer data() {
            return dataView;
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public synchronized void close() {
            if (closed) return;
            closed = true;
            api.ebpfRingBufferMapUnmapBuffer(mapFd, consumer, producer, data);
        }
    }

    /** WaitForMultipleObjects over one auto-reset event per ring and a manual-reset event that wakes it. */
    static final class Waiter implements RingWaiter {
        private final EbpfApi api;
        private final long wake;
        private final List<Long> events = new ArrayList<>();
        private final List<CopyRing> copies = new ArrayList<>();
        private final ByteBuffer handles = Scratch.direct(8 * (MAX_RINGS + 1)).order(ByteOrder.nativeOrder());
        private final long handlesAt;
        private volatile boolean closed;

        Waiter(EbpfApi api) {
            this.api = api;
            this.wake = api.createEvent(true);
            if (wake == 0) throw new BpfException(Fail.BACKEND, Operation.RING_WAIT, null, Errno.UNKNOWN, 0, "CreateEventW failed");
            handles.putLong(0, wake);
            handlesAt = api.address(handles);
        }

        @Override
        public synchronized void add(MappedRing ring) {
            if (closed) throw new IllegalStateException("the waiter is closed");
            if (!(ring instanceof Ring) && !(ring instanceof CopyRing)) {
                throw new IllegalArgumentException("ring was not mapped by the eBPF for Windows backend");
            }
            if (events.size() == MAX_RINGS) {
                throw new IllegalArgumentException("ring: at most " + MAX_RINGS + " rings per waiter (WaitForMultipleObjects)");
            }
            long e = api.createEvent(false);
            if (e == 0) throw new BpfException(Fail.BACKEND, Operation.RING_WAIT, null, Errno.UNKNOWN, 0, "CreateEventW failed");
            if (ring instanceof Ring r) {
                int res = api.ebpfMapSetWaitHandle(r.mapFd, 0, e);
                if (res != 0) {
                    api.closeHandle(e);
                    throw Fail.result(Operation.RING_WAIT, "map " + r.mapFd, res, Export.EBPF_MAP_SET_WAIT_HANDLE.symbol());
                }
            } else {
                // A perf copy ring: efW's callback thread sets the event itself, after publishing a record.
                CopyRing c = (CopyRing) ring;
                c.attach(e);
                copies.add(c);
            }
            events.add(e);
            handles.putLong(8 * events.size(), e);
        }

        @Override
        public boolean await(int timeoutMillis) {
            int n = 1 + events.size();
            int r = api.waitForMultipleObjects(n, handlesAt, timeoutMillis < 0 ? INFINITE : timeoutMillis);
            if (r == WAIT_TIMEOUT) return false;
            if (r < 0 || r >= n) {
                throw new BpfException(Fail.BACKEND, Operation.RING_WAIT, null, Errno.UNKNOWN, 0, "WaitForMultipleObjects returned " + r);
            }
            return true;
        }

        @Override
        public void wakeup() {
            api.setEvent(wake);
        }

        @Override
        public synchronized void close() {
            if (closed) return;
            closed = true;
            // Detached first, so that no callback sets an event after it is closed.
            for (CopyRing c : copies) c.attach(0);
            for (long e : events) api.closeHandle(e);
            api.closeHandle(wake);
        }
    }
}
