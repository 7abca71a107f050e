package io.bpf4j.it.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.bpf4j.api.AttachType;
import io.bpf4j.api.BpfUnsupportedException;
import io.bpf4j.api.Capabilities;
import io.bpf4j.api.LinkType;
import io.bpf4j.api.MapType;
import io.bpf4j.api.Operation;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.Support;
import io.bpf4j.testsupport.Need;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Holds every backend to its own report and to its platform: each operation claimed supported
 * works when exercised for real, and each one claimed unsupported throws
 * {@link BpfUnsupportedException} with the reason the report gives and is one the platform is
 * expected to lack ({@link Profile#absentOperations()}), so a probe that loses a feature fails
 * here instead of passing as "unsupported".
 */
public abstract class CapabilitySuite extends SuiteBase {

    @Test
    void everyEntryIsPresentAndUnsupportedOnesSayWhy() {
        Capabilities caps = bpf.capabilities();
        checkSection(caps.operations(), Operation.values());
        checkSection(caps.mapTypes(), MapType.values());
        checkSection(caps.programTypes(), ProgramType.values());
        checkSection(caps.attachTypes(), AttachType.values());
        checkSection(caps.linkTypes(), LinkType.values());
        assertTrue(caps.operation(Operation.MAP_CREATE).supported(), "every backend creates maps");
    }

    private static void checkSection(Map<? extends Enum<?>, Support> section, Enum<?>[] constants) {
        for (Enum<?> c : constants) {
            Support s = section.get(c);
            assertTrue(s != null, "no entry for " + c);
            if (!s.supported()) assertFalse(s.reason().isBlank(), c + " is unsupported without a reason");
        }
        assertEquals(constants.length, section.size(), "entries beyond the constants");
    }

    @TestFactory
    List<DynamicTest> everyOperationDoesWhatTheReportSays() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Operation op : Operation.values()) {
            tests.add(DynamicTest.dynamicTest(op.name(), () -> check(op)));
        }
        return tests;
    }

    private void check(Operation op) {
        Support claim = bpf.capabilities().operation(op);
        Profile profile = backend().profile();
        Set<Operation> absent = profile.absentOperations();
        try (Exercises ex = new Exercises(bpf, backend())) {
            if (claim.supported()) {
                try {
                    ex.run(op);
                } catch (BpfUnsupportedException e) {
                    fail(op + " is reported supported but threw " + e.getMessage(), e);
                }
                if (absent != null) {
                    assertFalse(absent.contains(op), op + " works, yet " + profile.absentSource() + " lists it as absent");
                }
            } else {
                BpfUnsupportedException e = assertThrows(BpfUnsupportedException.class, () -> ex.runUnsupported(op),
                        op + " is reported unsupported (" + claim.reason() + ") but did not throw BpfUnsupportedException");
                assertEquals(op, e.operation(), e.getMessage());
                assertTrue(e.getMessage().contains(claim.reason()), () -> "the exception repeats the report's reason: "
                        + e.getMessage() + " vs " + claim.reason());
                // The gate answering proves only that it runs first; whether the platform really
                // lacks the operation is for the expected table to say.
                Need.that(absent != null, () -> op + " is reported unsupported (" + claim.reason()
                        + "), and there is no expected table to check that against: " + profile.absentSource());
                assertTrue(absent.contains(op), () -> op + " is reported unsupported (" + claim.reason() + "), but "
                        + profile.absentSource() + " says the platform has it");
            }
        }
    }
}
