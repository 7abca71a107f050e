package io.bpf4j.it.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.Operation;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The table's arithmetic, on CapEff masks written here: which operations each set of capabilities leaves out. */
class PrivilegesTest {
    private static long bits(int... caps) {
        long b = 0;
        for (int c : caps) b |= 1L << c;
        return b;
    }

    @Test
    void sysAdminAdmitsEverythingButJitImages() {
        assertEquals(Set.of(Operation.PROG_JITED), Privileges.denied(bits(21)));
        assertEquals(Set.of(), Privileges.denied(bits(21, 34)));
        assertEquals(Set.of(), Privileges.denied(bits(21), 2, true), "kptr_restrict 0 and paranoid <= 1 show raw images");
    }

    @Test
    void theNarrowSetLacksWhatOnlySysAdminAdmits() {
        Set<Operation> denied = Privileges.denied(bits(39, 38, 12));
        assertEquals(EnumSet.of(Operation.PROG_GET_NEXT_ID, Operation.MAP_GET_NEXT_ID, Operation.BTF_GET_NEXT_ID,
                Operation.LINK_GET_NEXT_ID, Operation.PROG_GET_FD_BY_ID, Operation.MAP_GET_FD_BY_ID,
                Operation.BTF_GET_FD_BY_ID, Operation.LINK_GET_FD_BY_ID, Operation.ENABLE_STATS, Operation.TASK_FD_QUERY,
                Operation.PROG_JITED),
                denied);
    }

    @Test
    void bpfWithoutNetAdminCannotAttachOrLink() {
        Set<Operation> denied = Privileges.denied(bits(39, 38));
        assertTrue(denied.containsAll(EnumSet.of(Operation.PROG_ATTACH, Operation.PROG_QUERY, Operation.LINK_CREATE)), denied::toString);
        assertTrue(!denied.contains(Operation.PROG_LOAD) && !denied.contains(Operation.RAW_TRACEPOINT_OPEN), denied::toString);
    }

    @Test
    void noCapabilitiesLeaveOnlyWhatNeedsNoBpf() {
        Set<Operation> works = EnumSet.allOf(Operation.class);
        works.removeAll(Privileges.denied(0));
        assertEquals(EnumSet.of(Operation.RING_WAIT, Operation.INTERFACE_INDEX), works);
        // With unprivileged BPF allowed, socket filters and their maps work without capabilities.
        Set<Operation> unprivileged = Privileges.denied(0, 0, false);
        assertTrue(!unprivileged.contains(Operation.PROG_LOAD) && !unprivileged.contains(Operation.MAP_CREATE), unprivileged::toString);
        assertTrue(unprivileged.contains(Operation.BTF_LOAD) && unprivileged.contains(Operation.PROG_ATTACH), unprivileged::toString);
    }
}
