package io.bpf4j.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The table answers by enum simple name and constant, and refuses what it does not cover. */
class ExpectedKernelTest {
    @BeforeEach
    void onTheDescribedKernel() {
        Need.that(ExpectedKernel.describesRunningKernel(), "this kernel is " + Host.kernelRelease() + ", not " + ExpectedKernel.KERNEL);
    }

    @Test
    void answersByEnumNameAndConstant() {
        assertTrue(ExpectedKernel.lacks(Fake.MapType.ARENA));
        assertFalse(ExpectedKernel.lacks(Fake.MapType.HASH));
        assertTrue(ExpectedKernel.lacks(Fake.AttachType.TRACE_FENTRY));
        assertTrue(ExpectedKernel.reason(Fake.AttachType.TRACE_FENTRY).contains("EPERM"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExpectedKernel.reason(Fake.MapType.HASH));
        assertTrue(e.getMessage().startsWith("feature: MapType.HASH"), e.getMessage());
    }

    @Test
    void refusesEnumsItDoesNotCover() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExpectedKernel.lacks(Fake.Colour.RED));
        assertTrue(e.getMessage().contains("not one of the capability enums"), e.getMessage());
    }

    @Test
    void lackingResolvesEveryEntryOfAnEnum() {
        assertEquals(Set.of(Fake.Operation.TOKEN_CREATE), ExpectedKernel.lacking(Fake.Operation.class));
        // The fake LinkType lacks the constants the table names: a misspelt entry fails the same way.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExpectedKernel.lacking(Fake.LinkType.class));
        assertTrue(e.getMessage().contains("names LinkType.KPROBE_MULTI"), e.getMessage());
    }
}
