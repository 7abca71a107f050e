package io.bpf4j.it.attach;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.Anchor;
import io.bpf4j.api.AttachType;
import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfException;
import io.bpf4j.api.BpfProgram;
import io.bpf4j.api.BpfUnsupportedException;
import io.bpf4j.api.Capabilities;
import io.bpf4j.api.Errno;
import io.bpf4j.api.LinkOptions;
import io.bpf4j.api.LinkType;
import io.bpf4j.api.MapType;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.Support;
import io.bpf4j.testsupport.LeakCheck;
import io.bpf4j.testsupport.ExpectedKernel;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Linux backend's attach and link capability claims, held to account: every attach type it
 * reports supported is used for real on a target the test made (or, for struct_ops, at least
 * reaches the kernel), every link type it reports supported is made and read back, every type
 * the CI kernel has ({@link ExpectedKernel}) is reported supported, and every unsupported one is
 * one that kernel lacks and throws {@link BpfUnsupportedException} from the attach helper with the
 * reported reason, which names what this kernel lacks.
 */
@ExtendWith(LeakCheck.class)
class CapabilityClaimsTest {
    private static Bpf bpf;
    private static Capabilities caps;

    @BeforeAll
    static void open() {
        bpf = Host.open();
        caps = bpf.capabilities();
    }

    @AfterAll
    static void close() {
        if (bpf != null) bpf.close();
    }

    @Test
    void everySupportedAttachTypeAttachesAndEveryLinkTypeIsMade() throws Exception {
        Set<LinkType> made = EnumSet.noneOf(LinkType.class);
        List<String> used = new ArrayList<>();
        try (TestCgroup cg = new TestCgroup(); NetnsPair net = new NetnsPair(); ProbeLibrary lib = new ProbeLibrary()) {
            Exercises ex = new Exercises(bpf, cg, net, lib);
            for (AttachType t : AttachType.values()) {
                if (!caps.attachType(t).supported()) continue;
                if (t == AttachType.STRUCT_OPS) {
                    BpfException e = assertThrows(BpfException.class, ex::structOps);
                    assertFalse(e instanceof BpfUnsupportedException, e.getMessage());
                    assertEquals(Errno.EINVAL, e.errno(), "the kernel itself refused the array map: " + e.getMessage());
                    used.add(t + " (kernel reached)");
                    continue;
                }
                LinkType lt;
                try {
                    lt = ex.use(t);
                } catch (RuntimeException | AssertionError e) {
                    throw new AssertionError(t + " is reported supported but using it failed: " + e, e);
                }
                if (lt != null) made.add(lt);
                used.add(t.toString());
            }
        }
        System.out.println("attach types used for real: " + used);
        for (LinkType lt : LinkType.values()) {
            Support s = caps.linkType(lt);
            if (!s.supported() || lt == LinkType.STRUCT_OPS) continue;
            assertTrue(made.contains(lt), lt + " links are reported supported but no exercise made one; made " + made);
        }
    }

    /**
     * The lower bound, from the CI kernel's expected table rather than the report: every
     * attach, link, program and map type that kernel has is reported supported (so a probe
     * that loses one cannot hide it as "unsupported"), and every one it lacks is reported
     * unsupported. UNSPEC is no type on any kernel.
     */
    @Test
    void everyTypeTheCiKernelHasIsReportedSupported() {
        List<String> wrong = new ArrayList<>();
        compare(caps.attachTypes(), AttachType.class, wrong);
        compare(caps.linkTypes(), LinkType.class, wrong);
        compare(caps.programTypes(), ProgramType.class, wrong);
        compare(caps.mapTypes(), MapType.class, wrong);
        assertEquals(List.of(), wrong, "the report against " + ExpectedKernel.KERNEL + "'s expected table");
    }

    private static <E extends Enum<E>> void compare(Map<E, Support> report, Class<E> type, List<String> wrong) {
        Set<E> lacking = ExpectedKernel.lacking(type);
        for (E c : type.getEnumConstants()) {
            boolean expected = !c.name().equals("UNSPEC") && !lacking.contains(c);
            Support s = report.get(c);
            if (s == null || s.supported() != expected) {
                wrong.add(type.getSimpleName() + "." + c + " reported " + s + ", expected "
                        + (expected ? "supported" : "unsupported: " + ExpectedKernel.reason(c)));
            }
        }
    }

    @Test
    void everyUnsupportedAttachTypeThrowsTheReportedReasonFromItsHelper() {
        int checked = 0;
        try (BpfProgram any = BpfProgram.load(bpf, ProgramSpec.of(ProgramType.SOCKET_FILTER, Progs.returning(0), "GPL"))) {
            for (AttachType t : AttachType.values()) {
                Support s = caps.attachType(t);
                if (s.supported()) continue;
                // The helper throwing proves only that the gate runs first; the table says whether
                // the kernel really lacks the hook.
                assertTrue(ExpectedKernel.lacks(t), t + " is reported unsupported (" + s.reason() + "), but "
                        + ExpectedKernel.KERNEL + " has it");
                BpfUnsupportedException e = assertThrows(BpfUnsupportedException.class, () -> helper(any, t));
                assertEquals(s.reason(), e.reason(), t.toString());
                checked++;
            }
            for (LinkType lt : LinkType.values()) {
                Support s = caps.linkType(lt);
                if (s.supported() || lt == LinkType.UNSPEC) continue;
                assertTrue(ExpectedKernel.lacks(lt), lt + " links are reported unsupported (" + s.reason() + "), but "
                        + ExpectedKernel.KERNEL + " has them");
                AttachType via = attachTypeOf(lt);
                BpfUnsupportedException e = assertThrows(BpfUnsupportedException.class, () -> helper(any, via));
                // The link's reason is its hook's reason, prefixed with the link type.
                assertTrue(s.reason().endsWith(e.reason()), lt + ": " + s.reason() + " vs " + e.reason());
            }
        }
        // What this kernel lacks is named concretely.
        String[][] words = {{"TRACE_KPROBE_MULTI", "kprobe"}, {"TRACE_KPROBE_SESSION", "kprobe"}, {"NETKIT_PRIMARY", "netkit"},
            {"NETKIT_PEER", "netkit"}, {"LIRC_MODE2", "LIRC"}, {"TRACE_FENTRY", "trampoline"}, {"TRACE_FEXIT", "trampoline"},
            {"LSM_MAC", "trampoline"}};
        for (String[] w : words) {
            Support s = caps.attachType(AttachType.valueOf(w[0]));
            if (!s.supported()) assertTrue(s.reason().contains(w[1]), w[0] + " reason should say " + w[1] + ": " + s.reason());
        }
        System.out.println("unsupported attach types checked: " + checked);
    }

    /** The helper a user calls for the hook. */
    private static void helper(BpfProgram p, AttachType t) {
        switch (t) {
            case NETKIT_PRIMARY:
            case NETKIT_PEER:
                p.attachNetkit(1, t, Anchor.first()).close();
                break;
            case TRACE_KPROBE_MULTI:
                p.attachKprobeMulti(new LinkOptions.KprobeMulti(new String[] {"vfs_read"}, null, null), false).close();
                break;
            case TRACE_KPROBE_SESSION:
                p.link(0, t, 0, new LinkOptions.KprobeMulti(new String[] {"vfs_read"}, null, null)).close();
                break;
            case LIRC_MODE2:
                p.attach(0, t, 0); // BPF_PROG_ATTACH to a /dev/lircN descriptor
                break;
            case TRACE_FENTRY:
            case TRACE_FEXIT:
            case MODIFY_RETURN:
            case LSM_MAC:
            case LSM_CGROUP:
                p.link(0, t, 0, new LinkOptions.Tracing(0, 0)).close();
                break;
            default:
                p.link(0, t, 0, null).close();
        }
    }

    private static AttachType attachTypeOf(LinkType lt) {
        switch (lt) {
            case TRACING:
                return AttachType.TRACE_FENTRY;
            case KPROBE_MULTI:
                return AttachType.TRACE_KPROBE_MULTI;
            case NETKIT:
                return AttachType.NETKIT_PRIMARY;
            default:
                throw new AssertionError("no helper mapping for unsupported link type " + lt);
        }
    }
}
