package io.bpf4j.it;

import io.bpf4j.api.Bpf;
import io.bpf4j.testsupport.LeakCheck;
import io.bpf4j.testsupport.Need;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a test class on the real kernel starts from: the linux backend, opened once per class
 * and closed after it, a skip with its reason for each test where the machine cannot run them,
 * and the descriptor and host-object leak check.
 */
@ExtendWith(LeakCheck.class)
public abstract class KernelTest {
    /** The linux backend of the running test class. */
    protected static Bpf bpf;

    /** Why this machine cannot run the class, or null (see {@link Need#inBeforeAll}). */
    private static String skip;

    @BeforeAll
    static void openKernel() throws Exception {
        skip = Need.inBeforeAll(LinuxKernel::require);
        if (skip == null) bpf = LinuxKernel.open();
    }

    @BeforeEach
    void needKernel() {
        Need.still(skip);
    }

    @AfterAll
    static void closeKernel() {
        if (bpf != null) bpf.close();
        bpf = null;
    }
}
