package io.bpf4j.linux.internal;

import io.bpf4j.api.AttachType;
import io.bpf4j.api.Errno;
import io.bpf4j.api.LinkOptions;
import io.bpf4j.api.LinkSpec;
import io.bpf4j.api.LinkType;
import io.bpf4j.api.MapFlags;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.Operation;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.Support;
import io.bpf4j.linux.internal.uapi.BpfAttr;
import io.bpf4j.linux.internal.uapi.LinkAttrs;
import io.bpf4j.linux.internal.uapi.LinuxUapi;
import io.bpf4j.linux.internal.uapi.MapAttrs;
import io.bpf4j.linux.internal.uapi.ObjAttrs;
import io.bpf4j.linux.internal.uapi.ProgAttrs;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
/**
 * Probes attach types and link types: by the program type they need, and by the kernel's
 * answer to a query, a load with the expected attach type, or a link it must refuse for a
 * known reason.
 */
final class HookProbes extends ProbeKit {
    HookProbes(Kernel k) {
        super(k);
    }

    // ------------------------------------------------------------------ attach and link types

    static ProgramType programTypeOf(AttachType t) {
        switch (t) {
            case CGROUP_INET_INGRESS:
            case CGROUP_INET_EGRESS:
                return ProgramType.CGROUP_SKB;
            case CGROUP_INET_SOCK_CREATE:
            case CGROUP_INET4_POST_BIND:
            case CGROUP_INET6_POST_BIND:
            case CGROUP_INET_SOCK_RELEASE:
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
            case SK_SKB_STREAM_PARSER:
            case SK_SKB_STREAM_VERDICT:
            case SK_SKB_VERDICT:
                return ProgramType.SK_SKB;
            case SK_MSG_VERDICT:
                return ProgramType.SK_MSG;
            case LIRC_MODE2:
                return ProgramType.LIRC_MODE2;
            case FLOW_DISSECTOR:
                return ProgramType.FLOW_DISSECTOR;
            case SK_LOOKUP:
                return ProgramType.SK_LOOKUP;
            case TRACE_RAW_TP:
            case TRACE_FENTRY:
            case TRACE_FEXIT:
            case MODIFY_RETURN:
            case TRACE_ITER:
                return ProgramType.TRACING;
            case LSM_MAC:
            case LSM_CGROUP:
                return ProgramType.LSM;
            case XDP:
            case XDP_DEVMAP:
            case XDP_CPUMAP:
                return ProgramType.XDP;
            case SK_REUSEPORT_SELECT:
            case SK_REUSEPORT_SELECT_OR_MIGRATE:
                return ProgramType.SK_REUSEPORT;
            case PERF_EVENT:
                return ProgramType.PERF_EVENT;
            case TRACE_KPROBE_MULTI:
            case TRACE_KPROBE_SESSION:
            case TRACE_UPROBE_MULTI:
            case TRACE_UPROBE_SESSION:
                return ProgramType.KPROBE;
            case STRUCT_OPS:
                return ProgramType.STRUCT_OPS;
            case NETFILTER:
                return ProgramType.NETFILTER;
            case TCX_INGRESS:
            case TCX_EGRESS:
            case NETKIT_PRIMARY:
            case NETKIT_PEER:
                return ProgramType.SCHED_CLS;
            default: // the cgroup sock_addr hooks
                return ProgramType.CGROUP_SOCK_ADDR;
        }
    }

    Support attachType(AttachType t) {
        ProgramType pt = programTypeOf(t);
        Support ps = k.gate.programType(pt);
        if (!ps.supported()) return Support.no(t + " needs " + pt + " programs: " + ps.reason());
        Scratch s = k.scratch();
        switch (t) {
            case TRACE_KPROBE_MULTI:
            case TRACE_KPROBE_SESSION:
                return kprobeMulti(t);
            case TRACE_UPROBE_MULTI:
            case TRACE_UPROBE_SESSION:
                return uprobeMulti(t);
            case NETKIT_PRIMARY:
            case NETKIT_PEER:
            case TCX_INGRESS:
            case TCX_EGRESS: {
                LinkAttrs.query(s.attr(), 1 /* lo */, LinuxUapi.attachType(t), 0, 0, 0, 0, 0, 0);
                long rc = bpf(Operation.PROG_QUERY, s);
                if (rc >= 0 || (t.name().startsWith("NETKIT") && rc != -EINVAL)) return Support.YES;
                if (t.name().startsWith("NETKIT")) {
                    return Support.no("kernel has no netkit support (CONFIG_NETKIT off: BPF_PROG_QUERY for BPF_" + t
                            + " returns EINVAL)");
                }
                return no(rc, "BPF_PROG_QUERY for BPF_" + t, NET,
                        "kernel has no TCX (BPF_PROG_QUERY for BPF_" + t + " on lo: " + errno(rc) + "; needs Linux 6.6)");
            }
            case FLOW_DISSECTOR:
            case SK_LOOKUP: {
                int ns = openPath("/proc/self/ns/net");
                if (ns < 0) return Support.no("cannot open /proc/self/ns/net to probe " + t + ": " + errno(ns));
                own(ns);
                LinkAttrs.query(s.attr(), ns, LinuxUapi.attachType(t), 0, 0, 0, 0, 0, 0);
                long rc = bpf(Operation.PROG_QUERY, s);
                return rc >= 0 ? Support.YES : no(rc, "BPF_PROG_QUERY for BPF_" + t, NET,
                        "BPF_PROG_QUERY for BPF_" + t + " on a netns: " + errno(rc));
            }
            case SK_SKB_STREAM_PARSER:
            case SK_SKB_STREAM_VERDICT:
            case SK_SKB_VERDICT:
            case SK_MSG_VERDICT: {
                long sm = createMap(MapSpec.of(MapType.SOCKMAP, 4, 4, 1));
                if (sm < 0) {
                    return no(sm, "creating a sockmap for BPF_" + t, SOCKMAP,
                            t + " attaches to a sockmap, and creating one failed: " + errno(sm));
                }
                own(sm);
                LinkAttrs.query(s.attr(), (int) sm, LinuxUapi.attachType(t), 0, 0, 0, 0, 0, 0);
                long rc = bpf(Operation.PROG_QUERY, s);
                return rc >= 0 ? Support.YES : no(rc, "BPF_PROG_QUERY for BPF_" + t, NET,
                        "BPF_PROG_QUERY for BPF_" + t + " on a sockmap: " + errno(rc));
            }
            case TRACE_RAW_TP:
            case TRACE_FENTRY:
            case TRACE_FEXIT:
            case MODIFY_RETURN:
                return traced(ProgramType.TRACING, t);
            case LSM_MAC:
            case LSM_CGROUP:
                return traced(ProgramType.LSM, t);
            case TRACE_ITER: {
                Target it = target(t);
                long p = loadTrivial(ProgramType.TRACING, t, it.id);
                if (p < 0) {
                    return no(p, "loading an iterator program", TypeProbes.needs(ProgramType.TRACING),
                            "kernel refused an iterator program: " + errno(p) + logTail());
                }
                own(p);
                long rc = createLink(new LinkSpec((int) p, 0, t, 0, LinkOptions.Iter.NONE));
                if (rc >= 0) {
                    own(rc);
                    return Support.YES;
                }
                return no(rc, "BPF_LINK_CREATE for an iterator", TypeProbes.needs(ProgramType.TRACING),
                        "kernel refused an iterator link on " + it.name + ": " + errno(rc));
            }
            case PERF_EVENT: {
                // A perf event link resolves its target as a perf event first: EBADF for a map
                // descriptor proves the kernel has perf event links (Linux 5.15+).
                long p = loadTrivial(ProgramType.TRACEPOINT, null);
                if (p < 0) {
                    return no(p, "loading a TRACEPOINT program", TypeProbes.needs(ProgramType.TRACEPOINT),
                            "kernel refused a TRACEPOINT program: " + errno(p) + logTail());
                }
                own(p);
                long rc = createLink(LinkSpec.of((int) p, hash(), t, 0));
                if (rc >= 0) own(rc);
                return rc == -EBADF || rc >= 0 ? Support.YES
                        : no(rc, "BPF_LINK_CREATE for BPF_PERF_EVENT", TypeProbes.needs(ProgramType.TRACEPOINT),
                                "kernel has no perf event links (BPF_LINK_CREATE for BPF_PERF_EVENT: " + errno(rc) + ")");
            }
            case XDP:
            case STRUCT_OPS:
            case LIRC_MODE2:
                return ps; // the program type decides; XDP and perf event links need no more
            case XDP_DEVMAP:
            case XDP_CPUMAP:
            case SK_REUSEPORT_SELECT:
            case SK_REUSEPORT_SELECT_OR_MIGRATE:
            case NETFILTER: {
                long rc = loadTrivial(pt, t);
                if (rc >= 0) {
                    own(rc);
                    return Support.YES;
                }
                return no(rc, "loading a " + pt + " program for BPF_" + t, TypeProbes.needs(pt),
                        "kernel refused a " + pt + " program for BPF_" + t + ": " + errno(rc) + logTail());
            }
            default: { // cgroup hooks: the query answers EINVAL for hooks the kernel does not know
                String root = cgroup2Root();
                if (root == null) return Support.no(t + " needs cgroup v2; no cgroup2 mount in /proc/self/mounts");
                int cg = openPath(root);
                if (cg < 0) return Support.no("cannot open cgroup v2 root " + root + ": " + errno(cg));
                own(cg);
                LinkAttrs.query(s.attr(), cg, LinuxUapi.attachType(t), 0, 0, 0, 0, 0, 0);
                long rc = bpf(Operation.PROG_QUERY, s);
                return rc >= 0 ? Support.YES : no(rc, "BPF_PROG_QUERY for BPF_" + t, NET, "kernel does not know cgroup hook BPF_" + t
                        + " (BPF_PROG_QUERY on " + root + ": " + errno(rc) + ")");
            }
        }
    }

    private static String kprobeEvidence() {
        boolean pmu = Files.exists(Path.of("/sys/bus/event_source/devices/kprobe"));
        boolean events = Files.exists(Path.of("/sys/kernel/tracing/kprobe_events"))
                || Files.exists(Path.of("/sys/kernel/debug/tracing/kprobe_events"));
        if (pmu || events) return null;
        return "CONFIG_KPROBES off: no kprobe PMU in /sys/bus/event_source/devices and no kprobe_events in tracefs";
    }

    private Support kprobeMulti(AttachType t) {
        long p = loadTrivial(ProgramType.KPROBE, t);
        String evidence = kprobeEvidence();
        if (p < 0) {
            return no(p, "loading a KPROBE program for BPF_" + t, TypeProbes.needs(ProgramType.KPROBE),
                    "kernel refused a KPROBE program for BPF_" + t + ": " + errno(p)
                    + (evidence != null ? "; kernel has no kprobe support (" + evidence + ")" : ""));
        }
        own(p);
        LinkOptions.KprobeMulti o = new LinkOptions.KprobeMulti(new String[] {"vprintk"}, null, null);
        long rc = createLink(new LinkSpec((int) p, 0, t, 0, o));
        if (rc >= 0) {
            own(rc);
            return Support.YES;
        }
        return no(rc, "BPF_LINK_CREATE for BPF_" + t, TypeProbes.needs(ProgramType.KPROBE),
                "kernel has no kprobe support (" + (evidence != null ? evidence
                : "kprobe_multi needs CONFIG_FPROBE") + "; BPF_LINK_CREATE kprobe_multi on vprintk: " + errno(rc) + ")");
    }

    private Support uprobeMulti(AttachType t) {
        long p = loadTrivial(ProgramType.KPROBE, t);
        if (p < 0) {
            return no(p, "loading a KPROBE program for BPF_" + t, TypeProbes.needs(ProgramType.KPROBE),
                    "kernel refused a KPROBE program for BPF_" + t + ": " + errno(p) + logTail());
        }
        own(p);
        // "/" is no regular file: a kernel with uprobe_multi links answers EBADF (as cilium probes it).
        LinkOptions.UprobeMulti o = new LinkOptions.UprobeMulti("/", new long[] {0}, null, null, 0);
        long rc = createLink(new LinkSpec((int) p, 0, t, 0, o));
        if (rc >= 0) {
            own(rc);
            return Support.YES;
        }
        if (rc == -EBADF) return Support.YES;
        return no(rc, "BPF_LINK_CREATE for BPF_" + t, TypeProbes.needs(ProgramType.KPROBE),
                "kernel has no uprobe_multi links for BPF_" + t + " (CONFIG_UPROBES/Linux 6.6+: BPF_LINK_CREATE: "
                + errno(rc) + ")");
    }

    Support linkType(LinkType t) {
        switch (t) {
            case UNSPEC:
                return Support.no("UNSPEC is not a link type");
            case RAW_TRACEPOINT: {
                Support ps = k.gate.programType(ProgramType.RAW_TRACEPOINT);
                if (!ps.supported()) return Support.no("raw tracepoint links need RAW_TRACEPOINT programs: " + ps.reason());
                return k.gate.operation(Operation.RAW_TRACEPOINT_OPEN);
            }
            case TRACING:
                return via(t, AttachType.TRACE_FENTRY);
            case CGROUP:
                return via(t, AttachType.CGROUP_INET_INGRESS);
            case ITER:
                return via(t, AttachType.TRACE_ITER);
            case NETNS:
                return via(t, AttachType.FLOW_DISSECTOR);
            case XDP:
                return via(t, AttachType.XDP);
            case PERF_EVENT:
                return via(t, AttachType.PERF_EVENT);
            case KPROBE_MULTI:
                return via(t, AttachType.TRACE_KPROBE_MULTI);
            case STRUCT_OPS:
                return via(t, AttachType.STRUCT_OPS);
            case NETFILTER:
                return via(t, AttachType.NETFILTER);
            case TCX:
                return via(t, AttachType.TCX_INGRESS);
            case UPROBE_MULTI:
                return via(t, AttachType.TRACE_UPROBE_MULTI);
            case NETKIT:
                return via(t, AttachType.NETKIT_PRIMARY);
            case SOCKMAP:
                return sockmapLink();
            default:
                return Support.no("no probe for link type " + t);
        }
    }

    private Support via(LinkType t, AttachType at) {
        Support op = k.gate.operation(Operation.LINK_CREATE);
        if (!op.supported()) return op;
        Support s = k.gate.attachType(at);
        return s.supported() ? Support.YES : Support.no(t + " links need BPF_" + at + ": " + s.reason());
    }

    private Support sockmapLink() {
        Support s = via(LinkType.SOCKMAP, AttachType.SK_SKB_VERDICT);
        if (!s.supported()) return s;
        long p = loadTrivial(ProgramType.SK_SKB, AttachType.SK_SKB_VERDICT);
        if (p < 0) {
            return no(p, "loading an SK_SKB verdict program", TypeProbes.needs(ProgramType.SK_SKB),
                    "kernel refused an SK_SKB verdict program: " + errno(p) + logTail());
        }
        own(p);
        long sm = createMap(MapSpec.of(MapType.SOCKMAP, 4, 4, 1));
        if (sm < 0) return no(sm, "creating a sockmap", SOCKMAP, "creating a sockmap failed: " + errno(sm));
        own(sm);
        long rc = createLink(LinkSpec.of((int) p, (int) sm, AttachType.SK_SKB_VERDICT, 0));
        if (rc >= 0) {
            own(rc);
            return Support.YES;
        }
        return no(rc, "BPF_LINK_CREATE for BPF_SK_SKB_VERDICT", TypeProbes.needs(ProgramType.SK_SKB),
                "kernel has no sockmap links (Linux 6.10+): BPF_LINK_CREATE for BPF_SK_SKB_VERDICT: " + errno(rc));
    }
}
