/**
 * Test support shared by every bpf4j module's tests: {@link io.bpf4j.testsupport.Need} (the CI
 * switch that turns environment skips into failures), {@link io.bpf4j.testsupport.ExpectedKernel}
 * (what the CI kernel lacks), host helpers, and {@link io.bpf4j.testsupport.LeakCheck}. It needs
 * nothing but JUnit and the JDK.
 */
module io.bpf4j.testsupport {
    requires transitive org.junit.jupiter.api;
    requires transitive org.opentest4j;
    requires jdk.jfr;

    exports io.bpf4j.testsupport;
}
