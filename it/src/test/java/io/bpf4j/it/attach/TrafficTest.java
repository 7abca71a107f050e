package io.bpf4j.it.attach;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.Anchor;
import io.bpf4j.api.AttachType;
import io.bpf4j.api.Attachments;
import io.bpf4j.api.BpfException;
import io.bpf4j.api.BpfLink;
import io.bpf4j.api.BpfProgram;
import io.bpf4j.api.Errno;
import io.bpf4j.api.LinkDetails;
import io.bpf4j.api.LinkInfo;
import io.bpf4j.api.LinkType;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.XdpMode;
import io.bpf4j.it.KernelTest;
import org.junit.jupiter.api.Test;

/**
 * XDP and TCX programs on a veth pair between two namespaces the test made count the ICMP
 * packets real pings (ICMP echo from Java, one request and one reply each) send across it, and stop counting once detached; a live XDP link swaps
 * its program and the swap shows in the counts.
 */
class TrafficTest extends KernelTest {
    private static final int XDP_PASS = 2;
    private static final int TCX_NEXT = -1;

    private static BpfProgram load(ProgramType t, long[] insns) {
        return BpfProgram.load(bpf, ProgramSpec.of(t, insns, "GPL"));
    }

    private static void ping(NetnsPair net, int n) {
        net.pingBFromA(n);
    }

    @Test
    void xdpCountsPingsUntilTheLinkCloses() {
        try (NetnsPair net = new NetnsPair(); Counters c = new Counters(bpf, 2);
                BpfProgram p = load(ProgramType.XDP, Progs.countIcmpFrames(true, c.fd(), 0, XDP_PASS))) {
            int ifB = net.ifindexB();
            BpfLink link = net.inB(() -> p.attachXdp(ifB, XdpMode.DEFAULT));
            try {
                LinkInfo info = link.info();
                assertEquals(LinkType.XDP, info.type());
                assertEquals(new LinkDetails.Xdp(ifB), info.details());
                assertEquals(p.info().id(), info.progId());
                ping(net, 3);
                assertEquals(3, c.get(0), "one echo request per ping reaches b's XDP hook");
            } finally {
                link.close();
            }
            ping(net, 2);
            assertEquals(3, c.get(0), "closing the link detached the program");
        }
    }

    @Test
    void xdpAttachesByInterfaceNameInTheCallersNamespace() {
        try (NetnsPair net = new NetnsPair(); Counters c = new Counters(bpf, 2);
                BpfProgram p = load(ProgramType.XDP, Progs.countIcmpFrames(true, c.fd(), 0, XDP_PASS))) {
            int ifB = net.ifindexB();
            assertEquals(ifB, (int) net.inB(() -> bpf.interfaceIndex(net.devB)), "if_nametoindex in b's namespace");
            // Here, in the test's own namespace, b's veth end does not exist.
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.attachXdp(net.devB, XdpMode.DEFAULT));
            assertEquals("name: no interface '" + net.devB + "' in this network namespace", e.getMessage());
            try (BpfLink link = net.inB(() -> p.attachXdp(net.devB, XdpMode.DEFAULT))) {
                assertEquals(new LinkDetails.Xdp(ifB), link.info().details());
                ping(net, 2);
                assertEquals(2, c.get(0), "the program attached by name counts b's echo requests");
            }
        }
    }

    @Test
    void xdpLinkUpdateSwapsTheProgramAndChecksTheOldOne() {
        try (NetnsPair net = new NetnsPair(); Counters c = new Counters(bpf, 2);
                BpfProgram first = load(ProgramType.XDP, Progs.countIcmpFrames(true, c.fd(), 0, XDP_PASS));
                BpfProgram second = load(ProgramType.XDP, Progs.countIcmpFrames(true, c.fd(), 1, XDP_PASS))) {
            int ifB = net.ifindexB();
            try (BpfLink link = net.inB(() -> first.attachXdp(ifB, XdpMode.DEFAULT))) {
                ping(net, 2);
                link.update(second, first);
                assertEquals(second.info().id(), link.info().progId());
                ping(net, 3);
                assertEquals(2, c.get(0), "the first program stopped with the swap");
                assertEquals(3, c.get(1), "the second program counts from the swap on");
                BpfException e = assertThrows(BpfException.class, () -> link.update(first, first));
                assertEquals(Errno.EPERM, e.errno(), "expected program is not the attached one: " + e.getMessage());
                assertEquals(second.info().id(), link.info().progId(), "the refused swap changed nothing");
                link.detach();
                ping(net, 1);
                assertEquals(3, c.get(1), "BPF_LINK_DETACH stopped the program while the link is open");
            }
        }
    }

    @Test
    void tcxIngressAndEgressCountUntilDetached() {
        try (NetnsPair net = new NetnsPair(); Counters c = new Counters(bpf, 2);
                BpfProgram in = load(ProgramType.SCHED_CLS, Progs.countIcmpFrames(false, c.fd(), 0, TCX_NEXT));
                BpfProgram out = load(ProgramType.SCHED_CLS, Progs.countIcmpFrames(false, c.fd(), 1, TCX_NEXT))) {
            int ifB = net.ifindexB();
            BpfLink ingress = net.inB(() -> in.attachTcx(ifB, AttachType.TCX_INGRESS, Anchor.NONE));
            try {
                // Legacy BPF_PROG_ATTACH on the egress side: the hook owns it until detached.
                net.inB(() -> {
                    out.attach(ifB, AttachType.TCX_EGRESS, 0, Anchor.last());
                    return null;
                });
                Attachments eg = net.inB(() -> Attachments.query(bpf, ifB, AttachType.TCX_EGRESS));
                assertArrayEquals(new int[] {out.info().id()}, eg.programIds());
                assertArrayEquals(new int[] {0}, eg.linkIds(), "attached without a link");
                assertEquals(new LinkDetails.Tcx(ifB, AttachType.TCX_INGRESS), ingress.info().details());
                ping(net, 4);
                assertEquals(4, c.get(0), "echo requests into b");
                assertEquals(4, c.get(1), "echo replies out of b");
                net.inB(() -> {
                    out.detach(ifB, AttachType.TCX_EGRESS);
                    return null;
                });
                assertTrue(net.inB(() -> Attachments.query(bpf, ifB, AttachType.TCX_EGRESS)).isEmpty());
            } finally {
                ingress.close();
            }
            ping(net, 2);
            assertEquals(4, c.get(0), "the ingress link is closed");
            assertEquals(4, c.get(1), "the egress program is detached");
            assertTrue(net.inB(() -> Attachments.query(bpf, ifB, AttachType.TCX_INGRESS)).isEmpty());
        }
    }
}
