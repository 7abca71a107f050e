package io.bpf4j.api.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.MapType;
import io.bpf4j.testsupport.Need;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A virtual thread's poll waits through the reader's platform helper thread (so a native wait
 * cannot pin its carrier) and is woken by data and by close like any other.
 */
class VirtualThreadPollTest {

    static Thread startVirtual(Runnable r) throws Exception {
        Object builder;
        try {
            builder = Thread.class.getMethod("ofVirtual").invoke(null);
        } catch (NoSuchMethodException e) {
            return Need.absent("virtual threads need Java 21; this is " + Runtime.version());
        }
        return (Thread) Class.forName("java.lang.Thread$Builder").getMethod("start", Runnable.class).invoke(builder, r);
    }

    private static boolean helperAlive() {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("bpf4j-events-wait"));
    }

    @Test
    void aVirtualThreadWaitsThroughTheHelperAndIsWokenByDataAndByClose() throws Exception {
        FakeBpf fake = new FakeBpf();
        CraftedRing ring = new CraftedRing(4096, true);
        RingBufferReader reader = fake.map(5, MapType.RINGBUF, ring).ringBufferReader(r -> { });
        CompletableFuture<Integer> first = new CompletableFuture<>();
        CompletableFuture<Integer> second = new CompletableFuture<>();
        Thread v = startVirtual(() -> {
            try {
                first.complete(reader.poll(Duration.ofSeconds(30)));
                second.complete(reader.poll(Duration.ofSeconds(30)));
            } catch (Throwable t) {
                first.completeExceptionally(t);
                second.completeExceptionally(t);
            }
        });
        while (fake.waiter.waits == 0) Thread.sleep(1);
        Thread waiting = fake.waiter.lastWaiter;
        assertEquals("bpf4j-events-wait", waiting.getName(), "the wait ran on the helper");
        assertFalse((Boolean) Thread.class.getMethod("isVirtual").invoke(waiting));
        ring.outputLong(42);
        fake.waiter.signal();
        assertEquals(1, first.get(10, TimeUnit.SECONDS));
        while (fake.waiter.waits < 2) Thread.sleep(1);
        reader.close();
        assertEquals(0, second.get(10, TimeUnit.SECONDS), "close woke the virtual thread's poll");
        v.join(10_000);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (helperAlive() && System.nanoTime() < deadline) Thread.sleep(5);
        assertFalse(helperAlive(), "the helper thread ended with the reader");
        assertTrue(ring.closed);
    }
}
