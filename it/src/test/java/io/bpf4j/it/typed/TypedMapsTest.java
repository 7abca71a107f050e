package io.bpf4j.it.typed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfException;
import io.bpf4j.api.BpfMap;
import io.bpf4j.api.BpfProgram;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.TestRunSpec;
import io.bpf4j.api.asm.Asm;
import io.bpf4j.api.asm.Register;
import io.bpf4j.api.object.BpfCollection;
import io.bpf4j.api.object.LoadOptions;
import io.bpf4j.api.object.ObjectSpec;
import io.bpf4j.api.object.Pinning;
import io.bpf4j.api.typed.Codec;
import io.bpf4j.api.typed.Codecs;
import io.bpf4j.api.typed.LpmKey;
import io.bpf4j.api.typed.MapOfMaps;
import io.bpf4j.api.typed.PerCpuMap;
import io.bpf4j.api.typed.ProgramArray;
import io.bpf4j.api.typed.TypedBloomFilter;
import io.bpf4j.api.typed.TypedMap;
import io.bpf4j.api.typed.TypedQueue;
import io.bpf4j.it.KitKernelRuns;
import io.bpf4j.junit.BpfTest;
import io.bpf4j.testsupport.LeakCheck;
import java.io.IOException;
import java.io.InputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Typed views over every map kind they serve, on the kernel and on the simulator with the same
 * results (each test a {@link BpfTest}, run on both by the project's JUnit kit): btf_maps.o's maps (whose BTF the codecs are checked against) written by its program
 * and read typed, and maps made by hand for the other kinds.
 */
@ExtendWith({LeakCheck.class, KitKernelRuns.class})
class TypedMapsTest {
    /** {@code struct pair} of btf_maps.c. */
    public record Pair(long bytes, long frames, long lastVerdict) {
    }

    /** The same size as {@code struct pair} with the 64-bit field last, which the BTF check must refuse. */
    public record Swapped(long frames, long lastVerdict, long bytes) {
    }

    private static final Codec<Pair> PAIR = Codecs.record(Pair.class, Codecs.u64(), Codecs.u32(), Codecs.u32());

    static ObjectSpec btfMaps() throws IOException {
        try (InputStream in = TypedMapsTest.class.getResourceAsStream("/objects/btf_maps.o")) {
            return ObjectSpec.parse("btf_maps.o", in.readAllBytes()).withPinning("totals", Pinning.NONE);
        }
    }

    @BpfTest
    void aProgramsMapsReadTyped(Bpf bpf) throws IOException {
        try (BpfCollection obj = btfMaps().load(bpf, LoadOptions.defaults())) {
            BpfProgram p = obj.program("use_btf_maps");
            for (int len : new int[] {64, 64, 100}) p.testRun(TestRunSpec.ofData(new byte[len]));

            TypedMap<Long, Long> byLength = TypedMap.of(obj.map("by_length"), Codecs.u32(), Codecs.u64());
            assertEquals(2L, byLength.get(64L));
            assertEquals(1L, byLength.get(100L));
            assertNull(byLength.get(65L));
            assertEquals(Map.of(64L, 2L, 100L, 1L), byLength.dump(8));
            List<Long> keys = new ArrayList<>();
            byLength.forEach(e -> keys.add(e.getKey()));
            assertEquals(2, keys.size());
            assertTrue(keys.containsAll(List.of(64L, 100L)));
            assertEquals(3, byLength.putAll(Map.of(10L, 1L, 11L, 2L, 12L, 3L), 0));
            assertEquals(2L, byLength.get(11L));
            assertEquals(3, byLength.removeAll(List.of(10L, 11L, 12L)));
            assertNull(byLength.get(11L));
            byLength.put(7L, 70L);
            assertTrue(byLength.containsKey(7L));
            assertTrue(byLength.remove(7L));
            assertFalse(byLength.remove(7L));

            TypedMap<Long, Pair> totals = TypedMap.of(obj.map("totals"), Codecs.u32(), PAIR);
            assertEquals(new Pair(228, 3, 2), totals.get(0L));
            totals.put(1L, new Pair(1L << 40, 5, 1));
            assertEquals(new Pair(1L << 40, 5, 1), totals.get(1L));

            PerCpuMap<Long, Long> perCpu = PerCpuMap.of(obj.map("per_cpu"), Codecs.u32(), Codecs.u64());
            assertEquals(bpf.possibleCpus(), perCpu.cpus());
            assertEquals(228L, perCpu.get(0L).stream().mapToLong(Long::longValue).sum());
            perCpu.putAll(0L, 5L);
            assertEquals(5L * perCpu.cpus(), perCpu.get(0L).stream().mapToLong(Long::longValue).sum());

            // The inner map set by handle: the program returns its verdict.
            MapOfMaps<Long> verdicts = MapOfMaps.of(obj.map("verdicts"), Codecs.u32());
            try (BpfMap inner = BpfMap.create(bpf, MapSpec.of(MapType.ARRAY, 4, 4, 1))) {
                TypedMap.of(inner, Codecs.u32(), Codecs.u32()).put(0L, 1L); // XDP_DROP
                verdicts.set(0L, inner);
                assertEquals(inner.info().id(), verdicts.innerMapId(0L));
            }
            assertEquals(1, p.testRun(TestRunSpec.ofData(new byte[64])).retval(), "the verdict from the inner map");
            assertTrue(verdicts.remove(0L));
            assertEquals(0, verdicts.innerMapId(0L));
        }
    }

    @BpfTest
    void codecsAreCheckedAgainstTheMap(Bpf bpf) throws IOException {
        try (BpfCollection obj = btfMaps().load(bpf, LoadOptions.defaults())) {
            Codec<Swapped> swapped = Codecs.record(Swapped.class, Codecs.u32(), Codecs.u32(), Codecs.u64());
            assertEquals(16, swapped.size());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> TypedMap.of(obj.map("totals"), Codecs.u32(), swapped));
            assertTrue(e.getMessage().startsWith("value field frames: the codec u32 encodes 4 bytes, the map's BTF type "),
                    e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> TypedMap.of(obj.map("by_length"), Codecs.u32(), Codecs.u32()));
            assertEquals("value: the codec u32 encodes 4 bytes, the HASH map's values are 8", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> TypedMap.of(obj.map("by_length"), Codecs.s32(), Codecs.f64()));
            assertTrue(e.getMessage().startsWith("value: the codec f64 is a floating-point number"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> TypedMap.of(obj.map("per_cpu"), Codecs.u32(), Codecs.u64()));
            assertTrue(e.getMessage().startsWith("map: a PERCPU_ARRAY map has no key-value view"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> TypedMap.of(obj.map("totals"), Codecs.u32(), PAIR).put(0L,
                    new Pair(1, 1L << 32, 0)));
            assertEquals("value: 4294967296 does not fit u32", e.getMessage());
        }
    }

    @BpfTest
    void queuesStacksBloomFiltersTriesAndProgramArrays(Bpf bpf) throws Exception {
        try (BpfMap queue = BpfMap.create(bpf, MapSpec.of(MapType.QUEUE, 0, 8, 2));
                BpfMap stack = BpfMap.create(bpf, MapSpec.of(MapType.STACK, 0, 4, 4));
                BpfMap bloom = BpfMap.create(bpf, MapSpec.of(MapType.BLOOM_FILTER, 0, 4, 64));
                BpfMap trie = BpfMap.create(bpf, MapSpec.of(MapType.LPM_TRIE, 8, 4, 16).withFlags(1)); // BPF_F_NO_PREALLOC
                BpfMap progs = BpfMap.create(bpf, MapSpec.of(MapType.PROG_ARRAY, 4, 4, 2));
                BpfProgram ret7 = BpfProgram.load(bpf, ProgramSpec.of(ProgramType.SOCKET_FILTER,
                        new Asm().mov64(Register.R0, 7).exit().toArray(), "GPL"))) {
            TypedQueue<Long> q = TypedQueue.of(queue, Codecs.s64());
            q.push(1L);
            q.push(2L);
            assertThrows(BpfException.class, () -> q.push(3L), "full");
            q.push(3L, true);
            assertEquals(2L, q.peek());
            assertEquals(2L, q.pop());
            assertEquals(3L, q.pop());
            assertNull(q.pop());
            TypedQueue<Integer> s = TypedQueue.of(stack, Codecs.s32());
            s.push(1);
            s.push(-2);
            assertEquals(-2, s.pop());
            assertEquals(1, s.peek());

            TypedBloomFilter<Integer> b = TypedBloomFilter.of(bloom, Codecs.s32());
            b.add(42);
            assertTrue(b.mightContain(42));

            TypedMap<LpmKey<Inet4Address>, Long> routes = TypedMap.of(trie, Codecs.lpm(Codecs.ipv4()), Codecs.u32());
            routes.put(new LpmKey<>(8, (Inet4Address) InetAddress.getByName("10.0.0.0")), 1L);
            routes.put(new LpmKey<>(24, (Inet4Address) InetAddress.getByName("10.1.2.0")), 2L);
            assertEquals(2L, routes.get(new LpmKey<>(32, (Inet4Address) InetAddress.getByName("10.1.2.3"))));
            assertEquals(1L, routes.get(new LpmKey<>(32, (Inet4Address) InetAddress.getByName("10.9.9.9"))));
            assertNull(routes.get(new LpmKey<>(32, (Inet4Address) InetAddress.getByName("11.0.0.1"))));
            assertThrows(IllegalArgumentException.class,
                    () -> routes.get(new LpmKey<>(33, (Inet4Address) InetAddress.getByName("10.0.0.1"))));

            // The other key-value kinds: LRU hash, per-CPU and LRU per-CPU hash, hash of maps.
            try (BpfMap lru = BpfMap.create(bpf, MapSpec.of(MapType.LRU_HASH, 4, 8, 2));
                    BpfMap pch = BpfMap.create(bpf, MapSpec.of(MapType.PERCPU_HASH, 4, 4, 4));
                    BpfMap lpch = BpfMap.create(bpf, MapSpec.of(MapType.LRU_PERCPU_HASH, 8, 8, 4));
                    BpfMap innerT = BpfMap.create(bpf, MapSpec.of(MapType.ARRAY, 4, 4, 1));
                    BpfMap hom = BpfMap.create(bpf, MapSpec.of(MapType.HASH_OF_MAPS, 8, 4, 4).withInnerMapFd(innerT.fd()))) {
                TypedMap<Long, Long> l = TypedMap.of(lru, Codecs.u32(), Codecs.s64());
                l.put(1L, -1L);
                l.put(2L, -2L);
                // Full: the insert evicts an old element (user-space lookups do not count as use).
                l.put(3L, -3L);
                assertEquals(-3L, l.get(3L));
                assertEquals(2, l.dump(4).size());
                PerCpuMap<Long, Integer> p = PerCpuMap.of(pch, Codecs.u32(), Codecs.s32());
                List<Integer> perCpu = new ArrayList<>();
                for (int c = 0; c < p.cpus(); c++) perCpu.add(c - 1);
                p.put(9L, perCpu);
                assertEquals(perCpu, p.get(9L));
                assertTrue(p.remove(9L));
                assertNull(p.get(9L));
                PerCpuMap<Long, Long> lp = PerCpuMap.of(lpch, Codecs.u64(), Codecs.u64());
                lp.putAll(1L << 40, 3L);
                assertEquals(3L * lp.cpus(), lp.get(1L << 40).stream().mapToLong(Long::longValue).sum());
                MapOfMaps<Long> byCookie = MapOfMaps.of(hom, Codecs.u64());
                byCookie.set(0xC0FFEEL, innerT);
                assertEquals(innerT.info().id(), byCookie.innerMapId(0xC0FFEEL));
                assertEquals(0, byCookie.innerMapId(1L));
            }

            ProgramArray pa = ProgramArray.of(progs);
            pa.set(1, ret7);
            assertEquals(ret7.info().id(), pa.programId(1));
            assertEquals(0, pa.programId(0));
            assertTrue(pa.clear(1));
            assertEquals(0, pa.programId(1));
            assertThrows(IllegalArgumentException.class, () -> ProgramArray.of(queue));
        }
    }
}
