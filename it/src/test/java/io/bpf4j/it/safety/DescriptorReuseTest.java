package io.bpf4j.it.safety;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfException;
import io.bpf4j.api.BpfMap;
import io.bpf4j.api.Errno;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Descriptor numbers are reused the moment they are closed, by any code in the process. These
 * tests hand a map's number to a map with 64 KiB values behind the back of whoever used it, and
 * check that no call ever sizes a native buffer from what the number meant before: the old
 * code let the kernel write 64 KiB into a 64-byte slot and the JVM died.
 */
class DescriptorReuseTest {
    private static final int BIG = 64 * 1024;
    private static final byte[] KEY0 = new byte[4];

    private static MapSpec small() {
        return MapSpec.of(MapType.ARRAY, 4, 8, 1);
    }

    private static MapSpec big() {
        return MapSpec.of(MapType.ARRAY, 4, BIG, 1);
    }

    private static byte[] filled(int n, int b) {
        byte[] a = new byte[n];
        Arrays.fill(a, (byte) b);
        return a;
    }

    /**
     * Creates maps until one gets descriptor {@code n} (the kernel hands out the lowest free
     * number, so holes below {@code n} fill first); the others go into {@code extras}.
     */
    private static int createOn(Bpf bpf, int n, MapSpec spec, List<Integer> extras) {
        long end = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < end) {
            int fd = bpf.mapCreate(spec);
            if (fd == n) return fd;
            if (fd < n) {
                extras.add(fd); // a hole below n, filled for good
            } else {
                // Another thread holds n for a moment (the racing reader's private duplicate
                // takes the lowest free number too): give this one back and try again.
                bpf.closeFd(fd);
                Thread.yield();
            }
        }
        throw new AssertionError("descriptor " + n + " never came free again");
    }

    /**
     * Runs every path the racing reader takes once, so classes it loads on first use (and the
     * jar descriptors that loading opens) do not take the number the test is swapping.
     */
    private static void warmUp(Bpf bpf) {
        int fd = bpf.mapCreate(small());
        try {
            bpf.mapLookupElem(fd, KEY0, new byte[8], 0);
            assertThrows(IllegalArgumentException.class, () -> bpf.mapLookupElem(fd, KEY0, new byte[BIG], 0));
        } finally {
            bpf.closeFd(fd);
        }
        BpfException gone = assertThrows(BpfException.class, () -> bpf.mapLookupElem(fd, KEY0, new byte[8], 0));
        assertEquals(Errno.EBADF, gone.errno());
    }

    @Test
    void anotherInstanceReusingTheNumberCannotMakeTheKernelWritePastABuffer() {
        List<Integer> extras = new ArrayList<>();
        try (Bpf a = RealLinux.open(); Bpf b = RealLinux.open()) {
            int n = a.mapCreate(small());
            a.mapUpdateElem(n, KEY0, filled(8, 0x11), 0);
            assertTrue(a.mapLookupElem(n, KEY0, new byte[8], 0), "instance a has used the map, as a library would");
            // Instance b (another library in the same agent) closes the number and gets it again
            // for a map with 64 KiB values.
            b.closeFd(n);
            int m = createOn(b, n, big(), extras);
            b.mapUpdateElem(m, KEY0, filled(BIG, 0x22), 0);
            try {
                IllegalArgumentException lookup = assertThrows(IllegalArgumentException.class,
                        () -> a.mapLookupElem(n, KEY0, new byte[8], 0));
                assertTrue(lookup.getMessage().contains(Integer.toString(BIG)), lookup.getMessage());
                assertThrows(IllegalArgumentException.class, () -> a.mapUpdateElem(n, KEY0, new byte[8], 0),
                        "an 8-byte update would make the kernel read 64 KiB of JVM memory into the map");
                assertThrows(IllegalArgumentException.class,
                        () -> a.mapLookupAndDeleteElem(n, KEY0, new byte[8], 0));
                assertThrows(IllegalArgumentException.class,
                        () -> a.mapLookupBatch(n, null, new byte[8], new byte[4], new byte[8], 1, 0, 0));
                assertThrows(IllegalArgumentException.class,
                        () -> a.mapUpdateBatch(n, new byte[4], new byte[8], 1, 0, 0));
                // The right buffers work, and see the map the number means now.
                byte[] value = new byte[BIG];
                assertTrue(a.mapLookupElem(n, KEY0, value, 0));
                assertArrayEquals(filled(BIG, 0x22), value);
                a.mapUpdateElem(n, KEY0, filled(BIG, 0x33), 0);
                assertTrue(b.mapLookupElem(m, KEY0, value, 0));
                assertEquals(0x33, value[BIG - 1]);
            } finally {
                b.closeFd(m);
                for (int fd : extras) b.closeFd(fd);
            }
        }
    }

    @Test
    void aHandleClosedDuringCallsNeverRunsThemOnTheObjectThatGetsItsNumber() throws Exception {
        Path pin = Files.createTempDirectory(RealLinux.bpffs(), "bpf4j-reuse-").resolve("big");
        try (Bpf bpf = RealLinux.open()) {
            try (BpfMap big = BpfMap.create(bpf, big())) {
                big.put(KEY0, filled(BIG, 0x22));
                big.pin(pin.toString());
            }
            AtomicLong wrong = new AtomicLong();
            AtomicLong calls = new AtomicLong();
            ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
            int reused = 0;
            long end = System.nanoTime() + 1_500_000_000L;
            for (int round = 0; round < 400 && System.nanoTime() < end; round++) {
                BpfMap small = BpfMap.create(bpf, small());
                small.put(KEY0, filled(8, 0x11));
                int number = small.fd();
                AtomicBoolean started = new AtomicBoolean();
                Thread reader = new Thread(() -> {
                    byte[] v = new byte[8];
                    try {
                        while (true) {
                            started.set(true);
                            if (small.lookup(KEY0, v)) {
                                calls.incrementAndGet();
                                if (v[0] != 0x11 || v[7] != 0x11) wrong.incrementAndGet();
                            }
                        }
                    } catch (IllegalStateException closed) {
                        // the handle is closed: the only way out
                    } catch (Throwable t) {
                        unexpected.add(t);
                    }
                });
                reader.start();
                while (!started.get()) Thread.onSpinWait();
                small.close();
                try (BpfMap other = BpfMap.pinned(bpf, pin.toString())) {
                    if (other.fd() == number) reused++;
                    reader.join();
                }
            }
            assertEquals(List.of(), List.copyOf(unexpected));
            assertEquals(0, wrong.get(), "a lookup through a closed handle read another map's value");
            assertTrue(reused > 10, "the freed number went to the pinned map only " + reused + " times");
            assertTrue(calls.get() > 0, "no lookup ran while the handle was open");
        } finally {
            Files.deleteIfExists(pin);
            Files.deleteIfExists(pin.getParent());
        }
    }

    @Test
    void bareDescriptorCallsRacingCloseAndReuseSeeOnlyTheMapOfTheMoment() throws Exception {
        try (Bpf bpf = RealLinux.open()) {
            int n = bpf.mapCreate(small());
            java.util.concurrent.CountDownLatch warm = new java.util.concurrent.CountDownLatch(1);
            AtomicBoolean stop = new AtomicBoolean();
            ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
            AtomicLong smallHits = new AtomicLong();
            AtomicLong refused = new AtomicLong();
            AtomicLong attempts = new AtomicLong();
            Thread reader = new Thread(() -> {
                byte[] v = new byte[8];
                try {
                    warmUp(bpf);
                } catch (Throwable t) {
                    unexpected.add(t);
                } finally {
                    warm.countDown();
                }
                while (!stop.get()) {
                    attempts.incrementAndGet();
                    try {
                        if (bpf.mapLookupElem(n, KEY0, v, 0)) {
                            smallHits.incrementAndGet();
                            // Only the small map's bytes fit: a big map's value can never land here.
                            if (v[0] != 0 && v[0] != 0x11) unexpected.add(new AssertionError("read " + v[0]));
                        }
                    } catch (IllegalArgumentException wrongSize) {
                        refused.incrementAndGet();
                    } catch (BpfException e) {
                        // EBADF: the number is closed for now; EINVAL: for a moment it is some
                        // other file of the process (the JVM opens files too), not a BPF object.
                        if (e.errno() != Errno.EBADF && e.errno() != Errno.EINVAL) unexpected.add(e);
                    } catch (Throwable t) {
                        unexpected.add(t);
                    }
                }
            });
            warmUp(bpf);
            reader.start();
            warm.await();
            List<Integer> extras = new ArrayList<>();
            int current = n;
            long end = System.nanoTime() + 20_000_000_000L;
            try {
                for (int round = 0; round < 300 && System.nanoTime() < end; round++) {
                    bpf.closeFd(current);
                    current = createOn(bpf, n, round % 2 == 0 ? big() : small(), extras);
                    if (round % 2 == 1) bpf.mapUpdateElem(current, KEY0, filled(8, 0x11), 0);
                    // Let the reader try at least twice against each map, however slow its start.
                    long seen = attempts.get();
                    long until = System.nanoTime() + 1_000_000_000L;
                    while (attempts.get() < seen + 2 && System.nanoTime() < until) Thread.onSpinWait();
                }
            } finally {
                stop.set(true);
                reader.join();
            }
            try {
                assertEquals(List.of(), List.copyOf(unexpected));
                assertTrue(smallHits.get() > 0 && refused.get() > 0,
                        "the race never showed both maps: " + smallHits + " small hits, " + refused + " refusals");
                // Nothing learnt during the race sticks to the number: the map there now (small,
                // after an even number of swaps) takes its own buffers and refuses others.
                assertTrue(bpf.mapLookupElem(n, KEY0, new byte[8], 0));
                assertThrows(IllegalArgumentException.class, () -> bpf.mapLookupElem(n, KEY0, new byte[BIG], 0));
            } finally {
                bpf.closeFd(current);
                for (int fd : extras) bpf.closeFd(fd);
            }
        }
    }
}
