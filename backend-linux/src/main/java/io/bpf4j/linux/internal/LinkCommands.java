package io.bpf4j.linux.internal;

import io.bpf4j.api.AttachSpec;
import io.bpf4j.api.AttachType;
import io.bpf4j.api.LinkOptions;
import io.bpf4j.api.LinkSpec;
import io.bpf4j.api.Operation;
import io.bpf4j.api.QueryResult;
import io.bpf4j.api.QuerySpec;
import io.bpf4j.internal.rules.LinkRules;
import io.bpf4j.linux.internal.uapi.BpfAttr;
import io.bpf4j.linux.internal.uapi.LinkAttrs;
import io.bpf4j.linux.internal.uapi.LinuxUapi;
import java.nio.ByteBuffer;

/**
 * The attach and link commands: attach, detach, query, link create (every member of the
 * {@code link_create} union), link update, link detach, raw tracepoint open and iterator create.
 */
public final class LinkCommands {
    private static final int ENOSPC = 28;
    private static final int EINVAL = 22;

    private final Kernel k;

    /**
     * Creates the family.
     *
     * @param k the shared context
     */
    public LinkCommands(Kernel k) {
        this.k = k;
    }

    /**
     * {@code BPF_PROG_ATTACH} or {@code BPF_PROG_DETACH}.
     *
     * @param op which
     * @param spec what
     */
    public void attach(Operation op, AttachSpec spec) {
        LinkRules.attach(spec);
        k.gate.require(op);
        k.gate.requireAttachType(op, spec.attachType());
        Scratch s = k.scratch();
        LinkAttrs.attach(s.attr(), spec.target(), spec.progFd(), LinuxUapi.attachType(spec.attachType()), spec.flags(),
                spec.replaceFd(), spec.relative(), spec.expectedRevision());
        long rc = k.bpf(op, s);
        if (rc < 0) {
            throw Kernel.error(op, spec.attachType() + " target " + spec.target(), rc, MprogErrors.detail(op,
                    spec.attachType(), spec.flags(), spec.relative(), spec.expectedRevision(), rc));
        }
    }

    /**
     * {@code BPF_PROG_QUERY}, growing the arrays until everything fits.
     *
     * @param spec what
     * @return the attached programs
     */
    public QueryResult query(QuerySpec spec) {
        LinkRules.query(spec);
        Operation op = Operation.PROG_QUERY;
        k.gate.require(op);
        k.gate.requireAttachType(op, spec.attachType());
        int at = LinuxUapi.attachType(spec.attachType());
        Scratch s = k.scratch();
        String obj = spec.attachType() + " target " + spec.target();
        // First ask how many there are, then read them; if more appeared in between the kernel
        // says ENOSPC and the count again, so loop.
        LinkAttrs.query(s.attr(), spec.target(), at, spec.queryFlags(), 0, 0, 0, 0, 0);
        long rc = k.bpf(op, s);
        if (rc < 0) throw Kernel.error(op, obj, rc, null);
        int n = s.attrOut().getInt(LinkAttrs.QUERY_COUNT);
        // Cgroups refuse per-program flags with BPF_F_QUERY_EFFECTIVE (kernel/bpf/cgroup.c), and
        // hooks that predate links may refuse link arrays: ask for less on EINVAL.
        boolean extras = (spec.queryFlags() & QuerySpec.EFFECTIVE) == 0;
        for (int tries = 0; ; tries++) {
            int room = Math.max(n, 1);
            long ids = s.reserve(Scratch.DATA, room * 4);
            long pflags = s.reserve(Scratch.DATA2, room * 4);
            long lids = s.reserve(Scratch.DATA3, room * 4);
            long lflags = s.reserve(Scratch.DATA4, room * 4);
            if (extras) {
                LinkAttrs.query(s.attr(), spec.target(), at, spec.queryFlags(), ids, room, pflags, lids, lflags);
            } else {
                LinkAttrs.query(s.attr(), spec.target(), at, spec.queryFlags(), ids, room, 0, 0, 0);
            }
            rc = k.bpf(op, s);
            ByteBuffer a = s.attrOut();
            if (rc == -ENOSPC && tries < 8) {
                n = Math.max(a.getInt(LinkAttrs.QUERY_COUNT), room * 2);
                continue;
            }
            if (rc == -EINVAL && extras) {
                extras = false;
                continue;
            }
            if (rc < 0) throw Kernel.error(op, obj, rc, null);
            int got = Math.min(a.getInt(LinkAttrs.QUERY_COUNT), room);
            // Where the hook knows no per-program flags or links the kernel leaves the arrays zero.
            return new QueryResult(a.getInt(LinkAttrs.QUERY_ATTACH_FLAGS), ints(s.buf(Scratch.DATA), got),
                    ints(s.buf(Scratch.DATA2), got), ints(s.buf(Scratch.DATA3), got), ints(s.buf(Scratch.DATA4), got),
                    a.getLong(LinkAttrs.QUERY_REVISION));
        }
    }

    private static int[] ints(ByteBuffer b, int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) r[i] = b.getInt(i * 4);
        return r;
    }

    /**
     * {@code BPF_LINK_CREATE}.
     *
     * @param spec what
     * @return the link
     */
    public int create(LinkSpec spec) {
        LinkRules.create(spec);
        Operation op = Operation.LINK_CREATE;
        k.gate.require(op);
        k.gate.requireAttachType(op, spec.attachType());
        if (spec.options() instanceof LinkOptions.KprobeMulti km && km.symbols() != null) {
            Kallsyms.requireFunctions(km.symbols(), "symbols");
        }
        Scratch s = k.scratch();
        try {
            long rc = tryCreate(s, spec);
            if (rc < 0) {
                LinkOptions.Mprog m = spec.options() instanceof LinkOptions.Mprog ? (LinkOptions.Mprog) spec.options() : null;
                throw Kernel.error(op, spec.attachType() + " link of program fd " + spec.progFd(), rc, MprogErrors.detail(op,
                        spec.attachType(), spec.flags(), m == null ? 0 : m.relative(), m == null ? 0 : m.expectedRevision(), rc));
            }
            return (int) rc;
        } finally {
            s.trim();
        }
    }

    /** Encodes and runs a link create without the gate; fd or -errno. */
    long tryCreate(Scratch s, LinkSpec spec) {
        LinkOptions o = spec.options();
        int at = LinuxUapi.attachType(spec.attachType());
        int flags = spec.flags();
        // Multi probes carry their flags (BPF_F_*PROBE_MULTI_RETURN) inside their own member.
        boolean multi = o instanceof LinkOptions.KprobeMulti || o instanceof LinkOptions.UprobeMulti;
        // Encode array members first: they use scratch slots, the attr is written last.
        long[] addrs = new long[4];
        int cnt = 0;
        if (o instanceof LinkOptions.KprobeMulti) {
            LinkOptions.KprobeMulti km = (LinkOptions.KprobeMulti) o;
            cnt = km.symbols() != null ? km.symbols().length : km.addresses().length;
            if (km.symbols() != null) addrs[0] = strings(s, km.symbols());
            if (km.addresses() != null) addrs[1] = longs(s, Scratch.DATA2, km.addresses());
            if (km.cookies() != null) addrs[2] = longs(s, Scratch.DATA3, km.cookies());
        } else if (o instanceof LinkOptions.UprobeMulti) {
            LinkOptions.UprobeMulti um = (LinkOptions.UprobeMulti) o;
            cnt = um.offsets().length;
            int size = BpfAttr.cStringSize(um.path());
            addrs[0] = s.reserve(Scratch.DATA, size);
            BpfAttr.putCString(s.buf(Scratch.DATA), um.path());
            addrs[1] = longs(s, Scratch.DATA2, um.offsets());
            if (um.refCtrOffsets() != null) addrs[2] = longs(s, Scratch.DATA3, um.refCtrOffsets());
            if (um.cookies() != null) addrs[3] = longs(s, Scratch.DATA4, um.cookies());
        } else if (o instanceof LinkOptions.Iter) {
            long a = s.reserve(Scratch.DATA, LinkAttrs.ITER_LINK_INFO_SIZE);
            if (LinkAttrs.iterLinkInfo(s.buf(Scratch.DATA), (LinkOptions.Iter) o)) addrs[0] = a;
        }
        ByteBuffer attr = s.attr();
        LinkAttrs.linkCreate(attr, spec.progFd(), spec.target(), at, multi ? 0 : flags);
        if (o instanceof LinkOptions.Mprog) {
            LinkAttrs.linkCreateMprog(attr, (LinkOptions.Mprog) o);
        } else if (o instanceof LinkOptions.PerfEvent) {
            LinkAttrs.linkCreatePerfEvent(attr, (LinkOptions.PerfEvent) o);
        } else if (o instanceof LinkOptions.Tracing) {
            LinkAttrs.linkCreateTracing(attr, (LinkOptions.Tracing) o);
        } else if (o instanceof LinkOptions.Netfilter) {
            LinkAttrs.linkCreateNetfilter(attr, (LinkOptions.Netfilter) o);
        } else if (o instanceof LinkOptions.Iter) {
            LinkAttrs.linkCreateIter(attr, addrs[0], addrs[0] == 0 ? 0 : LinkAttrs.ITER_LINK_INFO_SIZE);
        } else if (o instanceof LinkOptions.KprobeMulti) {
            LinkAttrs.linkCreateKprobeMulti(attr, flags, cnt, addrs[0], addrs[1], addrs[2]);
        } else if (o instanceof LinkOptions.UprobeMulti) {
            LinkAttrs.linkCreateUprobeMulti(attr, addrs[0], addrs[1], addrs[2], addrs[3], cnt, flags,
                    ((LinkOptions.UprobeMulti) o).pid());
        }
        return k.bpfFd(Operation.LINK_CREATE, s);
    }

    /** Writes NUL-terminated names into DATA4 and their pointers into DATA; returns the array's address. */
    private long strings(Scratch s, String[] names) {
        int total = 0;
        for (String name : names) total += BpfAttr.cStringSize(name);
        long base = s.reserve(Scratch.DATA4, total);
        long ptrs = s.reserve(Scratch.DATA, names.length * 8);
        ByteBuffer sb = s.buf(Scratch.DATA4);
        ByteBuffer pb = s.buf(Scratch.DATA);
        int pos = 0;
        for (int i = 0; i < names.length; i++) {
            byte[] b = names[i].getBytes(java.nio.charset.StandardCharsets.UTF_8);
            sb.put(pos, b);
            sb.put(pos + b.length, (byte) 0);
            pb.putLong(i * 8, base + pos);
            pos += b.length + 1;
        }
        return ptrs;
    }

    private static long longs(Scratch s, int slot, long[] v) {
        long a = s.reserve(slot, v.length * 8);
        ByteBuffer b = s.buf(slot);
        for (int i = 0; i < v.length; i++) b.putLong(i * 8, v[i]);
        return a;
    }

    /**
     * {@code BPF_LINK_UPDATE}.
     *
     * @param linkFd the link
     * @param newProgFd the new program
     * @param oldProgFd the expected old one, or 0
     * @param flags REPLACE or 0
     */
    public void update(int linkFd, int newProgFd, int oldProgFd, int flags) {
        LinkRules.update(linkFd, newProgFd, oldProgFd, flags);
        Operation op = Operation.LINK_UPDATE;
        k.gate.require(op);
        Scratch s = k.scratch();
        LinkAttrs.linkUpdate(s.attr(), linkFd, newProgFd, flags, oldProgFd);
        long rc = k.bpf(op, s);
        if (rc < 0) throw Kernel.error(op, "link fd " + linkFd, rc, null);
    }

    /**
     * {@code BPF_LINK_DETACH}.
     *
     * @param linkFd the link
     */
    public void detach(int linkFd) {
        LinkRules.detach(linkFd);
        Operation op = Operation.LINK_DETACH;
        k.gate.require(op);
        Scratch s = k.scratch();
        LinkAttrs.fdOnly(s.attr(), linkFd);
        long rc = k.bpf(op, s);
        if (rc < 0) throw Kernel.error(op, "link fd " + linkFd, rc, null);
    }

    /**
     * {@code BPF_RAW_TRACEPOINT_OPEN}.
     *
     * @param name the tracepoint or null
     * @param progFd the program
     * @param cookie the cookie
     * @return the link
     */
    public int rawTracepointOpen(String name, int progFd, long cookie) {
        LinkRules.rawTracepointOpen(name, progFd);
        Operation op = Operation.RAW_TRACEPOINT_OPEN;
        k.gate.require(op);
        Scratch s = k.scratch();
        return (int) check(op, rawTracepointOpen(s, name, progFd, cookie), "tracepoint " + name);
    }

    long rawTracepointOpen(Scratch s, String name, int progFd, long cookie) {
        long na = 0;
        if (name != null) {
            na = s.reserve(Scratch.AUX, BpfAttr.cStringSize(name));
            BpfAttr.putCString(s.buf(Scratch.AUX), name);
        }
        LinkAttrs.rawTracepointOpen(s.attr(), na, progFd, cookie);
        return k.bpfFd(Operation.RAW_TRACEPOINT_OPEN, s);
    }

    /**
     * {@code BPF_ITER_CREATE}.
     *
     * @param linkFd the iterator link
     * @param flags 0
     * @return a readable descriptor
     */
    public int iterCreate(int linkFd, int flags) {
        LinkRules.iterCreate(linkFd, flags);
        Operation op = Operation.ITER_CREATE;
        k.gate.require(op);
        Scratch s = k.scratch();
        LinkAttrs.iterCreate(s.attr(), linkFd, flags);
        return (int) check(op, k.bpfFd(op, s), "link fd " + linkFd);
    }

    private static long check(Operation op, long rc, String obj) {
        if (rc < 0) throw Kernel.error(op, obj, rc, null);
        return rc;
    }

    /** For the capability report: the attach type's uapi number. */
    static int number(AttachType t) {
        return LinuxUapi.attachType(t);
    }
}
