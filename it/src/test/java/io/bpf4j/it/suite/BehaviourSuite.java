package io.bpf4j.it.suite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.BatchResult;
import io.bpf4j.api.BpfException;
import io.bpf4j.api.BpfMap;
import io.bpf4j.api.BpfProgram;
import io.bpf4j.api.BpfUnsupportedException;
import io.bpf4j.api.Errno;
import io.bpf4j.api.MapInfo;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.Operation;
import io.bpf4j.api.ProgramInfo;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.TestRunResult;
import io.bpf4j.api.TestRunSpec;
import io.bpf4j.api.UpdateFlags;
import io.bpf4j.api.VerifierException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The behaviour every backend shares, written once against {@link io.bpf4j.api.Bpf} and the
 * object layer. Each backend's test class extends it; where platforms legitimately differ (the
 * trivial program type, map flags, the program tag) the backend's {@link Profile} says how.
 */
public abstract class BehaviourSuite extends SuiteBase {

    static byte[] u32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }

    static byte[] u64(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }

    static long u64(byte[] b, int off) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong(off);
    }

    @ParameterizedTest
    @EnumSource(names = {"HASH", "ARRAY", "PERCPU_HASH", "PERCPU_ARRAY", "LRU_HASH", "LRU_PERCPU_HASH", "LPM_TRIE",
            "QUEUE", "STACK"})
    void commonMapTypesAreSupported(MapType type) {
        assertTrue(bpf.capabilities().mapType(type).supported(), () -> type + ": " + bpf.capabilities().mapType(type));
    }

    @ParameterizedTest
    @EnumSource(names = {"HASH", "LRU_HASH", "PERCPU_HASH", "LRU_PERCPU_HASH"})
    void hashesUpdateLookupDeleteIterate(MapType type) {
        try (BpfMap m = BpfMap.create(bpf, MapSpec.of(type, 4, 8, 64))) {
            int n = 10;
            for (int i = 0; i < n; i++) m.put(u32(i), value(m, 100 + i));
            for (int i = 0; i < n; i++) {
                byte[] v = m.lookup(u32(i)).orElseThrow();
                assertEquals(100 + i, u64(v, 0), type + " key " + i);
            }
            assertEquals(Optional.empty(), m.lookup(u32(999)));
            Set<Integer> seen = new HashSet<>();
            for (byte[] k : m.keys()) seen.add(ByteBuffer.wrap(k).order(ByteOrder.LITTLE_ENDIAN).getInt());
            assertEquals(range(n), seen);
            for (int i = 0; i < n; i += 2) assertTrue(m.delete(u32(i)));
            assertFalse(m.delete(u32(0)), "second delete of a key reports it missing");
            int left = 0;
            for (Map.Entry<byte[], byte[]> e : m.entries()) {
                int k = ByteBuffer.wrap(e.getKey()).order(ByteOrder.LITTLE_ENDIAN).getInt();
                assertEquals(1, k % 2);
                assertEquals(100 + k, u64(e.getValue(), 0));
                left++;
            }
            assertEquals(n / 2, left);
        }
    }

    /** A value buffer for the map that holds {@code v} in every CPU's slot. */
    static byte[] value(BpfMap m, long v) {
        byte[] b = new byte[m.valueBufferSize()];
        int stride = (m.valueSize() + 7) & ~7;
        for (int off = 0; off < b.length; off += stride) {
            ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(off, v);
        }
        return b;
    }

    static Set<Integer> range(int n) {
        Set<Integer> s = new HashSet<>();
        for (int i = 0; i < n; i++) s.add(i);
        return s;
    }

    @Test
    void hashFlagsAndFullness() {
        try (BpfMap m = BpfMap.create(bpf, MapSpec.of(MapType.HASH, 4, 8, 2))) {
            m.update(u32(1), u64(1), UpdateFlags.NOEXIST);
            BpfException exists = assertThrows(BpfException.class, () -> m.update(u32(1), u64(2), UpdateFlags.NOEXIST));
            assertEquals(Errno.EEXIST, exists.errno());
            BpfException missing = assertThrows(BpfException.class, () -> m.update(u32(7), u64(2), UpdateFlags.EXIST));
            assertEquals(Errno.ENOENT, missing.errno());
            m.put(u32(2), u64(2));
            BpfException full = assertThrows(BpfException.class, () -> m.put(u32(3), u64(3)));
            assertEquals(Errno.E2BIG, full.errno());
            assertTrue(full.getMessage().contains("MAP_UPDATE_ELEM"), full.getMessage());
            m.update(u32(2), u64(22), UpdateFlags.EXIST);
            assertEquals(22, u64(m.lookup(u32(2)).orElseThrow(), 0));
        }
    }

    @Test
    void batchDumpsReadTheWholeMapAndGrowPastFullBuckets() {
        Profile profile = backend().profile();
        try (BpfMap m = BpfMap.create(bpf, MapSpec.of(MapType.HASH, 4, 8, 256))) {
            int n = 200;
            for (int i = 0; i < n; i++) m.put(u32(i), u64(1000L + i));
            if (profile.absentOperations() != null && profile.absentOperations().contains(Operation.MAP_LOOKUP_BATCH)) {
                assertThrows(BpfUnsupportedException.class, () -> m.dumpBatch(1), profile.absentSource());
                return;
            }
            if (profile.bucketBatches()) {
                // 200 keys in 256 buckets share a bucket somewhere, and a batch of one cannot hold
                // a bucket of two: the kernel answers ENOSPC, which dumpBatch must grow past.
                assertTrue(batchOfOneHitsEnospc(m), "a walk with batches of one never met a bucket of two");
            }
            for (int batch : new int[] {1, 7, 500}) {
                List<Map.Entry<byte[], byte[]>> all = m.dumpBatch(batch);
                assertEquals(n, all.size(), "batch size " + batch);
                Set<Integer> keys = new HashSet<>();
                for (Map.Entry<byte[], byte[]> e : all) {
                    int k = ByteBuffer.wrap(e.getKey()).order(ByteOrder.LITTLE_ENDIAN).getInt();
                    assertEquals(1000L + k, u64(e.getValue(), 0), "value of key " + k);
                    keys.add(k);
                }
                assertEquals(range(n), keys, "batch size " + batch);
            }
            // The visitor sees the same elements in the batch buffers, and stops when told.
            long[] sum = {0};
            Set<Integer> seenKeys = new HashSet<>();
            assertEquals(n, m.dumpBatch(7, (k, ka, v, va) -> {
                seenKeys.add(ByteBuffer.wrap(k, ka, 4).order(ByteOrder.LITTLE_ENDIAN).getInt());
                sum[0] += u64(v, va);
                return true;
            }));
            assertEquals(range(n), seenKeys);
            assertEquals(1000L * n + (long) n * (n - 1) / 2, sum[0]);
            int[] calls = {0};
            assertEquals(5, m.dumpBatch(3, (k, ka, v, va) -> ++calls[0] < 5));
            assertEquals(5, calls[0]);
        }
    }

    /** Walks the map with raw batch lookups of one element; true when one of them fails with ENOSPC. */
    private boolean batchOfOneHitsEnospc(BpfMap m) {
        byte[] in = null;
        byte[] out = new byte[4];
        for (int steps = 0; steps < 1000; steps++) {
            BatchResult r;
            try {
                r = bpf.mapLookupBatch(m.fd(), in, out, new byte[4], new byte[8], 1, 0, 0);
            } catch (BpfException e) {
                assertEquals(Errno.ENOSPC, e.errno(), e.getMessage());
                return true;
            }
            if (r.done()) return false;
            in = out.clone();
        }
        return false;
    }

    @Test
    void nextKeyRestartsFromTheFirstKeyWhenTheKeyIsMissing() {
        try (BpfMap m = BpfMap.create(bpf, MapSpec.of(MapType.HASH, 4, 8, 8))) {
            for (int i = 0; i < 3; i++) m.put(u32(i), u64(i));
            byte[] first = new byte[4];
            assertTrue(m.nextKey(null, first));
            byte[] fromMissing = new byte[4];
            assertTrue(m.nextKey(u32(12345), fromMissing));
            assertArrayEquals(first, fromMissing);
        }
    }

    @Test
    void arraysHaveEveryIndexAndRefuseDelete() {
        try (BpfMap m = BpfMap.create(bpf, MapSpec.of(MapType.ARRAY, 4, 8, 4))) {
            for (int i = 0; i < 4; i++) assertEquals(0, u64(m.lookup(u32(i)).orElseThrow(), 0));
            assertEquals(Optional.empty(), m.lookup(u32(4)));
            m.put(u32(3), u64(33));
            assertEquals(33, u64(m.lookup(u32(3)).orElseThrow(), 0));
            BpfException noexist = assertThrows(BpfException.class, () -> m.update(u32(1), u64(1), UpdateFlags.NOEXIST));
            assertEquals(Errno.EEXIST, noexist.errno());
            BpfException del = assertThrows(BpfException.class, () -> m.delete(u32(1)));
            assertEquals(Errno.EINVAL, del.errno());
            List<Integer> order = new ArrayList<>();
            for (byte[] k : m.keys()) order.add(ByteBuffer.wrap(k).order(ByteOrder.LITTLE_ENDIAN).getInt());
            assertEquals(List.of(0, 1, 2, 3), order);
        }
    }

    @Test
    void perCpuValuesAreStridedByEightBytesPerPossibleCpu() {
        int cpus = bpf.possibleCpus();
        assertTrue(cpus >= 1);
        try (BpfMap m = BpfMap.create(bpf, MapSpec.of(MapType.PERCPU_ARRAY, 4, 4, 1))) {
            assertEquals(8 * cpus, m.valueBufferSize());
            byte[] v = new byte[m.valueBufferSize()];
            for (int cpu = 0; cpu < cpus; cpu++) ByteBuffer.wrap(v).order(ByteOrder.LITTLE_ENDIAN).putInt(cpu * 8, 1000 + cpu);
            m.put(u32(0), v);
            List<byte[]> perCpu = m.perCpuValues(m.lookup(u32(0)).orElseThrow());
            assertEquals(cpus, perCpu.size());
            for (int cpu = 0; cpu < cpus; cpu++) {
                assertEquals(1000 + cpu, ByteBuffer.wrap(perCpu.get(cpu)).order(ByteOrder.LITTLE_ENDIAN).getInt());
            }
            assertThrows(IllegalArgumentException.class, () -> m.put(u32(0), new byte[4]), "one CPU's value is too short");
        }
    }

    @Test
    void queueIsFifoStackIsLifoAndExistOverwritesTheOldest() {
        try (BpfMap q = BpfMap.create(bpf, MapSpec.of(MapType.QUEUE, 0, 8, 3));
             BpfMap s = BpfMap.create(bpf, MapSpec.of(MapType.STACK, 0, 8, 3))) {
            for (int i = 1; i <= 3; i++) {
                q.push(u64(i), 0);
                s.push(u64(i), 0);
            }
            BpfException full = assertThrows(BpfException.class, () -> q.push(u64(4), 0));
            assertEquals(Errno.E2BIG, full.errno());
            q.push(u64(4), UpdateFlags.EXIST);
            assertEquals(2, u64(q.peek().orElseThrow(), 0));
            assertEquals(List.of(2L, 3L, 4L), drain(q));
            assertEquals(List.of(3L, 2L, 1L), drain(s));
            assertEquals(Optional.empty(), q.pop());
        }
    }

    private static List<Long> drain(BpfMap m) {
        List<Long> out = new ArrayList<>();
        for (Optional<byte[]> v = m.pop(); v.isPresent(); v = m.pop()) out.add(u64(v.get(), 0));
        return out;
    }

    @Test
    void lpmTrieMatchesTheLongestPrefix() {
        try (BpfMap t = BpfMap.create(bpf, MapSpec.of(MapType.LPM_TRIE, 8, 8, 16).withFlags(backend().profile().lpmTrieFlags()))) {
            t.put(prefix(8, 10, 0, 0, 0), u64(8));
            t.put(prefix(16, 10, 1, 0, 0), u64(16));
            t.put(prefix(24, 10, 1, 2, 0), u64(24));
            assertEquals(24, u64(t.lookup(prefix(32, 10, 1, 2, 3)).orElseThrow(), 0));
            assertEquals(16, u64(t.lookup(prefix(32, 10, 1, 9, 9)).orElseThrow(), 0));
            assertEquals(8, u64(t.lookup(prefix(32, 10, 9, 9, 9)).orElseThrow(), 0));
            assertEquals(Optional.empty(), t.lookup(prefix(32, 11, 0, 0, 0)));
        }
    }

    static byte[] prefix(int len, int a, int b, int c, int d) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(len)
                .put((byte) a).put((byte) b).put((byte) c).put((byte) d).array();
    }

    @Test
    void aProgramBuiltWithTheAssemblerRunsWithTestRun() {
        backend().assumeXdp(bpf);
        try (BpfMap counter = BpfMap.create(bpf, MapSpec.of(MapType.ARRAY, 4, 8, 1).withName("runs"));
             BpfProgram prog = BpfProgram.load(bpf, ProgramSpec.of(ProgramType.XDP,
                     Programs.countInto(counter.fd(), 2), "GPL").withName("count_pass"))) {
            TestRunResult r = prog.testRun(TestRunSpec.ofData(new byte[64]).withRepeat(5));
            assertEquals(2, r.retval(), "XDP_PASS");
            assertEquals(5, u64(counter.lookup(u32(0)).orElseThrow(), 0), "the program ran once per repetition");
            ProgramInfo info = prog.info();
            assertEquals(ProgramType.XDP, info.type());
            assertEquals("count_pass", info.name());
            assertTrue(info.id() > 0);
            if (backend().profile().reportsTag()) assertTrue(info.tag().matches("[0-9a-f]{16}"), info.tag());
            assertArrayEquals(new int[] {counter.info().id()}, info.mapIds());
        }
    }

    @Test
    void testRunRejectsDataShorterThanAnEthernetHeader() {
        backend().assumeXdp(bpf);
        try (BpfProgram prog = BpfProgram.load(bpf, ProgramSpec.of(ProgramType.XDP, Programs.returning(2), "GPL"))) {
            BpfException e = assertThrows(BpfException.class, () -> prog.testRun(TestRunSpec.ofData(new byte[10])));
            assertEquals(Errno.EINVAL, e.errno());
        }
    }

    @Test
    void aProgramWithoutExitFailsVerificationWithALog() {
        Profile profile = backend().profile();
        if (profile.trivialType() == ProgramType.XDP) backend().assumeXdp(bpf);
        long[] noExit = new io.bpf4j.api.asm.Asm().mov64(io.bpf4j.api.asm.Register.R0, 0).toArray();
        VerifierException e = assertThrows(VerifierException.class,
                () -> BpfProgram.load(bpf, ProgramSpec.of(profile.trivialType(), noExit, "GPL")));
        assertFalse(e.log().isBlank(), "the verifier log is kept");
    }

    @Test
    void pinnedObjectsCanBeReopened() {
        Profile profile = backend().profile();
        if (profile.trivialType() == ProgramType.XDP) backend().assumeXdp(bpf);
        String mapPath = pinDir() + "/counts";
        String progPath = pinDir() + "/prog";
        try {
            int mapId;
            int progId;
            try (BpfMap m = BpfMap.create(bpf, MapSpec.of(MapType.HASH, 4, 8, 4).withName("pinned"));
                 BpfProgram p = BpfProgram.load(bpf, profile.trivialProgram())) {
                m.put(u32(1), u64(42));
                m.pin(mapPath);
                p.pin(progPath);
                mapId = m.info().id();
                progId = p.info().id();
                BpfException twice = assertThrows(BpfException.class, () -> m.pin(mapPath));
                assertEquals(Errno.EEXIST, twice.errno());
            }
            try (BpfMap again = BpfMap.pinned(bpf, mapPath); BpfProgram p = BpfProgram.pinned(bpf, progPath)) {
                assertEquals(mapId, again.info().id(), "the pin kept the same map alive");
                assertEquals("pinned", again.name());
                assertEquals(42, u64(again.lookup(u32(1)).orElseThrow(), 0));
                assertEquals(progId, p.info().id());
                assertEquals(profile.trivialType(), p.type());
            }
            BpfException none = assertThrows(BpfException.class, () -> BpfMap.pinned(bpf, pinDir() + "/nothing"));
            assertEquals(Errno.ENOENT, none.errno());
        } finally {
            unpin(mapPath);
            unpin(progPath);
        }
    }

    @Test
    void idsFindObjectsAndInfoDescribesThem() {
        try (BpfMap m = BpfMap.create(bpf, MapSpec.of(MapType.HASH, 4, 16, 32).withName("by_id"))) {
            MapInfo info = m.info();
            assertEquals(MapType.HASH, info.type());
            assertEquals(4, info.keySize());
            assertEquals(16, info.valueSize());
            assertEquals(32, info.maxEntries());
            assertEquals("by_id", info.name());
            boolean found = false;
            for (int id = bpf.mapGetNextId(0); id != 0; id = bpf.mapGetNextId(id)) found |= id == info.id();
            assertTrue(found, "next-id walks to the map's id");
            try (BpfMap byId = BpfMap.fromId(bpf, info.id())) {
                assertNotEquals(m.fd(), byId.fd());
                byId.put(u32(5), new byte[16]);
                assertTrue(m.lookup(u32(5)).isPresent(), "both descriptors reach one map");
            }
        }
    }

    @Test
    void badInputIsRejectedBeforeTheBackendIsCalled() {
        BpfMap m = BpfMap.create(bpf, MapSpec.of(MapType.HASH, 4, 8, 4));
        IllegalArgumentException key = assertThrows(IllegalArgumentException.class, () -> m.put(new byte[3], u64(1)));
        assertTrue(key.getMessage().contains("key"), key.getMessage());
        IllegalArgumentException val = assertThrows(IllegalArgumentException.class, () -> m.put(u32(1), new byte[7]));
        assertTrue(val.getMessage().contains("value"), val.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MapSpec.of(MapType.HASH, 4, 8, 4).withName("a-name-that-is-too-long"));
        m.close();
        m.close(); // idempotent
        assertThrows(IllegalStateException.class, () -> m.lookup(u32(1)));
    }
}
