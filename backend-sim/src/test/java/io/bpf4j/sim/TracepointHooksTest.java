package io.bpf4j.sim;

import static io.bpf4j.api.asm.Register.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bpf4j.api.AttachTarget;
import io.bpf4j.api.AttachType;
import io.bpf4j.api.BpfLink;
import io.bpf4j.api.BpfMap;
import io.bpf4j.api.BpfProgram;
import io.bpf4j.api.Errno;
import io.bpf4j.api.LinkDetails;
import io.bpf4j.api.LinkOptions;
import io.bpf4j.api.LinkSpec;
import io.bpf4j.api.LinkType;
import io.bpf4j.api.MapType;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.asm.Asm;
import io.bpf4j.api.asm.Helper;
import io.bpf4j.api.events.RingBufferReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Raw tracepoints and tracepoint perf events fired through the hooks, with cookies, printk and ring buffers. */
class TracepointHooksTest extends SimTestBase {
    /** Returns {@code cookie * 100 + ctx[argIndex]}. */
    private static long[] cookiePlusArg(int argIndex) {
        return new Asm().mov64(R6, R1).call(Helper.GET_ATTACH_COOKIE).mul64(R0, 100)
                .ldxdw(R1, R6, argIndex * 8).add64(R0, R1).exit().toArray();
    }

    private BpfProgram load(ProgramType t, long[] insns) {
        return BpfProgram.load(sim, ProgramSpec.of(t, insns, "GPL"));
    }

    @Test
    void rawTracepointLinksRunInAttachOrderWithTheirCookies() {
        try (BpfProgram p = load(ProgramType.RAW_TRACEPOINT, cookiePlusArg(1))) {
            BpfLink a = p.attachRawTracepoint("sys_enter", 7);
            try (BpfLink b = p.attachRawTracepoint("sys_enter", 9)) {
                HookResult r = sim.hooks().rawTracepoint("sys_enter", 0, 5);
                assertArrayEquals(new int[] {705, 905}, r.returnValues());
                assertEquals(0, r.verdict());
                assertEquals(new LinkDetails.RawTracepoint("sys_enter", 9), b.info().details());
                assertEquals(0, sim.hooks().rawTracepoint("sys_exit", 0, 5).runs().size(), "another tracepoint");
                fails(Errno.EOPNOTSUPP, b::detach);
                a.close();
                assertArrayEquals(new int[] {905}, sim.hooks().rawTracepoint("sys_enter", 0, 5).returnValues(),
                        "a closed link's program no longer runs");
            }
            assertEquals(0, sim.hooks().rawTracepoint("sys_enter", 0, 5).runs().size());
        }
    }

    @Test
    void tracepointPerfEventsRunEveryProgramAndAndTheirResults() {
        // Returns cookie * 100 + the u32 field after the 8-byte common header.
        long[] insns = new Asm().mov64(R6, R1).call(Helper.GET_ATTACH_COOKIE).mul64(R0, 100)
                .ldxw(R1, R6, 8).add64(R0, R1).exit().toArray();
        byte[] record = new byte[16];
        record[8] = 3;
        try (BpfProgram p = load(ProgramType.TRACEPOINT, insns);
                BpfProgram zero = load(ProgramType.TRACEPOINT, ret(0))) {
            int ev = sim.openTarget(AttachTarget.Tracepoint.of("syscalls", "sys_enter_getpid"));
            int link = sim.linkCreate(new LinkSpec(p.fd(), ev, AttachType.PERF_EVENT, 0, new LinkOptions.PerfEvent(2)));
            fails(Errno.EEXIST, () -> sim.linkCreate(new LinkSpec(zero.fd(), ev, AttachType.PERF_EVENT, 0, LinkOptions.None.INSTANCE)));
            fails(Errno.EBADF, () -> sim.linkCreate(new LinkSpec(zero.fd(), p.fd(), AttachType.PERF_EVENT, 0, LinkOptions.None.INSTANCE)));
            sim.closeFd(ev);
            HookResult r = sim.hooks().tracepoint("syscalls", "sys_enter_getpid", record);
            assertArrayEquals(new int[] {203}, r.returnValues(), "the link keeps the event after its descriptor closed");
            assertEquals(1, r.verdict());
            assertEquals(LinkType.PERF_EVENT, sim.linkGetInfo(link).type());
            assertEquals(new LinkDetails.PerfEvent(5, "sys_enter_getpid", 2), sim.linkGetInfo(link).details());
            fails(Errno.EOPNOTSUPP, () -> sim.linkDetach(link));
            try (BpfLink second = zero.attachTracepoint("syscalls", "sys_enter_getpid", 0)) {
                HookResult both = sim.hooks().tracepoint("syscalls", "sys_enter_getpid", record);
                assertArrayEquals(new int[] {203, 0}, both.returnValues(), "attach order");
                assertEquals(0, both.verdict(), "one program returning 0 and the sample is not stored");
            }
            sim.closeFd(link);
            assertEquals(0, sim.hooks().tracepoint("syscalls", "sys_enter_getpid", record).runs().size());
        }
    }

    @Test
    void programsPrintAndWriteRingBuffers() {
        int rb = map(MapType.RINGBUF, 0, 0, 4096);
        // trace_printk("hi %d", ctx[0]); ringbuf_output(&ctx[0] copied to the stack, 8); return its result.
        long[] insns = new Asm().mov64(R6, R1)
                .stw(R10, -16, 0x25206968).stw(R10, -12, 0x64)
                .mov64(R1, R10).add64(R1, -16).mov64(R2, 6).ldxdw(R3, R6, 0).call(Helper.TRACE_PRINTK)
                .ldxdw(R1, R6, 0).stxdw(R10, -8, R1)
                .ldMapFd(R1, rb).mov64(R2, R10).add64(R2, -8).mov64(R3, 8).mov64(R4, 0).call(Helper.RINGBUF_OUTPUT)
                .exit().toArray();
        List<Long> got = new ArrayList<>();
        try (BpfMap ring = BpfMap.fromFd(sim, rb);
                RingBufferReader reader = ring.ringBufferReader(r -> got.add(r.getLong(0)));
                BpfProgram p = load(ProgramType.RAW_TRACEPOINT, insns);
                BpfLink l = p.attachRawTracepoint("sched_switch", 0)) {
            assertArrayEquals(new int[] {0}, sim.hooks().rawTracepoint("sched_switch", 5).returnValues());
            assertEquals(List.of("hi 5"), sim.tracePipe());
            assertEquals(List.of(), sim.tracePipe(), "reading the pipe consumes it");
            assertEquals(1, reader.consume());
            assertEquals(List.of(5L), got);
            assertEquals(0, reader.consume());
            got.clear();
            // 16 bytes per record and at most size - 1 bytes in flight (kernel/bpf/ringbuf.c):
            // 255 records fit in 4096 bytes, the 256th is -EAGAIN until the consumer reads.
            for (int i = 0; i < 255; i++) {
                assertArrayEquals(new int[] {0}, sim.hooks().rawTracepoint("sched_switch", i).returnValues(), "record " + i);
            }
            assertArrayEquals(new int[] {-11}, sim.hooks().rawTracepoint("sched_switch", 255).returnValues());
            assertEquals(255, reader.consume());
            for (int i = 0; i < 255; i++) assertEquals(i, got.get(i));
            assertArrayEquals(new int[] {0}, sim.hooks().rawTracepoint("sched_switch", 256).returnValues());
            assertEquals(1, reader.consume());
            assertEquals(256L, got.get(255));
            sim.tracePipe();
        }
    }
}
