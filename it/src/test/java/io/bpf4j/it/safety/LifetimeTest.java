package io.bpf4j.it.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfException;
import io.bpf4j.api.BpfMap;
import io.bpf4j.api.Errno;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What closing the backend and closing handles mean, checked against the process' descriptors. */
class LifetimeTest {
    private static final byte[] KEY0 = new byte[4];

    @Test
    void handlesStillCloseTheirDescriptorsAfterTheBackendIsClosed() {
        int before = RealLinux.mapFds();
        List<BpfMap> maps = new ArrayList<>();
        Bpf bpf = RealLinux.open();
        for (int i = 0; i < 60; i++) maps.add(BpfMap.create(bpf, MapSpec.of(MapType.ARRAY, 4, 8, 1)));
        assertEquals(before + 60, RealLinux.mapFds());
        bpf.close();
        assertThrows(IllegalStateException.class, () -> maps.get(0).lookup(KEY0, new byte[8]),
                "a closed backend refuses calls");
        for (BpfMap m : maps) m.close();
        assertTrue(maps.stream().allMatch(BpfMap::isClosed));
        assertEquals(before, RealLinux.mapFds(), "closing the handles after the backend leaked their descriptors");
    }

    @Test
    void theCleanerClosesForgottenHandlesEvenAfterTheBackendIsClosed() throws InterruptedException {
        int before = RealLinux.mapFds();
        Bpf bpf = RealLinux.open();
        for (int i = 0; i < 100; i++) BpfMap.create(bpf, MapSpec.of(MapType.ARRAY, 4, 8, 1)); // dropped at once
        assertEquals(before + 100, RealLinux.mapFds());
        bpf.close();
        long end = System.nanoTime() + 10_000_000_000L;
        while (RealLinux.mapFds() > before && System.nanoTime() < end) {
            System.gc();
            Thread.sleep(20);
        }
        assertEquals(before, RealLinux.mapFds(), "the cleaner left forgotten descriptors open");
    }

    @Test
    void aFailedCloseIsReportedByAnExplicitClose() {
        try (Bpf bpf = RealLinux.open()) {
            BpfMap map = BpfMap.create(bpf, MapSpec.of(MapType.ARRAY, 4, 8, 1));
            // Closing the number behind the handle's back is a caller bug; the handle's own close
            // must then say that its close failed rather than pretend.
            bpf.closeFd(map.fd());
            BpfException e = assertThrows(BpfException.class, map::close);
            assertEquals(Errno.EBADF, e.errno());
            assertTrue(map.isClosed());
            map.close(); // once is enough: later closes do nothing
        }
    }

    @Test
    void aClosedBackendRefusesEverythingButCloseFd() {
        Bpf bpf = RealLinux.open();
        int fd = bpf.mapCreate(MapSpec.of(MapType.ARRAY, 4, 8, 1));
        bpf.close();
        assertThrows(IllegalStateException.class, () -> bpf.mapLookupElem(fd, KEY0, new byte[8], 0));
        assertThrows(IllegalStateException.class, () -> bpf.mapCreate(MapSpec.of(MapType.ARRAY, 4, 8, 1)));
        assertThrows(IllegalStateException.class, bpf::capabilities);
        int before = RealLinux.mapFds();
        bpf.closeFd(fd);
        assertEquals(before - 1, RealLinux.mapFds());
    }

    @Test
    void closingTheBackendReleasesEveryThreadsNativeScratch() throws Exception {
        BufferPoolMXBean direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(p -> p.getName().equals("direct")).findFirst().orElseThrow();
        int valueSize = 900 * 1024; // below the size past which a slot is dropped after each call
        int threads = 24;
        long baseline = settledDirect(direct);
        java.util.concurrent.CountDownLatch used = new java.util.concurrent.CountDownLatch(threads);
        java.util.concurrent.CountDownLatch finish = new java.util.concurrent.CountDownLatch(1);
        List<Thread> pool = new ArrayList<>();
        Bpf bpf = RealLinux.open();
        try (BpfMap map = BpfMap.create(bpf, MapSpec.of(MapType.ARRAY, 4, valueSize, 1))) {
            // Threads of a pool that stay alive and idle after their calls, as in a server.
            for (int t = 0; t < threads; t++) {
                Thread th = new Thread(() -> {
                    byte[] value = new byte[valueSize];
                    map.lookup(KEY0, value);
                    used.countDown();
                    try {
                        finish.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                th.start();
                pool.add(th);
            }
            used.await();
            long inUse = settledDirect(direct) - baseline;
            assertTrue(inUse >= (long) threads * valueSize / 2, "the calls kept no scratch to release: " + inUse);
        }
        try {
            bpf.close();
            long after = settledDirect(direct) - baseline;
            assertTrue(after < 4L << 20, "direct memory still held after close: " + after + " bytes for " + threads
                    + " idle threads");
        } finally {
            finish.countDown();
            for (Thread th : pool) th.join();
        }
    }

    private static long settledDirect(BufferPoolMXBean direct) throws InterruptedException {
        long used = direct.getMemoryUsed();
        for (int i = 0; i < 20; i++) {
            System.gc();
            Thread.sleep(25);
            used = direct.getMemoryUsed();
        }
        return used;
    }
}
