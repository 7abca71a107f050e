package io.bpf4j.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.BpfMap;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.Operation;
import io.bpf4j.api.Support;
import io.bpf4j.linux.internal.uapi.LinuxUapi;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * Every thread's element commands go through that thread's own scratch memory, including
 * threads whose ids fall into the same slot of the backend's per-thread cache: two threads
 * handed the same value buffer would read each other's values.
 */
class ThreadScratchTest {
    private static final int LOOKUP = LinuxUapi.cmd(Operation.MAP_LOOKUP_ELEM);

    @Test
    void threadsWhoseIdsShareACacheSlotKeepTheirOwnScratch() throws Exception {
        FakeSyscalls fake = new FakeSyscalls();
        LinuxBpf bpf = new LinuxBpf(fake, 2, FakeKernelTest.all(Support.YES));
        fake.script = (f, cmd, a) -> 7;
        BpfMap map = BpfMap.create(bpf, MapSpec.of(MapType.HASH, 4, 8, 4).withName("fake"));
        // The value pointer of each lookup, by the thread that made it.
        Map<Long, Long> valueAddr = new ConcurrentHashMap<>();
        fake.script = (f, cmd, a) -> {
            if (cmd != LOOKUP) return -22;
            valueAddr.merge(Thread.currentThread().getId(), a.getLong(16), (x, y) -> {
                assertEquals(x, y, "one thread, one value buffer");
                return x;
            });
            return 0;
        };
        // Thread ids are handed out in order, so among 65 new threads two share their low six bits
        // (the cache has 64 slots; more slots would make this test pick a wider stride).
        Thread first = null;
        Thread twin = null;
        for (int i = 0; i < 4096 && twin == null; i++) {
            Thread t = new Thread(() -> {
                for (int k = 0; k < 3; k++) map.lookup(new byte[4], new byte[8]);
            });
            if (first == null) first = t;
            else if ((t.getId() - first.getId()) % 64 == 0) twin = t;
        }
        assertTrue(twin != null, "found two threads with the same low id bits");
        // The first fills the slot; the twin finds it there and must not take it.
        for (Thread t : new Thread[] {first, twin}) {
            t.start();
            t.join(10_000);
        }
        assertEquals(2, valueAddr.size(), "both threads made their lookups");
        assertNotEquals(valueAddr.get(first.getId()), valueAddr.get(twin.getId()),
                "the second thread used the first one's value buffer");
        bpf.close();
    }
}
