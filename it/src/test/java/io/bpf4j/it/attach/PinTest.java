package io.bpf4j.it.attach;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.AttachTarget;
import io.bpf4j.api.AttachType;
import io.bpf4j.api.BpfException;
import io.bpf4j.api.BpfLink;
import io.bpf4j.api.BpfProgram;
import io.bpf4j.api.Errno;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.it.KernelTest;
import io.bpf4j.testsupport.Need;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A pinned link outlives its handle and keeps its program attached until {@code objUnpin}
 * removes the pin; unpinning what is not there is ENOENT, and a path off bpffs is refused
 * before anything is unlinked.
 */
class PinTest extends KernelTest {

    @Test
    void aPinnedLinkStaysAttachedUntilUnpinned() throws Exception {
        Path pin = Need.bpffs().resolve(io.bpf4j.testsupport.Host.fresh("pin"));
        try (TestCgroup cg = new TestCgroup(); BpfProgram p = BpfProgram.load(bpf, ProgramSpec.of(ProgramType.CGROUP_SKB,
                Progs.returning(1), "GPL").withExpectedAttachType(AttachType.CGROUP_INET_EGRESS))) {
            AttachTarget target = new AttachTarget.Cgroup(cg.path());
            int linkId;
            try {
                try (BpfLink l = p.attachCgroup(cg.path(), AttachType.CGROUP_INET_EGRESS)) {
                    l.pin(pin.toString());
                    linkId = l.info().id();
                }
                assertTrue(Files.exists(pin));
                assertEquals(p.info().id(), io.bpf4j.api.Attachments.query(bpf, target, AttachType.CGROUP_INET_EGRESS)
                        .programIds()[0], "the pin holds the link, so the program stays attached");
                try (BpfLink again = BpfLink.pinned(bpf, pin.toString())) {
                    assertEquals(linkId, again.info().id());
                }
                bpf.objUnpin(pin.toString());
                assertFalse(Files.exists(pin));
                // bpffs drops the inode's reference after an RCU grace period, not inside unlink(2),
                // so the link goes shortly after the pin: wait for it, within a bound.
                long deadline = System.nanoTime() + 5_000_000_000L;
                while (!io.bpf4j.api.Attachments.query(bpf, target, AttachType.CGROUP_INET_EGRESS).isEmpty()
                        && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                assertTrue(io.bpf4j.api.Attachments.query(bpf, target, AttachType.CGROUP_INET_EGRESS).isEmpty(),
                        "the last reference went with the pin");
                BpfException e = assertThrows(BpfException.class, () -> bpf.objUnpin(pin.toString()));
                assertEquals(Errno.ENOENT, e.errno());
                assertEquals("unlink", e.call(), e.getMessage());
            } finally {
                Files.deleteIfExists(pin);
            }
        }
        Path tmp = Files.createTempFile("bpf4j-not-a-pin", "");
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> bpf.objUnpin(tmp.toString()));
            assertTrue(e.getMessage().contains("not on bpffs"), e.getMessage());
            assertTrue(Files.exists(tmp), "refused, not unlinked");
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
