package io.bpf4j.sim;

import static io.bpf4j.api.asm.Register.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.Anchor;
import io.bpf4j.api.AttachFlags;
import io.bpf4j.api.AttachSpec;
import io.bpf4j.api.AttachTarget;
import io.bpf4j.api.AttachType;
import io.bpf4j.api.BpfLink;
import io.bpf4j.api.BpfMap;
import io.bpf4j.api.BpfProgram;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.XdpMode;
import io.bpf4j.api.asm.Asm;
import io.bpf4j.api.asm.Helper;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Packet hooks: XDP, TCX and cgroup skb / sock create, their order and verdict rules. */
class HooksTest extends SimTestBase {
    private BpfMap counts;

    @BeforeEach
    void counters() {
        counts = BpfMap.create(sim, MapSpec.of(MapType.ARRAY, 4, 8, 8));
    }

    @AfterEach
    void closeCounters() {
        counts.close();
    }

    /** Adds 1 to {@code counts[key]}, then returns {@code ret}. */
    private BpfProgram counting(ProgramType type, AttachType eat, int key, int ret) {
        long[] insns = new Asm()
                .stw(R10, -4, key).mov64(R2, R10).add64(R2, -4).ldMapFd(R1, counts.fd())
                .call(Helper.MAP_LOOKUP_ELEM)
                .jeq(R0, 0, "out")
                .mov64(R1, 1).atomicAdd64(R0, 0, R1)
                .label("out").mov64(R0, ret).exit().toArray();
        ProgramSpec spec = ProgramSpec.of(type, insns, "GPL").withName("k" + key);
        return BpfProgram.load(sim, eat == null ? spec : spec.withExpectedAttachType(eat));
    }

    private long count(int key) {
        return u64(counts.lookup(u32(key)).orElseThrow(), 0);
    }

    private static byte[] frame(int len, int etherType) {
        byte[] f = new byte[len];
        f[12] = (byte) (etherType >> 8);
        f[13] = (byte) etherType;
        for (int i = 14; i < len; i++) f[i] = (byte) i;
        return f;
    }

    private static int id(BpfProgram p) {
        return p.info().id();
    }

    @Test
    void xdpRunsTheLinkedProgramUntilTheLinkCloses() {
        byte[] f = frame(60, 0x0800);
        assertEquals(Hooks.XDP_PASS, sim.hooks().xdp(3, f).verdict(), "nothing attached: the frame passes");
        try (BpfProgram drop = counting(ProgramType.XDP, null, 0, Hooks.XDP_DROP)) {
            BpfLink link = drop.attachXdp(3, XdpMode.DEFAULT);
            HookResult r = sim.hooks().xdp(3, f);
            assertEquals(Hooks.XDP_DROP, r.verdict());
            assertArrayEquals(new int[] {id(drop)}, r.programIds());
            assertArrayEquals(f, r.packet());
            assertEquals(Hooks.XDP_PASS, sim.hooks().xdp(4, f).verdict(), "another interface has no program");
            assertEquals(1, count(0), "the program's map update is visible through the map API");
            link.close();
            HookResult after = sim.hooks().xdp(3, f);
            assertEquals(Hooks.XDP_PASS, after.verdict());
            assertEquals(0, after.runs().size());
            assertEquals(1, count(0), "a closed link's program no longer runs");
        }
    }

    @Test
    void xdpSeesIfindexAndAdjustsHeadAndTail() {
        // Strip a 4-byte header, cut 2 bytes off the tail, then return ingress_ifindex + 100.
        long[] insns = new Asm()
                .mov64(R6, R1)
                .mov64(R2, 4).call(Helper.XDP_ADJUST_HEAD).jne(R0, 0, "bad")
                .mov64(R1, R6).mov64(R2, -2).call(Helper.XDP_ADJUST_TAIL).jne(R0, 0, "bad")
                .ldxw(R0, R6, 12).add64(R0, 100).exit()
                .label("bad").mov64(R0, Hooks.XDP_ABORTED).exit().toArray();
        try (BpfProgram p = BpfProgram.load(sim, ProgramSpec.of(ProgramType.XDP, insns, "GPL"));
                BpfLink l = p.attachXdp(5, XdpMode.DEFAULT)) {
            byte[] f = frame(40, 0x0800);
            HookResult r = sim.hooks().xdp(5, f);
            assertArrayEquals(new int[] {105}, r.returnValues(), "ingress_ifindex is the interface");
            assertEquals(Hooks.XDP_ABORTED, r.verdict(), "an action the kernel does not know is dropped as aborted");
            assertArrayEquals(Arrays.copyOfRange(f, 4, 38), r.packet());
        }
    }

    @Test
    void tcxRunsInMprogOrderUntilAProgramDecides() {
        byte[] f = frame(60, 0x86dd);
        try (BpfProgram next = counting(ProgramType.SCHED_CLS, null, 0, Hooks.TCX_NEXT);
                BpfProgram drop = counting(ProgramType.SCHED_CLS, null, 1, Hooks.TCX_DROP);
                BpfProgram pass = counting(ProgramType.SCHED_CLS, null, 2, Hooks.TCX_PASS);
                BpfLink l1 = next.attachTcx(2, AttachType.TCX_INGRESS, Anchor.NONE);
                BpfLink l2 = drop.attachTcx(2, AttachType.TCX_INGRESS, Anchor.NONE)) {
            HookResult r = sim.hooks().tcx(2, AttachType.TCX_INGRESS, f);
            assertEquals(Hooks.TCX_DROP, r.verdict());
            assertArrayEquals(new int[] {id(next), id(drop)}, r.programIds());
            assertArrayEquals(new int[] {-1, 2}, r.returnValues());
            assertEquals(Hooks.TCX_NEXT, sim.hooks().tcx(2, AttachType.TCX_EGRESS, f).verdict(), "egress is another list");
            try (BpfLink first = pass.attachTcx(2, AttachType.TCX_INGRESS, Anchor.first())) {
                HookResult r2 = sim.hooks().tcx(2, AttachType.TCX_INGRESS, f);
                assertEquals(Hooks.TCX_PASS, r2.verdict());
                assertArrayEquals(new int[] {id(pass)}, r2.programIds(), "the first program decided; the rest do not run");
            }
            l2.close();
            HookResult r3 = sim.hooks().tcx(2, AttachType.TCX_INGRESS, f);
            assertEquals(Hooks.TCX_NEXT, r3.verdict(), "no program decided");
            assertArrayEquals(new int[] {id(next)}, r3.programIds());
            assertEquals(2, count(0), "not when the program before it decided");
            assertEquals(1, count(1));
            assertEquals(1, count(2));
        }
    }

    @Test
    void tcxContextFieldsAndUnknownReturnValues() {
        // mark = len + (ifindex << 16); then return 1 when data[12..13] == skb->protocol, else 2.
        long[] insns = new Asm()
                .ldxw(R2, R1, 0).ldxw(R3, R1, 40).lsh64(R3, 16).add64(R2, R3).stxw(R1, 8, R2)
                .ldxw(R2, R1, 76).ldxw(R3, R1, 80)
                .mov64(R4, R2).add64(R4, 14).jgt(R4, R3, "short")
                .ldxh(R4, R2, 12).ldxw(R5, R1, 16).jne(R4, R5, "short")
                .mov64(R0, 1).exit()
                .label("short").mov64(R0, 2).exit().toArray();
        try (BpfProgram p = BpfProgram.load(sim, ProgramSpec.of(ProgramType.SCHED_CLS, insns, "GPL"))) {
            sim.progAttach(AttachSpec.of(9, p.fd(), AttachType.TCX_EGRESS, 0));
            HookResult r = sim.hooks().tcx(9, AttachType.TCX_EGRESS, frame(60, 0x0800), 5);
            assertArrayEquals(new int[] {1}, r.returnValues(), "the program read the frame and protocol through the skb");
            assertEquals(Hooks.TCX_NEXT, r.verdict(), "1 is no TCX action: tcx_action_code() makes it TCX_NEXT");
            assertEquals(60 + (9 << 16), r.mark());
            sim.progDetach(AttachSpec.of(9, p.fd(), AttachType.TCX_EGRESS, 0));
            assertEquals(0, sim.hooks().tcx(9, AttachType.TCX_EGRESS, frame(60, 0x0800)).runs().size());
        }
        assertThrows(IllegalArgumentException.class, () -> sim.hooks().tcx(1, AttachType.XDP, frame(60, 0)));
        assertThrows(IllegalArgumentException.class, () -> sim.hooks().xdp(1, new byte[13]));
    }

    private static byte[] ipv4() {
        byte[] p = new byte[28];
        p[0] = 0x45;
        p[9] = 17;
        return p;
    }

    @Test
    void cgroupSkbRunsEveryEffectiveProgramChildFirst() {
        int parent = sim.openTarget(new AttachTarget.Cgroup("/sys/fs/cgroup/app"));
        int child = sim.openTarget(new AttachTarget.Cgroup("/sys/fs/cgroup/app/worker"));
        AttachType in = AttachType.CGROUP_INET_INGRESS;
        try (BpfProgram allow = counting(ProgramType.CGROUP_SKB, null, 0, 1);
                BpfProgram deny = counting(ProgramType.CGROUP_SKB, null, 1, 0)) {
            sim.progAttach(AttachSpec.of(parent, allow.fd(), in, AttachFlags.ALLOW_MULTI));
            sim.progAttach(AttachSpec.of(child, deny.fd(), in, AttachFlags.ALLOW_MULTI));
            HookResult r = sim.hooks().cgroupSkb(child, in, 2, ipv4());
            assertEquals(Hooks.DENY, r.verdict());
            assertArrayEquals(new int[] {id(deny), id(allow)}, r.programIds(), "the cgroup's own, then its parent's; a deny stops none");
            HookResult byPath = sim.hooks().cgroupSkb("/sys/fs/cgroup/app", in, 2, ipv4());
            assertEquals(Hooks.ALLOW, byPath.verdict());
            assertArrayEquals(new int[] {id(allow)}, byPath.programIds());
            assertEquals(2, count(0));
            assertEquals(1, count(1));
            sim.progDetach(AttachSpec.of(child, deny.fd(), in, 0));
            assertEquals(Hooks.ALLOW, sim.hooks().cgroupSkb(child, in, 2, ipv4()).verdict());
        } finally {
            sim.closeFd(child);
            sim.closeFd(parent);
        }
    }

    @Test
    void cgroupOverrideAndEgressCongestionBit() {
        int parent = sim.openTarget(new AttachTarget.Cgroup("/sys/fs/cgroup/svc"));
        int child = sim.openTarget(new AttachTarget.Cgroup("/sys/fs/cgroup/svc/a"));
        AttachType out = AttachType.CGROUP_INET_EGRESS;
        // Return values 2 and 3 are for programs loaded for egress (check_return_code()).
        try (BpfProgram deny = counting(ProgramType.CGROUP_SKB, out, 0, 2);
                BpfProgram allowCn = counting(ProgramType.CGROUP_SKB, out, 1, 3)) {
            sim.progAttach(AttachSpec.of(parent, deny.fd(), out, AttachFlags.ALLOW_OVERRIDE));
            HookResult r = sim.hooks().cgroupSkb(child, out, 1, ipv4());
            assertEquals(Hooks.DENY, r.verdict(), "the parent's program applies below it; 2 is drop + congestion");
            sim.progAttach(AttachSpec.of(child, allowCn.fd(), out, AttachFlags.ALLOW_OVERRIDE));
            HookResult o = sim.hooks().cgroupSkb(child, out, 1, ipv4());
            assertEquals(Hooks.ALLOW, o.verdict(), "3 is keep + congestion");
            assertArrayEquals(new int[] {id(allowCn)}, o.programIds(), "the child's program overrides its parent's");
            assertThrows(IllegalArgumentException.class, () -> sim.hooks().cgroupSkb(child, out, 1, new byte[] {0x10}));
            sim.progDetach(AttachSpec.of(child, allowCn.fd(), out, 0));
            sim.progDetach(AttachSpec.of(parent, deny.fd(), out, 0));
        } finally {
            sim.closeFd(child);
            sim.closeFd(parent);
        }
    }

    @Test
    void cgroupSockCreateDeniesRawSocketsAndMarksOthers() {
        // type == SOCK_RAW (3): deny; else mark = 42 and allow.
        long[] insns = new Asm()
                .ldxw(R2, R1, 8).jeq(R2, 3, "deny")
                .stw(R1, 16, 42).mov64(R0, 1).exit()
                .label("deny").mov64(R0, 0).exit().toArray();
        ProgramSpec spec = ProgramSpec.of(ProgramType.CGROUP_SOCK, insns, "GPL")
                .withExpectedAttachType(AttachType.CGROUP_INET_SOCK_CREATE);
        try (BpfProgram p = BpfProgram.load(sim, spec);
                BpfLink l = p.attachCgroup("/sys/fs/cgroup/jail", AttachType.CGROUP_INET_SOCK_CREATE)) {
            HookResult raw = sim.hooks().cgroupSockCreate("/sys/fs/cgroup/jail", 2, 3, 1);
            assertEquals(Hooks.DENY, raw.verdict());
            HookResult tcp = sim.hooks().cgroupSockCreate("/sys/fs/cgroup/jail", 2, 1, 6);
            assertEquals(Hooks.ALLOW, tcp.verdict());
            assertEquals(42, tcp.mark());
            assertEquals(0, sim.hooks().cgroupSockCreate("/sys/fs/cgroup/other", 2, 3, 1).runs().size());
        }
    }

    @Test
    void aFaultingProgramNamesItself() {
        // A stack read at a variable offset is beyond what the simulator's verifier judges (the
        // kernel refuses it); here the offset is the ingress ifindex, 1, past the stack's top.
        long[] insns = new Asm().ldxw(R3, R1, 12).mov64(R2, R10).add64(R2, R3).ldxw(R0, R2, 0).exit().toArray();
        try (BpfProgram p = BpfProgram.load(sim, ProgramSpec.of(ProgramType.XDP, insns, "GPL").withName("oops"));
                BpfLink l = p.attachXdp(1, XdpMode.DEFAULT)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> sim.hooks().xdp(1, frame(20, 0)));
            assertTrue(e.getMessage().contains("program \"oops\"") && e.getMessage().contains("XDP of ifindex 1"), e.getMessage());
        }
    }
}
