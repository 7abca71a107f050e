package io.bpf4j.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgramTypeTest {
    /** Linux's types keep their positions (their numbers, for the Linux backend); efW's five follow them. */
    @Test
    void theWindowsOnlyTypesAreEfwsFiveAndFollowLinuxs() {
        assertEquals(List.of(ProgramType.BIND, ProgramType.NETEVENT, ProgramType.PROCESS, ProgramType.XDP_TEST,
                ProgramType.SAMPLE), Arrays.stream(ProgramType.values()).filter(ProgramType::windowsOnly).toList());
        assertEquals(32, ProgramType.NETFILTER.ordinal());
        assertEquals(ProgramType.NETFILTER.ordinal() + 1, ProgramType.BIND.ordinal());
    }
}
