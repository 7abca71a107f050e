package io.bpf4j.api.object;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.testsupport.Need;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed eBPF for Windows objects ({@code objects/windows}) still match their sources,
 * compared as {@link ObjectCorpusCurrentTest} compares libbpf's corpus but read with
 * {@link ObjectFlavor#EBPF_FOR_WINDOWS}. Their sources need clang only.
 */
class EfwCorpusCurrentTest {

    @Test
    void committedObjectsMatchTheirSources(@TempDir Path scratch) throws Exception {
        Need.tool("clang");
        Path corpus = Path.of(EfwCorpusCurrentTest.class.getResource("/objects/windows/build.sh").toURI()).getParent();
        List<Path> sources;
        try (Stream<Path> s = Files.list(corpus)) {
            sources = s.filter(p -> p.toString().endsWith(".c")).sorted().toList();
        }
        List<String> stale = ObjectCorpusCurrentTest.rebuild(corpus, scratch, sources, ObjectFlavor.EBPF_FOR_WINDOWS);
        assertTrue(stale.isEmpty(), "committed objects differ from their sources (rebuild them with "
                + "api/src/test/resources/objects/windows/build.sh and commit the .o files):\n  " + String.join("\n  ", stale));
        assertEquals(List.of("efw_btf_maps.c", "efw_global.c", "efw_map_in_map.c", "efw_maps.c"),
                sources.stream().map(p -> p.getFileName().toString()).toList(), "every object is known to the tests");
    }
}
