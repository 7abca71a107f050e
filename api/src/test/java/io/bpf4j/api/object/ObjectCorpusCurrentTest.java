package io.bpf4j.api.object;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.testsupport.Need;
import java.io.IOException;
import java.net.URISyntaxException;
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
 * The committed objects still match their C sources: the corpus is rebuilt with its own
 * build.sh in a scratch copy, and each rebuilt object is compared with the committed one.
 *
 * <p>What is compared must not depend on the compiler's version, since CI's clang may be newer
 * than the one that built the fixtures: programs (name, section, type, attach type, flags, the
 * maps they use), maps (every attribute and initial value), global variables (name, section,
 * size, type) and the license. When the compiler has the major version recorded in
 * CLANG_VERSION, the linked instructions and the variables' offsets must be identical too.
 */
class ObjectCorpusCurrentTest {

    @Test
    void committedObjectsMatchTheirSources(@TempDir Path scratch) throws Exception {
        Need.tool("clang");
        Need.path(Path.of("/usr/include/bpf/bpf_helpers.h"), "libbpf's headers (libbpf-dev)");
        Path corpus = corpusDir();
        List<Path> sources;
        try (Stream<Path> s = Files.list(corpus)) {
            sources = s.filter(p -> p.toString().endsWith(".c")).sorted().toList();
        }
        List<String> stale = rebuild(corpus, scratch, sources, ObjectFlavor.LIBBPF);
        assertTrue(stale.isEmpty(), "committed objects differ from their sources (rebuild them with "
                + "api/src/test/resources/objects/build.sh and commit the .o files):\n  " + String.join("\n  ", stale));
        assertEquals(sources.size(), Corpus.OBJECTS.size(), "every corpus object is known to the tests");
    }

    /**
     * Copies a corpus's sources and build script to a scratch folder, runs the script there and
     * compares each rebuilt object with the committed one.
     *
     * @return one line per object that differs
     */
    static List<String> rebuild(Path corpus, Path scratch, List<Path> sources, ObjectFlavor flavor) throws Exception {
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
            ObjectSpec committed = ObjectSpec.parse(o, Files.readAllBytes(corpus.resolve(o)), flavor);
            ObjectSpec rebuilt = ObjectSpec.parse(o, Files.readAllBytes(scratch.resolve(o)), flavor);
            String diff = difference(committed, rebuilt, sameCompiler);
            if (diff != null) stale.add(o + ": " + diff);
        }
        return stale;
    }

    /** The first difference between two readings of an object, or null. */
    static String difference(ObjectSpec a, ObjectSpec b, boolean sameCompiler) {
        if (!a.license().equals(b.license())) return "license";
        if (!a.programs().stream().map(ObjectSpecShape::program).toList()
                .equals(b.programs().stream().map(ObjectSpecShape::program).toList())) {
            return "programs " + a.programs() + " vs " + b.programs();
        }
        if (!a.maps().stream().map(ObjectSpecShape::map).toList().equals(b.maps().stream().map(ObjectSpecShape::map).toList())) {
            return "maps " + a.maps() + " vs " + b.maps();
        }
        if (!a.variables().stream().map(v -> ObjectSpecShape.variable(v, sameCompiler)).sorted().toList()
                .equals(b.variables().stream().map(v -> ObjectSpecShape.variable(v, sameCompiler)).sorted().toList())) {
            return "variables " + a.variables() + " vs " + b.variables();
        }
        if (!sameCompiler) return null;
        for (ObjectProgram p : a.programs()) {
            ObjectProgram q = b.program(p.name());
            try {
                assertArrayEquals(p.instructionsShared(), q.instructionsShared());
            } catch (AssertionError e) {
                return "instructions of " + p.name() + ": " + e.getMessage();
            }
            if (!p.mapRefs().equals(q.mapRefs())) return "map references of " + p.name();
        }
        return null;
    }

    private static String major(String clangVersion) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("version (\\d+)").matcher(clangVersion);
        return m.find() ? m.group(1) : clangVersion.strip();
    }

    private static Path corpusDir() throws URISyntaxException {
        return Path.of(ObjectCorpusCurrentTest.class.getResource("/objects/build.sh").toURI()).getParent();
    }

    /** The compiler-independent parts of a spec. */
    private static final class ObjectSpecShape {
        static String program(ObjectProgram p) {
            return p.name() + "|" + p.section() + "|" + p.type() + "|" + p.expectedAttachType() + "|" + p.flags() + "|"
                    + p.maps() + "|" + p.coreRelocations();
        }

        static String map(ObjectMap m) {
            return m.name() + "|" + m.kernelName() + "|" + m.kind() + "|" + m.type() + "|" + m.keySize() + "|" + m.valueSize()
                    + "|" + m.maxEntries() + "|" + m.flags() + "|" + m.numaNode() + "|" + m.mapExtra() + "|" + m.pinning()
                    + "|" + java.util.Arrays.toString(m.initialValue()) + "|" + (m.innerMap() == null ? "" : map(m.innerMap()));
        }

        static String variable(ObjectVariable v, boolean withOffset) {
            return v.name() + "|" + v.map() + "|" + v.size() + "|" + v.typeName() + "|" + v.constant() + "|" + v.integer()
                    + (withOffset ? "|" + v.offset() : "");
        }
    }
}
