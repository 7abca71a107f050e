package io.bpf4j.api.object;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.testsupport.Need;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
        try (Stream<Path> s = Files.list(corpus)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (n.endsWith(".c") || n.endsWith(".h") || n.equals("build.sh")) Files.copy(p, scratch.resolve(n));
            }
        }
        Process build = new ProcessBuilder("bash", scratch.resolve("build.sh").toString()).redirectErrorStream(true).start();
        String out = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(build.waitFor(5, TimeUnit.MINUTES), "build.sh did not finish");
        assertEquals(0, build.exitValue(), "build.sh failed:\n" + out);
        boolean sameCompiler = major(Files.readString(scratch.resolve("CLANG_VERSION")))
                .equals(major(Files.readString(corpus.resolve("CLANG_VERSION"))));
        List<String> stale = new ArrayList<>();
        for (Path c : sources) {
            String o = c.getFileName().toString().replace(".c", ".o");
            assertTrue(Files.exists(corpus.resolve(o)), o + " is not committed beside " + c.getFileName());
            ObjectSpec committed = ObjectSpec.parse(o, Files.readAllBytes(corpus.resolve(o)), ObjectFlavor.EBPF_FOR_WINDOWS);
            ObjectSpec rebuilt = ObjectSpec.parse(o, Files.readAllBytes(scratch.resolve(o)), ObjectFlavor.EBPF_FOR_WINDOWS);
            String diff = ObjectCorpusCurrentTest.difference(committed, rebuilt, sameCompiler);
            if (diff != null) stale.add(o + ": " + diff);
        }
        assertTrue(stale.isEmpty(), "committed objects differ from their sources (rebuild them with "
                + "api/src/test/resources/objects/windows/build.sh and commit the .o files):\n  " + String.join("\n  ", stale));
        assertEquals(List.of("efw_btf_maps.c", "efw_global.c", "efw_maps.c"),
                sources.stream().map(p -> p.getFileName().toString()).toList(), "every object is known to the tests");
    }

    private static String major(String clangVersion) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("version (\\d+)").matcher(clangVersion);
        return m.find() ? m.group(1) : clangVersion.strip();
    }
}
