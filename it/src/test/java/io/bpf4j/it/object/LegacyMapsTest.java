package io.bpf4j.it.object;

import static io.bpf4j.it.object.Corpus.u32;
import static io.bpf4j.it.object.Corpus.u64;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfMap;
import io.bpf4j.api.BpfProgram;
import io.bpf4j.api.MapFlags;
import io.bpf4j.api.MapInfo;
import io.bpf4j.api.MapType;
import io.bpf4j.api.ProgramInfo;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.TestRunSpec;
import io.bpf4j.api.object.BpfCollection;
import io.bpf4j.testsupport.LeakCheck;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * legacy_maps.o: maps from the legacy {@code maps} section, written by the XDP program on test
 * runs and read and written from Java, with the same results on the kernel and the simulator.
 */
@ExtendWith(LeakCheck.class)
class LegacyMapsTest {
    static final int XDP_DROP = 1;
    static final int XDP_PASS = 2;

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.bpf4j.it.object.Corpus#backends")
    void theProgramAndJavaShareTheMaps(String backend) {
        try (Bpf bpf = Corpus.open(backend); BpfCollection obj = Corpus.spec("legacy_maps.o").load(bpf)) {
            BpfMap stats = obj.map("stats");
            BpfMap lengths = obj.map("lengths");
            MapInfo si = stats.info();
            assertEquals(MapType.ARRAY, si.type());
            assertEquals("stats", si.name());
            assertEquals(4, si.maxEntries());
            MapInfo li = lengths.info();
            assertEquals(MapType.HASH, li.type());
            assertEquals(MapFlags.NO_PREALLOC, li.flags());
            BpfProgram p = obj.program("count_frames");
            ProgramInfo pi = p.info();
            assertEquals(ProgramType.XDP, pi.type());
            assertEquals("count_frames", pi.name());

            for (int i = 0; i < 3; i++) assertEquals(XDP_PASS, p.testRun(TestRunSpec.ofData(new byte[64])).retval());
            assertEquals(XDP_PASS, p.testRun(TestRunSpec.ofData(new byte[100])).retval());
            assertEquals(4, u64(stats.lookup(u32(0)).orElseThrow()), "frames counted by the program");
            assertEquals(3 * 64 + 100, u64(stats.lookup(u32(1)).orElseThrow()), "bytes counted by the program");
            assertEquals(3, u64(lengths.lookup(u32(64)).orElseThrow()));
            assertEquals(1, u64(lengths.lookup(u32(100)).orElseThrow()));

            // Java writes, the program reads: the verdict in stats[3], a count in lengths.
            stats.put(u32(3), u64(XDP_DROP));
            lengths.put(u32(64), u64(10));
            assertEquals(XDP_DROP, p.testRun(TestRunSpec.ofData(new byte[64])).retval());
            assertEquals(11, u64(lengths.lookup(u32(64)).orElseThrow()));
        }
    }
}
