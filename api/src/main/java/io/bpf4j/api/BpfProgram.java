package io.bpf4j.api;

import java.util.Objects;

/**
 * An owned, loaded program.
 *
 * {@snippet :
 * long[] insns = new Asm().mov64(Register.R0, 2).exit().toArray();     // return XDP_PASS
 * try (BpfProgram prog = BpfProgram.load(bpf, ProgramSpec.of(ProgramType.XDP, insns, "GPL"))) {
 *     TestRunResult r = prog.testRun(TestRunSpec.ofData(new byte[64]));
 *     assert r.retval() == 2;
 * }
 * }
 */
public final class BpfProgram extends BpfObject {
    private final ProgramType type;
    private final String name;
    private final String log;

    private BpfProgram(Bpf bpf, int fd, ProgramType type, String name, String log) {
        super(bpf, fd);
        this.type = type;
        this.name = name;
        this.log = log;
    }

    /**
     * Loads a program ({@code BPF_PROG_LOAD}).
     *
     * @param bpf the backend
     * @param spec the program
     * @return the handle
     * @throws VerifierException when the verifier refuses it, with the whole log
     */
    public static BpfProgram load(Bpf bpf, ProgramSpec spec) {
        Objects.requireNonNull(bpf, "bpf");
        Objects.requireNonNull(spec, "spec");
        LoadResult r = bpf.progLoad(spec);
        return new BpfProgram(bpf, r.fd(), spec.type(), spec.name(), r.log());
    }

    /**
     * Takes ownership of a program descriptor.
     *
     * @param bpf the backend
     * @param fd the descriptor, now owned by the handle (closed if reading its info fails)
     * @return the handle
     */
    public static BpfProgram fromFd(Bpf bpf, int fd) {
        Objects.requireNonNull(bpf, "bpf");
        ProgramInfo info;
        try {
            info = bpf.progGetInfo(fd);
        } catch (RuntimeException e) {
            bpf.closeFd(fd);
            throw e;
        }
        return new BpfProgram(bpf, fd, info.type(), info.name(), "");
    }

    /**
     * Opens a program by id.
     *
     * @param bpf the backend
     * @param id the id
     * @return the handle
     */
    public static BpfProgram fromId(Bpf bpf, int id) {
        return fromFd(bpf, bpf.progGetFdById(id));
    }

    /**
     * Opens a pinned program.
     *
     * @param bpf the backend
     * @param path the pin path
     * @return the handle
     */
    public static BpfProgram pinned(Bpf bpf, String path) {
        if (path == null || path.isEmpty()) throw new IllegalArgumentException("path: empty");
        return fromFd(bpf, bpf.objGet(path, 0));
    }

    /**
     * The program type.
     *
     * @return the type
     */
    public ProgramType type() {
        return type;
    }

    /**
     * The name.
     *
     * @return the name, possibly empty
     */
    public String name() {
        return name;
    }

    /**
     * The verifier log of the load, when the spec asked for one.
     *
     * @return the log, possibly empty
     */
    public String verifierLog() {
        return log;
    }

    /**
     * The program's info.
     *
     * @return the info, including id, tag and map ids
     */
    public ProgramInfo info() {
        return with(bpf()::progGetInfo);
    }

    /**
     * The program's translated instructions ({@link Bpf#progGetXlated(int)}), for example to list
     * with {@link io.bpf4j.api.asm.Disassembler}.
     *
     * @return one word per instruction slot, map references holding map ids
     * @throws BpfUnsupportedException when the backend cannot return them
     */
    public long[] xlated() {
        return with(bpf()::progGetXlated);
    }

    /**
     * The program's machine code from the JIT compiler ({@link Bpf#progGetJited(int)}).
     *
     * @return the image's bytes, empty when the program was not JIT-compiled
     * @throws BpfUnsupportedException when the backend has no JIT or cannot return its code
     */
    public byte[] jited() {
        return with(bpf()::progGetJited);
    }

    /**
     * Runs the program on test input ({@code BPF_PROG_TEST_RUN}).
     *
     * @param spec the input
     * @return the result
     */
    public TestRunResult testRun(TestRunSpec spec) {
        Objects.requireNonNull(spec, "spec");
        return with(n -> bpf().progTestRun(n, spec));
    }

    /**
     * Creates a link ({@code BPF_LINK_CREATE}) from this program.
     *
     * @param target the target descriptor or interface index
     * @param attachType the hook
     * @param flags hook-specific flags
     * @param options hook-specific options, or null
     * @return the owning link
     */
    public BpfLink link(int target, AttachType attachType, int flags, LinkOptions options) {
        int linkFd = with(n -> bpf().linkCreate(new LinkSpec(n, target, attachType, flags, options)));
        return BpfLink.adopt(bpf(), linkFd, attachType);
    }

    /**
     * Attaches with {@code BPF_PROG_ATTACH} (the hook holds the program until detached).
     *
     * @param target the target descriptor or interface index
     * @param attachType the hook
     * @param flags {@link AttachFlags}
     */
    public void attach(int target, AttachType attachType, int flags) {
        withFd(n -> bpf().progAttach(AttachSpec.of(target, n, attachType, flags)));
    }

    /**
     * Attaches with {@code BPF_PROG_ATTACH} at a place given by an anchor: in place of a
     * program ({@link Anchor#replace}, the cgroup and mprog {@code BPF_F_REPLACE}), or before or
     * after a program or link on a multi-program hook, with the anchor's expected revision.
     *
     * @param target the target descriptor or interface index
     * @param attachType the hook
     * @param flags further {@link AttachFlags}, e.g. {@link AttachFlags#ALLOW_MULTI} for cgroups
     * @param anchor where, or {@link Anchor#NONE}
     */
    public void attach(int target, AttachType attachType, int flags, Anchor anchor) {
        Anchor a = anchor == null ? Anchor.NONE : anchor;
        boolean replace = (a.flags() & AttachFlags.REPLACE) != 0;
        Objects.requireNonNull(attachType, "attachType");
        withFd(n -> bpf().progAttach(new AttachSpec(target, n, attachType, flags | a.flags(),
                replace ? a.relative() : 0, replace ? 0 : a.relative(), a.expectedRevision())));
    }

    /**
     * Detaches with {@code BPF_PROG_DETACH}.
     *
     * @param target the target descriptor or interface index
     * @param attachType the hook
     */
    public void detach(int target, AttachType attachType) {
        withFd(n -> bpf().progDetach(AttachSpec.of(target, n, attachType, 0)));
    }

    /**
     * Attaches to a device's XDP hook with a link; closing the link detaches it.
     *
     * @param ifindex the network interface
     * @param mode where the program runs
     * @return the link
     */
    public BpfLink attachXdp(int ifindex, XdpMode mode) {
        requireIfindex(ifindex);
        return link(ifindex, AttachType.XDP, Objects.requireNonNull(mode, "mode").flags(), null);
    }

    /**
     * Attaches to a device's XDP hook by the device's name ({@link Bpf#interfaceIndex(String)}).
     *
     * @param ifname the network interface, e.g. {@code eth0}
     * @param mode where the program runs
     * @return the link
     * @throws IllegalArgumentException when no interface has that name, naming it
     */
    public BpfLink attachXdp(String ifname, XdpMode mode) {
        Objects.requireNonNull(mode, "mode");
        return attachXdp(bpf().interfaceIndex(ifname), mode);
    }

    /**
     * Attaches to a device's TCX hook by the device's name ({@link Bpf#interfaceIndex(String)}).
     *
     * @param ifname the network interface, e.g. {@code eth0}
     * @param direction {@link AttachType#TCX_INGRESS} or {@link AttachType#TCX_EGRESS}
     * @param anchor where in the list, with an optional expected revision
     * @return the link
     * @throws IllegalArgumentException when no interface has that name, naming it
     */
    public BpfLink attachTcx(String ifname, AttachType direction, Anchor anchor) {
        return attachTcx(bpf().interfaceIndex(ifname), direction, anchor);
    }

    /**
     * Attaches to a netkit device's hook by the device's name ({@link Bpf#interfaceIndex(String)}).
     *
     * @param ifname the netkit interface
     * @param side {@link AttachType#NETKIT_PRIMARY} or {@link AttachType#NETKIT_PEER}
     * @param anchor where in the list, with an optional expected revision
     * @return the link
     * @throws IllegalArgumentException when no interface has that name, naming it
     */
    public BpfLink attachNetkit(String ifname, AttachType side, Anchor anchor) {
        return attachNetkit(bpf().interfaceIndex(ifname), side, anchor);
    }

    /**
     * Attaches to a device's TCX ingress or egress hook at a place in its program list.
     *
     * @param ifindex the network interface
     * @param direction {@link AttachType#TCX_INGRESS} or {@link AttachType#TCX_EGRESS}
     * @param anchor where in the list, with an optional expected revision
     * @return the link
     */
    public BpfLink attachTcx(int ifindex, AttachType direction, Anchor anchor) {
        requireIfindex(ifindex);
        if (direction != AttachType.TCX_INGRESS && direction != AttachType.TCX_EGRESS) {
            throw new IllegalArgumentException("direction: " + direction + " is not TCX_INGRESS or TCX_EGRESS");
        }
        return mprogLink(ifindex, direction, anchor);
    }

    /**
     * Attaches to a netkit device's primary or peer hook at a place in its program list.
     *
     * @param ifindex the netkit interface
     * @param side {@link AttachType#NETKIT_PRIMARY} or {@link AttachType#NETKIT_PEER}
     * @param anchor where in the list, with an optional expected revision
     * @return the link
     */
    public BpfLink attachNetkit(int ifindex, AttachType side, Anchor anchor) {
        requireIfindex(ifindex);
        if (side != AttachType.NETKIT_PRIMARY && side != AttachType.NETKIT_PEER) {
            throw new IllegalArgumentException("side: " + side + " is not NETKIT_PRIMARY or NETKIT_PEER");
        }
        return mprogLink(ifindex, side, anchor);
    }

    private BpfLink mprogLink(int target, AttachType type, Anchor anchor) {
        Anchor a = anchor == null ? Anchor.NONE : anchor;
        if ((a.flags() & AttachFlags.REPLACE) != 0) {
            throw new IllegalArgumentException("anchor: replace is for BPF_PROG_ATTACH; update the link instead");
        }
        return link(target, type, a.flags(), new LinkOptions.Mprog(a.relative(), a.expectedRevision()));
    }

    /**
     * Attaches to a cgroup hook with a link.
     *
     * @param cgroupPath the cgroup v2 directory
     * @param type the hook, e.g. {@link AttachType#CGROUP_INET_INGRESS}
     * @return the link
     */
    public BpfLink attachCgroup(String cgroupPath, AttachType type) {
        return linkToTarget(new AttachTarget.Cgroup(cgroupPath), Objects.requireNonNull(type, "type"), 0,
                LinkOptions.None.INSTANCE);
    }

    /**
     * Attaches to a network namespace hook (flow dissector, sk_lookup) with a link.
     *
     * @param netnsPath the namespace file, e.g. {@code /proc/self/ns/net}
     * @param type the hook
     * @return the link
     */
    public BpfLink attachNetns(String netnsPath, AttachType type) {
        return linkToTarget(new AttachTarget.Netns(netnsPath), Objects.requireNonNull(type, "type"), 0,
                LinkOptions.None.INSTANCE);
    }

    /**
     * Attaches to a tracepoint through a perf event link.
     *
     * @param category the tracefs event directory, e.g. {@code syscalls}
     * @param name the event, e.g. {@code sys_enter_getpid}
     * @param cookie the value {@code bpf_get_attach_cookie()} returns
     * @return the link
     */
    public BpfLink attachTracepoint(String category, String name, long cookie) {
        return attachPerfEvent(AttachTarget.Tracepoint.of(category, name), cookie);
    }

    /**
     * Attaches to a perf event target (tracepoint, kprobe, uprobe, perf counter) through a perf
     * event link.
     *
     * @param target the event
     * @param cookie the attach cookie
     * @return the link
     */
    public BpfLink attachPerfEvent(AttachTarget target, long cookie) {
        Objects.requireNonNull(target, "target");
        if (target instanceof AttachTarget.Cgroup || target instanceof AttachTarget.Netns || target instanceof AttachTarget.Bpffs) {
            throw new IllegalArgumentException("target: " + target + " is not a perf event");
        }
        return linkToTarget(target, AttachType.PERF_EVENT, 0, new LinkOptions.PerfEvent(cookie));
    }

    /**
     * Attaches to a raw tracepoint ({@code BPF_RAW_TRACEPOINT_OPEN}).
     *
     * @param name the tracepoint, e.g. {@code sys_enter}
     * @param cookie the attach cookie (Linux 6.10+), or 0
     * @return the link
     */
    public BpfLink attachRawTracepoint(String name, long cookie) {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("name: empty");
        return BpfLink.adopt(bpf(), with(n -> bpf().rawTracepointOpen(name, n, cookie)), AttachType.TRACE_RAW_TP);
    }

    /**
     * Attaches to a netfilter hook.
     *
     * @param options protocol family, hook, priority and flags
     * @return the link
     */
    public BpfLink attachNetfilter(LinkOptions.Netfilter options) {
        return link(0, AttachType.NETFILTER, 0, Objects.requireNonNull(options, "options"));
    }

    /**
     * Attaches uprobes at several offsets of one binary with one link.
     *
     * @param options path, offsets, cookies, pid
     * @param isReturn uretprobes instead of uprobes
     * @return the link
     */
    public BpfLink attachUprobeMulti(LinkOptions.UprobeMulti options, boolean isReturn) {
        return link(0, AttachType.TRACE_UPROBE_MULTI, isReturn ? 1 : 0, Objects.requireNonNull(options, "options"));
    }

    /**
     * Attaches kprobes to several kernel functions with one link.
     *
     * @param options symbols or addresses, cookies
     * @param isReturn kretprobes instead of kprobes
     * @return the link
     */
    public BpfLink attachKprobeMulti(LinkOptions.KprobeMulti options, boolean isReturn) {
        return link(0, AttachType.TRACE_KPROBE_MULTI, isReturn ? 1 : 0, Objects.requireNonNull(options, "options"));
    }

    /**
     * Makes an iterator link; read it with {@link Bpf#iterCreate(int, int)}.
     *
     * @param options the iterator's target, or {@link LinkOptions.Iter#NONE}
     * @return the link
     */
    public BpfLink attachIter(LinkOptions.Iter options) {
        return link(0, AttachType.TRACE_ITER, 0, Objects.requireNonNull(options, "options"));
    }

    /**
     * Attaches a sockmap or sockhash program (stream parser or verdict, msg verdict) to a map
     * with {@code BPF_PROG_ATTACH}; it stays until {@link #detach(int, AttachType)}.
     *
     * @param map the sockmap or sockhash
     * @param type the hook, e.g. {@link AttachType#SK_SKB_STREAM_VERDICT}
     */
    public void attachToMap(BpfMap map, AttachType type) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(map, "map").withFd(m -> attach(m, type, 0));
    }

    private BpfLink linkToTarget(AttachTarget target, AttachType type, int flags, LinkOptions options) {
        int targetFd = bpf().openTarget(target);
        try {
            return link(targetFd, type, flags, options);
        } finally {
            // The link holds what it needs of the target; this descriptor was only the way in.
            bpf().closeFd(targetFd);
        }
    }

    private static void requireIfindex(int ifindex) {
        if (ifindex <= 0) throw new IllegalArgumentException("ifindex: " + ifindex + " is not an interface index");
    }

    @Override
    String describe() {
        return name.isEmpty() ? "program" : "program \"" + name + "\"";
    }
}
