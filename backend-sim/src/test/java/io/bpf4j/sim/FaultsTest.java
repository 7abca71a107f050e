package io.bpf4j.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.BpfException;
import io.bpf4j.api.Errno;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.Operation;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.VerifierException;
import org.junit.jupiter.api.Test;

class FaultsTest extends SimTestBase {
    @Test
    void theNextUpdatesOfOneMapFail() {
        int m = map(MapType.HASH, 4, 8, 4);
        int other = map(MapType.HASH, 4, 8, 4);
        sim.faults().inject(Fault.on(Operation.MAP_UPDATE_ELEM, Errno.ENOMEM).onFd(m).times(2));
        BpfException e = fails(Errno.ENOMEM, () -> sim.mapUpdateElem(m, u32(1), u64(1), 0));
        assertEquals(Operation.MAP_UPDATE_ELEM, e.operation());
        assertEquals("sim: MAP_UPDATE_ELEM map #1: ENOMEM (12)", e.getMessage(), "reads like a kernel failure");
        sim.mapUpdateElem(other, u32(1), u64(1), 0);
        int dup = sim.dupFd(m);
        fails(Errno.ENOMEM, () -> sim.mapUpdateElem(dup, u32(1), u64(1), 0));
        sim.mapUpdateElem(m, u32(1), u64(1), 0);
        assertEquals(0, sim.faults().armed(), "a counted fault disarms itself");
        assertFalse(sim.mapLookupElem(m, u32(2), new byte[8], 0));
        for (int x : new int[] {m, other, dup}) sim.closeFd(x);
    }

    @Test
    void everyProgramLoadFailsUntilCleared() {
        sim.faults().inject(Fault.on(Operation.PROG_LOAD, Errno.EPERM));
        for (int i = 0; i < 3; i++) {
            BpfException e = fails(Errno.EPERM, () -> prog(ProgramType.XDP, ret(2)));
            assertFalse(e instanceof VerifierException, "a permission failure is not a verifier refusal");
        }
        sim.faults().clear();
        int p = prog(ProgramType.XDP, ret(2));
        sim.closeFd(p);
    }

    @Test
    void anInjectedEnoentIsAMissingKeyAndBadDescriptorsStillComeFirst() {
        int m = map(MapType.HASH, 4, 8, 4);
        sim.mapUpdateElem(m, u32(1), u64(1), 0);
        sim.faults().failNext(Operation.MAP_LOOKUP_ELEM, Errno.ENOENT, 1);
        assertFalse(sim.mapLookupElem(m, u32(1), new byte[8], 0), "ENOENT reads as a missing key");
        assertTrue(sim.mapLookupElem(m, u32(1), new byte[8], 0));
        sim.faults().failNext(Operation.MAP_DELETE_ELEM, Errno.EBUSY, 1);
        fails(Errno.EBADF, () -> sim.mapDeleteElem(99, u32(1)));
        fails(Errno.EBUSY, () -> sim.mapDeleteElem(m, u32(1)));
        sim.faults().failNext(Operation.MAP_CREATE, Errno.E2BIG, 1);
        int before = sim.liveMaps();
        fails(Errno.E2BIG, () -> sim.mapCreate(MapSpec.of(MapType.ARRAY, 4, 4, 1)));
        assertEquals(before, sim.liveMaps(), "a failed create leaves nothing behind");
        assertThrows(IllegalArgumentException.class, () -> Fault.on(Operation.MAP_CREATE, Errno.ENOTSUP));
        assertThrows(IllegalArgumentException.class, () -> sim.faults().inject(Fault.on(Operation.MAP_CREATE, Errno.EPERM).onFd(77)));
        assertNotEquals("", Fault.on(Operation.MAP_CREATE, Errno.EPERM).times(2).toString());
        sim.closeFd(m);
    }
}
