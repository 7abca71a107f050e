package io.bpf4j.it.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.asm.Instruction;
import io.bpf4j.api.asm.Opcodes;
import io.bpf4j.api.asm.TextAssembler;
import io.bpf4j.sim.internal.vm.HelperTable;
import io.bpf4j.sim.internal.vm.Vm;
import io.bpf4j.sim.internal.vm.VmHelper;
import io.bpf4j.sim.internal.vm.VmLoadException;
import io.bpf4j.sim.internal.vm.VmLoader;
import io.bpf4j.sim.internal.vm.VmProgram;
import io.bpf4j.testsupport.Need;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.opentest4j.TestAbortedException;

/**
 * Runs the bpf_conformance suite (225 programs; see {@link #testsDirectory()}) through
 * the simulator's assembler and interpreter with the suite's conventions: {@code r1} points at a
 * private copy of the input memory (0 when there is none), {@code r2} is its length, helper 5
 * returns its argument and, when that is 0, ends the program returning 0.
 *
 * <p>It reaches the interpreter through the class path ({@code io.bpf4j.sim.internal.vm} is not
 * exported); surefire runs with {@code useModulePath=false}.
 */
class ConformanceTest {
    private static final int EXPECTED_FILES = 225;
    private static final String DIR_PROPERTY = "bpf4j.conformance.dir";
    private static final String DIR_ENV = "BPF4J_CONFORMANCE_DIR";
    /** The shift-by-immediate tests the kernel's verifier rejects at load (README: twelve of them). */
    private static final Pattern OUT_OF_RANGE_SHIFT = Pattern.compile("(lsh|rsh|arsh)(32|64)-imm-(high|neg)\\.data");

    /** Helper 5 of the suite: returns its argument; 0 unwinds the program, which returns 0. */
    private static final VmHelper UNWIND = (vm, r1, r2, r3, r4, r5) -> {
        if (r1 == 0) {
            vm.stop(0);
        }
        return r1;
    };

    /**
     * The suite's {@code tests} directory: where {@code -Dbpf4j.conformance.dir} or
     * {@code BPF4J_CONFORMANCE_DIR} points (a checkout of bpf_conformance or its {@code tests}
     * directory), else {@code shared/conformance/tests} beside the repository or a folder above
     * it. It is outside data: absent, the tests are skipped saying so, and fail in CI.
     */
    static Path testsDirectory() {
        String configured = System.getProperty(DIR_PROPERTY);
        if (configured == null || configured.isBlank()) configured = System.getenv(DIR_ENV);
        if (configured != null && !configured.isBlank()) {
            Path p = Paths.get(configured).toAbsolutePath();
            Path tests = p.resolve("tests");
            return Need.path(Files.isDirectory(tests) ? tests : p, "the bpf_conformance tests directory named by -D"
                    + DIR_PROPERTY + " or " + DIR_ENV);
        }
        List<Path> candidates = new ArrayList<>();
        // The it module runs in <repo>/it; the shared data sits beside the repository.
        for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            candidates.add(dir.resolve("shared/conformance/tests"));
        }
        for (Path p : candidates) {
            if (Files.isDirectory(p)) {
                return p;
            }
        }
        return Need.absent("the bpf_conformance tests (" + EXPECTED_FILES + " .data files of "
                + "github.com/Alan-Jowett/bpf_conformance) are outside data and not here: looked in " + candidates
                + "; point -D" + DIR_PROPERTY + " or " + DIR_ENV + " at a checkout of the suite or its tests directory");
    }

    static List<ConformanceFile> files() throws IOException {
        List<ConformanceFile> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(testsDirectory())) {
            for (Path p : (Iterable<Path>) s.filter(f -> f.toString().endsWith(".data")).sorted()::iterator) {
                out.add(ConformanceFile.parse(p));
            }
        }
        return out;
    }

    private static boolean usesCallx(long[] program) {
        return Arrays.stream(program).anyMatch(w -> ((int) w & 0xff) == (Opcodes.JMP | Opcodes.CALL | Opcodes.X));
    }

    @Test
    void allFilesArePresent() throws IOException {
        assertEquals(EXPECTED_FILES, files().size(), "number of conformance programs in " + testsDirectory());
    }

    @TestFactory
    Stream<DynamicTest> conformance() throws IOException {
        HelperTable helpers = HelperTable.empty().with(5, UNWIND);
        List<ConformanceFile> files;
        try {
            files = files();
        } catch (TestAbortedException absent) {
            // A factory that aborts is not counted as skipped: report the skip as a test of its own.
            return Stream.of(DynamicTest.dynamicTest("the bpf_conformance suite", () -> {
                throw absent;
            }));
        }
        return files.stream().map(f -> DynamicTest.dynamicTest(f.name(), f.path().toUri(), () -> run(f, helpers)));
    }

    private static void run(ConformanceFile f, HelperTable helpers) {
        assertFalse(f.asm().isEmpty(), f.name() + " has no -- asm section");
        long[] program = TextAssembler.assemble(f.asm(), f.asmFirstLine());
        if (f.raw().length > 0) {
            assertArrayEquals(f.raw(), program, "assembled words differ from the file's -- raw section");
        }
        VmLoader loader = new VmLoader().helpers(helpers).allowOutOfRangeShifts(true).name(f.name());
        if (usesCallx(program)) {
            // callx is outside RFC 9669 and the kernel: rejected by default, as the kernel does,
            // and run when the loader is asked to, as uBPF and the suite expect.
            VmLoadException e = assertThrows(VmLoadException.class, () -> loader.load(program));
            assertTrue(e.getMessage().startsWith("unknown opcode 8d"), e.getMessage());
            loader.allowCallx(true);
        }
        assertFalse(f.expectsError(), "no file of this snapshot expects an error");
        Long expected = f.result();
        assertNotNull(expected, f.name() + " has no -- result");
        VmProgram p = loader.load(program);
        Vm vm = new Vm();
        byte[] memory = f.memory().clone();
        long r1 = memory.length == 0 ? 0 : vm.region(memory, 0, memory.length, true);
        long r0 = vm.run(p, r1, memory.length);
        assertEquals(expected.longValue(), r0, () -> String.format("%s: r0 = 0x%x, expected 0x%x%n%s", f.name(), r0,
                expected, TextAssembler.disassemble(program)));
        assertTrue(vm.instructionCount() > 0, "instructions were counted");
    }

    /**
     * With the kernel's load checks (the default), exactly the twelve out-of-range shift
     * immediates are rejected, as the README reports for Linux.
     */
    @Test
    void kernelChecksRejectOnlyTheOutOfRangeShifts() throws IOException {
        HelperTable helpers = HelperTable.empty().with(5, UNWIND);
        List<String> rejected = new ArrayList<>();
        for (ConformanceFile f : files()) {
            long[] program = TextAssembler.assemble(f.asm(), f.asmFirstLine());
            if (usesCallx(program)) {
                continue;
            }
            try {
                new VmLoader().helpers(helpers).load(program);
            } catch (VmLoadException e) {
                assertTrue(e.getMessage().startsWith("invalid shift "), f.name() + ": " + e.getMessage());
                assertEquals(22, e.errno());
                int op = Opcodes.op(Instruction.decode(program[e.pc()]).opcode());
                assertTrue(op == Opcodes.LSH || op == Opcodes.RSH || op == Opcodes.ARSH,
                        f.name() + " rejected at a non-shift instruction " + e.pc());
                rejected.add(f.name());
            }
        }
        assertEquals(12, rejected.size(), "rejected: " + rejected);
        for (String name : rejected) {
            assertTrue(OUT_OF_RANGE_SHIFT.matcher(name).matches(), name);
        }
    }
}
