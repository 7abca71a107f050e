package io.bpf4j.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.AttachFlags;
import io.bpf4j.api.AttachSpec;
import io.bpf4j.api.AttachType;
import io.bpf4j.api.BpfException;
import io.bpf4j.api.BpfUnsupportedException;
import io.bpf4j.api.Errno;
import io.bpf4j.api.LinkDetails;
import io.bpf4j.api.LinkInfo;
import io.bpf4j.api.LinkOptions;
import io.bpf4j.api.LinkSpec;
import io.bpf4j.api.LinkType;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.QueryResult;
import io.bpf4j.api.QuerySpec;
import io.bpf4j.testsupport.Commands;
import io.bpf4j.testsupport.ExpectedKernel;
import io.bpf4j.testsupport.KernelBtf;
import io.bpf4j.testsupport.LeakCheck;
import io.bpf4j.testsupport.Need;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Attach, detach, query and links on real hooks: a private cgroup, a private veth pair, a
 * private network namespace, netfilter, sockmap and uprobe_multi.
 */
@ExtendWith(LeakCheck.class)
class LinkCommandsTest {
    private static LinuxBpf bpf;
    private static Path cgroup;
    private static int cg = -1;
    private static String veth;
    private static int ifindex;

    /** Why this machine cannot run the class, or null (see {@link Need#inBeforeAll}). */
    private static String skip;

    @BeforeAll
    static void open() throws Exception {
        skip = Need.inBeforeAll(() -> {
            RealKernel.require();
            Need.cgroup2();
        });
        if (skip != null) return;
        bpf = RealKernel.open();
        String root = Need.cgroup2().toString();
        cgroup = Path.of(root, "bpf4j-linux-" + ProcessHandle.current().pid());
        Files.createDirectories(cgroup);
        cg = RealKernel.openReadOnly(cgroup.toString());
        veth = "b4j" + ProcessHandle.current().pid() % 100000;
        Commands.run("ip", "link", "add", veth + "a", "type", "veth", "peer", "name", veth + "b");
        ifindex = Integer.parseInt(Files.readString(Path.of("/sys/class/net/" + veth + "a/ifindex")).strip());
    }

    @BeforeEach
    void needKernel() {
        Need.still(skip);
    }

    @AfterAll
    static void close() throws Exception {
        if (cg >= 0) bpf.closeFd(cg);
        if (cgroup != null) Files.deleteIfExists(cgroup);
        if (veth != null) Commands.run("ip", "link", "del", veth + "a");
        if (bpf != null) bpf.close();
    }

    private static int load(ProgramType t, AttachType expected, int ret) {
        return bpf.progLoad(ProgramSpec.of(t, Insn.ret(ret), "GPL").withExpectedAttachType(expected)).fd();
    }

    private static int id(int progFd) {
        return bpf.progGetInfo(progFd).id();
    }

    @Test
    void cgroupAttachQueryReplaceDetach() {
        int p1 = load(ProgramType.CGROUP_SKB, AttachType.CGROUP_INET_INGRESS, 1);
        int p2 = load(ProgramType.CGROUP_SKB, AttachType.CGROUP_INET_INGRESS, 1);
        try {
            QuerySpec q = new QuerySpec(cg, AttachType.CGROUP_INET_INGRESS, 0);
            assertEquals(0, bpf.progQuery(q).programIds().length);
            bpf.progAttach(AttachSpec.of(cg, p1, AttachType.CGROUP_INET_INGRESS, AttachFlags.ALLOW_MULTI));
            bpf.progAttach(AttachSpec.of(cg, p2, AttachType.CGROUP_INET_INGRESS, AttachFlags.ALLOW_MULTI));
            QueryResult r = bpf.progQuery(q);
            assertArrayEquals(new int[] {id(p1), id(p2)}, r.programIds());
            assertEquals(AttachFlags.ALLOW_MULTI, r.attachFlags());
            assertEquals(2, bpf.progQuery(new QuerySpec(cg, AttachType.CGROUP_INET_INGRESS, QuerySpec.EFFECTIVE)).programIds().length);
            bpf.progDetach(AttachSpec.of(cg, p1, AttachType.CGROUP_INET_INGRESS, 0));
            assertArrayEquals(new int[] {id(p2)}, bpf.progQuery(q).programIds());
            // Replace p2 by p1 in place.
            bpf.progAttach(new AttachSpec(cg, p1, AttachType.CGROUP_INET_INGRESS,
                    AttachFlags.ALLOW_MULTI | AttachFlags.REPLACE, p2, 0, 0));
            assertArrayEquals(new int[] {id(p1)}, bpf.progQuery(q).programIds());
            bpf.progDetach(AttachSpec.of(cg, p1, AttachType.CGROUP_INET_INGRESS, 0));
            BpfException e = assertThrows(BpfException.class,
                    () -> bpf.progDetach(AttachSpec.of(cg, p1, AttachType.CGROUP_INET_INGRESS, 0)));
            assertEquals(Errno.ENOENT, e.errno());
            assertThrows(IllegalArgumentException.class,
                    () -> bpf.progAttach(AttachSpec.of(cg, p1, AttachType.CGROUP_INET_INGRESS, 1 << 20)));
        } finally {
            bpf.closeFd(p1);
            bpf.closeFd(p2);
        }
    }

    @Test
    void cgroupLinkInfoUpdateDetach() throws Exception {
        int p1 = load(ProgramType.CGROUP_SKB, AttachType.CGROUP_INET_EGRESS, 1);
        int p2 = load(ProgramType.CGROUP_SKB, AttachType.CGROUP_INET_EGRESS, 1);
        int link = bpf.linkCreate(LinkSpec.of(p1, cg, AttachType.CGROUP_INET_EGRESS, 0));
        try {
            LinkInfo li = bpf.linkGetInfo(link);
            assertEquals(LinkType.CGROUP, li.type());
            long ino = (Long) Files.getAttribute(cgroup, "unix:ino");
            assertEquals(new LinkDetails.Cgroup(ino, AttachType.CGROUP_INET_EGRESS), li.details());
            assertEquals(id(p1), li.progId());
            bpf.linkUpdate(link, p2, 0, 0);
            assertEquals(id(p2), bpf.linkGetInfo(link).progId());
            BpfException e = assertThrows(BpfException.class, () -> bpf.linkUpdate(link, p1, p1, AttachFlags.REPLACE));
            assertEquals(Errno.EPERM, e.errno(), "REPLACE with the wrong old program");
            bpf.linkUpdate(link, p1, p2, AttachFlags.REPLACE);
            QueryResult q = bpf.progQuery(new QuerySpec(cg, AttachType.CGROUP_INET_EGRESS, 0));
            assertArrayEquals(new int[] {id(p1)}, q.programIds());
            bpf.linkDetach(link);
            assertEquals(0, bpf.progQuery(new QuerySpec(cg, AttachType.CGROUP_INET_EGRESS, 0)).programIds().length);
        } finally {
            bpf.closeFd(link);
            bpf.closeFd(p1);
            bpf.closeFd(p2);
        }
    }

    @Test
    void tcxOrderRevisionAndInfo() {
        int a = load(ProgramType.SCHED_CLS, null, -1);
        int b = load(ProgramType.SCHED_CLS, null, -1);
        int c = load(ProgramType.SCHED_CLS, null, -1);
        int la = bpf.linkCreate(new LinkSpec(a, ifindex, AttachType.TCX_INGRESS, 0, new LinkOptions.Mprog(0, 0)));
        int lb = -1;
        try {
            // b goes before link a, named by its descriptor.
            lb = bpf.linkCreate(new LinkSpec(b, ifindex, AttachType.TCX_INGRESS, AttachFlags.BEFORE | AttachFlags.LINK,
                    new LinkOptions.Mprog(la, 0)));
            QueryResult q = bpf.progQuery(new QuerySpec(ifindex, AttachType.TCX_INGRESS, 0));
            assertArrayEquals(new int[] {id(b), id(a)}, q.programIds());
            assertArrayEquals(new int[] {bpf.linkGetInfo(lb).id(), bpf.linkGetInfo(la).id()}, q.linkIds());
            assertTrue(q.revision() > 0);
            long stale = q.revision() - 1;
            BpfException e = assertThrows(BpfException.class, () -> bpf.linkCreate(new LinkSpec(c, ifindex,
                    AttachType.TCX_INGRESS, 0, new LinkOptions.Mprog(0, stale))));
            assertEquals(Errno.ESTALE, e.errno());
            // A plain attach of c last, at the expected revision, then detach it again.
            bpf.progAttach(new AttachSpec(ifindex, c, AttachType.TCX_INGRESS, AttachFlags.AFTER, 0, 0, q.revision()));
            assertEquals(3, bpf.progQuery(new QuerySpec(ifindex, AttachType.TCX_INGRESS, 0)).programIds().length);
            bpf.progDetach(AttachSpec.of(ifindex, c, AttachType.TCX_INGRESS, 0));
            assertEquals(new LinkDetails.Tcx(ifindex, AttachType.TCX_INGRESS), bpf.linkGetInfo(la).details());
        } finally {
            if (lb >= 0) bpf.closeFd(lb);
            bpf.closeFd(la);
            bpf.closeFd(a);
            bpf.closeFd(b);
            bpf.closeFd(c);
        }
    }

    @Test
    void xdpLink() {
        int p = load(ProgramType.XDP, null, 2);
        int q = load(ProgramType.XDP, null, 2);
        int link = bpf.linkCreate(LinkSpec.of(p, ifindex, AttachType.XDP, 0));
        try {
            LinkInfo li = bpf.linkGetInfo(link);
            assertEquals(LinkType.XDP, li.type());
            assertEquals(new LinkDetails.Xdp(ifindex), li.details());
            bpf.linkUpdate(link, q, 0, 0);
            assertEquals(id(q), bpf.linkGetInfo(link).progId());
        } finally {
            bpf.closeFd(link);
            bpf.closeFd(p);
            bpf.closeFd(q);
        }
    }

    @Test
    void skLookupLinkInAPrivateNamespace() throws Exception {
        String ns = "bpf4j" + ProcessHandle.current().pid();
        Commands.run("ip", "netns", "add", ns);
        int nsFd = RealKernel.openReadOnly("/run/netns/" + ns);
        int p = load(ProgramType.SK_LOOKUP, AttachType.SK_LOOKUP, 1);
        try {
            int link = bpf.linkCreate(LinkSpec.of(p, nsFd, AttachType.SK_LOOKUP, 0));
            try {
                LinkInfo li = bpf.linkGetInfo(link);
                assertEquals(LinkType.NETNS, li.type());
                LinkDetails.Netns d = (LinkDetails.Netns) li.details();
                assertEquals(AttachType.SK_LOOKUP, d.attachType());
                long ino = (Long) Files.getAttribute(Path.of("/run/netns/" + ns), "unix:ino");
                assertEquals(ino, Integer.toUnsignedLong(d.netnsInode()));
                assertArrayEquals(new int[] {id(p)}, bpf.progQuery(new QuerySpec(nsFd, AttachType.SK_LOOKUP, 0)).programIds());
            } finally {
                bpf.closeFd(link);
            }
        } finally {
            bpf.closeFd(p);
            bpf.closeFd(nsFd);
            Commands.run("ip", "netns", "del", ns);
        }
    }

    @Test
    void netfilterLink() {
        Need.kernelHas(LinkType.NETFILTER);
        int p = load(ProgramType.NETFILTER, AttachType.NETFILTER, 1); // NF_ACCEPT: harmless on the host
        try {
            int link = bpf.linkCreate(new LinkSpec(p, 0, AttachType.NETFILTER, 0, new LinkOptions.Netfilter(2, 0, -77, 0)));
            try {
                assertEquals(new LinkDetails.Netfilter(2, 0, -77, 0), bpf.linkGetInfo(link).details());
            } finally {
                bpf.closeFd(link);
            }
        } finally {
            bpf.closeFd(p);
        }
    }

    @Test
    void sockmapLinkAndAttach() {
        int sm = bpf.mapCreate(MapSpec.of(MapType.SOCKMAP, 4, 4, 1));
        int p = load(ProgramType.SK_SKB, AttachType.SK_SKB_VERDICT, 1);
        try {
            bpf.progAttach(AttachSpec.of(sm, p, AttachType.SK_SKB_VERDICT, 0));
            assertArrayEquals(new int[] {id(p)}, bpf.progQuery(new QuerySpec(sm, AttachType.SK_SKB_VERDICT, 0)).programIds());
            bpf.progDetach(AttachSpec.of(sm, p, AttachType.SK_SKB_VERDICT, 0));
            Need.kernelHas(LinkType.SOCKMAP);
            int link = bpf.linkCreate(LinkSpec.of(p, sm, AttachType.SK_SKB_VERDICT, 0));
            try {
                LinkInfo li = bpf.linkGetInfo(link);
                assertEquals(new LinkDetails.Sockmap(bpf.mapGetInfo(sm).id(), AttachType.SK_SKB_VERDICT), li.details());
            } finally {
                bpf.closeFd(link);
            }
        } finally {
            bpf.closeFd(p);
            bpf.closeFd(sm);
        }
    }

    @Test
    void uprobeMultiLinkOnAFile() {
        Need.kernelHas(LinkType.UPROBE_MULTI);
        Path target = Need.path(Path.of("/bin/true"), "/bin/true, the file the uprobe goes on");
        int p = load(ProgramType.KPROBE, AttachType.TRACE_UPROBE_MULTI, 0);
        try {
            int link = bpf.linkCreate(new LinkSpec(p, 0, AttachType.TRACE_UPROBE_MULTI, 0,
                    new LinkOptions.UprobeMulti(target.toString(), new long[] {0x1000}, null, new long[] {42}, 0)));
            try {
                LinkInfo li = bpf.linkGetInfo(link);
                assertEquals(LinkType.UPROBE_MULTI, li.type());
                LinkDetails.UprobeMulti d = (LinkDetails.UprobeMulti) li.details();
                assertEquals(1, d.count());
                assertTrue(d.path().endsWith("true"), d.path());
            } finally {
                bpf.closeFd(link);
            }
        } finally {
            bpf.closeFd(p);
        }
    }

    @Test
    void mapIteratorWritesOneRecordPerMap() throws Exception {
        Need.kernelHas(LinkType.ITER);
        int btfId = KernelBtf.vmlinux().id(KernelBtf.Kind.FUNC, "bpf_iter_bpf_map");
        int marker = 0x6a346270;
        long[] insns = {
            Insn.word(0x79, 6, Insn.R1, 0, 0),   // r6 = ctx->meta
            Insn.word(0x79, 7, Insn.R1, 8, 0),   // r7 = ctx->map
            Insn.jeq(7, 0, 6),                   // the final call has no map
            Insn.word(0x79, Insn.R1, 6, 0, 0),   // r1 = meta->seq
            Insn.stw(Insn.R10, -4, marker),
            Insn.mov64Reg(Insn.R2, Insn.R10),
            Insn.add64(Insn.R2, -4),
            Insn.mov64(Insn.R3, 4),
            Insn.call(127),                      // bpf_seq_write(seq, fp-4, 4)
            Insn.mov64(Insn.R0, 0),
            Insn.exit(),
        };
        int p = bpf.progLoad(ProgramSpec.of(ProgramType.TRACING, insns, "GPL")
                .withExpectedAttachType(AttachType.TRACE_ITER).withAttachBtf(btfId, 0, 0)).fd();
        int m = bpf.mapCreate(MapSpec.of(MapType.ARRAY, 4, 4, 1));
        int link = bpf.linkCreate(new LinkSpec(p, 0, AttachType.TRACE_ITER, 0, LinkOptions.Iter.NONE));
        try {
            assertEquals(new LinkDetails.Iter("bpf_map", 0), bpf.linkGetInfo(link).details());
            int it = bpf.iterCreate(link, 0);
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            try {
                byte[] buf = new byte[64];
                for (int n; (n = bpf.read(it, buf, 0, buf.length)) > 0; ) out.write(buf, 0, n);
            } finally {
                bpf.closeFd(it);
            }
            byte[] all = out.toByteArray();
            assertTrue(all.length >= 4 && all.length % 4 == 0, "read " + all.length + " bytes");
            for (int i = 0; i < all.length; i += 4) assertEquals(marker, MapCommandsTest.u32(all, i));
        } finally {
            bpf.closeFd(link);
            bpf.closeFd(m);
            bpf.closeFd(p);
        }
    }

    @Test
    void perfEventLinkOnATracepoint() throws Exception {
        Path idFile = Need.path(Need.tracefs().resolve("events/sched/sched_switch/id"), "the sched:sched_switch tracepoint");
        long tpId = Long.parseLong(Files.readString(idFile).strip());
        // struct perf_event_attr: type PERF_TYPE_TRACEPOINT (2) at 0, size at 4, config at 8,
        // sample_period at 16 (include/uapi/linux/perf_event.h).
        java.nio.ByteBuffer attr = java.nio.ByteBuffer.allocateDirect(128).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        attr.putInt(0, 2).putInt(4, 128).putLong(8, tpId).putLong(16, 1);
        io.bpf4j.linux.internal.sys.Syscalls sys = io.bpf4j.linux.internal.sys.NativeBinding.load().syscalls();
        int pe = sys.perfEventOpen(sys.address(attr), -1, 0, -1, 8 /* PERF_FLAG_FD_CLOEXEC */);
        assertTrue(pe >= 0, "perf_event_open: errno " + -pe);
        int p = load(ProgramType.TRACEPOINT, null, 0);
        try {
            int link = bpf.linkCreate(new LinkSpec(p, pe, AttachType.PERF_EVENT, 0, new LinkOptions.PerfEvent(77)));
            try {
                LinkInfo li = bpf.linkGetInfo(link);
                assertEquals(LinkType.PERF_EVENT, li.type());
                assertEquals(new LinkDetails.PerfEvent(5, "sched_switch", 77), li.details()); // BPF_PERF_EVENT_TRACEPOINT
                io.bpf4j.api.TaskFdQueryResult q = bpf.taskFdQuery((int) ProcessHandle.current().pid(), pe, 0);
                assertEquals(1, q.fdType(), "BPF_FD_TYPE_TRACEPOINT");
                assertEquals("sched_switch", q.name());
                assertEquals(id(p), q.progId());
            } finally {
                bpf.closeFd(link);
            }
        } finally {
            bpf.closeFd(p);
            bpf.closeFd(pe);
        }
    }

    /**
     * Every hook the CI kernel lacks (its expected table, not the report) is reported
     * unsupported, and a link to it throws {@link BpfUnsupportedException} with that reason.
     */
    @Test
    void hooksTheKernelLacksAreUnsupported() {
        java.util.Set<AttachType> lacking = ExpectedKernel.lacking(AttachType.class);
        assertTrue(lacking.size() >= 5, "the table lists kprobe, netkit, trampoline and LIRC hooks: " + lacking);
        int p = load(ProgramType.SOCKET_FILTER, null, 0);
        try {
            for (AttachType t : lacking) {
                var s = bpf.capabilities().attachType(t);
                assertFalse(s.supported(), () -> t + " is reported supported, but " + ExpectedKernel.KERNEL + " lacks it: "
                        + ExpectedKernel.reason(t));
                // Valid options for the hook: input rules come before the capability gate, on every backend.
                LinkOptions o = t == AttachType.TRACE_KPROBE_MULTI || t == AttachType.TRACE_KPROBE_SESSION
                        ? new LinkOptions.KprobeMulti(new String[] {"do_sys_openat2"}, null, null) : LinkOptions.None.INSTANCE;
                BpfUnsupportedException e = assertThrows(BpfUnsupportedException.class,
                        () -> bpf.linkCreate(new LinkSpec(p, 0, t, 0, o)));
                assertEquals(s.reason(), e.reason());
            }
        } finally {
            bpf.closeFd(p);
        }
    }
}
