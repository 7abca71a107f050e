package io.bpf4j.it.object;

import static io.bpf4j.it.object.Corpus.u32;
import static io.bpf4j.it.object.Corpus.u64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfException;
import io.bpf4j.api.BpfMap;
import io.bpf4j.api.Errno;
import io.bpf4j.api.object.BpfCollection;
import io.bpf4j.api.object.LoadOptions;
import io.bpf4j.api.object.ObjectSpec;
import io.bpf4j.api.object.Pinning;
import io.bpf4j.sim.SimBpf;
import io.bpf4j.testsupport.Host;
import io.bpf4j.testsupport.LeakCheck;
import io.bpf4j.testsupport.Need;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pinning by name: the first load creates and pins the map, a second load of a compatible spec
 * reuses it with its contents, and an incompatible spec is refused naming the difference, with
 * nothing left open, on the kernel and in the simulator.
 */
@ExtendWith(LeakCheck.class)
class PinByNameTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.bpf4j.it.object.Corpus#backends")
    void aPinnedMapIsReusedWhenCompatibleAndRefusedWhenNot(String backend) throws IOException {
        try (Bpf bpf = Corpus.open(backend)) {
            String dir = pinDir(bpf);
            try {
                LoadOptions opts = LoadOptions.defaults().withPinRoot(dir);
                ObjectSpec spec = Corpus.spec("legacy_maps.o").withPinning("stats", Pinning.BY_NAME);
                int id;
                try (BpfCollection first = spec.load(bpf, opts)) {
                    assertEquals(dir + "/stats", first.pinPath("stats"));
                    assertNull(first.pinPath("lengths"));
                    first.map("stats").put(u32(2), u64(77));
                    id = first.map("stats").info().id();
                }
                try (BpfMap pinned = BpfMap.pinned(bpf, dir + "/stats")) {
                    assertEquals(77, u64(pinned.lookup(u32(2)).orElseThrow()), "the pin outlives the collection");
                }
                try (BpfCollection second = spec.load(bpf, opts)) {
                    assertEquals(id, second.map("stats").info().id(), "the pinned map is reused, not created");
                    assertEquals(77, u64(second.map("stats").lookup(u32(2)).orElseThrow()));
                }
                BpfException e = assertThrows(BpfException.class,
                        () -> spec.withMaxEntries("stats", 8).load(bpf, opts).close());
                assertEquals(Errno.EINVAL, e.errno());
                assertTrue(e.getMessage().contains("map \"stats\"") && e.getMessage().contains("max entries 8 here, 4 pinned"),
                        e.getMessage());
                try (BpfMap pinned = BpfMap.pinned(bpf, dir + "/stats")) {
                    assertEquals(id, pinned.info().id(), "the refused load left the pin alone");
                }
            } finally {
                cleanUp(bpf, dir);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.bpf4j.it.object.Corpus#backends")
    void pinningFromTheBtfDefinitionWorksTheSameWay(String backend) throws IOException {
        try (Bpf bpf = Corpus.open(backend)) {
            String dir = pinDir(bpf);
            try {
                LoadOptions opts = LoadOptions.defaults().withPinRoot(dir);
                ObjectSpec spec = Corpus.spec("btf_maps.o");
                int id;
                try (BpfCollection first = spec.load(bpf, opts)) {
                    assertEquals(dir + "/totals", first.pinPath("totals"), "__uint(pinning, LIBBPF_PIN_BY_NAME)");
                    first.program("use_btf_maps").testRun(io.bpf4j.api.TestRunSpec.ofData(new byte[64]));
                    id = first.map("totals").info().id();
                }
                try (BpfCollection second = spec.load(bpf, opts)) {
                    assertEquals(id, second.map("totals").info().id());
                    second.program("use_btf_maps").testRun(io.bpf4j.api.TestRunSpec.ofData(new byte[64]));
                    byte[] v = second.map("totals").lookup(u32(0)).orElseThrow();
                    assertEquals(128, u64(java.util.Arrays.copyOf(v, 8)), "both loads' programs counted into one map");
                }
                BpfException e = assertThrows(BpfException.class,
                        () -> spec.withMaxEntries("totals", 3).load(bpf, opts).close());
                assertTrue(e.getMessage().contains("map \"totals\"") && e.getMessage().contains("max entries 3 here, 2 pinned"),
                        e.getMessage());
            } finally {
                cleanUp(bpf, dir);
            }
        }
    }

    static String pinDir(Bpf bpf) throws IOException {
        String dir = "/sys/fs/bpf/" + Host.fresh("obj");
        if (bpf instanceof SimBpf sim) {
            sim.mkdir(dir);
        } else {
            Need.bpffs();
            Files.createDirectories(Path.of(dir));
        }
        return dir;
    }

    static void cleanUp(Bpf bpf, String dir) throws IOException {
        if (bpf instanceof SimBpf) return;
        try (var s = Files.list(Path.of(dir))) {
            for (Path p : s.toList()) Files.delete(p);
        }
        Files.delete(Path.of(dir));
    }
}
