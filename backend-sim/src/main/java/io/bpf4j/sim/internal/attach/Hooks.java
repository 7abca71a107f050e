package io.bpf4j.sim.internal.attach;

import io.bpf4j.api.AttachFlags;
import io.bpf4j.api.AttachType;
import io.bpf4j.api.Errno;
import io.bpf4j.api.QueryResult;
import io.bpf4j.sim.internal.kernel.KErr;
import io.bpf4j.sim.internal.kernel.Kernel;
import io.bpf4j.sim.internal.prog.SimProgram;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every attach point of the simulator: cgroup lists, TCX and netkit mprog lists, and XDP slots,
 * keyed by target (cgroup id or ifindex) and attach type.
 */
public final class Hooks {
    private record Key(long target, AttachType type) {
    }

    private final Map<Key, CgroupHook> cgroups = new HashMap<>();
    private final Map<Key, MprogHook> mprogs = new HashMap<>();
    private final Map<Long, SimLink> xdp = new HashMap<>();

    /** Creates a kernel's empty hooks. */
    public Hooks() {
    }

    /** A TCX or netkit list; the kernel frees it (and its revision) when it empties. */
    static final class MprogHook {
        final Mprog list = new Mprog();
        long revision = 1;
    }

    /**
     * The kernel's hooks.
     *
     * @param k the kernel
     * @return the hooks
     */
    public static Hooks of(Kernel k) {
        return k.subsystem(Hooks.class, Hooks::new);
    }

    // ---------------------------------------------------------------- cgroups

    /**
     * {@code hierarchy_allows_attach()}: an ancestor with a single non-overridable program forbids
     * attaching below it.
     */
    private boolean hierarchyAllows(Cgroups cg, long cgroup, AttachType t) {
        for (long p = cg.parent(cgroup); p != 0; p = cg.parent(p)) {
            CgroupHook h = cgroups.get(new Key(p, t));
            if (h == null) continue;
            if ((h.flags & AttachFlags.ALLOW_MULTI) != 0) return true;
            if (!h.empty()) return (h.flags & AttachFlags.ALLOW_OVERRIDE) != 0;
        }
        return true;
    }

    /**
     * Attaches to a cgroup ({@code __cgroup_bpf_attach()}).
     *
     * @param cg the cgroup registry
     * @param cgroup the cgroup
     * @param t the attach type
     * @param prog the program
     * @param link the link, or null
     * @param replace the program to replace, or null
     * @param flags the flags
     * @param rel the relative anchor
     * @param revision the expected revision, or 0
     */
    void cgroupAttach(Cgroups cg, long cgroup, AttachType t, SimProgram prog, SimLink link, SimProgram replace,
            int flags, Mprog.Tuple rel, long revision) {
        boolean override = (flags & AttachFlags.ALLOW_OVERRIDE) != 0;
        boolean multi = (flags & AttachFlags.ALLOW_MULTI) != 0;
        boolean rep = (flags & AttachFlags.REPLACE) != 0;
        if ((override && multi) || (rep && !multi)) throw KErr.of(Errno.EINVAL, "invalid flag combination");
        if (rep && (flags & (AttachFlags.BEFORE | AttachFlags.AFTER)) != 0) throw KErr.of(Errno.EINVAL, "REPLACE with BEFORE/AFTER");
        if ((replace != null) != rep) throw KErr.of(Errno.EINVAL, "BPF_F_REPLACE and replace_bpf_fd go together");
        // The cgroup code places programs itself and refuses both anchors at once (EINVAL, not ERANGE).
        if ((flags & AttachFlags.BEFORE) != 0 && (flags & AttachFlags.AFTER) != 0) throw KErr.of(Errno.EINVAL, "BEFORE and AFTER");
        // A cgroup keeps its lists, and their revisions, for its whole life, even when empty.
        CgroupHook h = cgroups.computeIfAbsent(new Key(cgroup, t), x -> new CgroupHook(cgroup));
        if (revision != 0 && revision != h.revision) throw KErr.of(Errno.ESTALE, "revision " + h.revision);
        if (!hierarchyAllows(cg, cgroup, t)) throw KErr.of(Errno.EPERM, "an ancestor's program may not be overridden");
        if (link == null) prog.hold();
        SimProgram released;
        try {
            released = h.attach(prog, link, replace, flags, rel);
        } catch (KErr e) {
            if (link == null) prog.put();
            throw e;
        }
        if (released != null) released.put();
        if (link != null) link.detacher = () -> cgroupDetach(cgroup, t, null, link);
    }

    /**
     * Detaches from a cgroup ({@code __cgroup_bpf_detach()}).
     *
     * @param cgroup the cgroup
     * @param t the attach type
     * @param prog the program, or null
     * @param link the link, or null
     */
    void cgroupDetach(long cgroup, AttachType t, SimProgram prog, SimLink link) {
        CgroupHook h = cgroups.get(new Key(cgroup, t));
        if (h == null) throw KErr.of(Errno.ENOENT, "nothing attached");
        Entry e = h.detach(prog, link);
        if (e.link == null) e.prog.put();
    }

    /**
     * {@code BPF_PROG_DETACH} on a cgroup, with the expected revision.
     *
     * @param cgroup the cgroup
     * @param t the attach type
     * @param prog the program, or null
     * @param revision the expected revision, or 0
     */
    void cgroupProgDetach(long cgroup, AttachType t, SimProgram prog, long revision) {
        CgroupHook h = cgroups.computeIfAbsent(new Key(cgroup, t), x -> new CgroupHook(cgroup));
        if (revision != 0 && revision != h.revision) throw KErr.of(Errno.ESTALE, "revision is " + h.revision);
        cgroupDetach(cgroup, t, prog, null);
    }

    /**
     * {@code BPF_LINK_UPDATE}: puts a new program in the link's place.
     *
     * @param l the attached link
     * @param np the new program
     */
    void replace(SimLink l, SimProgram np) {
        switch (l.type()) {
            case CGROUP: {
                CgroupHook h = cgroups.get(new Key(l.target(), l.attachType()));
                if (h == null) throw KErr.of(Errno.ENOLINK, "detached");
                for (Entry e : h.list.items) if (e.link == l) e.prog = np;
                h.revision++;
                break;
            }
            case TCX: case NETKIT:
                mprogReplace(l.target(), l.attachType(), l, np);
                break;
            default:
                break;
        }
        SimProgram old = l.prog;
        l.prog = (SimProgram) np.hold();
        old.put();
    }

    /**
     * {@code BPF_PROG_QUERY} on a cgroup.
     *
     * @param cg the registry
     * @param cgroup the cgroup
     * @param t the attach type
     * @param effective whether to list the effective programs
     * @return the result
     */
    QueryResult cgroupQuery(Cgroups cg, long cgroup, AttachType t, boolean effective) {
        // __cgroup_bpf_query() (Linux 6.18): attach_flags are the hook's flags (0 for an effective
        // query); each program's prog_attach_flags are the hook's flags again; link_ids and
        // link_attach_flags are never written (only bpf_mprog_query() fills them); the revision is
        // the hook's for a direct query and 0 for an effective one.
        CgroupHook own = cgroups.get(new Key(cgroup, t));
        List<Entry> out = new ArrayList<>();
        if (!effective) {
            if (own != null) out.addAll(own.list.items);
        } else {
            out = cgroupEffective(cg, cgroup, t);
        }
        int hookFlags = own == null ? 0 : own.flags;
        int[] ids = new int[out.size()];
        int[] pflags = new int[out.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = out.get(i).prog.id();
            pflags[i] = effective ? 0 : hookFlags;
        }
        long revision = effective ? 0 : own == null ? 1 : own.revision;
        return new QueryResult(effective ? 0 : hookFlags, ids, pflags, new int[ids.length], new int[ids.length], revision);
    }

    /**
     * The programs a cgroup event runs, in order ({@code compute_effective_progs()}): this
     * cgroup's programs, then each ancestor's while the ancestor allows multi (an ancestor's
     * single or overridable program counts only when nothing below was collected).
     *
     * @param cg the registry
     * @param cgroup the cgroup
     * @param t the attach type
     * @return the entries, a copy
     */
    List<Entry> cgroupEffective(Cgroups cg, long cgroup, AttachType t) {
        List<Entry> out = new ArrayList<>();
        for (long c = cgroup; c != 0; c = cg.parent(c)) {
            CgroupHook h = cgroups.get(new Key(c, t));
            if (h != null && (out.isEmpty() || (h.flags & AttachFlags.ALLOW_MULTI) != 0)) out.addAll(h.list.items);
        }
        return out;
    }

    // ---------------------------------------------------------------- tcx and netkit

    /**
     * The programs of a TCX or netkit hook, in run order.
     *
     * @param ifindex the interface
     * @param t the attach type
     * @return the entries, a copy
     */
    List<Entry> mprogEntries(long ifindex, AttachType t) {
        MprogHook h = mprogs.get(new Key(ifindex, t));
        return h == null ? List.of() : new ArrayList<>(h.list.items);
    }

    /**
     * {@code bpf_mprog_attach()} on an interface's list.
     *
     * @param ifindex the interface
     * @param t the attach type
     * @param prog the program
     * @param link the link, or null
     * @param replace with REPLACE, the program to replace
     * @param flags the flags
     * @param rel the relative anchor
     * @param revision the expected revision, or 0
     */
    void mprogAttach(long ifindex, AttachType t, SimProgram prog, SimLink link, SimProgram replace, int flags,
            Mprog.Tuple rel, long revision) {
        Key key = new Key(ifindex, t);
        MprogHook h = mprogs.computeIfAbsent(key, x -> new MprogHook());
        try {
            if (revision != 0 && revision != h.revision) throw KErr.of(Errno.ESTALE, "revision is " + h.revision);
            if (h.list.exists(prog)) throw KErr.of(Errno.EEXIST, "the program is already attached here");
            if (link == null) prog.hold();
            SimProgram released;
            try {
                released = h.list.attach(prog, link, replace, flags, rel);
            } catch (KErr e) {
                if (link == null) prog.put();
                throw e;
            }
            if (released != null) released.put();
            h.revision++;
            if (link != null) link.detacher = () -> mprogDetach(ifindex, t, link.prog, link, 0, Mprog.Tuple.NONE, 0);
        } finally {
            if (h.list.items.isEmpty()) mprogs.remove(key);
        }
    }

    /**
     * {@code bpf_mprog_detach()} on an interface's list.
     *
     * @param ifindex the interface
     * @param t the attach type
     * @param prog the program, or null for first/last by anchor
     * @param link the link detaching itself, or null
     * @param flags the flags
     * @param rel the relative anchor
     * @param revision the expected revision, or 0
     */
    void mprogDetach(long ifindex, AttachType t, SimProgram prog, SimLink link, int flags, Mprog.Tuple rel, long revision) {
        Key key = new Key(ifindex, t);
        MprogHook h = mprogs.get(key);
        if (h == null) throw KErr.of(Errno.ENOENT, "nothing attached");
        if (revision != 0 && revision != h.revision) throw KErr.of(Errno.ESTALE, "revision is " + h.revision);
        Entry e = h.list.detach(prog, link, flags, rel);
        h.revision++;
        if (h.list.items.isEmpty()) mprogs.remove(key);
        if (e.link == null) e.prog.put();
    }

    /**
     * Replaces a link's program in place ({@code bpf_mprog_attach} with REPLACE by id).
     *
     * @param ifindex the interface
     * @param t the attach type
     * @param link the link
     * @param nprog the new program
     */
    void mprogReplace(long ifindex, AttachType t, SimLink link, SimProgram nprog) {
        MprogHook h = mprogs.get(new Key(ifindex, t));
        if (h == null) throw KErr.of(Errno.ENOLINK, "detached");
        if (h.list.exists(nprog)) throw KErr.of(Errno.EEXIST, "the program is already attached here");
        h.list.attach(nprog, link, link.prog, AttachFlags.REPLACE, Mprog.Tuple.NONE);
        h.revision++;
    }

    /**
     * {@code bpf_mprog_query()}.
     *
     * @param ifindex the interface
     * @param t the attach type
     * @return the result
     */
    QueryResult mprogQuery(long ifindex, AttachType t) {
        MprogHook h = mprogs.get(new Key(ifindex, t));
        List<Entry> items = h == null ? List.of() : h.list.items;
        int[] ids = new int[items.size()];
        int[] links = new int[items.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = items.get(i).prog.id();
            links[i] = items.get(i).link == null ? 0 : items.get(i).link.id();
        }
        return new QueryResult(0, ids, new int[ids.length], links, new int[ids.length], h == null ? 1 : h.revision);
    }

    // ---------------------------------------------------------------- xdp

    /**
     * The XDP link of an interface.
     *
     * @param ifindex the interface
     * @return the link, or null when no program is attached
     */
    SimLink xdpLink(long ifindex) {
        return xdp.get(ifindex);
    }

    /**
     * Attaches an XDP link ({@code dev_xdp_attach_link()}): one per interface.
     *
     * @param ifindex the interface
     * @param link the link
     */
    void xdpAttach(long ifindex, SimLink link) {
        if (xdp.containsKey(ifindex)) throw KErr.of(Errno.EBUSY, "Can't replace active BPF XDP link");
        xdp.put(ifindex, link);
        link.detacher = () -> xdp.remove(ifindex, link);
    }
}
