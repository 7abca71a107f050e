package io.bpf4j.it.attach;

import io.bpf4j.api.Bpf;
import io.bpf4j.it.LinuxKernel;
import io.bpf4j.testsupport.LeakCheck;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What every attach test class starts from: the real kernel backend, opened once per class and
 * closed after it, and the descriptor and host-object leak check.
 */
@ExtendWith(LeakCheck.class)
abstract class KernelTest {
    /** The linux backend of the running test class. */
    static Bpf bpf;

    @BeforeAll
    static void openKernel() {
        bpf = LinuxKernel.open();
    }

    @AfterAll
    static void closeKernel() {
        if (bpf != null) bpf.close();
        bpf = null;
    }
}
