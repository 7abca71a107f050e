package io.bpf4j.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.bpf4j.api.AttachFlags;
import io.bpf4j.api.AttachSpec;
import io.bpf4j.api.AttachTarget;
import io.bpf4j.api.AttachType;
import io.bpf4j.api.Errno;
import io.bpf4j.api.LinkDetails;
import io.bpf4j.api.LinkInfo;
import io.bpf4j.api.LinkOptions;
import io.bpf4j.api.LinkSpec;
import io.bpf4j.api.LinkType;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.QueryResult;
import io.bpf4j.api.QuerySpec;
import org.junit.jupiter.api.Test;

/** Sequences replayed from Linux 6.18 (TCX on lo, cgroup v2 directories), with the kernel's answers. */
class AttachTest extends SimTestBase {
    private static final AttachType IN = AttachType.TCX_INGRESS;

    private QueryResult tcx(int ifindex) {
        return sim.progQuery(new QuerySpec(ifindex, IN, 0));
    }

    private void tcxAttach(int prog, int flags, int relative, long revision) {
        sim.progAttach(new AttachSpec(1, prog, IN, flags, 0, relative, revision));
    }

    @Test
    void tcxRevisionsLimitsAndAnchors() {
        int[] p = new int[65];
        for (int i = 0; i < p.length; i++) p[i] = prog(ProgramType.SCHED_CLS, ret(0));
        assertEquals(1, tcx(1).revision(), "an empty hook is at revision 1");
        tcxAttach(p[0], 0, 0, 0);
        assertEquals(2, tcx(1).revision());
        fails(Errno.EEXIST, () -> tcxAttach(p[0], 0, 0, 0));
        for (int i = 1; i < 63; i++) tcxAttach(p[i], 0, 0, 0);
        // bpf_mprog_max() is 63: the 64th program is ERANGE, with or without an anchor.
        fails(Errno.ERANGE, () -> tcxAttach(p[63], 0, 0, 0));
        fails(Errno.ERANGE, () -> tcxAttach(p[64], AttachFlags.BEFORE, 0, 0));
        QueryResult full = tcx(1);
        assertEquals(63, full.programIds().length);
        assertEquals(64, full.revision());
        for (int i = 0; i < 63; i++) sim.progDetach(new AttachSpec(1, p[i], IN, 0, 0, 0, 0));
        assertEquals(1, tcx(1).revision(), "the emptied hook is freed, its revision back at 1");
        fails(Errno.ENOENT, () -> sim.progDetach(new AttachSpec(1, p[0], IN, 0, 0, 0, 0)));
        fails(Errno.ERANGE, () -> tcxAttach(p[0], AttachFlags.BEFORE | AttachFlags.AFTER, 0, 0));
        fails(Errno.ENOENT, () -> tcxAttach(p[0], AttachFlags.AFTER, p[1], 0));
        fails(Errno.ESTALE, () -> tcxAttach(p[0], 0, 0, 5));
        fails(Errno.EINVAL, () -> tcxAttach(p[0], 0, p[1], 0));
        fails(Errno.ENODEV, () -> sim.progAttach(AttachSpec.of(0, p[0], IN, 0)));
        fails(Errno.ENODEV, () -> sim.progQuery(new QuerySpec(0, IN, 0)));
        // Anchors: b first, then a before b, c after a, d last; by descriptor and by id.
        tcxAttach(p[1], 0, 0, 0);
        tcxAttach(p[2], AttachFlags.BEFORE, p[1], 0);
        int id2 = sim.progGetInfo(p[2]).id();
        tcxAttach(p[3], AttachFlags.AFTER | AttachFlags.ID, id2, 0);
        tcxAttach(p[4], AttachFlags.AFTER, 0, tcx(1).revision());
        tcxAttach(p[5], AttachFlags.BEFORE, 0, 0);
        int[] ids = {p[5], p[2], p[3], p[1], p[4]};
        for (int i = 0; i < ids.length; i++) ids[i] = sim.progGetInfo(ids[i]).id();
        assertArrayEquals(ids, tcx(1).programIds());
        // Conflicting anchors: before p1 is index 2, after p2 is index 2 too: allowed; after p1 is not.
        fails(Errno.ERANGE, () -> tcxAttach(p[6], AttachFlags.BEFORE | AttachFlags.AFTER, p[1], 0));
        for (int x : new int[] {p[1], p[2], p[3], p[4], p[5]}) sim.progDetach(new AttachSpec(1, x, IN, 0, 0, 0, 0));
        for (int x : p) sim.closeFd(x);
    }

    @Test
    void tcxLinksOwnTheirPrograms() {
        int[] p = new int[6];
        for (int i = 0; i < p.length; i++) p[i] = prog(ProgramType.SCHED_CLS, ret(0));
        int l = sim.linkCreate(new LinkSpec(p[2], 1, IN, 0, new LinkOptions.Mprog(0, 0)));
        QueryResult q = tcx(1);
        assertEquals(2, q.revision());
        assertArrayEquals(new int[] {sim.linkGetInfo(l).id()}, q.linkIds());
        fails(Errno.EBUSY, () -> sim.progDetach(new AttachSpec(1, p[2], IN, 0, 0, 0, 0)));
        fails(Errno.EBUSY, () -> sim.progDetach(new AttachSpec(1, 0, IN, 0, 0, 0, 0)));
        fails(Errno.EPERM, () -> sim.linkUpdate(l, p[4], p[3], AttachFlags.REPLACE));
        sim.linkUpdate(l, p[4], 0, 0);
        assertEquals(3, tcx(1).revision());
        assertEquals(sim.progGetInfo(p[4]).id(), tcx(1).programIds()[0]);
        sim.linkDetach(l);
        assertEquals(1, tcx(1).revision());
        assertEquals(0, tcx(1).programIds().length);
        LinkInfo info = sim.linkGetInfo(l);
        assertEquals(LinkType.TCX, info.type());
        assertEquals(11, info.rawType());
        assertEquals(new LinkDetails.Tcx(0, IN), info.details(), "a defunct link shows no interface");
        assertEquals(sim.progGetInfo(p[4]).id(), info.progId());
        fails(Errno.ENOLINK, () -> sim.linkUpdate(l, p[5], 0, 0));
        // Closing an attached link detaches it.
        int l2 = sim.linkCreate(new LinkSpec(p[1], 1, IN, 0, new LinkOptions.Mprog(0, 0)));
        assertEquals(1, tcx(1).programIds().length);
        sim.closeFd(l2);
        assertEquals(0, tcx(1).programIds().length);
        sim.closeFd(l);
        for (int x : p) sim.closeFd(x);
    }

    @Test
    void cgroupOverrideAndMultiRules() {
        int parent = sim.openTarget(new AttachTarget.Cgroup("/sys/fs/cgroup/agent"));
        int child = sim.openTarget(new AttachTarget.Cgroup("/sys/fs/cgroup/agent/c"));
        int[] p = new int[4];
        for (int i = 0; i < p.length; i++) p[i] = prog(ProgramType.CGROUP_SKB, ret(1));
        AttachType in = AttachType.CGROUP_INET_INGRESS;
        sim.progAttach(AttachSpec.of(parent, p[0], in, 0));
        fails(Errno.EPERM, () -> sim.progAttach(AttachSpec.of(child, p[1], in, 0)));
        sim.progAttach(AttachSpec.of(parent, p[1], in, 0));
        assertArrayEquals(new int[] {sim.progGetInfo(p[1]).id()}, sim.progQuery(new QuerySpec(parent, in, 0)).programIds(),
                "a single-program hook is replaced");
        fails(Errno.EPERM, () -> sim.progAttach(AttachSpec.of(parent, p[2], in, AttachFlags.ALLOW_MULTI)));
        sim.progDetach(AttachSpec.of(parent, 0, in, 0));
        sim.progAttach(AttachSpec.of(parent, p[0], in, AttachFlags.ALLOW_OVERRIDE));
        sim.progAttach(AttachSpec.of(child, p[1], in, AttachFlags.ALLOW_MULTI));
        sim.progAttach(AttachSpec.of(child, p[2], in, AttachFlags.ALLOW_MULTI));
        fails(Errno.EINVAL, () -> sim.progAttach(AttachSpec.of(child, p[2], in, AttachFlags.ALLOW_MULTI)));
        fails(Errno.EPERM, () -> sim.progAttach(AttachSpec.of(child, p[3], in, 0)));
        QueryResult eff = sim.progQuery(new QuerySpec(child, in, QuerySpec.EFFECTIVE));
        assertArrayEquals(new int[] {sim.progGetInfo(p[1]).id(), sim.progGetInfo(p[2]).id()}, eff.programIds(),
                "the parent's override program does not run below a multi child");
        assertEquals(0, eff.attachFlags());
        QueryResult own = sim.progQuery(new QuerySpec(child, in, 0));
        assertEquals(AttachFlags.ALLOW_MULTI, own.attachFlags());
        assertEquals(3, own.revision());
        fails(Errno.EINVAL, () -> sim.progDetach(AttachSpec.of(child, 0, in, 0)));
        fails(Errno.ENOENT, () -> sim.progDetach(AttachSpec.of(child, p[3], in, 0)));
        sim.progAttach(new AttachSpec(child, p[3], in, AttachFlags.ALLOW_MULTI | AttachFlags.REPLACE, p[1], 0, 0));
        fails(Errno.EINVAL, () -> sim.progAttach(new AttachSpec(child, p[0], in, AttachFlags.REPLACE, p[3], 0, 0)));
        fails(Errno.EINVAL, () -> sim.progAttach(AttachSpec.of(child, p[0], in, AttachFlags.ALLOW_MULTI | AttachFlags.ALLOW_OVERRIDE)));
        fails(Errno.EINVAL, () -> sim.progAttach(AttachSpec.of(child, p[0], AttachType.CGROUP_INET_SOCK_CREATE, 0)));
        // Links: the same program twice is fine; its direct detach is ENOENT; update checks the old program.
        AttachType out = AttachType.CGROUP_INET_EGRESS;
        int l1 = sim.linkCreate(LinkSpec.of(p[1], child, out, 0));
        int l2 = sim.linkCreate(LinkSpec.of(p[1], child, out, 0));
        assertNotEquals(l1, l2);
        // __cgroup_bpf_query(): per-program flags are the hook's, link ids stay 0 (only TCX and
        // netkit report links), an effective query has revision 0.
        QueryResult viaLinks = sim.progQuery(new QuerySpec(child, out, 0));
        assertArrayEquals(new int[] {AttachFlags.ALLOW_MULTI, AttachFlags.ALLOW_MULTI}, viaLinks.programAttachFlags());
        assertArrayEquals(new int[2], viaLinks.linkIds());
        assertEquals(3, viaLinks.revision());
        QueryResult effLinks = sim.progQuery(new QuerySpec(child, out, QuerySpec.EFFECTIVE));
        assertArrayEquals(new int[2], effLinks.linkIds());
        assertArrayEquals(new int[2], effLinks.programAttachFlags());
        assertEquals(0, effLinks.revision());
        fails(Errno.ENOENT, () -> sim.progDetach(AttachSpec.of(child, p[1], out, 0)));
        fails(Errno.EPERM, () -> sim.linkUpdate(l1, p[2], p[3], AttachFlags.REPLACE));
        LinkInfo li = sim.linkGetInfo(l1);
        assertEquals(LinkType.CGROUP, li.type());
        long cgid = ((LinkDetails.Cgroup) li.details()).cgroupId();
        sim.linkDetach(l1);
        sim.linkDetach(l1);
        assertEquals(new LinkDetails.Cgroup(0, out), sim.linkGetInfo(l1).details());
        assertNotEquals(0, cgid);
        fails(Errno.ENOLINK, () -> sim.linkUpdate(l1, p[2], 0, 0));
        for (int x : new int[] {l1, l2, parent, child}) sim.closeFd(x);
        for (int x : p) sim.closeFd(x);
        assertEquals(3, sim.livePrograms(), "p[0] on the parent, p[2] and p[3] on the child stay attached");
    }

    @Test
    void cgroupAnchorsAndRevisionsOutliveTheirPrograms() {
        int cg = sim.openTarget(new AttachTarget.Cgroup("/sys/fs/cgroup/anchors"));
        AttachType in = AttachType.CGROUP_INET_INGRESS;
        int[] p = new int[4];
        int[] id = new int[4];
        for (int i = 0; i < p.length; i++) {
            p[i] = prog(ProgramType.CGROUP_SKB, ret(1));
            id[i] = sim.progGetInfo(p[i]).id();
        }
        int multi = AttachFlags.ALLOW_MULTI;
        assertEquals(1, sim.progQuery(new QuerySpec(cg, in, 0)).revision());
        sim.progAttach(AttachSpec.of(cg, p[0], in, multi));
        sim.progAttach(new AttachSpec(cg, p[1], in, multi | AttachFlags.BEFORE, 0, p[0], 0));
        sim.progAttach(AttachSpec.of(cg, p[2], in, multi | AttachFlags.AFTER));
        // Linux 6.18: anchors without multi are EPERM (other flags), both anchors EINVAL, stale revisions ESTALE.
        fails(Errno.EPERM, () -> sim.progAttach(AttachSpec.of(cg, p[3], in, AttachFlags.BEFORE)));
        fails(Errno.EINVAL, () -> sim.progAttach(new AttachSpec(cg, p[3], in, multi | AttachFlags.BEFORE | AttachFlags.AFTER, 0, p[0], 0)));
        fails(Errno.ESTALE, () -> sim.progAttach(new AttachSpec(cg, p[3], in, multi, 0, 0, 3)));
        QueryResult q = sim.progQuery(new QuerySpec(cg, in, 0));
        assertArrayEquals(new int[] {id[1], id[0], id[2]}, q.programIds());
        assertEquals(4, q.revision());
        fails(Errno.ESTALE, () -> sim.progDetach(new AttachSpec(cg, p[1], in, 0, 0, 0, 2)));
        fails(Errno.EINVAL, () -> sim.progDetach(AttachSpec.of(cg, p[1], in, AttachFlags.BEFORE)));
        for (int i = 0; i < 3; i++) sim.progDetach(AttachSpec.of(cg, p[i], in, 0));
        assertEquals(7, sim.progQuery(new QuerySpec(cg, in, 0)).revision(), "a cgroup keeps counting when empty");
        for (int x : p) sim.closeFd(x);
        sim.closeFd(cg);
    }

    @Test
    void xdpTakesOneLinkPerInterface() {
        int p = prog(ProgramType.XDP, ret(2));
        int l = sim.linkCreate(LinkSpec.of(p, 7, AttachType.XDP, 0));
        fails(Errno.EBUSY, () -> sim.linkCreate(LinkSpec.of(p, 7, AttachType.XDP, 0)));
        fails(Errno.EINVAL, () -> sim.linkCreate(LinkSpec.of(p, 0, AttachType.XDP, 0)));
        assertEquals(new LinkDetails.Xdp(7), sim.linkGetInfo(l).details());
        fails(Errno.EINVAL, () -> sim.progAttach(AttachSpec.of(7, p, AttachType.XDP, 0)));
        sim.closeFd(l);
        int l2 = sim.linkCreate(LinkSpec.of(p, 7, AttachType.XDP, 0));
        sim.objPin(l2, "/sys/fs/bpf/xdp");
        fails(Errno.EINVAL, () -> sim.objGet("/sys/fs/bpf/xdp", io.bpf4j.api.MapFlags.RDONLY));
        sim.closeFd(l2);
        // The pin keeps the link attached.
        fails(Errno.EBUSY, () -> sim.linkCreate(LinkSpec.of(p, 7, AttachType.XDP, 0)));
        sim.objUnpin("/sys/fs/bpf/xdp");
        sim.closeFd(p);
        assertEquals(0, sim.livePrograms());
    }
}
