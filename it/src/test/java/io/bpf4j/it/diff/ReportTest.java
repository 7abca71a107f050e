package io.bpf4j.it.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The comparison itself: equal outcomes agree, unless the step compared nothing. */
class ReportTest {
    @Test
    void equalOutcomesAgreeAndDifferentOnesDoNot() {
        Scenario s = new Scenario("one step").step("a step", c -> null);
        assertEquals(List.of(), new Report(s, List.of("EINVAL"), List.of("EINVAL")).mismatches());
        assertEquals(List.of(), new Report(s, List.of("rejected IllegalArgumentException"),
                List.of("rejected IllegalArgumentException")).mismatches());
        assertEquals(List.of(1), new Report(s, List.of("EINVAL"), List.of("ENOENT")).mismatches());
    }

    @Test
    void aCrashOrAnUnsupportedStepOnBothSidesIsNoAgreement() {
        Scenario s = new Scenario("one step").step("a step", c -> null);
        assertEquals(List.of(1), new Report(s, List.of("crash java.lang.NullPointerException"),
                List.of("crash java.lang.NullPointerException")).mismatches());
        assertEquals(List.of(1), new Report(s, List.of("unsupported"), List.of("unsupported")).mismatches());
    }
}
