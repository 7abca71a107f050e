package io.bpf4j.windows.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import io.bpf4j.api.BpfMap;
import io.bpf4j.api.BpfUnsupportedException;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.Operation;
import io.bpf4j.api.Support;
import io.bpf4j.api.events.RingBufferReader;
import io.bpf4j.windows.internal.sys.NativeBinding;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The ring buffer reader on the installed eBPF for Windows (the Windows CI job), produced into with
 * efW's own user-mode writer, {@code ebpf_ring_buffer_map_write} (ebpfapi/Source.def@Release-v0.21.0:141,
 * @v1.5.0:149). Which release is installed comes from the job ({@code BPF4J_EXPECT_EFW}, its matrix
 * entry), never from the backend under test: 1.x must read, 0.21 must say why it cannot. On Linux
 * {@link WinRingReaderTest} covers the same on the stand-in.
 */
class WindowsRingReaderTest {

    private static String expected() {
        boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
        // Not an environment gap: off Windows the stand-in class runs these checks.
        Assumptions.assumeTrue(windows, "runs on the installed eBPF for Windows; WinRingReaderTest covers the stand-in");
        String v = System.getenv("BPF4J_EXPECT_EFW");
        assertNotNull(v, "the Windows CI job sets BPF4J_EXPECT_EFW to the installed release");
        return v;
    }

    private static LibraryLocator.Result located() {
        LibraryLocator.Result r = LibraryLocator.locate(System.getProperty("os.name"),
                System.getProperty(LibraryLocator.PROPERTY), System.getenv("PATH"));
        assertNotNull(r.library(), r.reason());
        return r;
    }

    @Test
    void theInstalledReleaseReadsRingBuffersOrSaysWhyNot() {
        String release = expected();
        LibraryLocator.Result lib = located();
        NativeBinding nb = NativeBinding.load(lib.library(), null);
        if (nb.api() == null) throw new AssertionError(nb.reason(), nb.cause());
        WinBackend w = new WinBackend(nb.api(), null);
        Support map = w.capabilities().operation(Operation.RINGBUF_MAP);
        assertTrue(w.capabilities().operation(Operation.PERF_BUFFER_OPEN).supported(), "perf buffers at every supported release");
        try (BpfMap ring = BpfMap.create(w, MapSpec.of(MapType.RINGBUF, 0, 0, 64 * 1024))) {
            if (release.startsWith("0.")) {
                assertFalse(map.supported());
                assertTrue(map.reason().contains("ebpf_ring_buffer_map_map_buffer"), map.reason());
                assertThrows(BpfUnsupportedException.class, () -> RingBufferReader.open(ring, rec -> { }));
                return;
            }
            assertTrue(map.supported(), map.reason());
            Function write = NativeLibrary.getInstance(lib.library().toString()).getFunction("ebpf_ring_buffer_map_write");
            List<String> got = new ArrayList<>();
            try (RingBufferReader r = RingBufferReader.open(ring, rec ->
                    got.add(new String(rec.toByteArray(), StandardCharsets.UTF_8)))) {
                for (int i = 0; i < 50; i++) {
                    byte[] b = ("event-" + i).getBytes(StandardCharsets.UTF_8);
                    assertEquals(0, write.invokeInt(new Object[] {ring.fd(), b, (long) b.length}), "ebpf_ring_buffer_map_write");
                }
                int n = 0;
                long until = System.nanoTime() + 10_000_000_000L;
                while (n < 50 && System.nanoTime() < until) n += r.poll(Duration.ofSeconds(1));
                assertEquals(50, n);
                for (int i = 0; i < 50; i++) assertEquals("event-" + i, got.get(i));
                assertEquals(0, r.poll(Duration.ofMillis(100)), "nothing more");
            }
        }
    }

    /**
     * The perf buffer reader on efW's own callbacks ({@code perf_buffer__new} at 0.21,
     * {@code ebpf_perf_buffer__new} with its auto-callback flag from 1.0.0-rc1), produced into with
     * efW's {@code ebpf_perf_event_array_map_write} (ebpfapi/Source.def@Release-v0.21.0:136, @v1.5.0:138),
     * which writes to the calling thread's CPU.
     */
    @Test
    void theInstalledReleaseReadsPerfBuffers() {
        expected();
        LibraryLocator.Result lib = located();
        NativeBinding nb = NativeBinding.load(lib.library(), null);
        if (nb.api() == null) throw new AssertionError(nb.reason(), nb.cause());
        WinBackend w = new WinBackend(nb.api(), null);
        Function write = NativeLibrary.getInstance(lib.library().toString()).getFunction("ebpf_perf_event_array_map_write");
        List<String> got = new ArrayList<>();
        List<Long> lost = new ArrayList<>();
        try (BpfMap array = BpfMap.create(w, MapSpec.of(MapType.PERF_EVENT_ARRAY, 0, 0, 64 * 1024));
                io.bpf4j.api.events.PerfBufferReader r = io.bpf4j.api.events.PerfBufferReader.open(array, rec -> {
                    String s = new String(rec.toByteArray(), StandardCharsets.UTF_8);
                    got.add(s.substring(0, s.indexOf(0) < 0 ? s.length() : s.indexOf(0)));
                }, (cpu, n) -> lost.add(n))) {
            for (int i = 0; i < 50; i++) {
                byte[] b = ("perf-" + i).getBytes(StandardCharsets.UTF_8);
                assertEquals(0, write.invokeInt(new Object[] {array.fd(), b, (long) b.length}), "ebpf_perf_event_array_map_write");
            }
            long until = System.nanoTime() + 10_000_000_000L;
            while (got.size() < 50 && System.nanoTime() < until) r.poll(Duration.ofSeconds(1));
            assertEquals(50, got.size());
            // One thread may move between CPUs, so only the set is certain, and nothing may be lost.
            for (int i = 0; i < 50; i++) assertTrue(got.contains("perf-" + i), "perf-" + i);
            assertEquals(List.of(), lost);
        }
    }
}
