package io.bpf4j.it.diff;

import io.bpf4j.api.AttachSpec;
import io.bpf4j.api.AttachType;
import io.bpf4j.api.LinkOptions;
import io.bpf4j.api.LinkSpec;
import io.bpf4j.api.QueryResult;
import io.bpf4j.api.QuerySpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Attach, detach, link and query as scenario steps. Targets are the context's interface
 * (ifindex 1: loopback of the scenario's fresh namespace) or its cgroup (opened as "cg");
 * anchors name programs and links by symbol; a query renders programs and links as symbols,
 * the flags and the revision.
 */
final class AttachOps {
    final Scenario s;
    final AttachType type;
    final boolean cgroup;

    AttachOps(Scenario s, AttachType type, boolean cgroup) {
        this.s = s;
        this.type = type;
        this.cgroup = cgroup;
    }

    private int target(Ctx c) {
        return cgroup ? c.fd("cg") : c.ifindex;
    }

    /** Opens the scenario's cgroup as "cg" (a real directory on Linux, a virtual path in the sim). */
    AttachOps openCgroup() {
        s.step("open the test cgroup as cg", c -> {
            c.def("cg", c.bpf.openTarget(new io.bpf4j.api.AttachTarget.Cgroup(c.cgroupPath)));
            return "opened";
        });
        return this;
    }

    /** {@code relSym} is a program or link symbol (0 when null); revision 0 means none expected. */
    AttachOps attach(String prog, int flags, String relSym, long revision) {
        s.step("attach " + prog + " flags=0x" + Integer.toHexString(flags) + (relSym != null ? " relative " + relSym : "")
                + (revision != 0 ? " expecting revision " + revision : ""), c -> {
                    int rel = relSym == null ? 0 : c.fd(relSym);
                    boolean replace = (flags & io.bpf4j.api.AttachFlags.REPLACE) != 0;
                    c.bpf.progAttach(new AttachSpec(target(c), c.fd(prog), type, flags, replace ? rel : 0, replace ? 0 : rel, revision));
                    return null;
                });
        return this;
    }

    AttachOps detach(String prog) {
        s.step("detach " + prog, c -> {
            c.bpf.progDetach(new AttachSpec(target(c), prog == null ? 0 : c.fd(prog), type, 0, 0, 0, 0));
            return null;
        });
        return this;
    }

    AttachOps link(String link, String prog, int flags, String relSym, long revision) {
        s.step("link " + link + " for " + prog + " flags=0x" + Integer.toHexString(flags)
                + (relSym != null ? " relative " + relSym : "") + (revision != 0 ? " expecting revision " + revision : ""), c -> {
                    int rel = relSym == null ? 0 : c.fd(relSym);
                    LinkOptions o = cgroup ? LinkOptions.None.INSTANCE : new LinkOptions.Mprog(rel, revision);
                    c.def(link, c.bpf.linkCreate(new LinkSpec(c.fd(prog), target(c), type, flags, o)));
                    return "linked";
                });
        return this;
    }

    AttachOps closeLink(String link) {
        s.step("close " + link, c -> {
            c.close(link);
            return null;
        });
        return this;
    }

    AttachOps query() {
        return query(0);
    }

    /**
     * A query with {@code queryFlags} (0 or {@link QuerySpec#EFFECTIVE}): the hook's flags and
     * revision, then per program its symbol, the link holding it (when the kernel names one),
     * and its attach flags when non-zero.
     */
    AttachOps query(int queryFlags) {
        s.step("query " + type + (queryFlags != 0 ? " flags=0x" + Integer.toHexString(queryFlags) : ""), c -> {
            QueryResult q = c.bpf.progQuery(new QuerySpec(target(c), type, queryFlags));
            List<String> progs = new ArrayList<>();
            for (int i = 0; i < q.programIds().length; i++) {
                String p = c.progSymOfId(q.programIds()[i]);
                int linkId = q.linkIds() == null || q.linkIds().length <= i ? 0 : q.linkIds()[i];
                int pflags = q.programAttachFlags() == null || q.programAttachFlags().length <= i ? 0 : q.programAttachFlags()[i];
                progs.add(p + (linkId != 0 ? " via " + c.linkSymOfId(linkId) : "")
                        + (pflags != 0 ? " flags=0x" + Integer.toHexString(pflags) : ""));
            }
            return "flags=0x" + Integer.toHexString(q.attachFlags()) + " rev=" + q.revision() + " " + progs;
        });
        return this;
    }
}
