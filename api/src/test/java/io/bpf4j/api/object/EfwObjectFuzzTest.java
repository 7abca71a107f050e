package io.bpf4j.api.object;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link ObjectFuzzTest}'s mutations over the eBPF for Windows objects, read with
 * {@link ObjectFlavor#EBPF_FOR_WINDOWS}: each input reads or is refused with
 * {@link ObjectFormatException}, never anything else and never slowly.
 */
class EfwObjectFuzzTest {

    @Test
    void everyInputReadsOrIsRefusedByName() {
        long seed = Long.getLong("bpf4j.fuzz.seed", 7);
        int cases = Integer.getInteger("bpf4j.fuzz.objects", 2000);
        List<byte[]> corpus = new ArrayList<>();
        for (String o : List.of("efw_maps.o", "efw_btf_maps.o", "efw_global.o")) corpus.add(Corpus.bytes("windows/" + o));
        int[] read = new int[1];
        boolean[] reachedTypes = new boolean[1];
        Set<String> reasons = new HashSet<>();
        assertTimeoutPreemptively(Duration.ofSeconds(90), () -> {
            for (int i = 0; i < cases; i++) {
                Random r = new Random(seed * 1_000_003L + i);
                StringBuilder how = new StringBuilder();
                byte[] input = ObjectFuzzTest.mutate(r, corpus, how);
                try {
                    ObjectSpec.parse("fuzz.o", input, ObjectFlavor.EBPF_FOR_WINDOWS);
                    read[0]++;
                } catch (ObjectFormatException e) {
                    assertTrue(e.getMessage().startsWith("fuzz.o: "), e.getMessage());
                    reachedTypes[0] |= e.getMessage().contains("eBPF for Windows map type");
                    reasons.add(e.getMessage().replaceAll("[0-9a-fx#]+", "N").replaceAll("'[^']*'", "S"));
                } catch (RuntimeException | Error e) {
                    fail("seed " + seed + " case " + i + " (" + how + "): " + e, e);
                }
            }
        }, "the reader must not hang");
        assertTrue(read[0] > cases / 50, "too few inputs read (" + read[0] + ")");
        assertTrue(read[0] < cases * 9 / 10, "too few inputs refused (" + (cases - read[0]) + ")");
        assertTrue(reasons.size() >= 15, "only " + reasons.size() + " distinct refusals: " + reasons);
        assertTrue(reachedTypes[0], "the mutations reach the definitions' types: " + reasons);
    }
}
