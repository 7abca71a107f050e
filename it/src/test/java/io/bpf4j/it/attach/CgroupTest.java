package io.bpf4j.it.attach;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.Anchor;
import io.bpf4j.api.AttachFlags;
import io.bpf4j.api.AttachTarget;
import io.bpf4j.api.AttachType;
import io.bpf4j.api.Attachments;
import io.bpf4j.api.BpfException;
import io.bpf4j.api.BpfLink;
import io.bpf4j.api.BpfProgram;
import io.bpf4j.api.Errno;
import io.bpf4j.api.LinkDetails;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.it.KernelTest;
import io.bpf4j.testsupport.Commands;
import io.bpf4j.testsupport.Ping;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/**
 * cgroup_skb programs on a cgroup the test made count the ICMP of a ping sent by a process placed
 * in that cgroup (and nothing of a ping from outside it); legacy {@code BPF_PROG_ATTACH} with
 * ALLOW_MULTI runs several programs in order, REPLACE swaps one in place, and a link counts until
 * closed.
 */
class CgroupTest extends KernelTest {
    private static final String LOOPBACK = "127.0.0.1";

    private static BpfProgram counter(Counters c, int slot, AttachType hook, int icmpType) {
        return BpfProgram.load(bpf, ProgramSpec.of(ProgramType.CGROUP_SKB, Progs.countIcmpPackets(c.fd(), slot, icmpType),
                "GPL").withExpectedAttachType(hook));
    }

    /**
     * Pings loopback three times from a process of the cgroup, inside a namespace of the test: a
     * raw ICMP socket receives every echo reply of its namespace, so on the host's loopback
     * another process' pings would be counted too.
     */
    private static void ping(TestCgroup cg, NetnsPair net) {
        Commands.Result r = cg.pingInside(net.nsA, LOOPBACK, 3);
        assertEquals(0, r.code(), "ping in the cgroup failed: " + r.out());
    }

    @Test
    void allowMultiRunsInOrderAndReplaceSwapsInPlace() {
        AttachType eg = AttachType.CGROUP_INET_EGRESS;
        try (TestCgroup cg = new TestCgroup(); NetnsPair net = new NetnsPair(); Counters c = new Counters(bpf, 3);
                BpfProgram p1 = counter(c, 0, eg, 8); BpfProgram p2 = counter(c, 1, eg, 8);
                BpfProgram p3 = counter(c, 2, eg, 8)) {
            AttachTarget target = new AttachTarget.Cgroup(cg.path());
            int fd = bpf.openTarget(target);
            try {
                p1.attach(fd, eg, AttachFlags.ALLOW_MULTI);
                p2.attach(fd, eg, AttachFlags.ALLOW_MULTI);
                Attachments q = Attachments.query(bpf, target, eg);
                assertArrayEquals(new int[] {p1.info().id(), p2.info().id()}, q.programIds());
                assertEquals(AttachFlags.ALLOW_MULTI, q.attachFlags());
                assertEquals(AttachFlags.ALLOW_MULTI, q.programs().get(0).programFlags());

                ping(cg, net);
                assertEquals(3, c.get(0), "three echo requests left the cgroup");
                assertEquals(3, c.get(1), "both programs run");
                Commands.Result outside = Commands.exec(Ping.command(net.nsA, LOOPBACK, 3));
                assertEquals(0, outside.code(), outside.out());
                assertEquals(3, c.get(0), "a process outside the cgroup is not counted");

                p3.attach(fd, eg, AttachFlags.ALLOW_MULTI, Anchor.replace(p1));
                assertArrayEquals(new int[] {p3.info().id(), p2.info().id()}, Attachments.query(bpf, target, eg).programIds(),
                        "p3 took p1's place");
                ping(cg, net);
                assertEquals(3, c.get(0), "p1 no longer runs");
                assertEquals(6, c.get(1));
                assertEquals(3, c.get(2));

                // Mixing modes: a plain attach where ALLOW_MULTI programs are is refused.
                BpfException e = assertThrows(BpfException.class, () -> p1.attach(fd, eg, 0));
                assertEquals(Errno.EPERM, e.errno(), e.getMessage());
                // Replacing a program that is not attached.
                e = assertThrows(BpfException.class, () -> p1.attach(fd, eg, AttachFlags.ALLOW_MULTI, Anchor.replace(p1)));
                assertEquals(Errno.ENOENT, e.errno(), e.getMessage());

                p3.detach(fd, eg);
                p2.detach(fd, eg);
                assertTrue(Attachments.query(bpf, target, eg).isEmpty());
                ping(cg, net);
                assertEquals(6, c.get(1), "detached");
            } finally {
                bpf.closeFd(fd);
            }
        }
    }

    @Test
    void aLinkCountsIngressUntilClosed() throws Exception {
        AttachType in = AttachType.CGROUP_INET_INGRESS;
        try (TestCgroup cg = new TestCgroup(); NetnsPair net = new NetnsPair(); Counters c = new Counters(bpf, 1);
                BpfProgram p = counter(c, 0, in, 0)) {
            BpfLink link = p.attachCgroup(cg.path(), in);
            try {
                long ino = (Long) Files.getAttribute(cg.dir, "unix:ino");
                assertEquals(new LinkDetails.Cgroup(ino, in), link.info().details());
                Attachments q = Attachments.query(bpf, new AttachTarget.Cgroup(cg.path()), in);
                assertArrayEquals(new int[] {p.info().id()}, q.programIds());
                // Linux 6.18 reports no link ids for cgroup hooks (the array stays zero); the
                // link itself says which program it holds.
                assertEquals(p.info().id(), link.info().progId());
                ping(cg, net);
                assertEquals(3, c.get(0), "three echo replies reached the pinging socket");
            } finally {
                link.close();
            }
            ping(cg, net);
            assertEquals(3, c.get(0), "the link is closed");
        }
    }
}
