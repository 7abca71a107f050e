package io.bpf4j.it.attach;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import io.bpf4j.api.Anchor;
import io.bpf4j.api.AttachTarget;
import io.bpf4j.api.AttachType;
import io.bpf4j.api.Attachments;
import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfLink;
import io.bpf4j.api.BpfMap;
import io.bpf4j.api.BpfProgram;
import io.bpf4j.api.LinkOptions;
import io.bpf4j.api.LinkSpec;
import io.bpf4j.api.LinkType;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.XdpMode;
import io.bpf4j.testsupport.KernelBtf;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.IntPredicate;

/**
 * One real use per attach type, with the object-layer helper a user would pick, on targets the
 * tests made (a cgroup, two network namespaces with a veth, a sockmap, a library). Each returns
 * what proves it: the link type it made (checked against link info), or a note of what the
 * kernel did.
 */
final class Exercises {
    private final Bpf bpf;
    private final TestCgroup cg;
    private final NetnsPair net;
    private final ProbeLibrary lib;

    Exercises(Bpf bpf, TestCgroup cg, NetnsPair net, ProbeLibrary lib) {
        this.bpf = bpf;
        this.cg = cg;
        this.net = net;
        this.lib = lib;
    }

    private BpfProgram load(ProgramType t, AttachType expected, int ret) {
        return BpfProgram.load(bpf, ProgramSpec.of(t, Progs.returning(ret), "GPL").withExpectedAttachType(expected));
    }

    /**
     * A vmlinux BTF id by kind and name, from the kernel's own BTF through the tests' reader
     * ({@link KernelBtf}), not through the backend's.
     */
    static int btfId(KernelBtf.Kind kind, String name) {
        return KernelBtf.vmlinux().id(kind, name);
    }

    /** Checks that the link is of the type, and that it is listed at its hook when {@code listed} says so. */
    private static LinkType linked(BpfLink link, BpfProgram p, IntPredicate listed) {
        io.bpf4j.api.LinkInfo info = link.info();
        if (info.progId() != p.info().id()) throw new AssertionError("link holds program " + info.progId());
        if (listed != null && !listed.test(p.info().id())) throw new AssertionError(link + " not listed at its hook");
        return info.type();
    }

    private static boolean contains(Attachments a, int id) {
        for (int x : a.programIds()) if (x == id) return true;
        return false;
    }

    /**
     * Uses the attach type for real.
     *
     * @return the link type made, or null when the hook takes no link (then the attachment was
     *     checked another way)
     */
    LinkType use(AttachType t) throws Exception {
        switch (t) {
            case SK_SKB_STREAM_PARSER:
            case SK_SKB_STREAM_VERDICT:
            case SK_SKB_VERDICT:
            case SK_MSG_VERDICT:
                return sockmap(t);
            case FLOW_DISSECTOR:
            case SK_LOOKUP:
                return netns(t);
            case XDP:
            case TCX_INGRESS:
            case TCX_EGRESS:
                return device(t);
            case XDP_DEVMAP:
            case XDP_CPUMAP:
                return mapProgram(t);
            case SK_REUSEPORT_SELECT:
            case SK_REUSEPORT_SELECT_OR_MIGRATE:
                return reuseport(t);
            case TRACE_RAW_TP:
                return tpBtf();
            case TRACE_ITER:
                return iter();
            case PERF_EVENT:
                try (BpfProgram p = load(ProgramType.TRACEPOINT, null, 0);
                        BpfLink l = p.attachTracepoint("syscalls", "sys_enter_getpid", 1)) {
                    return linked(l, p, null);
                }
            case NETFILTER:
                return netfilter();
            case TRACE_UPROBE_MULTI:
            case TRACE_UPROBE_SESSION:
                try (BpfProgram p = load(ProgramType.KPROBE, t, t == AttachType.TRACE_UPROBE_SESSION ? 1 : 0);
                        BpfLink l = p.link(0, t, 0, new LinkOptions.UprobeMulti(lib.path.toString(), new long[] {lib.offset},
                                null, null, 0))) {
                    lib.call(1);
                    return linked(l, p, null);
                }
            case STRUCT_OPS:
                return null; // see CapabilityClaimsTest: reaches the kernel only
            default:
                return cgroup(t);
        }
    }

    private LinkType cgroup(AttachType t) {
        ProgramType pt = cgroupProgramType(t);
        AttachTarget target = new AttachTarget.Cgroup(cg.path());
        try (BpfProgram p = load(pt, t, 1); BpfLink l = p.attachCgroup(cg.path(), t)) {
            return linked(l, p, id -> contains(Attachments.query(bpf, target, t), id));
        }
    }

    static ProgramType cgroupProgramType(AttachType t) {
        switch (t) {
            case CGROUP_INET_INGRESS:
            case CGROUP_INET_EGRESS:
                return ProgramType.CGROUP_SKB;
            case CGROUP_INET_SOCK_CREATE:
            case CGROUP_INET_SOCK_RELEASE:
            case CGROUP_INET4_POST_BIND:
            case CGROUP_INET6_POST_BIND:
                return ProgramType.CGROUP_SOCK;
            case CGROUP_SOCK_OPS:
                return ProgramType.SOCK_OPS;
            case CGROUP_DEVICE:
                return ProgramType.CGROUP_DEVICE;
            case CGROUP_SYSCTL:
                return ProgramType.CGROUP_SYSCTL;
            case CGROUP_GETSOCKOPT:
            case CGROUP_SETSOCKOPT:
                return ProgramType.CGROUP_SOCKOPT;
            default:
                return ProgramType.CGROUP_SOCK_ADDR;
        }
    }

    private LinkType sockmap(AttachType t) {
        ProgramType pt = t == AttachType.SK_MSG_VERDICT ? ProgramType.SK_MSG : ProgramType.SK_SKB;
        try (BpfMap m = BpfMap.create(bpf, MapSpec.of(MapType.SOCKMAP, 4, 4, 2)); BpfProgram p = load(pt, t, 1)) {
            p.attachToMap(m, t);
            if (!contains(Attachments.query(m, t), p.info().id())) throw new AssertionError(t + " not listed on the sockmap");
            p.detach(m.fd(), t);
            if (!Attachments.query(m, t).isEmpty()) throw new AssertionError(t + " still listed after detach");
            if (t != AttachType.SK_SKB_VERDICT) return null;
            try (BpfLink l = p.link(m.fd(), t, 0, null)) {
                return linked(l, p, id -> contains(Attachments.query(m, t), id));
            }
        }
    }

    private LinkType netns(AttachType t) {
        ProgramType pt = t == AttachType.SK_LOOKUP ? ProgramType.SK_LOOKUP : ProgramType.FLOW_DISSECTOR;
        AttachTarget ns = new AttachTarget.Netns("/run/netns/" + net.nsA);
        try (BpfProgram p = load(pt, t, t == AttachType.SK_LOOKUP ? 1 : 0);
                BpfLink l = p.attachNetns("/run/netns/" + net.nsA, t)) {
            return linked(l, p, id -> contains(Attachments.query(bpf, ns, t), id));
        }
    }

    private LinkType device(AttachType t) {
        int ifB = net.ifindexB();
        boolean xdp = t == AttachType.XDP;
        try (BpfProgram p = load(xdp ? ProgramType.XDP : ProgramType.SCHED_CLS, null, xdp ? 2 : -1);
                BpfLink l = net.inB(() -> xdp ? p.attachXdp(ifB, XdpMode.GENERIC) : p.attachTcx(ifB, t, Anchor.NONE))) {
            net.pingBFromA(1); // passes through the attached program, which returns pass / next
            return linked(l, p, xdp ? null : id -> contains(net.inB(() -> Attachments.query(bpf, ifB, t)), id));
        }
    }

    /** Devmap and cpumap entries run an XDP program loaded for that map kind: the kernel checks it on update. */
    private LinkType mapProgram(AttachType t) {
        boolean dev = t == AttachType.XDP_DEVMAP;
        try (BpfMap m = BpfMap.create(bpf, MapSpec.of(dev ? MapType.DEVMAP : MapType.CPUMAP, 4, 8, 1));
                BpfProgram p = load(ProgramType.XDP, t, 2)) {
            ByteBuffer v = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            v.putInt(0, dev ? 1 : 192).putInt(4, p.fd()); // {ifindex lo | queue size, prog fd}
            m.put(new byte[4], v.array());
            byte[] back = new byte[8];
            m.lookup(new byte[4], back);
            int progId = ByteBuffer.wrap(back).order(ByteOrder.LITTLE_ENDIAN).getInt(4);
            if (progId != p.info().id()) throw new AssertionError(t + ": entry holds program id " + progId);
            return null;
        }
    }

    /** {@code setsockopt(SO_ATTACH_REUSEPORT_EBPF)} on a socket of this test. */
    private LinkType reuseport(AttachType t) {
        try (BpfProgram p = load(ProgramType.SK_REUSEPORT, t, 1)) {
            Sock s = Sock.LIB;
            int fd = s.socket(2 /* AF_INET */, 1 /* SOCK_STREAM */, 0);
            if (fd < 0) throw new IllegalStateException("socket: errno " + Native.getLastError());
            try {
                Memory one = new Memory(4);
                one.setInt(0, 1);
                if (s.setsockopt(fd, 1, 15 /* SO_REUSEPORT */, one, 4) != 0) throw new AssertionError("SO_REUSEPORT: " + Native.getLastError());
                Memory prog = new Memory(4);
                prog.setInt(0, p.fd());
                if (s.setsockopt(fd, 1, 52 /* SO_ATTACH_REUSEPORT_EBPF */, prog, 4) != 0) {
                    throw new AssertionError("SO_ATTACH_REUSEPORT_EBPF: errno " + Native.getLastError());
                }
            } finally {
                Host.LibC.INSTANCE.close(fd);
            }
            return null;
        }
    }

    /** The socket calls the reuseport exercise makes. */
    interface Sock extends com.sun.jna.Library {
        Sock LIB = Native.load("c", Sock.class);

        int socket(int domain, int type, int protocol);

        int setsockopt(int fd, int level, int name, com.sun.jna.Pointer value, int len);
    }

    private LinkType tpBtf() {
        int id = btfId(KernelBtf.Kind.TYPEDEF, "btf_trace_sys_enter");
        try (BpfProgram p = BpfProgram.load(bpf, ProgramSpec.of(ProgramType.TRACING, Progs.returning(0), "GPL")
                .withExpectedAttachType(AttachType.TRACE_RAW_TP).withAttachBtf(id, 0, 0));
                BpfLink l = p.link(0, AttachType.TRACE_RAW_TP, 0, new LinkOptions.Tracing(0, 0))) {
            return linked(l, p, null);
        }
    }

    private LinkType iter() throws Exception {
        int id = btfId(KernelBtf.Kind.FUNC, "bpf_iter_bpf_map");
        try (BpfProgram p = BpfProgram.load(bpf, ProgramSpec.of(ProgramType.TRACING, Progs.returning(0), "GPL")
                .withExpectedAttachType(AttachType.TRACE_ITER).withAttachBtf(id, 0, 0));
                BpfLink l = p.attachIter(LinkOptions.Iter.NONE)) {
            int it = bpf.iterCreate(l.fd(), 0);
            try {
                if (bpf.read(it, new byte[64], 0, 64) != 0) throw new AssertionError("a silent iterator wrote something");
            } finally {
                bpf.closeFd(it);
            }
            return linked(l, p, null);
        }
    }

    private LinkType netfilter() {
        try (BpfProgram p = load(ProgramType.NETFILTER, AttachType.NETFILTER, 1);
                BpfLink l = net.inA(() -> p.attachNetfilter(new LinkOptions.Netfilter(2, 3, 100, 0)))) {
            return linked(l, p, null);
        }
    }

    /** A link create of a struct_ops "map" that is an array: the kernel answers (EINVAL), the gate let it through. */
    void structOps() {
        try (BpfMap m = BpfMap.create(bpf, MapSpec.of(MapType.ARRAY, 4, 4, 1))) {
            BpfLink.create(bpf, LinkSpec.of(m.fd(), 0, AttachType.STRUCT_OPS, 0)).close();
            throw new AssertionError("a struct_ops link from an array map was accepted");
        }
    }
}
