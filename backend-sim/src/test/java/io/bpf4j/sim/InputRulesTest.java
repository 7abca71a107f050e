package io.bpf4j.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bpf4j.api.AttachType;
import io.bpf4j.api.Errno;
import io.bpf4j.api.LinkOptions;
import io.bpf4j.api.LinkSpec;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import org.junit.jupiter.api.Test;

/**
 * Input the simulator once accepted or refused with another exception than Linux: the shared
 * input rules refuse it in Java, and what Linux's kernel refuses gets its errno (facts from
 * Linux 6.18 on the machine the differential tests run on).
 */
class InputRulesTest extends SimTestBase {
    @Test
    void pinPaths() {
        int m = map(MapType.ARRAY, 4, 8, 1);
        try {
            rejected("path", () -> sim.objPin(m, "/sys/fs/bpf/a\0b"));
            rejected("path", () -> sim.objPin(m, ""));
            rejected("path", () -> sim.objPin(m, null));
            rejected("path", () -> sim.objGet(null, 0));
            // bpf_lookup(): a dotted name in a bpffs directory is EPERM, for pin, get, mkdir and unlink.
            fails(Errno.EPERM, () -> sim.objPin(m, "/sys/fs/bpf/a.b"));
            fails(Errno.EPERM, () -> sim.objPin(m, "/sys/fs/bpf/.hidden"));
            fails(Errno.EPERM, () -> sim.objPin(m, "/sys/fs/bpf/d.d/x"));
            fails(Errno.EPERM, () -> sim.objPin(m, "/sys/fs/bpf/d.d/../x"));
            fails(Errno.EPERM, () -> sim.objGet("/sys/fs/bpf/x.y", 0));
            fails(Errno.EPERM, () -> sim.mkdir("/sys/fs/bpf/d.d"));
            fails(Errno.EPERM, () -> sim.objUnpin("/sys/fs/bpf/d.d"));
            // The walk fails at a missing directory before it looks up the dotted name.
            fails(Errno.ENOENT, () -> sim.objPin(m, "/sys/fs/bpf/missing/a.b"));
            sim.objPin(m, "/sys/fs/bpf/./x");
            sim.objUnpin("/sys/fs/bpf/x");
            rejected("path", () -> sim.objUnpin("/tmp/x"));
        } finally {
            sim.closeFd(m);
        }
    }

    @Test
    void absurdMapsFailAsOnLinux() {
        // 2 PiB of array values: more than any machine's memory, ENOMEM before anything is allocated.
        fails(Errno.ENOMEM, () -> sim.mapCreate(MapSpec.of(MapType.ARRAY, 4, 1 << 20, Integer.MAX_VALUE)));
        fails(Errno.ENOMEM, () -> sim.mapCreate(MapSpec.of(MapType.PERCPU_ARRAY, 4, 32 << 10, Integer.MAX_VALUE)));
        fails(Errno.ENOMEM, () -> sim.mapCreate(MapSpec.of(MapType.HASH, 4, 1 << 20, 1 << 28)));
        fails(Errno.ENOMEM, () -> sim.mapCreate(MapSpec.of(MapType.QUEUE, 0, 1 << 20, Integer.MAX_VALUE)));
        // Preallocation is what costs: the same hash without it is created, and costs nothing until filled.
        int m = sim.mapCreate(MapSpec.of(MapType.HASH, 4, 1 << 20, 1 << 20).withFlags(io.bpf4j.api.MapFlags.NO_PREALLOC));
        sim.closeFd(m);
        // A machine of 1 GiB refuses a 2 GiB array that a larger one takes.
        try (SimBpf small = Simulator.builder().possibleCpus(2).memory(1L << 30).build()) {
            SimTestBase.fails(Errno.ENOMEM, () -> small.mapCreate(MapSpec.of(MapType.ARRAY, 4, 1 << 20, 2048)));
            small.closeFd(small.mapCreate(MapSpec.of(MapType.ARRAY, 4, 1 << 20, 512)));
        }
    }

    @Test
    void programsAndLinks() {
        rejected("fdArray[0]", () -> sim.progLoad(ProgramSpec.of(ProgramType.XDP, ret(2), "GPL").withFdArray(-1)));
        int p = sim.progLoad(ProgramSpec.of(ProgramType.XDP, ret(2), "GPL")).fd();
        try {
            rejected("options", () -> sim.linkCreate(new LinkSpec(p, 1, AttachType.XDP, 0, new LinkOptions.Mprog(0, 0))));
            rejected("options", () -> sim.linkCreate(new LinkSpec(p, 1, AttachType.TCX_INGRESS, 0, new LinkOptions.PerfEvent(1))));
            rejected("options", () -> sim.linkCreate(new LinkSpec(p, 1, AttachType.NETFILTER, 0, LinkOptions.None.INSTANCE)));
            rejected("progFd", () -> sim.progTestRun(-1, io.bpf4j.api.TestRunSpec.ofData(new byte[64])));
            rejected("off/len", () -> sim.read(p, new byte[4], 3, 2));
            rejected("name", () -> sim.rawTracepointOpen("", p, 0));
            rejected("newProgFd", () -> sim.linkUpdate(3, -1, 0, 0));
            rejected("startId", () -> sim.progGetNextId(-1));
            rejected("id", () -> sim.mapGetFdById(0));
            rejected("type", () -> sim.enableStats(null));
        } finally {
            sim.closeFd(p);
        }
        assertEquals(0, sim.livePrograms());
    }
}
