package io.bpf4j.it.attach;

import io.bpf4j.api.Bpf;
import io.bpf4j.it.LinuxKernel;
import io.bpf4j.testsupport.LeakCheck;
import io.bpf4j.testsupport.Need;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What every attach test class starts from: the real kernel backend, opened once per class and
 * closed after it, and the descriptor and host-object leak check.
 */
@ExtendWith(LeakCheck.class)
abstract class KernelTest {
    /** The linux backend of the running test class. */
    static Bpf bpf;

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
