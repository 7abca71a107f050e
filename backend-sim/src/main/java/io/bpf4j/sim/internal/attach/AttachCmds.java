package io.bpf4j.sim.internal.attach;

import io.bpf4j.api.AttachFlags;
import io.bpf4j.api.AttachSpec;
import io.bpf4j.api.AttachTarget;
import io.bpf4j.api.AttachType;
import io.bpf4j.api.BpfUnsupportedException;
import io.bpf4j.api.Errno;
import io.bpf4j.api.LinkOptions;
import io.bpf4j.api.LinkSpec;
import io.bpf4j.api.LinkType;
import io.bpf4j.api.Operation;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.QueryResult;
import io.bpf4j.api.QuerySpec;
import io.bpf4j.internal.rules.LinkRules;
import io.bpf4j.sim.internal.kernel.FdTable;
import io.bpf4j.sim.internal.kernel.KErr;
import io.bpf4j.sim.internal.kernel.KObject;
import io.bpf4j.sim.internal.kernel.Kernel;
import io.bpf4j.sim.internal.kernel.ObjKind;
import io.bpf4j.sim.internal.prog.AttachRules;
import io.bpf4j.sim.internal.prog.SimProgram;

/**
 * {@code BPF_PROG_ATTACH}, {@code BPF_PROG_DETACH}, {@code BPF_PROG_QUERY} and the link commands,
 * with the flag and type checks of {@code kernel/bpf/syscall.c} before the hook's own rules.
 *
 * <p>Targets: a cgroup target is a descriptor from {@code openTarget(Cgroup)} or, when no
 * descriptor is open under that number, an opaque cgroup id the test chooses; an interface target
 * (TCX, netkit, XDP) is an ifindex, and every positive ifindex is a device.
 */
public final class AttachCmds {
    private static final int MASK_BASE = AttachFlags.ALLOW_OVERRIDE | AttachFlags.ALLOW_MULTI | AttachFlags.REPLACE;
    private static final int MASK_MPROG = AttachFlags.REPLACE | AttachFlags.BEFORE | AttachFlags.AFTER | AttachFlags.ID
            | AttachFlags.LINK;
    /** {@code BPF_TRACE_MAX_PROGS}: programs on one trace event. */
    private static final int MAX_TRACE_PROGS = 64;
    private final Kernel k;

    /**
     * Creates the commands.
     *
     * @param k the kernel
     */
    public AttachCmds(Kernel k) {
        this.k = k;
    }

    /**
     * Why the simulator has no hook of an attach type, or null when it has one.
     *
     * @param t the attach type
     * @return the reason, or null
     */
    public static String unsupported(AttachType t) {
        if (AttachRules.isCgroup(t) && t != AttachType.LSM_CGROUP) return null;
        switch (t) {
            case TCX_INGRESS: case TCX_EGRESS: case NETKIT_PRIMARY: case NETKIT_PEER: case XDP: case TRACE_RAW_TP:
            case PERF_EVENT:
                return null;
            default:
                return "not simulated: the " + t + " hook needs a real kernel object";
        }
    }

    private static boolean mprog(AttachType t) {
        return t == AttachType.TCX_INGRESS || t == AttachType.TCX_EGRESS || t == AttachType.NETKIT_PRIMARY
                || t == AttachType.NETKIT_PEER;
    }

    /** {@code bpf_prog_get_type()}: a program of the given type, EINVAL for another type. */
    private SimProgram prog(int fd, ProgramType type) {
        FdTable.Entry e = k.fd(fd);
        if (e.obj().kind() != ObjKind.PROG) throw KErr.of(Errno.EINVAL, "fd " + fd + " is not a program");
        SimProgram p = (SimProgram) e.obj();
        if (type != null && p.type() != type) throw KErr.of(Errno.EINVAL, "program type " + p.type() + ", hook needs " + type);
        return p;
    }

    /** {@code cgroup_get_from_fd()} or an opaque cgroup number. */
    long cgroup(int target) {
        FdTable.Entry e = target > 2 ? k.fds().find(target) : null;
        if (e == null) {
            if (target <= 0) throw KErr.of(Errno.EBADF, "no cgroup " + target);
            return target;
        }
        if (!(e.obj() instanceof Cgroups.Handle)) throw KErr.of(Errno.EBADF, "fd " + target + " is not a cgroup");
        return ((Cgroups.Handle) e.obj()).cgroupId();
    }

    private static long ifindex(int target, Errno missing) {
        if (target <= 0) throw KErr.of(missing, "no device with ifindex " + target);
        return target;
    }

    /** {@code bpf_mprog_tuple_relative()}: the relative program or link, by descriptor or id. */
    private Mprog.Tuple relative(int idOrFd, int flags, ProgramType type) {
        boolean id = (flags & AttachFlags.ID) != 0;
        if ((flags & AttachFlags.LINK) != 0) {
            KObject o;
            if (id) o = k.byId(ObjKind.LINK, idOrFd);
            else if (idOrFd != 0) o = k.fd(idOrFd).obj();
            else throw KErr.of(Errno.EINVAL, "BPF_F_LINK without a link");
            if (o.kind() != ObjKind.LINK) throw KErr.of(Errno.EINVAL, "not a link");
            SimLink l = (SimLink) o;
            if (type != null && l.prog().type() != type) throw KErr.of(Errno.EINVAL, "relative link's program type");
            return new Mprog.Tuple(l.prog(), l);
        }
        if (!id && idOrFd == 0) return Mprog.Tuple.NONE;
        KObject o = id ? k.byId(ObjKind.PROG, idOrFd) : k.fd(idOrFd).obj();
        if (o.kind() != ObjKind.PROG) throw KErr.of(Errno.EINVAL, "not a program");
        SimProgram p = (SimProgram) o;
        if (type != null && p.type() != type) throw KErr.of(Errno.EINVAL, "relative program type");
        return new Mprog.Tuple(p, null);
    }

    private void supported(Operation op, AttachType t) {
        String why = unsupported(t);
        if (why != null) throw new BpfUnsupportedException(Kernel.BACKEND, op, why);
    }

    /**
     * {@code BPF_PROG_ATTACH}.
     *
     * @param s the attributes
     */
    public void attach(AttachSpec s) {
        LinkRules.attach(s);
        k.exec(Operation.PROG_ATTACH, () -> {
            AttachType t = s.attachType();
            ProgramType pt = AttachRules.progType(t);
            if (pt == ProgramType.UNSPEC) throw KErr.of(Errno.EINVAL, t + " has no BPF_PROG_ATTACH");
            if (mprog(t)) {
                if ((s.flags() & ~MASK_MPROG) != 0) throw KErr.of(Errno.EINVAL, "flags");
            } else if (AttachRules.isCgroup(t)) {
                if ((s.flags() & ~(MASK_BASE | MASK_MPROG)) != 0) throw KErr.of(Errno.EINVAL, "flags");
            } else {
                if ((s.flags() & ~MASK_BASE) != 0) throw KErr.of(Errno.EINVAL, "flags");
                if (s.relative() != 0 || s.expectedRevision() != 0) throw KErr.of(Errno.EINVAL, "relative/revision");
            }
            SimProgram p = prog(s.progFd(), pt);
            if (!AttachRules.progFits(p, t)) throw KErr.of(Errno.EINVAL, "the program was not loaded for " + t);
            if (pt == ProgramType.XDP) throw KErr.of(Errno.EINVAL, "XDP attaches through links or netlink");
            supported(Operation.PROG_ATTACH, t);
            k.faults().check(Operation.PROG_ATTACH, p);
            Hooks h = Hooks.of(k);
            if (mprog(t)) {
                long ifi = ifindex(s.target(), Errno.ENODEV);
                SimProgram old = (s.flags() & AttachFlags.REPLACE) != 0 ? prog(s.replaceFd(), p.type()) : null;
                Mprog.Tuple rel = relative(s.relative(), s.flags() & ~AttachFlags.REPLACE, p.type());
                h.mprogAttach(ifi, t, p, null, old, s.flags(), rel, s.expectedRevision());
                return;
            }
            long cg = cgroup(s.target());
            SimProgram old = null;
            if ((s.flags() & AttachFlags.REPLACE) != 0) old = prog(s.replaceFd(), null);
            Mprog.Tuple rel = (s.flags() & (AttachFlags.BEFORE | AttachFlags.AFTER)) != 0
                    ? relative(s.relative(), s.flags(), p.type()) : Mprog.Tuple.NONE;
            h.cgroupAttach(Cgroups.of(k), cg, t, p, null, old, s.flags(), rel, s.expectedRevision());
        });
    }

    /**
     * {@code BPF_PROG_DETACH}.
     *
     * @param s the attributes
     */
    public void detach(AttachSpec s) {
        LinkRules.attach(s);
        k.exec(Operation.PROG_DETACH, () -> {
            AttachType t = s.attachType();
            ProgramType pt = AttachRules.progType(t);
            Hooks h = Hooks.of(k);
            if (mprog(t)) {
                if ((s.flags() & ~MASK_MPROG) != 0) throw KErr.of(Errno.EINVAL, "flags");
                SimProgram p = s.progFd() != 0 ? prog(s.progFd(), pt) : null;
                supported(Operation.PROG_DETACH, t);
                k.faults().check(Operation.PROG_DETACH, p);
                long ifi = ifindex(s.target(), Errno.ENODEV);
                Mprog.Tuple rel = relative(s.relative(), s.flags(), p == null ? null : p.type());
                h.mprogDetach(ifi, t, p, null, s.flags(), rel, s.expectedRevision());
                return;
            }
            if (AttachRules.isCgroup(t)) {
                if (s.flags() != 0 || s.relative() != 0) throw KErr.of(Errno.EINVAL, "flags");
                supported(Operation.PROG_DETACH, t);
                long cg = cgroup(s.target());
                // cgroup_bpf_prog_detach(): a bad program descriptor just means "no program".
                FdTable.Entry e = k.fds().find(s.progFd());
                SimProgram p = e != null && e.obj() instanceof SimProgram && ((SimProgram) e.obj()).type() == pt
                        ? (SimProgram) e.obj() : null;
                k.faults().check(Operation.PROG_DETACH, p);
                h.cgroupProgDetach(cg, t, p, s.expectedRevision());
                return;
            }
            if (s.flags() != 0 || s.relative() != 0 || s.expectedRevision() != 0) throw KErr.of(Errno.EINVAL, "flags");
            if (pt == ProgramType.UNSPEC || pt == ProgramType.XDP) throw KErr.of(Errno.EINVAL, t + " has no BPF_PROG_DETACH");
            supported(Operation.PROG_DETACH, t);
        });
    }

    /**
     * {@code BPF_PROG_QUERY}.
     *
     * @param s the attributes
     * @return the result
     */
    public QueryResult query(QuerySpec s) {
        LinkRules.query(s);
        return k.run(Operation.PROG_QUERY, () -> {
            AttachType t = s.attachType();
            supported(Operation.PROG_QUERY, t);
            k.faults().check(Operation.PROG_QUERY, null);
            Hooks h = Hooks.of(k);
            if (mprog(t)) {
                if (s.queryFlags() != 0) throw KErr.of(Errno.EINVAL, "query flags");
                return h.mprogQuery(ifindex(s.target(), Errno.ENODEV), t);
            }
            if (AttachRules.isCgroup(t)) {
                if ((s.queryFlags() & ~QuerySpec.EFFECTIVE) != 0) throw KErr.of(Errno.EINVAL, "query flags");
                return h.cgroupQuery(Cgroups.of(k), cgroup(s.target()), t, (s.queryFlags() & QuerySpec.EFFECTIVE) != 0);
            }
            throw KErr.of(Errno.EINVAL, t + " cannot be queried");
        });
    }

    /**
     * {@code BPF_LINK_CREATE}.
     *
     * @param s the attributes
     * @return the link's descriptor
     */
    public int linkCreate(LinkSpec s) {
        LinkRules.create(s);
        return k.run(Operation.LINK_CREATE, () -> {
            AttachType t = s.attachType();
            SimProgram p = prog(s.progFd(), null);
            if (t == AttachType.PERF_EVENT) return perfLink(s, p);
            if (t == AttachType.TRACE_RAW_TP || unsupported(t) != null) {
                throw new BpfUnsupportedException(Kernel.BACKEND, Operation.LINK_CREATE,
                        unsupported(t) != null ? unsupported(t) : "not simulated: use rawTracepointOpen");
            }
            ProgramType pt = AttachRules.progType(t);
            if (p.type() != pt || !AttachRules.progFits(p, t)) throw KErr.of(Errno.EINVAL, "the program does not fit " + t);
            k.faults().check(Operation.LINK_CREATE, p);
            Hooks h = Hooks.of(k);
            LinkOptions.Mprog mo = s.options() instanceof LinkOptions.Mprog ? (LinkOptions.Mprog) s.options() : new LinkOptions.Mprog(0, 0);
            SimLink l;
            if (mprog(t)) {
                long ifi = ifindex(s.target(), Errno.ENODEV);
                LinkType lt = t == AttachType.TCX_INGRESS || t == AttachType.TCX_EGRESS ? LinkType.TCX : LinkType.NETKIT;
                l = new SimLink(k, lt, t, ifi, "", p);
                try {
                    Mprog.Tuple rel = relative(mo.relative(), s.flags(), p.type());
                    h.mprogAttach(ifi, t, p, l, null, s.flags(), rel, mo.expectedRevision());
                } catch (RuntimeException e) {
                    l.detacher = null;
                    l.prog().put();
                    throw e;
                }
            } else if (t == AttachType.XDP) {
                // bpf_xdp_link_attach() reports a missing device as EINVAL.
                long ifi = ifindex(s.target(), Errno.EINVAL);
                l = new SimLink(k, LinkType.XDP, t, ifi, "", p);
                try {
                    h.xdpAttach(ifi, l);
                } catch (RuntimeException e) {
                    l.prog().put();
                    throw e;
                }
            } else {
                long cg = cgroup(s.target());
                l = new SimLink(k, LinkType.CGROUP, t, cg, "", p);
                int anchors = s.flags() & (AttachFlags.BEFORE | AttachFlags.AFTER | AttachFlags.ID | AttachFlags.LINK);
                try {
                    Mprog.Tuple rel = anchors != 0 ? relative(mo.relative(), s.flags(), p.type()) : Mprog.Tuple.NONE;
                    h.cgroupAttach(Cgroups.of(k), cg, t, p, l, null, AttachFlags.ALLOW_MULTI | anchors, rel, mo.expectedRevision());
                } catch (RuntimeException e) {
                    l.prog().put();
                    throw e;
                }
            }
            k.register(l);
            return k.fds().open(l, FdTable.RDWR);
        });
    }

    /**
     * {@code bpf_perf_link_attach()} and {@code perf_event_set_bpf_prog()} for a tracepoint event:
     * no flags, a perf event descriptor, a tracepoint program, one program per event.
     */
    private int perfLink(LinkSpec s, SimProgram p) {
        if (p.type() != ProgramType.TRACEPOINT && p.type() != ProgramType.PERF_EVENT && p.type() != ProgramType.KPROBE) {
            throw KErr.of(Errno.EINVAL, p.type() + " programs do not attach to perf events");
        }
        if (s.flags() != 0) throw KErr.of(Errno.EINVAL, "flags");
        FdTable.Entry e = k.fd(s.target());
        if (!(e.obj() instanceof Tracepoints.PerfEvent)) throw KErr.of(Errno.EBADF, "fd " + s.target() + " is not a perf event");
        Tracepoints.PerfEvent ev = (Tracepoints.PerfEvent) e.obj();
        if (p.type() != ProgramType.TRACEPOINT) throw KErr.of(Errno.EINVAL, "a tracepoint event takes TRACEPOINT programs");
        k.faults().check(Operation.LINK_CREATE, p);
        if (ev.link != null) throw KErr.of(Errno.EEXIST, "the perf event already has a program");
        Tracepoints tps = Tracepoints.of(k);
        if (tps.perf(ev.category, ev.name).size() >= MAX_TRACE_PROGS) {
            throw KErr.of(Errno.E2BIG, "the tracepoint holds " + MAX_TRACE_PROGS + " programs");
        }
        SimLink l = new SimLink(k, LinkType.PERF_EVENT, AttachType.PERF_EVENT, 0, ev.name, p);
        l.cookie = s.options() instanceof LinkOptions.PerfEvent ? ((LinkOptions.PerfEvent) s.options()).cookie() : 0;
        tps.addPerf(ev, l);
        k.register(l);
        return k.fds().open(l, FdTable.RDWR);
    }

    private SimLink link(int fd) {
        FdTable.Entry e = k.fd(fd);
        if (e.obj().kind() != ObjKind.LINK) throw KErr.of(Errno.EINVAL, "fd " + fd + " is not a link");
        return (SimLink) e.obj();
    }

    /**
     * {@code BPF_LINK_UPDATE}.
     *
     * @param linkFd the link
     * @param newProgFd the new program
     * @param oldProgFd the expected current program, with REPLACE
     * @param flags REPLACE or 0
     */
    public void linkUpdate(int linkFd, int newProgFd, int oldProgFd, int flags) {
        LinkRules.update(linkFd, newProgFd, oldProgFd, flags);
        k.exec(Operation.LINK_UPDATE, () -> {
            SimLink l = link(linkFd);
            SimProgram np = prog(newProgFd, null);
            SimProgram op = null;
            if ((flags & AttachFlags.REPLACE) != 0) op = prog(oldProgFd, null);
            k.faults().check(Operation.LINK_UPDATE, l);
            if (l.type() == LinkType.RAW_TRACEPOINT || l.type() == LinkType.PERF_EVENT) {
                throw KErr.of(Errno.EINVAL, l.type() + " links cannot be updated");
            }
            if (!l.attached()) throw KErr.of(Errno.ENOLINK, "the link is detached");
            if (op != null && l.prog() != op) throw KErr.of(Errno.EPERM, "the link runs another program");
            if (np.type() != l.prog().type() || np.expectedAttachType() != l.prog().expectedAttachType()) {
                throw KErr.of(Errno.EINVAL, "the new program's type differs");
            }
            if (np == l.prog()) return;
            Hooks.of(k).replace(l, np);
        });
    }

    /**
     * {@code BPF_LINK_DETACH}.
     *
     * @param linkFd the link
     */
    public void linkDetach(int linkFd) {
        LinkRules.detach(linkFd);
        k.exec(Operation.LINK_DETACH, () -> {
            SimLink l = link(linkFd);
            k.faults().check(Operation.LINK_DETACH, l);
            if (l.type() == LinkType.RAW_TRACEPOINT || l.type() == LinkType.PERF_EVENT) {
                throw KErr.of(Errno.EOPNOTSUPP, l.type() + " links have no detach");
            }
            l.detach();
        });
    }

    /**
     * {@code BPF_RAW_TRACEPOINT_OPEN}: a link that runs the program when a test fires the
     * tracepoint through the simulator's hooks. Any name is accepted: nothing else fires them.
     *
     * @param name the tracepoint
     * @param progFd the program
     * @param cookie the cookie
     * @return the link's descriptor
     */
    public int rawTracepointOpen(String name, int progFd, long cookie) {
        LinkRules.rawTracepointOpen(name, progFd);
        return k.run(Operation.RAW_TRACEPOINT_OPEN, () -> {
            SimProgram p = prog(progFd, null);
            if (p.type() != ProgramType.RAW_TRACEPOINT && p.type() != ProgramType.RAW_TRACEPOINT_WRITABLE) {
                throw KErr.of(Errno.EINVAL, "not a raw tracepoint program");
            }
            if (name == null || name.isEmpty()) throw KErr.of(Errno.EINVAL, "raw tracepoint programs need a name");
            k.faults().check(Operation.RAW_TRACEPOINT_OPEN, p);
            SimLink l = new SimLink(k, LinkType.RAW_TRACEPOINT, AttachType.TRACE_RAW_TP, 0, name, p);
            l.cookie = cookie;
            Tracepoints.of(k).addRaw(name, l);
            k.register(l);
            return k.fds().open(l, FdTable.RDWR);
        });
    }

    /**
     * Opens a simulated attach target: a cgroup by path, or a tracepoint as a virtual perf event
     * (any category and name; pid and CPU do not filter which events run its program, as in the
     * kernel). Other targets are not simulated.
     *
     * @param target the target
     * @return a descriptor
     */
    public int openTarget(AttachTarget target) {
        LinkRules.target(target);
        if (target instanceof AttachTarget.Tracepoint) {
            AttachTarget.Tracepoint tp = (AttachTarget.Tracepoint) target;
            return k.run(Operation.LINK_CREATE, () -> k.fds().open(new Tracepoints.PerfEvent(tp.category(), tp.name()), FdTable.RDWR));
        }
        if (!(target instanceof AttachTarget.Cgroup)) {
            throw new BpfUnsupportedException(Kernel.BACKEND, Operation.LINK_CREATE,
                    "not simulated: " + target.getClass().getSimpleName() + " targets");
        }
        return k.run(Operation.LINK_CREATE, () -> {
            long id = Cgroups.of(k).idOf(((AttachTarget.Cgroup) target).path());
            return k.fds().open(new Cgroups.Handle(id), FdTable.READ);
        });
    }
}
