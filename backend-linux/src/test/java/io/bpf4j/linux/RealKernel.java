package io.bpf4j.linux;

import static org.junit.jupiter.api.Assertions.fail;

import io.bpf4j.api.Availability;
import io.bpf4j.testsupport.Need;

/**
 * The backend-linux tests' way to the real kernel. Whether it should work here is decided by the
 * machine (Linux, root; see {@link Need}), never by the provider under test: as root on Linux an
 * unavailable backend fails the test. Host set-up (mounts, cgroups, commands) is in
 * {@code io.bpf4j.testsupport}.
 */
final class RealKernel {
    private RealKernel() {
    }

    /** Skips without root (a failure in CI); fails when root on Linux cannot use the backend. */
    static void require() {
        Need.linux();
        Availability a = new LinuxProvider().availability();
        if (!a.available()) {
            Need.root();
            fail("running as root on Linux, yet the linux backend is unavailable: " + a.reason(), a.cause());
        }
    }

    /** Opens the backend after {@link #require()}. */
    static LinuxBpf open() {
        require();
        return (LinuxBpf) new LinuxProvider().open();
    }

    /**
     * Opens a file or directory read-only through the native chokepoint (Java cannot hand out a
     * descriptor number); close with {@code closeFd}.
     */
    static int openReadOnly(String path) {
        io.bpf4j.linux.internal.sys.Syscalls sys = io.bpf4j.linux.internal.sys.NativeBinding.load().syscalls();
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocateDirect(path.length() * 3 + 1);
        b.put(path.getBytes(java.nio.charset.StandardCharsets.UTF_8)).put((byte) 0);
        int fd = sys.open(sys.address(b), 0x80000 /* O_RDONLY | O_CLOEXEC */, 0);
        if (fd < 0) throw new IllegalStateException("open " + path + ": errno " + -fd);
        return fd;
    }
}
