package io.bpf4j.testsupport;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** The allocation check: silent on a clean path, and a failure that says where a dirty one allocates. */
class AllocationsTest {
    private static volatile Object sink;
    private long counter;

    @Test
    void aPathThatAllocatesNothingPasses() throws Exception {
        Allocations.assertNone(() -> counter++, 1);
        assertTrue(counter > 0);
    }

    @Test
    void aPathThatAllocatesFailsNamingTheAllocatingMethod() {
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> Allocations.assertNone(AllocationsTest::allocateOne, 1));
        String m = e.getMessage();
        assertTrue(m.contains("in each of 30 windows"), m);
        assertTrue(m.contains("samples: long[]"), m);
        assertTrue(m.contains("AllocationsTest.allocateOne"), m);
    }

    private static void allocateOne() {
        sink = new long[4];
    }
}
