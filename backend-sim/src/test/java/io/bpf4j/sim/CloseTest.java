package io.bpf4j.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.AttachTarget;
import io.bpf4j.api.AttachType;
import io.bpf4j.api.BpfMap;
import io.bpf4j.api.Errno;
import io.bpf4j.api.LinkSpec;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.Operation;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.QuerySpec;
import io.bpf4j.api.StatsType;
import io.bpf4j.api.TestRunSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * After {@code close()} the simulator behaves as the Linux backend: every operation throws
 * IllegalStateException naming the backend, except closing a descriptor, so handles closed
 * after the backend still release theirs.
 */
class CloseTest extends SimTestBase {
    @Test
    void everyOperationButCloseFdFailsAfterClose() {
        int m = map(MapType.HASH, 4, 8, 4);
        int p = sim.progLoad(ProgramSpec.of(ProgramType.XDP, ret(2), "GPL")).fd();
        BpfMap handle = BpfMap.create(sim, MapSpec.of(MapType.ARRAY, 4, 8, 1));
        sim.close();
        byte[] k = u32(0);
        byte[] v = new byte[8];
        List<Executable> ops = new ArrayList<>();
        ops.add(() -> sim.capabilities());
        ops.add(() -> sim.mapCreate(MapSpec.of(MapType.HASH, 4, 8, 4)));
        ops.add(() -> sim.mapLookupElem(m, k, v, 0));
        ops.add(() -> sim.mapUpdateElem(m, k, v, 0));
        ops.add(() -> sim.mapDeleteElem(m, k));
        ops.add(() -> sim.mapGetNextKey(m, null, new byte[4]));
        ops.add(() -> sim.mapLookupAndDeleteElem(m, k, v, 0));
        ops.add(() -> sim.mapFreeze(m));
        ops.add(() -> sim.mapLookupBatch(m, null, new byte[4], new byte[4], v, 1, 0, 0));
        ops.add(() -> sim.mapUpdateBatch(m, k, v, 1, 0, 0));
        ops.add(() -> sim.mapDeleteBatch(m, k, 1, 0, 0));
        ops.add(() -> sim.progLoad(ProgramSpec.of(ProgramType.XDP, ret(2), "GPL")));
        ops.add(() -> sim.progTestRun(p, TestRunSpec.ofData(new byte[64])));
        ops.add(() -> sim.progBindMap(p, m, 0));
        ops.add(() -> sim.progQuery(new QuerySpec(1, AttachType.TCX_INGRESS, 0)));
        ops.add(() -> sim.linkCreate(LinkSpec.of(p, 1, AttachType.XDP, 0)));
        ops.add(() -> sim.objPin(m, "/sys/fs/bpf/m"));
        ops.add(() -> sim.objGet("/sys/fs/bpf/m", 0));
        ops.add(() -> sim.objUnpin("/sys/fs/bpf/m"));
        ops.add(() -> sim.mapGetNextId(0));
        ops.add(() -> sim.mapGetFdById(1));
        ops.add(() -> sim.mapGetInfo(m));
        ops.add(() -> sim.progGetInfo(p));
        ops.add(() -> sim.dupFd(m));
        ops.add(() -> sim.read(m, new byte[1], 0, 1));
        ops.add(() -> sim.enableStats(StatsType.RUN_TIME));
        ops.add(() -> sim.openTarget(AttachTarget.Tracepoint.of("sched", "sched_switch")));
        ops.add(() -> sim.mkdir("/sys/fs/bpf/d"));
        ops.add(() -> sim.hooks().xdp(1, new byte[64]));
        ops.add(() -> sim.faults().failNext(Operation.MAP_CREATE, Errno.ENOMEM, 1));
        ops.add(() -> handle.lookup(k, v));
        for (Executable op : ops) {
            IllegalStateException e = assertThrows(IllegalStateException.class, op);
            assertEquals("sim backend is closed", e.getMessage());
        }
        assertEquals(3, sim.openDescriptors(), "the leak counters still answer");
        sim.closeFd(m);
        sim.closeFd(p);
        handle.close();
        assertTrue(handle.isClosed());
        assertEquals(0, sim.openDescriptors(), "closing after the backend released every descriptor");
        assertEquals(0, sim.liveMaps());
        assertEquals(0, sim.livePrograms());
    }
}
