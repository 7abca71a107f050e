package io.bpf4j.it.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The suites run on the JDK each surefire execution is for: the build's JDK 22+ (FFM) by default,
 * and a JDK 17 (JNA) in the {@code jdk17-jna} execution, which says so through
 * {@code bpf4j.expect.java}. A toolchain switch that silently kept the build's JDK fails here.
 */
class JavaRuntimeTest {
    @Test
    void runsOnTheJdkOfItsExecution() {
        String expected = System.getProperty("bpf4j.expect.java");
        int feature = Runtime.version().feature();
        if (expected != null) {
            assertEquals(Integer.parseInt(expected), feature, "java.home " + System.getProperty("java.home"));
        } else {
            assertTrue(feature >= 22, "the default run is on the build's JDK 22+, not " + feature);
        }
    }
}
