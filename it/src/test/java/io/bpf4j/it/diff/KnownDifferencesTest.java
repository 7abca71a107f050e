package io.bpf4j.it.diff;

import static io.bpf4j.it.diff.Bytes.k;
import static io.bpf4j.it.diff.Bytes.v;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bpf4j.api.MapFlags;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.UpdateFlags;
import org.junit.jupiter.api.Test;

/**
 * Differences between the backends that the differential runs found and that are not the
 * kernel's semantics differing from the simulator's: each is asserted exactly as it is, so a
 * change on either side fails here and the entry is revisited (fixed: turn it into a plain
 * {@link Diff#assertSame} scenario).
 */
class KnownDifferencesTest {
    /**
     * Undefined flag bits, and a key size on a keyless map type (queue, stack, bloom filter, ring
     * buffer): the linux backend rejects them in Java before the syscall (DESIGN.md: bad input
     * "rejected in Java before any native call"), the simulator passes them to its kernel model,
     * which answers EINVAL as Linux 6.18 would. Same call, two exception types for a portable
     * caller.
     */
    @Test
    void knownDifference_undefinedFlagsAndKeylessKeySize_linuxRejectsInJava_simSaysEinval() {
        Scenario s = new Scenario("undefined element flags");
        MapOps m = new MapOps(s);
        m.create("map#1", MapSpec.of(MapType.HASH, 4, 8, 4));
        m.update("map#1", k(1), v(1), UpdateFlags.ANY);
        m.update("map#1", k(1), v(2), 8);
        m.update("map#1", k(1), v(3), UpdateFlags.NOEXIST | UpdateFlags.EXIST);
        m.lookup("map#1", k(1), 8);
        for (MapType t : new MapType[] {MapType.QUEUE, MapType.STACK, MapType.BLOOM_FILTER, MapType.RINGBUF}) {
            m.create("bad" + t, MapSpec.of(t, 4, t == MapType.RINGBUF ? 0 : 8, t == MapType.RINGBUF ? 4096 : 4));
        }
        Report r = Diff.run(s);
        for (int step : new int[] {3, 4, 5, 6, 7, 8, 9}) {
            assertEquals("rejected IllegalArgumentException", r.linux(step), r.table());
            assertEquals("EINVAL", r.sim(step), r.table());
        }
        assertEquals(java.util.List.of(3, 4, 5, 6, 7, 8, 9), r.mismatches(), r.table());
    }

    /**
     * A hash-map lookup batch whose cursor is already past the last bucket: the kernel answers
     * ENOENT with count 0, which the linux backend (like every ENOENT of a batch lookup) returns
     * as "0 copied, done"; the simulator's hash walk throws ENOENT instead (its array walk returns
     * done). The simulator is wrong for the portable contract ("whether the map is exhausted").
     */
    @Test
    void knownDifference_hashLookupBatchPastTheEnd_linuxDone_simThrowsEnoent() {
        Scenario s = new Scenario("hash lookup batch past the end");
        MapOps m = new MapOps(s);
        m.create("map#1", MapSpec.of(MapType.HASH, 4, 8, 4).withFlags(MapFlags.ZERO_SEED));
        m.update("map#1", k(1), v(1), UpdateFlags.ANY);
        m.lookupBatch("map#1", false, "c", true, 10, true);
        m.lookupBatch("map#1", false, "c", false, 10, true);
        Report r = Diff.run(s);
        assertEquals("count=1 done [01000000=0100000000000000]", r.linux(3), r.table());
        assertEquals(r.linux(3), r.sim(3), r.table());
        assertEquals("count=0 done []", r.linux(4), r.table());
        assertEquals("ENOENT", r.sim(4), r.table());
    }
}
