package io.bpf4j.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.BpfMap;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.Operation;
import io.bpf4j.api.Support;
import io.bpf4j.linux.internal.uapi.LinuxUapi;
import io.bpf4j.testsupport.LeakCheck;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Closing the backend while element commands run: close() does not wait for them, each call in
 * flight finishes on the memory it started with, and calls that begin after close() throw.
 */
class CloseDuringCallsTest {
    private static final int FD = 99_999;
    private static final int LOOKUP = LinuxUapi.cmd(Operation.MAP_LOOKUP_ELEM);

    @Test
    void aCallInFlightFinishesOnItsMemoryAfterCloseReturns() throws Exception {
        FakeSyscalls fake = new FakeSyscalls();
        LinuxBpf bpf = new LinuxBpf(fake, 2, FakeKernelTest.all(Support.YES));
        fake.script = (f, cmd, a) -> FD;
        BpfMap map = BpfMap.create(bpf, MapSpec.of(MapType.HASH, 4, 8, 4).withName("fake"));
        CountDownLatch inCall = new CountDownLatch(1);
        CountDownLatch resume = new CountDownLatch(1);
        fake.script = (f, cmd, a) -> {
            if (cmd != LOOKUP) return -22;
            inCall.countDown();
            try {
                resume.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -4;
            }
            // The kernel writes the value only now, after close() returned on the other thread.
            f.at(a.getLong(16)).putLong(0, 0x1122334455667788L);
            return 0;
        };
        byte[] value = new byte[8];
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                outcome.set(map.lookup(new byte[4], value));
            } catch (RuntimeException e) {
                outcome.set(e);
            }
        });
        caller.start();
        assertTrue(inCall.await(10, TimeUnit.SECONDS), "the call reached the chokepoint");
        assertTimeoutPreemptively(Duration.ofSeconds(5), bpf::close, "close() waited for a call in flight");
        resume.countDown();
        caller.join(10_000);
        assertEquals(Boolean.TRUE, outcome.get());
        assertArrayEquals(new byte[] {(byte) 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11}, value);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> map.lookup(new byte[4], value));
        assertEquals("linux backend is closed", e.getMessage());
        // A thread whose first call comes after close() is refused too.
        AtomicReference<Object> late = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                late.set(map.lookup(new byte[4], new byte[8]));
            } catch (RuntimeException ex) {
                late.set(ex);
            }
        });
        t.start();
        t.join(10_000);
        assertTrue(late.get() instanceof IllegalStateException, "a new thread's call after close: " + late.get());
        map.close();
    }

    /**
     * On the real kernel: threads look a value up in a loop while the backend closes and the
     * collector runs. Every call either returns the value the map holds or is refused; none
     * returns other bytes (a buffer freed under the call), none crashes.
     */
    @Test
    @ExtendWith(LeakCheck.class)
    void closingUnderLoadNeverHandsAReleasedBufferToTheKernel() throws Exception {
        for (int round = 0; round < 20; round++) {
            LinuxBpf bpf = RealKernel.open();
            BpfMap map = BpfMap.create(bpf, MapSpec.of(MapType.ARRAY, 4, 64, 1));
            byte[] expected = new byte[64];
            for (int i = 0; i < expected.length; i++) expected[i] = (byte) (i * 7 + round);
            map.put(new byte[4], expected);
            int threads = 3;
            CountDownLatch started = new CountDownLatch(threads);
            AtomicLong good = new AtomicLong();
            AtomicReference<Throwable> bad = new AtomicReference<>();
            Thread[] pool = new Thread[threads];
            for (int t = 0; t < threads; t++) {
                pool[t] = new Thread(() -> {
                    byte[] v = new byte[64];
                    started.countDown();
                    try {
                        for (;;) {
                            java.util.Arrays.fill(v, (byte) 0);
                            if (!map.lookup(new byte[4], v)) throw new AssertionError("the element vanished");
                            if (!java.util.Arrays.equals(v, expected)) throw new AssertionError("wrong bytes");
                            good.incrementAndGet();
                        }
                    } catch (IllegalStateException closed) {
                        // refused after close: expected
                    } catch (Throwable e) {
                        bad.set(e);
                    }
                });
                pool[t].start();
            }
            started.await();
            Thread.sleep(5);
            bpf.close();
            System.gc();
            for (Thread t : pool) t.join(10_000);
            if (bad.get() != null) throw new AssertionError("round " + round, bad.get());
            assertTrue(good.get() > 0, "no lookup ran before close in round " + round);
            map.close();
        }
    }
}
