package io.bpf4j.it.attach;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.Anchor;
import io.bpf4j.api.AttachFlags;
import io.bpf4j.api.AttachType;
import io.bpf4j.api.Attachments;
import io.bpf4j.api.BpfException;
import io.bpf4j.api.BpfLink;
import io.bpf4j.api.BpfProgram;
import io.bpf4j.api.Errno;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.it.KernelTest;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/**
 * Multi-program ordering on a TCX hook of a veth in a test namespace: first / last / before /
 * after / replace anchors put programs where they say, query returns them in that order with
 * their links and the revision, and each mprog error (ESTALE, EEXIST, ERANGE, ENOENT, EBUSY)
 * comes back as a {@link BpfException} whose message says what happened.
 */
class TcxOrderTest extends KernelTest {
    private static final AttachType IN = AttachType.TCX_INGRESS;

    private static BpfProgram tcx() {
        return BpfProgram.load(bpf, ProgramSpec.of(ProgramType.SCHED_CLS, Progs.returning(-1), "GPL"));
    }

    private static int id(BpfProgram p) {
        return p.info().id();
    }

    private static BpfException fails(NetnsPair net, Errno errno, String words, Callable<?> body) {
        BpfException e = assertThrows(BpfException.class, () -> net.inB(body));
        assertEquals(errno, e.errno(), e.getMessage());
        assertTrue(e.getMessage().contains(words), "message should say \"" + words + "\": " + e.getMessage());
        return e;
    }

    @Test
    void anchorsOrderTheListAndRevisionsGuardIt() {
        try (NetnsPair net = new NetnsPair(); BpfProgram a = tcx(); BpfProgram b = tcx(); BpfProgram c = tcx();
                BpfProgram d = tcx(); BpfProgram e = tcx(); BpfProgram stranger = tcx()) {
            int ifB = net.ifindexB();
            Attachments empty = net.inB(() -> Attachments.query(bpf, ifB, IN));
            assertTrue(empty.isEmpty());
            BpfLink la = net.inB(() -> a.attachTcx(ifB, IN, Anchor.last()));
            BpfLink lb = null;
            BpfLink lc = null;
            try {
                Attachments q1 = net.inB(() -> Attachments.query(bpf, ifB, IN));
                assertEquals(empty.revision() + 1, q1.revision(), "every change bumps the revision");
                lb = net.inB(() -> b.attachTcx(ifB, IN, Anchor.first().expectRevision(q1.revision())));
                BpfLink lbf = lb;
                // c right after b, named by b's link.
                lc = net.inB(() -> c.attachTcx(ifB, IN, Anchor.after(lbf)));
                Attachments q = net.inB(() -> Attachments.query(bpf, ifB, IN));
                assertArrayEquals(new int[] {id(b), id(c), id(a)}, q.programIds());
                assertArrayEquals(new int[] {lb.info().id(), lc.info().id(), la.info().id()}, q.linkIds());
                assertEquals(q1.revision() + 2, q.revision());

                // A stale revision: nothing is attached, ESTALE says so.
                long stale = q.revision() - 1;
                fails(net, Errno.ESTALE, "revision moved: expected " + stale,
                        () -> d.attachTcx(ifB, IN, Anchor.last().expectRevision(stale)));
                // d before a, by a's program id, at the current revision, with BPF_PROG_ATTACH.
                net.inB(() -> {
                    d.attach(ifB, IN, 0, Anchor.beforeProgramId(id(a)).expectRevision(q.revision()));
                    return null;
                });
                assertArrayEquals(new int[] {id(b), id(c), id(d), id(a)},
                        net.inB(() -> Attachments.query(bpf, ifB, IN)).programIds());
                // e replaces d in place (BPF_F_REPLACE of the legacy attach).
                net.inB(() -> {
                    e.attach(ifB, IN, 0, Anchor.replace(d));
                    return null;
                });
                Attachments r = net.inB(() -> Attachments.query(bpf, ifB, IN));
                assertArrayEquals(new int[] {id(b), id(c), id(e), id(a)}, r.programIds());
                assertEquals(0, r.programs().get(2).linkId(), "e is attached without a link");

                fails(net, Errno.EEXIST, "program already attached", () -> {
                    e.attach(ifB, IN, 0, Anchor.NONE);
                    return null;
                });
                // BEFORE and AFTER c name two different places.
                fails(net, Errno.ERANGE, "conflicting anchors", () -> {
                    d.attach(ifB, IN, 0, new Anchor(AttachFlags.BEFORE | AttachFlags.AFTER, c.fd(), 0));
                    return null;
                });
                fails(net, Errno.ENOENT, "not found at this hook", () -> d.attachTcx(ifB, IN, Anchor.after(stranger)));
                fails(net, Errno.EBUSY, "owned by a link; detach the link", () -> {
                    b.detach(ifB, IN);
                    return null;
                });
                assertEquals(r.revision(), net.inB(() -> Attachments.query(bpf, ifB, IN)).revision(),
                        "failed attaches change nothing");

                net.inB(() -> {
                    e.detach(ifB, IN);
                    return null;
                });
                fails(net, Errno.ENOENT, "program not attached", () -> {
                    e.detach(ifB, IN);
                    return null;
                });
                lc.close();
                assertArrayEquals(new int[] {id(b), id(a)}, net.inB(() -> Attachments.query(bpf, ifB, IN)).programIds());
            } finally {
                if (lc != null) lc.close();
                if (lb != null) lb.close();
                la.close();
            }
            assertTrue(net.inB(() -> Attachments.query(bpf, ifB, IN)).isEmpty());
        }
    }
}
