package io.bpf4j.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** The CI switch: a missing need skips locally and fails in CI, with the same reason. */
class NeedTest {
    private final String before = System.getProperty(Need.CI_PROPERTY);

    @AfterEach
    void restore() {
        if (before == null) System.clearProperty(Need.CI_PROPERTY);
        else System.setProperty(Need.CI_PROPERTY, before);
    }

    @Test
    void inCiAMissingNeedFailsWithItsReason() {
        System.setProperty(Need.CI_PROPERTY, "true");
        assertTrue(Need.ci());
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> Need.that(false, "the frobnicator is absent"));
        assertTrue(e.getMessage().contains("the frobnicator is absent"), e.getMessage());
        assertThrows(AssertionFailedError.class, () -> Need.path(Path.of("/no/such/bpf4j/dir"), "the suite"));
        assertThrows(AssertionFailedError.class, () -> Need.tool("no-such-tool-bpf4j"));
    }

    @Test
    void locallyAMissingNeedSkipsWithItsReason() {
        System.setProperty(Need.CI_PROPERTY, "false");
        // CI=true in the environment wins over the property: then this run is CI and must fail.
        boolean envCi = "true".equalsIgnoreCase(System.getenv("CI"));
        assertEquals(envCi, Need.ci());
        Class<? extends Throwable> expected = envCi ? AssertionFailedError.class : TestAbortedException.class;
        Throwable e = assertThrows(expected, () -> Need.path(Path.of("/no/such/bpf4j/dir"), "the suite"));
        assertTrue(e.getMessage().contains("the suite not found at /no/such/bpf4j/dir"), e.getMessage());
    }

    @Test
    void aMetNeedReturnsWhatWasNeeded() {
        System.setProperty(Need.CI_PROPERTY, "true");
        Need.that(true, "never shown");
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        assertEquals(tmp, Need.path(tmp, "the temporary directory"));
        assertTrue(Need.tool("sh").endsWith("sh"));
    }

    @Test
    void anExpectedAbsenceSkipsEvenInCi() {
        System.setProperty(Need.CI_PROPERTY, "true");
        Need.that(ExpectedKernel.describesRunningKernel(), "this kernel is not " + ExpectedKernel.KERNEL);
        TestAbortedException e = assertThrows(TestAbortedException.class, () -> Need.kernelHas(Fake.Operation.TOKEN_CREATE));
        assertTrue(e.getMessage().contains("BPF_TOKEN_CREATE fails with EOPNOTSUPP"), e.getMessage());
        Need.kernelHas(Fake.Operation.MAP_CREATE); // not lacking: the test goes on
    }
}
