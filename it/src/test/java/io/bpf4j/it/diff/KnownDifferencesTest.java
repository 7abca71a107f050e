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

    /**
     * Simulator bug: a per-CPU value of value_size 12 occupies round_up(12, 8) = 16 bytes per CPU,
     * and the kernel copies all 16 in and out (bpf_long_memcpy of the rounded size), so padding
     * bytes written by update come back on lookup, batch lookup and lookup-and-delete. The
     * simulator zeroes them. Reproduction: PERCPU_ARRAY key 4 value 12 max 1; update key 0 with
     * bytes 01..20 (2 CPUs); lookup: kernel 01..20, sim 01..0c 00000000 11..1c 00000000.
     */
    @Test
    void knownDifference_simBug_perCpuPaddingIsZeroedInsteadOfKept() {
        Scenario s = new Scenario("per-CPU padding");
        MapOps m = new MapOps(s);
        for (MapType t : new MapType[] {MapType.PERCPU_ARRAY, MapType.PERCPU_HASH, MapType.LRU_PERCPU_HASH}) {
            m.create("map" + t, MapSpec.of(t, 4, 12, 1));
            byte[] val = new byte[16 * DiffHost.CPUS];
            for (int i = 0; i < val.length; i++) val[i] = (byte) (i + 1);
            m.update("map" + t, k(0), val, UpdateFlags.ANY);
            m.lookup("map" + t, k(0));
        }
        Report r = Diff.run(s);
        for (int step : new int[] {3, 6, 9}) {
            byte[] kernel = java.util.HexFormat.of().parseHex(r.linux(step));
            byte[] sim = java.util.HexFormat.of().parseHex(r.sim(step));
            for (int i = 0; i < kernel.length; i++) {
                assertEquals((byte) (i + 1), kernel[i], "the kernel keeps every byte: " + r.table());
                assertEquals(i % 16 < 12 ? (byte) (i + 1) : 0, sim[i], "the sim zeroes the padding: " + r.table());
            }
        }
        assertEquals(java.util.List.of(3, 6, 9), r.mismatches(), r.table());
    }

    /**
     * Simulator bug: a syscall lookup in an LPM trie with prefixlen above the trie's maximum (33
     * for IPv4) finds nothing on Linux 6.18 (ENOENT); the simulator ignores the prefix length and
     * returns the longest match for the address. Reproduction: LPM_TRIE key 8 value 8 max 4
     * NO_PREALLOC; update {2, 0.0.0.0} = 1; lookup {33, 0.0.0.0}: kernel missing, sim 1.
     */
    @Test
    void knownDifference_simBug_lpmLookupAboveMaxPrefixLenMatches() {
        Scenario s = new Scenario("LPM lookup prefixlen 33");
        MapOps m = new MapOps(s);
        m.create("map#1", MapSpec.of(MapType.LPM_TRIE, 8, 8, 4).withFlags(MapFlags.NO_PREALLOC));
        m.update("map#1", OrderLayoutEvictionTest.lpm(2, 0), v(1), UpdateFlags.ANY);
        m.lookup("map#1", OrderLayoutEvictionTest.lpm(32, 0));
        m.lookup("map#1", OrderLayoutEvictionTest.lpm(33, 0));
        Report r = Diff.run(s);
        assertEquals("0100000000000000", r.linux(3), r.table());
        assertEquals(r.linux(3), r.sim(3), r.table());
        assertEquals("missing", r.linux(4), r.table());
        assertEquals("0100000000000000", r.sim(4), r.table());
    }

    /**
     * Simulator bug: a cgroup query on Linux 6.18 leaves link_ids zero (only TCX/netkit's
     * bpf_mprog_query fills them); the simulator reports the link's id for a program attached
     * through a link. Reproduction: test cgroup, link CGROUP_SKB prog for CGROUP_INET_INGRESS,
     * query: kernel linkIds [0], sim [the link's id].
     */
    @Test
    void knownDifference_simBug_cgroupQueryReportsLinkIds() {
        Scenario s = new Scenario("cgroup query link ids").withCgroup();
        AttachOps a = new AttachOps(s, io.bpf4j.api.AttachType.CGROUP_INET_INGRESS, true);
        Progs.load(s, "prog#1", io.bpf4j.api.ProgramSpec.of(io.bpf4j.api.ProgramType.CGROUP_SKB,
                new io.bpf4j.api.asm.Asm().mov64(io.bpf4j.api.asm.Register.R0, 1).exit().toArray(), "GPL")
                .withExpectedAttachType(io.bpf4j.api.AttachType.CGROUP_INET_INGRESS), "CGROUP_SKB return 1");
        a.openCgroup();
        a.link("link#1", "prog#1", 0, null, 0);
        a.query();
        Report r = Diff.run(s);
        assertEquals("flags=0x2 rev=2 [prog#1]", r.linux(4), r.table());
        assertEquals("flags=0x2 rev=2 [prog#1 via link#1]", r.sim(4), r.table());
    }
}
