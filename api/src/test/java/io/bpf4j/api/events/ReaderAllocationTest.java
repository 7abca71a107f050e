package io.bpf4j.api.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bpf4j.api.MapType;
import io.bpf4j.testsupport.Allocations;
import org.junit.jupiter.api.Test;

/** Reading allocates nothing per record, on rings mapped once (scratch reused) or twice. */
class ReaderAllocationTest {
    private static final int PER_ROUND = 8;

    @Test
    void ringBufferReaderAllocatesNothingPerRecord() throws Exception {
        for (boolean twice : new boolean[] {true, false}) {
            FakeBpf fake = new FakeBpf();
            CraftedRing ring = new CraftedRing(4096, twice);
            long[] sum = new long[1];
            try (RingBufferReader reader = fake.map(5, MapType.RINGBUF, ring).ringBufferReader(r -> sum[0] += r.getLong(0))) {
                Allocations.assertNone(() -> {
                    for (int i = 0; i < PER_ROUND; i++) ring.outputLong(i);
                    if (reader.consume() != PER_ROUND) throw new AssertionError("records went missing");
                }, PER_ROUND);
            }
        }
    }

    @Test
    void perfBufferReaderAllocatesNothingPerRecord() throws Exception {
        FakeBpf fake = new FakeBpf();
        CraftedRing cpu0 = new CraftedRing(4096, false);
        long[] sum = new long[1];
        byte[] payload = new byte[20];
        try (PerfBufferReader reader = fake.perfArray(4, cpu0).perfBufferReader(PerfBufferOptions.DEFAULTS,
                r -> sum[0] += r.getInt(0), (cpu, n) -> sum[0] += n)) {
            // The test's own writer allocates: it fills the ring once with 32-byte samples, and
            // each round publishes the whole ring again.
            int perRing = 4096 / 32;
            for (int i = 0; i < perRing; i++) cpu0.sample(payload);
            Allocations.assertNone(() -> {
                CraftedRing.LONG.setRelease(cpu0.prod, 0, cpu0.consumer() + 4096);
                if (reader.consume() != perRing) throw new AssertionError("records went missing");
            }, perRing);
            assertEquals(0, sum[0]);
        }
    }
}
