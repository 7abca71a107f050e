package io.bpf4j.it.object;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.Bpf;
import io.bpf4j.api.VerifierException;
import io.bpf4j.it.LinuxKernel;
import io.bpf4j.testsupport.LeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** verifier_reject.o: the kernel's verifier refuses the program; the load says why and leaves nothing open. */
@ExtendWith(LeakCheck.class)
class VerifierRejectTest {

    @Test
    void aRefusedProgramFailsTheLoadWithTheVerifierLog() {
        try (Bpf bpf = LinuxKernel.open()) {
            VerifierException e = assertThrows(VerifierException.class,
                    () -> Corpus.spec("verifier_reject.o").load(bpf).close());
            assertTrue(e.getMessage().contains("program \"unchecked_read\""), e.getMessage());
            assertFalse(e.log().isEmpty());
            assertTrue(e.log().contains("invalid access to packet"), e.log());
            assertEquals("PROG_LOAD", e.operation().name());
        }
    }
}
