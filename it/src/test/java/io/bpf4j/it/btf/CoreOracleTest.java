package io.bpf4j.it.btf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.bpf4j.api.btf.CoreReloKind;
import io.bpf4j.api.btf.CoreRelocator;
import io.bpf4j.it.LinuxKernel;
import io.bpf4j.it.btf.CoreObject.Applied;
import io.bpf4j.it.btf.CoreObject.Outcome;
import io.bpf4j.it.btf.CoreOracle.Run;
import io.bpf4j.it.btf.CoreTargets.Target;
import io.bpf4j.testsupport.Need;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * CO-RE relocations equal libbpf's, instruction for instruction and failure for failure: every
 * CO-RE object of the corpus is relocated by libbpf ({@link CoreOracle}) and by bpf4j
 * ({@link CoreObject#relocate}) against every target ({@link CoreTargets}), once with all its
 * programs (so that relocations of one type narrow the candidates of the next, as libbpf's cache
 * does across the object) and once per program. Where libbpf relocates, the instructions must be
 * identical; where it refuses, bpf4j must refuse the same relocation.
 *
 * <p>Targets: the object's own BTF, this kernel's vmlinux, C files built with clang (fields moved,
 * resized, retyped and gone; limits libbpf refuses; flavors, renamed and ambiguous; type matches;
 * an older kernel), and BTF built in Java (two layouts of core_ctx, one also big-endian; 32-bit
 * pointers; odd kinds and duplicate names). The last test checks that the corpus did exercise
 * every relocation kind with a changed value, poisoning, load resizing and refusals, so that the
 * agreement is not vacuous.
 */
class CoreOracleTest {
    private static final List<String> OBJECTS = List.of("core_fields.o", "core_kernel.o", "core_flavors.o", "core_matches.o",
            "core_errors.o");
    private static final List<String> C_TARGETS = List.of("fields_moved", "fields_limits", "flavors_renamed", "flavors_ambiguous",
            "matches", "kernel_old");

    private static Path dir;
    private static CoreOracle oracle;
    private static List<Target> shared;
    private static final Coverage COVERAGE = new Coverage();

    /** Why this machine cannot run the comparison, or null (see {@link Need#inBeforeAll}). */
    private static String skip;

    @BeforeAll
    static void build() throws Exception {
        skip = Need.inBeforeAll(() -> {
            LinuxKernel.require();
            Need.tool("clang");
        });
        if (skip != null) return;
        dir = Files.createDirectories(Path.of("target", "core-oracle"));
        oracle = CoreOracle.build(dir);
        List<Target> t = new ArrayList<>();
        t.add(CoreTargets.vmlinux());
        for (String c : C_TARGETS) t.add(CoreTargets.compiled(c, dir));
        t.add(CoreTargets.built("ctx_moved", CtxLayouts.moved().btf(), ByteOrder.LITTLE_ENDIAN, dir));
        t.add(CoreTargets.built("ctx_moved_big_endian", CtxLayouts.moved().btf(), ByteOrder.BIG_ENDIAN, dir));
        t.add(CoreTargets.built("ctx_narrow", CtxLayouts.narrow().btf(), ByteOrder.LITTLE_ENDIAN, dir));
        t.add(CoreTargets.built("pointers32", CoreTargets.pointers32(), ByteOrder.LITTLE_ENDIAN, dir));
        t.add(CoreTargets.built("oddities", CoreTargets.oddities(), ByteOrder.LITTLE_ENDIAN, dir));
        shared = t;
    }

    @TestFactory
    Stream<DynamicTest> bpf4jRelocatesAsLibbpfDoes() throws IOException {
        // A factory that aborts is not reported at all: a dynamic test carries the reason instead.
        if (skip != null) return Stream.of(DynamicTest.dynamicTest("needs what this machine lacks", () -> Need.still(skip)));
        List<CoreObject> objects = new ArrayList<>();
        for (String o : OBJECTS) objects.add(CoreObject.corpus(o));
        // clang 14 cannot emit TYPE_MATCHES: the same object read with its TYPE_EXISTS relocations as TYPE_MATCHES ones.
        objects.add(CoreObject.corpus("core_matches.o").withKind(CoreReloKind.TYPE_EXISTS, CoreReloKind.TYPE_MATCHES,
                "core_matches.o (TYPE_MATCHES)"));
        List<DynamicTest> tests = new ArrayList<>();
        for (CoreObject o : objects) {
            Path file = dir.resolve(o.name.replaceAll("[^A-Za-z0-9_.]", "_"));
            Files.write(file, o.elf);
            List<Target> targets = new ArrayList<>();
            targets.add(CoreTargets.own(o, dir));
            targets.addAll(shared);
            for (Target t : targets) tests.add(DynamicTest.dynamicTest(o.name + " against " + t.name(), () -> agree(o, file, t)));
        }
        tests.add(DynamicTest.dynamicTest("the corpus exercised every kind, poisoning, resizing and refusals", COVERAGE::check));
        return tests.stream();
    }

    private static void agree(CoreObject o, Path file, Target t) {
        Map<String, Run> libbpf = oracle.run(file, t.file());
        Set<String> all = o.programs.stream().map(CoreObject.Program::name).collect(Collectors.toCollection(LinkedHashSet::new));
        Set<String> runs = new LinkedHashSet<>(all);
        runs.add("*");
        assertEquals(runs, new LinkedHashSet<>(libbpf.keySet()), "the programs libbpf found in " + o);
        for (Run run : libbpf.values()) {
            boolean whole = run.name().equals("*");
            String where = o + " against " + t + (whole ? ", all programs" : ", " + run.name() + " alone") + " (libbpf "
                    + run.version() + ")";
            Outcome ours = o.relocate(t.btf(), whole ? all : Set.of(run.name()));
            if (run.ok()) {
                if (!ours.ok()) fail(where + ": libbpf relocated, bpf4j refused relo #" + ours.failedIndex() + ": " + ours.failure());
                assertEquals(run.programs().keySet(), ours.programs().keySet(), where + ": programs relocated");
                for (String p : run.programs().keySet()) {
                    sameInstructions(where + ", program " + p, o.instructions(p), run.programs().get(p), ours.programs().get(p));
                }
                COVERAGE.agreed(t, ours.applied());
            } else {
                String[] failed = run.failure();
                assertNotNull(failed, () -> where + ": libbpf failed (" + run.error() + ") before relocating: " + run.log());
                if (ours.ok()) fail(where + ": libbpf refused relo #" + failed[1] + " of " + failed[0] + ", bpf4j relocated it. libbpf: "
                        + run.log());
                assertEquals(failed[0] + " relo #" + failed[1], ours.failedProgram() + " relo #" + ours.failedIndex(),
                        () -> where + ": where relocation fails. libbpf: " + run.log() + "; bpf4j: " + ours.failure());
                COVERAGE.refused(run.error(), ours.failure());
            }
        }
    }

    private static void sameInstructions(String where, long[] compiled, long[] libbpf, long[] bpf4j) {
        assertEquals(libbpf.length, bpf4j.length, where + ": instruction count");
        for (int i = 0; i < libbpf.length; i++) {
            if (libbpf[i] != bpf4j[i]) {
                fail(where + ": instruction " + i + " differs: compiled " + Insns.show(compiled[i]) + ", libbpf " + Insns.show(libbpf[i])
                        + ", bpf4j " + Insns.show(bpf4j[i]));
            }
        }
        for (int i = 0; i < libbpf.length; i++) {
            if (libbpf[i] == compiled[i]) continue;
            int code = (int) (libbpf[i] & 0xff);
            int was = (int) (compiled[i] & 0xff);
            if (Insns.poisoned(libbpf[i])) COVERAGE.poisoned(was == 0x18 || i > 0 && (compiled[i - 1] & 0xff) == 0x18);
            else if (code != was) COVERAGE.resized(Insns.size(code) > Insns.size(was));
        }
    }

    /** What the agreed relocations covered. */
    private static final class Coverage {
        private final Map<CoreReloKind, Integer> changed = new EnumMap<>(CoreReloKind.class);
        private final Map<CoreReloKind, Integer> applied = new EnumMap<>(CoreReloKind.class);
        private final Map<String, Integer> refusals = new TreeMap<>();
        private final Set<String> targetsWithChanges = new LinkedHashSet<>();
        private int poisoned;
        private int poisonedImm64;
        private int grown;
        private int shrunk;
        private int refusedResize;

        synchronized void agreed(Target t, List<Applied> all) {
            for (Applied a : all) {
                CoreRelocator.Result r = a.result();
                CoreReloKind k = r.relo().kind();
                applied.merge(k, 1, Integer::sum);
                if (!r.poison() && r.targetValue() != r.localValue()) {
                    changed.merge(k, 1, Integer::sum);
                    targetsWithChanges.add(t.name());
                }
                if (r.resizeRefused()) refusedResize++;
            }
        }

        synchronized void refused(int errno, String why) {
            refusals.merge(errno + ": " + why.replaceAll(".*\\): ", "").replaceAll("\\d+", "N"), 1, Integer::sum);
        }

        synchronized void poisoned(boolean imm64) {
            if (imm64) poisonedImm64++;
            else poisoned++;
        }

        synchronized void resized(boolean grew) {
            if (grew) grown++;
            else shrunk++;
        }

        synchronized void check() {
            String report = "applied " + applied + "\nchanged " + changed + "\nrefusals " + refusals + "\npoisoned " + poisoned
                    + " (64-bit immediates " + poisonedImm64 + "), loads grown " + grown + ", shrunk " + shrunk
                    + ", resizes refused " + refusedResize + "\ntargets that changed values " + targetsWithChanges;
            System.out.println("[CO-RE oracle] " + report.replace("\n", "\n[CO-RE oracle] "));
            for (CoreReloKind k : CoreReloKind.values()) {
                assertTrue(applied.getOrDefault(k, 0) > 0, k + " was never relocated:\n" + report);
                if (k != CoreReloKind.TYPE_ID_LOCAL) assertTrue(changed.getOrDefault(k, 0) > 0, k + " never changed a value:\n" + report);
            }
            assertTrue(poisoned > 0 && poisonedImm64 > 0, "poisoned instructions of both forms:\n" + report);
            assertTrue(grown > 0 && shrunk > 0 && refusedResize > 0, "loads grown, shrunk and refused:\n" + report);
            assertTrue(refusals.keySet().stream().anyMatch(s -> s.contains("ambiguous")), "ambiguity refused:\n" + report);
            assertTrue(refusals.size() >= 5, "at least five kinds of refusal:\n" + report);
            assertTrue(targetsWithChanges.size() >= 8, "most targets changed values:\n" + report);
        }
    }
}
