package io.bpf4j.sim.internal.attach;

import io.bpf4j.api.AttachType;
import io.bpf4j.api.LinkDetails;
import io.bpf4j.api.LinkInfo;
import io.bpf4j.api.LinkType;
import io.bpf4j.sim.internal.kernel.KObject;
import io.bpf4j.sim.internal.kernel.Kernel;
import io.bpf4j.sim.internal.kernel.ObjKind;
import io.bpf4j.sim.internal.kernel.Uapi;
import io.bpf4j.sim.internal.prog.SimProgram;

/**
 * A link: holds its program and, while attached, its place in a hook. Closing its last descriptor
 * or pin detaches it; {@code BPF_LINK_DETACH} detaches it early and leaves it defunct (its info
 * then shows no target), as the kernel does.
 */
public final class SimLink extends KObject {
    private final Kernel kernel;
    private final LinkType type;
    private final AttachType attachType;
    private final long target;
    private final String name;
    SimProgram prog;
    /** {@code bpf_get_attach_cookie()} of programs run through this link. */
    long cookie;
    /** Detaches the link from its hook; null once detached or for links with no hook. */
    Runnable detacher;
    private boolean attached = true;

    SimLink(Kernel kernel, LinkType type, AttachType attachType, long target, String name, SimProgram prog) {
        super(ObjKind.LINK);
        this.kernel = kernel;
        this.type = type;
        this.attachType = attachType;
        this.target = target;
        this.name = name;
        this.prog = (SimProgram) prog.hold();
    }

    /**
     * The link type.
     *
     * @return the type
     */
    public LinkType type() {
        return type;
    }

    /**
     * The program.
     *
     * @return the program
     */
    public SimProgram prog() {
        return prog;
    }

    /**
     * The hook's attach type.
     *
     * @return the attach type
     */
    AttachType attachType() {
        return attachType;
    }

    /**
     * The target: cgroup id or ifindex.
     *
     * @return the target
     */
    long target() {
        return target;
    }

    /**
     * The attach cookie.
     *
     * @return the cookie given at attach time, or 0
     */
    public long cookie() {
        return cookie;
    }

    /**
     * Whether the link is still attached.
     *
     * @return false once detached
     */
    public boolean attached() {
        return attached;
    }

    /** Detaches from the hook; the link stays as a defunct object. */
    void detach() {
        if (!attached) return;
        attached = false;
        Runnable d = detacher;
        detacher = null;
        if (d != null) d.run();
    }

    @Override
    protected void destroy() {
        detach();
        prog.put();
    }

    @Override
    protected Kernel kernel() {
        return kernel;
    }

    @Override
    public String describe() {
        return "link #" + id();
    }

    /**
     * {@code bpf_link_info}.
     *
     * @return the info
     */
    public LinkInfo info() {
        long t = attached ? target : 0;
        LinkDetails d;
        switch (type) {
            case CGROUP: d = new LinkDetails.Cgroup(t, attachType); break;
            case XDP: d = new LinkDetails.Xdp((int) t); break;
            case TCX: d = new LinkDetails.Tcx((int) t, attachType); break;
            case NETKIT: d = new LinkDetails.Netkit((int) t, attachType); break;
            case RAW_TRACEPOINT: d = new LinkDetails.RawTracepoint(name, cookie); break;
            // BPF_PERF_EVENT_TRACEPOINT; the kernel names the event without its category.
            case PERF_EVENT: d = new LinkDetails.PerfEvent(5, name, cookie); break;
            default: d = LinkDetails.None.INSTANCE;
        }
        return new LinkInfo(type, Uapi.linkType(type), id(), prog.id(), d);
    }
}
