package io.bpf4j.sim.internal.attach;

import io.bpf4j.api.AttachFlags;
import io.bpf4j.api.Errno;
import io.bpf4j.sim.internal.kernel.KErr;
import io.bpf4j.sim.internal.prog.SimProgram;

/**
 * One cgroup's list for one attach type ({@code cgrp->bpf.progs[atype]} in
 * {@code kernel/bpf/cgroup.c}): the hook's flags (none, override or multi), the programs in run
 * order, and the revision.
 */
final class CgroupHook {
    /** {@code BPF_CGROUP_MAX_PROGS}. */
    static final int MAX_PROGS = 64;
    final long cgroup;
    final Mprog list = new Mprog();
    int flags;
    long revision = 1;

    CgroupHook(long cgroup) {
        this.cgroup = cgroup;
    }

    boolean empty() {
        return list.items.isEmpty();
    }

    /**
     * {@code __cgroup_bpf_attach()} after the hierarchy check.
     *
     * @param prog the program (for links, the link's)
     * @param link the link, or null
     * @param replace with REPLACE, the program to replace
     * @param flags the flags
     * @param rel the relative anchor
     * @return a replaced program to release, or null
     */
    SimProgram attach(SimProgram prog, SimLink link, SimProgram replace, int flags, Mprog.Tuple rel) {
        int saved = flags & (AttachFlags.ALLOW_OVERRIDE | AttachFlags.ALLOW_MULTI);
        if (!empty() && this.flags != saved) {
            throw KErr.of(Errno.EPERM, "the hook's programs were attached with other flags");
        }
        if (list.items.size() >= MAX_PROGS) throw KErr.of(Errno.E2BIG, "the hook holds " + MAX_PROGS + " programs");
        boolean multi = (flags & AttachFlags.ALLOW_MULTI) != 0;
        SimProgram released = null;
        if (!multi) {
            // Single-program hooks replace whatever is attached.
            if (!empty()) {
                Entry e = list.items.get(0);
                released = e.prog;
                e.prog = prog;
            } else {
                list.items.add(new Entry(prog, null, saved));
            }
        } else {
            for (Entry e : list.items) {
                if (prog != null && link == null && e.prog == prog && prog != replace) throw KErr.of(Errno.EINVAL, "already attached");
                if (link != null && e.link == link) throw KErr.of(Errno.EINVAL, "link already attached");
            }
            if (replace != null) {
                Entry hit = null;
                for (Entry e : list.items) if (e.prog == replace && e.link == null) hit = e;
                if (hit == null) throw KErr.of(Errno.ENOENT, "the program to replace is not attached");
                released = hit.prog;
                hit.prog = prog;
            } else {
                int anchors = flags & (AttachFlags.BEFORE | AttachFlags.AFTER | AttachFlags.ID | AttachFlags.LINK);
                list.attach(prog, link, null, anchors, rel);
                for (Entry e : list.items) if (e.prog == prog && e.link == link) e.flags = saved;
            }
        }
        this.flags = saved;
        revision++;
        return released;
    }

    /**
     * {@code __cgroup_bpf_detach()}.
     *
     * @param prog the program, or null (allowed for single-program hooks)
     * @param link the link, or null
     * @return the removed entry
     */
    Entry detach(SimProgram prog, SimLink link) {
        Entry hit;
        if ((flags & AttachFlags.ALLOW_MULTI) == 0) {
            if (empty()) throw KErr.of(Errno.ENOENT, "nothing attached");
            hit = list.items.get(0);
        } else {
            if (prog == null && link == null) throw KErr.of(Errno.EINVAL, "a multi-program hook needs the program to detach");
            hit = null;
            for (Entry e : list.items) {
                // A link's entry is found by the link alone; a program's only among direct attachments.
                if (link != null ? e.link == link : e.prog == prog && e.link == null) {
                    hit = e;
                    break;
                }
            }
            if (hit == null) throw KErr.of(Errno.ENOENT, "the program is not attached here");
        }
        list.items.remove(hit);
        revision++;
        if (empty()) flags = 0;
        return hit;
    }
}
