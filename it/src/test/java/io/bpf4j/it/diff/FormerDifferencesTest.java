package io.bpf4j.it.diff;

import static io.bpf4j.it.diff.Bytes.k;
import static io.bpf4j.it.diff.Bytes.v;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bpf4j.api.AttachFlags;
import io.bpf4j.api.AttachType;
import io.bpf4j.api.MapFlags;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.QuerySpec;
import io.bpf4j.api.UpdateFlags;
import io.bpf4j.api.asm.Asm;
import io.bpf4j.api.asm.Register;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Scenarios where the differential runs once found the simulator disagreeing with Linux 6.18 (or
 * with the linux backend's checks), kept as ordinary comparisons so the fixes stay fixed: per-CPU
 * padding, LPM prefix lengths above the maximum, cgroup query outputs, lookup batches past the
 * end, and bad input rejected in Java.
 */
class FormerDifferencesTest {
    /**
     * Undefined or conflicting flag bits, a key for a keyless map, a key size for a keyless map
     * type, and bad batch arguments: every backend rejects them in Java
     * ({@code IllegalArgumentException}) before any call; defined flags the kernel refuses still
     * reach it and fail with its errno.
     */
    @Test
    void badInputIsRejectedInJavaOnBothSides() {
        Scenario s = new Scenario("bad input rejected in Java");
        MapOps m = new MapOps(s);
        Map<Integer, String> want = new LinkedHashMap<>();
        m.create("map#1", MapSpec.of(MapType.HASH, 4, 8, 4));
        m.update("map#1", k(1), v(1), UpdateFlags.ANY);
        expect(s, want, "ok");
        m.update("map#1", k(1), v(2), 8);
        expect(s, want, REJECTED);
        m.update("map#1", k(1), v(3), UpdateFlags.NOEXIST | UpdateFlags.EXIST);
        expect(s, want, REJECTED);
        m.update("map#1", k(1), v(3), 1L << 40);
        expect(s, want, REJECTED);
        m.lookup("map#1", k(1), 8);
        expect(s, want, REJECTED);
        m.lookup("map#1", k(1), UpdateFlags.EXIST);
        expect(s, want, REJECTED);
        m.lookupAndDelete("map#1", k(1), UpdateFlags.NOEXIST);
        expect(s, want, REJECTED);
        // Defined flags the kernel refuses for this map (no spin lock in the value) reach it.
        m.lookup("map#1", k(1), UpdateFlags.LOCK);
        expect(s, want, "EINVAL");
        m.update("map#1", k(1), v(4), UpdateFlags.EXIST | UpdateFlags.LOCK);
        expect(s, want, "EINVAL");
        m.updateBatch("map#1", k(2), v(2), 1, 8);
        expect(s, want, REJECTED);
        m.updateBatch("map#1", k(2), v(2), 1, UpdateFlags.NOEXIST);
        expect(s, want, "EINVAL");
        m.deleteBatch("map#1", k(2), 0);
        expect(s, want, REJECTED);
        m.lookupBatch("map#1", false, "c", true, 0, true);
        expect(s, want, REJECTED);
        m.lookup("map#1", k(1));
        expect(s, want, "0100000000000000");
        for (MapType t : new MapType[] {MapType.QUEUE, MapType.STACK, MapType.BLOOM_FILTER, MapType.RINGBUF}) {
            boolean ring = t == MapType.RINGBUF;
            m.create("bad" + t, MapSpec.of(t, 4, ring ? 0 : 8, ring ? 4096 : 4));
            expect(s, want, REJECTED);
            m.create("map" + t, MapSpec.of(t, 0, ring ? 0 : 8, ring ? 4096 : 4));
            expect(s, want, "created");
            if (!ring) {
                m.update("map" + t, k(0), v(1), UpdateFlags.ANY);
                expect(s, want, REJECTED);
                m.update("map" + t, new byte[0], v(5), UpdateFlags.ANY);
                expect(s, want, "ok");
                m.update("map" + t, null, v(6), UpdateFlags.ANY);
                expect(s, want, "ok");
                m.lookup("map" + t, k(0));
                expect(s, want, REJECTED);
            }
            m.delete("map" + t, k(0));
            expect(s, want, REJECTED);
            m.nextKey("map" + t, k(0));
            expect(s, want, REJECTED);
        }
        m.create("bad flags", MapSpec.of(MapType.HASH, 4, 8, 4).withFlags(1 << 20));
        expect(s, want, REJECTED);
        Report r = Diff.assertSame(s);
        for (Map.Entry<Integer, String> e : want.entrySet()) {
            int step = e.getKey();
            assertEquals(e.getValue(), r.linux(step), () -> "#" + step + " " + s.steps.get(step - 1).what() + "\n" + r.table());
        }
    }

    private static final String REJECTED = "rejected IllegalArgumentException";

    /** What the step just added must give, on both sides. */
    private static void expect(Scenario s, Map<Integer, String> want, String outcome) {
        want.put(s.steps.size(), outcome);
    }

    /**
     * Per-CPU values of value_size 12 take round_up(12, 8) = 16 bytes per CPU in user space, and
     * the kernel copies all 16 in and out (padding included): lookup, batch lookup and
     * lookup-and-delete, for the three per-CPU types, and in-place updates rewrite the padding.
     */
    @Test
    void perCpuPaddingIsKept() {
        Scenario s = new Scenario("per-CPU padding");
        MapOps m = new MapOps(s);
        for (MapType t : new MapType[] {MapType.PERCPU_ARRAY, MapType.PERCPU_HASH, MapType.LRU_PERCPU_HASH}) {
            String map = "map" + t;
            m.create(map, MapSpec.of(t, 4, 12, 2));
            byte[] val = new byte[16 * DiffHost.CPUS];
            for (int i = 0; i < val.length; i++) val[i] = (byte) (i + 1);
            m.update(map, k(0), val, UpdateFlags.ANY);
            m.lookup(map, k(0));
            m.lookupBatch(map, false, "c" + t, true, 2, true);
            for (int i = 0; i < val.length; i++) val[i] = (byte) (0xa0 + i);
            m.update(map, k(0), val, t == MapType.PERCPU_ARRAY ? UpdateFlags.ANY : UpdateFlags.EXIST);
            m.lookup(map, k(0));
            m.lookup(map, k(1));
            if (t != MapType.PERCPU_ARRAY) m.lookupAndDelete(map, k(0), 0);
        }
        Diff.assertSame(s);
    }

    /**
     * An LPM key whose prefixlen is above the trie's maximum (33 for IPv4): lookup finds nothing,
     * update and delete are EINVAL, get_next_key restarts at the leftmost node (lpm_trie.c).
     */
    @Test
    void lpmPrefixLenAboveTheMaximum() {
        Scenario s = new Scenario("LPM prefixlen above the maximum");
        MapOps m = new MapOps(s);
        m.create("map#1", MapSpec.of(MapType.LPM_TRIE, 8, 8, 4).withFlags(MapFlags.NO_PREALLOC));
        m.update("map#1", OrderLayoutEvictionTest.lpm(2, 0), v(1), UpdateFlags.ANY);
        m.update("map#1", OrderLayoutEvictionTest.lpm(32, 0), v(2), UpdateFlags.ANY);
        m.lookup("map#1", OrderLayoutEvictionTest.lpm(32, 0));
        m.lookup("map#1", OrderLayoutEvictionTest.lpm(32, 1));
        m.lookup("map#1", OrderLayoutEvictionTest.lpm(33, 0));
        m.lookup("map#1", OrderLayoutEvictionTest.lpm(-1, 0));
        m.update("map#1", OrderLayoutEvictionTest.lpm(33, 0), v(3), UpdateFlags.ANY);
        m.delete("map#1", OrderLayoutEvictionTest.lpm(33, 0));
        m.nextKey("map#1", OrderLayoutEvictionTest.lpm(33, 0));
        m.nextKey("map#1", OrderLayoutEvictionTest.lpm(32, 0));
        m.walk("map#1", true);
        Diff.assertSame(s);
    }

    /**
     * A cgroup query (Linux 6.18 {@code __cgroup_bpf_query}): no link ids (only TCX/netkit report
     * them), the hook's flags for every program, revision 0 for an effective query.
     */
    @Test
    void cgroupQueryOutputs() {
        Scenario s = new Scenario("cgroup query outputs").withCgroup();
        AttachOps a = new AttachOps(s, AttachType.CGROUP_INET_INGRESS, true);
        for (String p : new String[] {"prog#1", "prog#2"}) {
            Progs.load(s, p, ProgramSpec.of(ProgramType.CGROUP_SKB, new Asm().mov64(Register.R0, 1).exit().toArray(), "GPL")
                    .withExpectedAttachType(AttachType.CGROUP_INET_INGRESS), "CGROUP_SKB return 1");
        }
        a.openCgroup();
        a.query(0);
        a.query(QuerySpec.EFFECTIVE);
        a.link("link#1", "prog#1", 0, null, 0);
        a.attach("prog#2", AttachFlags.ALLOW_MULTI, null, 0);
        a.query(0);
        a.query(QuerySpec.EFFECTIVE);
        a.closeLink("link#1");
        a.query(0);
        a.detach("prog#2");
        a.query(0);
        a.query(QuerySpec.EFFECTIVE);
        Diff.assertSame(s);
    }

    /**
     * Lookup batches whose cursor is already past the end: the kernel's ENOENT with count 0, which
     * both backends report as "0 copied, done", for hash maps (bucket cursor), their
     * lookup-and-delete batch, and the generic walk of arrays and tries.
     */
    @Test
    void lookupBatchPastTheEnd() {
        Scenario s = new Scenario("lookup batch past the end");
        MapOps m = new MapOps(s);
        for (MapType t : new MapType[] {MapType.HASH, MapType.PERCPU_HASH, MapType.LRU_HASH}) {
            String map = "map" + t;
            m.create(map, MapSpec.of(t, 4, 8, 4).withFlags(MapFlags.ZERO_SEED));
            m.update(map, k(1), t == MapType.PERCPU_HASH ? new byte[8 * DiffHost.CPUS] : v(1), UpdateFlags.ANY);
            m.lookupBatch(map, false, "c" + t, true, 10, true);
            m.lookupBatch(map, false, "c" + t, false, 10, true);
            m.lookupBatch(map, true, "c" + t, false, 10, true);
            m.lookupBatch(map, true, "d" + t, true, 10, true);
            m.lookupBatch(map, true, "d" + t, false, 10, true);
            m.lookupBatch(map, false, "e" + t, true, 10, true);
        }
        m.create("array", MapSpec.of(MapType.ARRAY, 4, 8, 2));
        m.lookupBatch("array", false, "a", true, 2, true);
        m.lookupBatch("array", false, "a", false, 2, true);
        m.lookupBatch("array", false, "a", false, 2, true);
        m.create("trie", MapSpec.of(MapType.LPM_TRIE, 8, 8, 4).withFlags(MapFlags.NO_PREALLOC));
        m.lookupBatch("trie", false, "t", true, 2, true);
        m.update("trie", OrderLayoutEvictionTest.lpm(8, 0), v(1), UpdateFlags.ANY);
        m.lookupBatch("trie", false, "t", true, 2, true);
        m.lookupBatch("trie", false, "t", false, 2, true);
        Diff.assertSame(s);
    }
}
