package io.bpf4j.it.attach;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.AttachTarget;
import io.bpf4j.api.AttachType;
import io.bpf4j.api.BpfLink;
import io.bpf4j.api.BpfProgram;
import io.bpf4j.api.BpfUnsupportedException;
import io.bpf4j.api.LinkDetails;
import io.bpf4j.api.LinkInfo;
import io.bpf4j.api.LinkOptions;
import io.bpf4j.api.LinkType;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.TaskFdQueryResult;
import io.bpf4j.it.KernelTest;
import io.bpf4j.testsupport.ExpectedKernel;
import io.bpf4j.testsupport.Need;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Tracing hooks fire on what the test itself does: {@code getpid()} calls of the test thread
 * through libc (a tracepoint through a perf event link, and a raw tracepoint), and calls of a
 * function in a library the test built (uprobe_multi, uprobe session and a uprobe perf event
 * opened through the uprobe PMU). Each program reads its cookie with
 * {@code bpf_get_attach_cookie} (helper 174), and link info reports it too.
 */
class TracingTest extends KernelTest {
    private static final int NR_GETPID = 39; // x86_64

    private static BpfProgram load(ProgramType t, AttachType expected, long[] insns) {
        return BpfProgram.load(bpf, ProgramSpec.of(t, insns, "GPL").withExpectedAttachType(expected));
    }

    private static void getpid(int n) {
        int pid = (int) ProcessHandle.current().pid();
        for (int i = 0; i < n; i++) assertEquals(pid, Host.LibC.INSTANCE.getpid());
    }

    @Test
    void tracepointCountsGetpidAndReadsItsCookie() {
        Need.tracefs(); // tracepoint ids are read from tracefs
        int tid = Host.LibC.INSTANCE.gettid();
        try (Counters c = new Counters(bpf, 2);
                BpfProgram p = load(ProgramType.TRACEPOINT, null, Progs.countThread(c.fd(), 0, tid, -1, 0))) {
            try (BpfLink link = p.attachTracepoint("syscalls", "sys_enter_getpid", 0xC0FFEEL)) {
                LinkInfo info = link.info();
                assertEquals(LinkType.PERF_EVENT, info.type());
                assertEquals(new LinkDetails.PerfEvent(5, "sys_enter_getpid", 0xC0FFEEL), info.details());
                getpid(7);
                assertEquals(7, c.get(0), "one hit per getpid() of this thread");
                assertEquals(0xC0FFEEL, c.get(1), "bpf_get_attach_cookie in the program");
            }
            getpid(3);
            assertEquals(7, c.get(0), "the link is closed");
        }
    }

    @Test
    void rawTracepointCountsGetpidWithItsCookie() {
        int tid = Host.LibC.INSTANCE.gettid();
        try (Counters c = new Counters(bpf, 2); BpfProgram p = load(ProgramType.RAW_TRACEPOINT, null,
                Progs.countThread(c.fd(), 0, tid, NR_GETPID, 0))) {
            try (BpfLink link = p.attachRawTracepoint("sys_enter", 0xBEEF)) {
                assertEquals(new LinkDetails.RawTracepoint("sys_enter", 0xBEEF), link.info().details());
                getpid(5);
                assertEquals(5, c.get(0));
                assertEquals(0xBEEF, c.get(1));
            }
            getpid(2);
            assertEquals(5, c.get(0), "the link is closed");
        }
    }

    @Test
    void uprobeMultiAndSessionFireOnALibraryFunction() throws Exception {
        int tid = Host.LibC.INSTANCE.gettid();
        try (ProbeLibrary lib = new ProbeLibrary(); Counters c = new Counters(bpf, 6);
                BpfProgram entry = load(ProgramType.KPROBE, AttachType.TRACE_UPROBE_MULTI, Progs.countThread(c.fd(), 0, tid, -1, 0));
                BpfProgram ret = load(ProgramType.KPROBE, AttachType.TRACE_UPROBE_MULTI, Progs.countThread(c.fd(), 2, tid, -1, 0));
                BpfProgram session = load(ProgramType.KPROBE, AttachType.TRACE_UPROBE_SESSION,
                        Progs.countThread(c.fd(), 4, tid, -1, 1))) {
            LinkOptions.UprobeMulti at = new LinkOptions.UprobeMulti(lib.path.toString(), new long[] {lib.offset}, null,
                    new long[] {1111}, 0);
            LinkOptions.UprobeMulti atRet = new LinkOptions.UprobeMulti(lib.path.toString(), new long[] {lib.offset}, null,
                    new long[] {2222}, 0);
            LinkOptions.UprobeMulti atSession = new LinkOptions.UprobeMulti(lib.path.toString(), new long[] {lib.offset}, null,
                    new long[] {3333}, 0);
            try (BpfLink l1 = entry.attachUprobeMulti(at, false); BpfLink l2 = ret.attachUprobeMulti(atRet, true);
                    BpfLink l3 = session.link(0, AttachType.TRACE_UPROBE_SESSION, 0, atSession)) {
                LinkDetails.UprobeMulti d = (LinkDetails.UprobeMulti) l2.info().details();
                assertEquals(lib.path.toString(), d.path());
                assertEquals(1, d.count());
                assertEquals(1, d.flags(), "BPF_F_UPROBE_MULTI_RETURN reached the link");
                assertEquals(0, ((LinkDetails.UprobeMulti) l1.info().details()).flags());
                for (int i = 0; i < 4; i++) lib.call(i);
                assertEquals(4, c.get(0), "uprobe: one hit per call");
                assertEquals(1111, c.get(1));
                assertEquals(4, c.get(2), "uretprobe: one hit per return");
                assertEquals(2222, c.get(3));
                assertEquals(4, c.get(4), "session entry (returning 1 skips the return half)");
                assertEquals(3333, c.get(5));
            }
            lib.call(9);
            assertEquals(4, c.get(0), "links closed");
        }
    }

    @Test
    void uprobePerfEventThroughTheUprobePmu() throws Exception {
        assertTrue(Files.exists(Path.of("/sys/bus/event_source/devices/uprobe/type")), "this kernel has the uprobe PMU");
        int tid = Host.LibC.INSTANCE.gettid();
        try (ProbeLibrary lib = new ProbeLibrary(); Counters c = new Counters(bpf, 4);
                BpfProgram p = load(ProgramType.KPROBE, null, Progs.countThread(c.fd(), 0, tid, -1, 0));
                BpfProgram r = load(ProgramType.KPROBE, null, Progs.countThread(c.fd(), 2, tid, -1, 0))) {
            AttachTarget entry = new AttachTarget.Uprobe(lib.path.toString(), lib.offset, false, -1);
            AttachTarget exit = new AttachTarget.Uprobe(lib.path.toString(), lib.offset, true, -1);
            try (BpfLink l = p.attachPerfEvent(entry, 77); BpfLink lr = r.attachPerfEvent(exit, 78)) {
                LinkDetails.PerfEvent d = (LinkDetails.PerfEvent) l.info().details();
                assertEquals(1, d.perfEventType(), "BPF_PERF_EVENT_UPROBE");
                assertEquals(lib.path.toString(), d.name());
                assertEquals(77, d.cookie());
                assertEquals(2, ((LinkDetails.PerfEvent) lr.info().details()).perfEventType(), "BPF_PERF_EVENT_URETPROBE");
                for (int i = 0; i < 3; i++) lib.call(i);
                assertEquals(3, c.get(0));
                assertEquals(77, c.get(1));
                assertEquals(3, c.get(2));
                assertEquals(78, c.get(3));
            }
        }
    }

    @Test
    void perfEventTargetsAreOpenedAndOwned() {
        Need.tracefs();
        // A tracepoint target opened by hand: the task fd query sees what the link put there.
        int tp = bpf.openTarget(AttachTarget.Tracepoint.of("syscalls", "sys_enter_getpid"));
        try (BpfProgram p = load(ProgramType.TRACEPOINT, null, Progs.returning(0));
                BpfLink l = p.link(tp, AttachType.PERF_EVENT, 0, new LinkOptions.PerfEvent(5))) {
            TaskFdQueryResult q = bpf.taskFdQuery((int) ProcessHandle.current().pid(), tp, 0);
            assertEquals(p.info().id(), q.progId());
            assertEquals("sys_enter_getpid", q.name());
        } finally {
            bpf.closeFd(tp);
        }
        // A software CPU clock on CPU 0 for every process.
        int clock = bpf.openTarget(new AttachTarget.PerfEvent(1, 0, 1_000_000, 0, -1, 0));
        try (BpfProgram p = load(ProgramType.PERF_EVENT, null, Progs.returning(0));
                BpfLink l = p.link(clock, AttachType.PERF_EVENT, 0, new LinkOptions.PerfEvent(9))) {
            LinkDetails.PerfEvent d = (LinkDetails.PerfEvent) l.info().details();
            assertEquals(6, d.perfEventType(), "BPF_PERF_EVENT_EVENT");
            assertEquals(9, d.cookie());
        } finally {
            bpf.closeFd(clock);
        }
        // The CI kernel has no kprobes, hence no kprobe PMU: the reason says so, for the target and the helper.
        if (ExpectedKernel.describesRunningKernel() && ExpectedKernel.lacks(AttachType.TRACE_KPROBE_MULTI)) {
            assertFalse(Files.exists(Path.of("/sys/bus/event_source/devices/kprobe")), "a kprobe PMU on " + ExpectedKernel.KERNEL);
            BpfUnsupportedException e = assertThrows(BpfUnsupportedException.class,
                    () -> bpf.openTarget(new AttachTarget.Kprobe("vfs_read", 0, false)));
            assertTrue(e.reason().contains("kernel has no kprobe PMU"), e.reason());
            try (BpfProgram p = load(ProgramType.KPROBE, null, Progs.returning(0))) {
                BpfUnsupportedException h = assertThrows(BpfUnsupportedException.class,
                        () -> p.attachPerfEvent(new AttachTarget.Kprobe("vfs_read", 0, true), 0));
                assertEquals(e.reason(), h.reason());
            }
        }
    }
}
