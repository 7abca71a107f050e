package io.bpf4j.it;

import static org.junit.jupiter.api.Assertions.fail;

import io.bpf4j.api.Availability;
import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfProvider;
import io.bpf4j.testsupport.Need;

/**
 * The real kernel as the integration tests need it. Whether the linux backend should work here is
 * decided by the machine (Linux, root), never by the backend: as root on Linux an unavailable
 * backend fails the test, and without root the test is skipped (a failure in CI, see
 * {@link Need}).
 */
public final class LinuxKernel {
    private LinuxKernel() {
    }

    /** Goes on only where the linux backend can run; fails where it should but cannot. */
    public static void require() {
        Need.linux();
        BpfProvider linux = Bpf.providers().stream().filter(p -> p.name().equals("linux")).findFirst()
                .orElseThrow(() -> new AssertionError("no linux provider on the test class path"));
        Availability a = linux.availability();
        if (a.available()) return;
        Need.root();
        fail("running as root on Linux, yet the linux backend is unavailable: " + a.reason(), a.cause());
    }

    /**
     * Opens the linux backend after {@link #require()}.
     *
     * @return a fresh instance
     */
    public static Bpf open() {
        require();
        return Bpf.open("linux");
    }
}
