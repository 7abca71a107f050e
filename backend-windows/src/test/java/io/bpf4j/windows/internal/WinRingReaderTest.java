package io.bpf4j.windows.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import io.bpf4j.api.BpfMap;
import io.bpf4j.api.BpfUnsupportedException;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.MappedRing;
import io.bpf4j.api.Operation;
import io.bpf4j.api.Support;
import io.bpf4j.api.events.RingBufferReader;
import io.bpf4j.windows.StandIn;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The event readers of {@code io.bpf4j.api.events} over the Windows backend, on the stand-in: a
 * RINGBUF map mapped with {@code ebpf_ring_buffer_map_map_buffer} in efW's layout (which is the
 * Linux kernel's, so the stand-in maps the kernel's ring), records produced by the kernel through
 * the stand-in's {@code ebpf_ring_buffer_map_write} and a test-only discard, the wait handle set with
 * {@code ebpf_map_set_wait_handle} signalled when records land. Each release variant reports what
 * it can do. {@link WindowsRingReaderTest} runs the reader on the installed library on Windows.
 */
class WinRingReaderTest {

    @AfterAll
    static void cleanUp() {
        StandIn.cleanUp();
    }

    private static Function fn(String variant, String name) {
        return NativeLibrary.getInstance(StandIn.library(variant).toAbsolutePath().toString()).getFunction(name);
    }

    /** efW's user-mode producer: ebpf_ring_buffer_map_write, an ebpf_result_t. */
    private static int write(String variant, int fd, String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return fn(variant, "ebpf_ring_buffer_map_write").invokeInt(new Object[] {fd, b, (long) b.length});
    }

    @ParameterizedTest
    @ValueSource(strings = {"ffm", "jna"})
    void recordsArriveInOrderWithTheirContents(String binding) {
        WinBackend w = StandInBackendTest.open(StandIn.FULL, null, binding);
        List<String> got = new ArrayList<>();
        try (BpfMap map = BpfMap.create(w, MapSpec.of(MapType.RINGBUF, 0, 0, 4096));
                RingBufferReader r = RingBufferReader.open(map, rec ->
                        got.add(new String(rec.toByteArray(), StandardCharsets.UTF_8)))) {
            for (int i = 0; i < 100; i++) assertEquals(0, write(StandIn.FULL, map.fd(), "event-" + i));
            assertEquals(100, r.poll(Duration.ofSeconds(5)));
            for (int i = 0; i < 100; i++) assertEquals("event-" + i, got.get(i));
            // Past the end of the 4096-byte data: records that run over the end read in one piece (double mapping).
            got.clear();
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < 40; i++) assertEquals(0, write(StandIn.FULL, map.fd(), "x".repeat(60) + round + "-" + i));
                assertEquals(40, r.consume());
            }
            assertEquals(120, got.size());
            assertEquals("x".repeat(60) + "2-39", got.get(119));
        }
    }

    @Test
    void aDiscardedRecordIsSkipped() {
        WinBackend w = StandInBackendTest.open(StandIn.FULL, null, "ffm");
        List<String> got = new ArrayList<>();
        try (BpfMap map = BpfMap.create(w, MapSpec.of(MapType.RINGBUF, 0, 0, 4096));
                RingBufferReader r = RingBufferReader.open(map, rec ->
                        got.add(new String(rec.toByteArray(), StandardCharsets.UTF_8)))) {
            Function discard = fn(StandIn.FULL, "standin_ring_discard");
            byte[] gone = "discarded".getBytes(StandardCharsets.UTF_8);
            assertEquals(0, write(StandIn.FULL, map.fd(), "before"));
            assertEquals(0, discard.invokeInt(new Object[] {map.fd(), gone, (long) gone.length}));
            assertEquals(0, write(StandIn.FULL, map.fd(), "after"));
            assertEquals(2, r.consume(), "the discarded record is skipped");
            assertEquals(List.of("before", "after"), got);
        }
    }

    @Test
    void aFullRingIsEfwsOutOfSpace() {
        WinBackend w = StandInBackendTest.open(StandIn.FULL, null, "ffm");
        try (BpfMap map = BpfMap.create(w, MapSpec.of(MapType.RINGBUF, 0, 0, 4096));
                RingBufferReader r = RingBufferReader.open(map, rec -> { })) {
            String big = "y".repeat(1000);
            for (int i = 0; i < 4; i++) assertEquals(0, write(StandIn.FULL, map.fd(), big), "record " + i);
            assertEquals(29, write(StandIn.FULL, map.fd(), big), "EBPF_OUT_OF_SPACE: 4 x 1008 bytes leave no room");
            assertEquals(4, r.consume());
            assertEquals(0, write(StandIn.FULL, map.fd(), big), "room again once consumed");
            assertEquals(1, r.consume());
        }
    }

    @Test
    void aWriteFromAnotherThreadWakesABlockedPoll() throws Exception {
        WinBackend w = StandInBackendTest.open(StandIn.FULL, null, "ffm");
        try (BpfMap map = BpfMap.create(w, MapSpec.of(MapType.RINGBUF, 0, 0, 4096));
                RingBufferReader r = RingBufferReader.open(map, rec -> { })) {
            Thread producer = new Thread(() -> {
                sleep(200);
                write(StandIn.FULL, map.fd(), "late");
            });
            producer.start();
            long t0 = System.nanoTime();
            assertEquals(1, r.poll(Duration.ofSeconds(20)));
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(10), "woken by the wait handle, not the timeout");
            producer.join();
            assertEquals(0, r.poll(Duration.ofMillis(50)), "nothing more, and the timeout is honoured");
        }
    }

    @Test
    void closingFromAnotherThreadWakesPoll() throws Exception {
        WinBackend w = StandInBackendTest.open(StandIn.FULL, null, "jna");
        try (BpfMap map = BpfMap.create(w, MapSpec.of(MapType.RINGBUF, 0, 0, 4096))) {
            RingBufferReader r = RingBufferReader.open(map, rec -> { });
            CountDownLatch polling = new CountDownLatch(1);
            AtomicInteger result = new AtomicInteger(-1);
            Thread poller = new Thread(() -> {
                polling.countDown();
                result.set(r.poll(Duration.ofMinutes(5)));
            });
            poller.start();
            polling.await();
            sleep(200);
            long t0 = System.nanoTime();
            r.close();
            poller.join(TimeUnit.SECONDS.toMillis(10));
            assertFalse(poller.isAlive(), "close woke the poll");
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(10));
            assertEquals(0, result.get());
            assertTrue(r.isClosed());
        }
    }

    @Test
    void theMappingIsEfwsLayoutAndReadOnlyWhereEfwMapsItSo() {
        WinBackend w = StandInBackendTest.open(StandIn.FULL, null, "ffm");
        try (BpfMap map = BpfMap.create(w, MapSpec.of(MapType.RINGBUF, 0, 0, 4096));
                MappedRing ring = w.ringBufferMap(map.fd())) {
            assertEquals(4096, ring.size());
            assertEquals(8192, ring.data().capacity(), "the data is mapped twice");
            assertEquals(0, write(StandIn.FULL, map.fd(), "abc"));
            ByteBuffer d = ring.data().order(ByteOrder.nativeOrder());
            assertEquals(3, d.getInt(0), "length, neither locked nor discarded");
            assertEquals('a', d.get(8));
            assertEquals(16, ring.producerPosition().order(ByteOrder.nativeOrder()).getLong(0), "8-byte header, padded to 8");
            assertEquals('a', d.get(4096 + 8), "the second copy shows the same bytes");
            assertThrows(java.nio.ReadOnlyBufferException.class, () -> ring.producerPosition().putLong(0, 0));
            assertThrows(java.nio.ReadOnlyBufferException.class, () -> ring.data().put(0, (byte) 0));
            ring.consumerPosition().putLong(0, 16);   // the consumer page is the reader's to write
        }
    }

    @Test
    void wrongMapsAreRefusedBeforeTheRing() {
        WinBackend w = StandInBackendTest.open(StandIn.FULL, null, "ffm");
        try (BpfMap hash = BpfMap.create(w, MapSpec.of(MapType.HASH, 4, 4, 4))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> w.ringBufferMap(hash.fd()));
            assertTrue(e.getMessage().contains("HASH"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> RingBufferReader.open(hash, rec -> { }));
            assertTrue(e.getMessage().contains("HASH"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> w.ringBufferMap(-1));
    }

    @ParameterizedTest
    @ValueSource(strings = {StandIn.FULL, StandIn.NATIVE_ONLY})
    void releasesFrom1_0ReportRingAndPerfBuffers(String variant) {
        WinBackend w = StandInBackendTest.open(variant, null, "ffm");
        assertTrue(w.capabilities().operation(Operation.RINGBUF_MAP).supported());
        assertTrue(w.capabilities().operation(Operation.RING_WAIT).supported());
        assertTrue(w.capabilities().operation(Operation.PERF_BUFFER_OPEN).supported());
    }

    @ParameterizedTest
    @ValueSource(strings = {StandIn.RELEASE_0_21, StandIn.NATIVE_ONLY_0_21})
    void release0_21SaysWhyItHasNoRingReader(String variant) {
        WinBackend w = StandInBackendTest.open(variant, null, "ffm");
        Support map = w.capabilities().operation(Operation.RINGBUF_MAP);
        assertFalse(map.supported());
        assertTrue(map.reason().contains("ebpf_ring_buffer_map_map_buffer") && map.reason().contains("1.0.0-rc1"), map.reason());
        assertTrue(map.reason().contains("ring_buffer__new callbacks"), map.reason());
        // The waiter serves the perf rings 0.21 does have (WinPerfReaderTest reads them).
        assertTrue(w.capabilities().operation(Operation.RING_WAIT).supported());
        assertTrue(w.capabilities().operation(Operation.PERF_BUFFER_OPEN).supported());
        try (BpfMap map0 = BpfMap.create(w, MapSpec.of(MapType.RINGBUF, 0, 0, 4096))) {
            BpfUnsupportedException e = assertThrows(BpfUnsupportedException.class,
                    () -> RingBufferReader.open(map0, rec -> { }));
            assertTrue(e.getMessage().contains("1.0.0-rc1"), e.getMessage());
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
