package io.bpf4j.it.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.bpf4j.api.BpfException;
import io.bpf4j.api.BpfUnsupportedException;
import io.bpf4j.api.Capabilities;
import io.bpf4j.api.Operation;
import io.bpf4j.api.Support;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Holds every backend to its own report: each operation claimed supported works when exercised
 * for real, and each one claimed unsupported throws {@link BpfUnsupportedException} with the
 * reason the report gives.
 */
public abstract class CapabilitySuite extends SuiteBase {

    @Test
    void everyEntryIsPresentAndUnsupportedOnesSayWhy() {
        Capabilities caps = bpf.capabilities();
        List<Support> all = new ArrayList<>();
        all.addAll(caps.operations().values());
        all.addAll(caps.mapTypes().values());
        all.addAll(caps.programTypes().values());
        all.addAll(caps.attachTypes().values());
        all.addAll(caps.linkTypes().values());
        for (Support s : all) {
            assertNotNull(s);
            if (!s.supported()) assertFalse(s.reason().isBlank());
        }
        assertTrue(caps.operation(Operation.MAP_CREATE).supported(), "every backend creates maps");
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
        try (Exercises ex = new Exercises(bpf, backend())) {
            if (claim.supported()) {
                try {
                    ex.run(op);
                } catch (BpfUnsupportedException e) {
                    fail(op + " is reported supported but threw " + e.getMessage(), e);
                }
            } else {
                BpfUnsupportedException e = assertThrows(BpfUnsupportedException.class, () -> ex.run(op),
                        op + " is reported unsupported (" + claim.reason() + ") but did not throw BpfUnsupportedException");
                assertEquals(op, e.operation(), e.getMessage());
                assertTrue(e.getMessage().contains(claim.reason()), () -> "the exception repeats the report's reason: "
                        + e.getMessage() + " vs " + claim.reason());
            }
        } catch (BpfException e) {
            throw e;
        }
    }
}
