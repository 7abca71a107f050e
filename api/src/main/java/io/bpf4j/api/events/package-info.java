/**
 * Getting events out of the kernel: readers of ring buffers and perf buffers, and a writer of
 * user ring buffers, written once on top of the small ring primitives of
 * {@link io.bpf4j.api.Bpf} ({@link io.bpf4j.api.Bpf#ringBufferMap(int)},
 * {@link io.bpf4j.api.Bpf#perfBufferOpen(int, int, int, int, boolean)},
 * {@link io.bpf4j.api.Bpf#ringWaiter()}), so they behave alike on Linux and in the simulator.
 *
 * {@snippet :
 * try (Bpf bpf = Bpf.open();
 *      BpfMap events = BpfMap.create(bpf, MapSpec.of(MapType.RINGBUF, 0, 0, 1 << 16));
 *      RingBufferReader reader = events.ringBufferReader(r -> seen.add(r.getLong(0)))) {
 *     // ... load and attach a program that writes to events ...
 *     reader.poll(Duration.ofSeconds(1));
 * }
 * }
 *
 * <h2>Records</h2>
 * A reader hands each record to a {@link io.bpf4j.api.events.RecordHandler} as an
 * {@link io.bpf4j.api.events.EventRecord}: a read-only view of the ring's memory, valid during the
 * callback only, reused for every record. Reading allocates nothing per record.
 *
 * <h2>Polling and threads</h2>
 * {@code poll(timeout)} delivers what is ready, waiting for something when nothing is;
 * {@code consume()} never waits. One thread uses a reader at a time; another thread may
 * {@code close()} it, which wakes a waiting {@code poll} at once and unmaps the rings when the
 * polling thread has left. A virtual thread may poll: a native wait would pin its carrier, so the
 * reader hands the wait to a platform thread of its own ({@code bpf4j-events-wait}, started on
 * the first such wait and ended with the reader) and parks until it is over.
 *
 * <h2>Errors</h2>
 * <ul>
 *   <li>A map of the wrong type is an {@link java.lang.IllegalArgumentException} naming the type;
 *       a backend without the primitives throws
 *       {@link io.bpf4j.api.BpfUnsupportedException} with the reason its capability report gives
 *       for {@link io.bpf4j.api.Operation#RINGBUF_MAP}, {@link io.bpf4j.api.Operation#PERF_BUFFER_OPEN}
 *       or {@link io.bpf4j.api.Operation#RING_WAIT}.</li>
 *   <li>A reader used after {@code close()}, or by a second thread, throws
 *       {@link java.lang.IllegalStateException}.</li>
 *   <li>A handler's exception propagates from {@code poll}/{@code consume}; the record counts as
 *       delivered, and the rest stay in the ring for the next call.</li>
 *   <li>A ring holding what no kernel writes (a length past the published data, a position out of
 *       range) throws {@link io.bpf4j.api.events.CorruptRingException}; every length is checked
 *       before it is used, so nothing outside the ring is ever read.</li>
 * </ul>
 */
package io.bpf4j.api.events;
