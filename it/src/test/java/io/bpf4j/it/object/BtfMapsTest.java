package io.bpf4j.it.object;

import static io.bpf4j.it.object.Corpus.u32;
import static io.bpf4j.it.object.Corpus.u64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfMap;
import io.bpf4j.api.BpfProgram;
import io.bpf4j.api.MapFlags;
import io.bpf4j.api.MapInfo;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.TestRunSpec;
import io.bpf4j.api.object.BpfCollection;
import io.bpf4j.api.object.LoadOptions;
import io.bpf4j.api.object.ObjectSpec;
import io.bpf4j.api.object.Pinning;
import io.bpf4j.testsupport.LeakCheck;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * btf_maps.o: maps defined in {@code .maps} are created with the attributes their BTF structs
 * give, the program uses them all (a hash, a per-CPU array, a struct-valued array, an array of
 * maps whose inner map Java provides, a ring buffer), with the same results on the kernel and
 * the simulator.
 */
@ExtendWith(LeakCheck.class)
class BtfMapsTest {
    static final int XDP_DROP = 1;
    static final int XDP_PASS = 2;

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.bpf4j.it.object.Corpus#backends")
    void mapsAreCreatedAsDefinedAndUsedByTheProgram(String backend) throws IOException {
        // totals is pinned by name: keep it out of the way here (PinByNameTest covers it).
        ObjectSpec spec = Corpus.spec("btf_maps.o").withPinning("totals", Pinning.NONE);
        try (Bpf bpf = Corpus.open(backend); BpfCollection obj = spec.load(bpf, LoadOptions.defaults())) {
            MapInfo h = obj.map("by_length").info();
            assertEquals(List.of(MapType.HASH, 4, 8, 16, MapFlags.NO_PREALLOC, "by_length"),
                    List.of(h.type(), h.keySize(), h.valueSize(), h.maxEntries(), h.flags(), h.name()));
            assertEquals(java.util.Optional.empty(), obj.btfProblem());
            assertTrue(h.btfId() > 0, "made with the object's BTF");
            assertEquals(List.of(spec.map("by_length").btfKeyTypeId(), spec.map("by_length").btfValueTypeId()),
                    List.of(h.btfKeyTypeId(), h.btfValueTypeId()));
            MapInfo o = obj.map("verdicts").info();
            assertEquals(List.of(MapType.ARRAY_OF_MAPS, 4, 4, 2), List.of(o.type(), o.keySize(), o.valueSize(), o.maxEntries()));
            MapInfo r = obj.map("events").info();
            assertEquals(List.of(MapType.RINGBUF, 4096), List.of(r.type(), r.maxEntries()));

            BpfProgram p = obj.program("use_btf_maps");
            assertEquals(XDP_PASS, p.testRun(TestRunSpec.ofData(new byte[64])).retval());
            assertEquals(XDP_PASS, p.testRun(TestRunSpec.ofData(new byte[64])).retval());
            try (BpfMap inner = BpfMap.create(bpf, MapSpec.of(MapType.ARRAY, 4, 4, 1))) {
                inner.put(u32(0), u32(XDP_DROP));
                obj.map("verdicts").put(u32(0), u32(inner.fd()));
                assertEquals(XDP_DROP, p.testRun(TestRunSpec.ofData(new byte[100])).retval(), "the verdict from the inner map");
            }

            assertEquals(2, u64(obj.map("by_length").lookup(u32(64)).orElseThrow()));
            assertEquals(1, u64(obj.map("by_length").lookup(u32(100)).orElseThrow()));
            long perCpuSum = 0;
            BpfMap pc = obj.map("per_cpu");
            for (byte[] v : pc.perCpuValues(pc.lookup(u32(0)).orElseThrow())) perCpuSum += u64(v);
            assertEquals(228, perCpuSum, "per-CPU bytes summed over CPUs");
            ByteBuffer t = ByteBuffer.wrap(obj.map("totals").lookup(u32(0)).orElseThrow()).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(228, t.getLong(0), "struct pair.bytes");
            assertEquals(3, t.getInt(8), "struct pair.frames");
            assertEquals(XDP_DROP, t.getInt(12), "struct pair.last_verdict");
        }
    }
}
