package io.bpf4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.testsupport.Need;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every file of the bpf_conformance suite through the plugin protocol (in this JVM: the same
 * command, arguments and output as the process the runner starts), with the runner's XDP
 * prolog, compared with the file's expected r0. Both backends pass every file except the
 * programs the kernel's verifier rejects: the shifts by an out-of-range immediate and
 * {@code callx}, which is outside the kernel's instruction set (212 of 225 pass, the suite's
 * own Linux result). The simulator rejects the same programs at load, as the kernel does.
 */
class ConformanceAllFilesTest {
    private static final Pattern KERNEL_REJECTS = Pattern.compile("(lsh|rsh|arsh)(32|64)-imm-(high|neg)\\.data|callx\\.data");

    @ParameterizedTest
    @ValueSource(strings = {"sim", "linux"})
    void everyFilePassesExceptWhatTheKernelRejects(String backend) throws Exception {
        KernelHere.assumeBackend(backend);
        Path dir = ConformanceData.directory();
        Need.that(dir != null, ConformanceData::whereLooked);
        List<ConformanceData.Case> cases = ConformanceData.all(dir);
        assertTrue(cases.size() > 200, "only " + cases.size() + " files in " + dir);
        List<String> passed = new ArrayList<>();
        List<String> rejected = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        for (ConformanceData.Case c : cases) {
            long[] program = ConformanceData.withXdpProlog(c.program(), c.memory().length);
            List<String> args = new ArrayList<>(List.of("conformance-plugin", "--backend", backend, "--debug",
                    "--program", ConformanceData.hex(program)));
            if (c.memory().length > 0) args.add(ConformanceData.hex(c.memory()));
            ProbeCommandTest.Run r = ProbeCommandTest.run(args.toArray(String[]::new));
            if (r.code() == 1 && r.out().startsWith("Failed to load")) {
                rejected.add(c.name() + ": " + r.out().strip());
            } else if (r.code() == 0 && r.out().strip().equals(Long.toHexString(c.expected()))) {
                passed.add(c.name());
            } else {
                wrong.add(c.name() + ": exit " + r.code() + ", r0 " + r.out().strip() + ", expected "
                        + Long.toHexString(c.expected()) + r.err());
            }
        }
        System.out.printf("conformance on %s: %d of %d pass, %d rejected at load, %d wrong%n", backend, passed.size(),
                cases.size(), rejected.size(), wrong.size());
        assertEquals(List.of(), wrong, "programs that ran and returned the wrong r0");
        List<String> expectRejected = cases.stream().map(ConformanceData.Case::name)
                .filter(n -> KERNEL_REJECTS.matcher(n).matches()).toList();
        assertEquals(13, expectRejected.size(), "twelve out-of-range shifts and callx in " + dir);
        assertEquals(expectRejected, rejected.stream().map(r -> r.substring(0, r.indexOf(':'))).toList(),
                () -> "rejected at load: " + rejected);
        assertEquals(cases.size() - expectRejected.size(), passed.size());
    }
}
