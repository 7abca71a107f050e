package io.bpf4j.sim.internal.attach;

import io.bpf4j.api.AttachFlags;
import io.bpf4j.api.Errno;
import io.bpf4j.sim.internal.kernel.KErr;
import io.bpf4j.sim.internal.prog.SimProgram;
import java.util.ArrayList;
import java.util.List;

/**
 * A multi-program list with the kernel's placement rules ({@code kernel/bpf/mprog.c}): every
 * anchor (replace, before, after; a program or link by descriptor or id, or none for first/last)
 * names a position independently, all must agree, and the list holds at most
 * {@code bpf_mprog_max()} = 63 programs. TCX and netkit hooks use it as is; cgroup hooks use its
 * placement for their multi-program lists.
 */
final class Mprog {
    /** {@code bpf_mprog_max()}: 64 slots, one kept empty as the end marker. */
    static final int MAX = 63;
    final List<Entry> items = new ArrayList<>();

    /** A resolved relative anchor: a program and possibly the link owning it. */
    record Tuple(SimProgram prog, SimLink link) {
        static final Tuple NONE = new Tuple(null, null);
    }

    boolean exists(SimProgram p) {
        for (Entry e : items) if (e.prog == p) return true;
        return false;
    }

    private int posExact(Tuple t) {
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i).prog == t.prog()) {
                if (items.get(i).link != t.link()) throw KErr.of(Errno.EBUSY, "the program is owned by a link");
                return i;
            }
        }
        throw KErr.of(Errno.ENOENT, "the program is not attached");
    }

    private int posBefore(Tuple t) {
        for (int i = 0; i < items.size(); i++) {
            Entry e = items.get(i);
            if (e.prog == t.prog() && (t.link() == null || t.link() == e.link)) return i - 1;
        }
        if (t.prog() != null) throw KErr.of(Errno.ENOENT, "the relative program or link is not attached here");
        return -1;
    }

    private int posAfter(Tuple t) {
        for (int i = 0; i < items.size(); i++) {
            Entry e = items.get(i);
            if (e.prog == t.prog() && (t.link() == null || t.link() == e.link)) return i + 1;
        }
        if (t.prog() != null) throw KErr.of(Errno.ENOENT, "the relative program or link is not attached here");
        return items.size();
    }

    /** Combines the anchors into one position, as {@code bpf_mprog_attach/detach} do; -34 when none given. */
    private int position(int idx, int flags, Tuple rel) {
        if ((flags & AttachFlags.BEFORE) != 0) {
            int t = posBefore(rel);
            if (idx >= -1 && t != idx) throw KErr.of(Errno.ERANGE, "anchors disagree");
            idx = t;
        }
        if ((flags & AttachFlags.AFTER) != 0) {
            int t = posAfter(rel);
            if (idx >= -1 && t != idx) throw KErr.of(Errno.ERANGE, "anchors disagree");
            idx = t;
        }
        return idx;
    }

    /**
     * {@code bpf_mprog_attach()} after the revision and existence checks.
     *
     * @param prog the new program
     * @param link its link, or null
     * @param old with REPLACE, the program to replace
     * @param flags the attach flags
     * @param rel the resolved relative anchor
     * @return the replaced entry's program (to release), or null
     */
    SimProgram attach(SimProgram prog, SimLink link, SimProgram old, int flags, Tuple rel) {
        int idx = -34;
        if ((flags & AttachFlags.REPLACE) != 0) {
            idx = posExact(new Tuple(old, link));
        } else if (items.size() >= MAX) {
            throw KErr.of(Errno.ERANGE, "the hook holds " + MAX + " programs");
        }
        idx = position(idx, flags, rel);
        if (idx < -1) {
            if (rel.prog() != null || flags != 0) throw KErr.of(Errno.EINVAL, "a relative object needs BPF_F_BEFORE or BPF_F_AFTER");
            idx = items.size();
            flags = AttachFlags.AFTER;
        }
        if (idx >= MAX) throw KErr.of(Errno.ERANGE, "position beyond the last slot");
        if ((flags & AttachFlags.REPLACE) != 0) {
            Entry e = items.get(idx);
            SimProgram was = e.prog;
            e.prog = prog;
            return link == null ? was : null;
        }
        if (idx != items.size() && (flags & AttachFlags.BEFORE) != 0) idx += 1;
        items.add(idx, new Entry(prog, link, 0));
        return null;
    }

    /**
     * {@code bpf_mprog_detach()}.
     *
     * @param prog the program to detach, or null for first/last by anchor
     * @param link the link detaching itself, or null
     * @param flags the flags
     * @param rel the resolved relative anchor
     * @return the removed entry
     */
    Entry detach(SimProgram prog, SimLink link, int flags, Tuple rel) {
        if ((flags & AttachFlags.REPLACE) != 0) throw KErr.of(Errno.EINVAL, "BPF_F_REPLACE on detach");
        int idx = -34;
        if (prog != null) idx = posExact(new Tuple(prog, link));
        idx = position(idx, flags, rel);
        if (idx < -1) {
            if (rel.prog() != null || flags != 0) throw KErr.of(Errno.EINVAL, "a relative object needs BPF_F_BEFORE or BPF_F_AFTER");
            idx = items.size();
        }
        if (idx >= MAX) throw KErr.of(Errno.ERANGE, "position beyond the last slot");
        // bpf_mprog_fetch(): first and last are the ends; a link's program cannot go this way.
        if (idx == -1) idx = 0;
        else if (idx == items.size()) idx = items.size() - 1;
        if (idx < 0 || idx >= items.size()) throw KErr.of(Errno.ENOENT, "nothing attached");
        Entry e = items.get(idx);
        if (e.link != null && link == null) throw KErr.of(Errno.EBUSY, "the program is owned by a link");
        items.remove(idx);
        return e;
    }
}
