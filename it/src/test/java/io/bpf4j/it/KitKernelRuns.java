package io.bpf4j.it;

import io.bpf4j.testsupport.Need;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * For this project's own {@code @BpfTest}s: whether a kernel run goes ahead is decided from the
 * machine (Linux, root, bpffs; skipped locally, failed in CI), never from the backend under test.
 * Where the machine can run it, the kit is told that the kernel run must not skip, so an
 * unavailable backend fails it. Registered on the class, it runs before the kit opens the backend.
 */
public final class KitKernelRuns implements BeforeEachCallback {
    /** Used by JUnit through {@code @ExtendWith}. */
    public KitKernelRuns() {
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (context.getDisplayName().equals("[sim]")) return;
        Need.linux();
        Need.root();
        Need.bpffs();
        System.setProperty("bpf4j.junit.requireKernel", "true");
    }
}
