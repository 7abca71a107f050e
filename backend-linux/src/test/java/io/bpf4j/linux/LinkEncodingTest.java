package io.bpf4j.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.AttachFlags;
import io.bpf4j.api.AttachSpec;
import io.bpf4j.api.AttachType;
import io.bpf4j.api.BpfException;
import io.bpf4j.api.Errno;
import io.bpf4j.api.LinkOptions;
import io.bpf4j.api.LinkSpec;
import io.bpf4j.api.Operation;
import io.bpf4j.api.Support;
import io.bpf4j.linux.internal.uapi.BpfAttr;
import io.bpf4j.linux.internal.uapi.LinuxUapi;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/**
 * What {@code BPF_LINK_CREATE} and {@code BPF_PROG_ATTACH} put in {@code union bpf_attr} for
 * every hook and options record, read back at the offsets of the Linux 6.18 uapi
 * ({@code link_create} at 0: prog_fd 0, target 4, attach_type 8, flags 12, union at 16), through
 * a fake chokepoint. Hooks this kernel lacks (kprobe multi, netkit, tracing, LSM) are checked here
 * since they cannot run; the error words of the multi-program hooks too.
 */
class LinkEncodingTest {
    private static final int LINK_CREATE = LinuxUapi.cmd(Operation.LINK_CREATE);
    private final FakeSyscalls fake = new FakeSyscalls();
    private final LinuxBpf bpf = new LinuxBpf(fake, 2, FakeKernelTest.all(Support.YES));
    private ByteBuffer seen;

    /** Runs a link create and returns a copy of the attr the kernel got. */
    private ByteBuffer create(LinkSpec spec) {
        fake.script = (f, cmd, a) -> {
            if (cmd == LINK_CREATE) {
                seen = ByteBuffer.allocate(BpfAttr.SIZE).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < BpfAttr.SIZE; i++) seen.put(i, a.get(i));
            }
            return 42;
        };
        assertEquals(42, bpf.linkCreate(spec));
        return seen;
    }

    private static void head(ByteBuffer a, int prog, int target, AttachType t, int flags) {
        assertEquals(prog, a.getInt(0), "prog_fd");
        assertEquals(target, a.getInt(4), "target_fd|target_ifindex");
        assertEquals(LinuxUapi.attachType(t), a.getInt(8), "attach_type");
        assertEquals(flags, a.getInt(12), "flags");
    }

    private static void zeroFrom(ByteBuffer a, int from) {
        for (int i = from; i < BpfAttr.SIZE; i++) assertEquals(0, a.get(i), "byte " + i + " must stay zero");
    }

    @Test
    void mprogHooksCarryRelativeAndRevision() {
        for (AttachType t : new AttachType[] {AttachType.TCX_INGRESS, AttachType.TCX_EGRESS, AttachType.NETKIT_PRIMARY,
                AttachType.NETKIT_PEER, AttachType.CGROUP_INET_EGRESS}) {
            ByteBuffer a = create(new LinkSpec(3, 7, t, AttachFlags.BEFORE | AttachFlags.ID, new LinkOptions.Mprog(99, 5)));
            head(a, 3, 7, t, AttachFlags.BEFORE | AttachFlags.ID);
            assertEquals(99, a.getInt(16), t + " relative_fd|relative_id");
            assertEquals(5, a.getLong(24), t + " expected_revision");
            zeroFrom(a, 32);
        }
    }

    @Test
    void perfEventTracingNetfilterIterAndPlainHooks() {
        ByteBuffer a = create(new LinkSpec(3, 8, AttachType.PERF_EVENT, 0, new LinkOptions.PerfEvent(0x1122334455L)));
        head(a, 3, 8, AttachType.PERF_EVENT, 0);
        assertEquals(0x1122334455L, a.getLong(16), "perf_event.bpf_cookie");
        zeroFrom(a, 24);
        for (AttachType t : new AttachType[] {AttachType.TRACE_FENTRY, AttachType.TRACE_FEXIT, AttachType.MODIFY_RETURN,
                AttachType.LSM_MAC, AttachType.LSM_CGROUP, AttachType.TRACE_RAW_TP}) {
            a = create(new LinkSpec(3, 0, t, 0, new LinkOptions.Tracing(1234, 77)));
            head(a, 3, 0, t, 0);
            assertEquals(1234, a.getInt(16), t + " tracing.target_btf_id");
            assertEquals(77, a.getLong(24), t + " tracing.cookie");
            zeroFrom(a, 32);
        }
        a = create(new LinkSpec(3, 0, AttachType.NETFILTER, 0, new LinkOptions.Netfilter(10, 4, -128, 1)));
        assertEquals(10, a.getInt(16));
        assertEquals(4, a.getInt(20));
        assertEquals(-128, a.getInt(24));
        assertEquals(1, a.getInt(28));
        a = create(new LinkSpec(3, 0, AttachType.TRACE_ITER, 0, LinkOptions.Iter.ofMap(12)));
        ByteBuffer info = fake.at(a.getLong(16));
        assertEquals(12, info.getInt(0), "iter_info -> bpf_iter_link_info.map.map_fd");
        assertEquals(16, a.getInt(24), "iter_info_len");
        a = create(new LinkSpec(3, 0, AttachType.TRACE_ITER, 0, LinkOptions.Iter.NONE));
        zeroFrom(a, 16);
        for (AttachType t : new AttachType[] {AttachType.XDP, AttachType.SK_SKB_VERDICT, AttachType.SK_LOOKUP,
                AttachType.FLOW_DISSECTOR, AttachType.CGROUP_INET_INGRESS}) {
            a = create(LinkSpec.of(3, 9, t, t == AttachType.XDP ? 2 : 0));
            head(a, 3, 9, t, t == AttachType.XDP ? 2 : 0);
            zeroFrom(a, 16);
        }
    }

    @Test
    void multiProbesPutTheirFlagsInTheirOwnMember() {
        ByteBuffer a = create(new LinkSpec(3, 0, AttachType.TRACE_KPROBE_MULTI, LinkOptionsFlags.MULTI_RETURN,
                new LinkOptions.KprobeMulti(new String[] {"vfs_read", "vfs_write"}, null, new long[] {7, 8})));
        head(a, 3, 0, AttachType.TRACE_KPROBE_MULTI, 0); // the header's flags must stay 0
        assertEquals(1, a.getInt(16), "kprobe_multi.flags = BPF_F_KPROBE_MULTI_RETURN");
        assertEquals(2, a.getInt(20), "kprobe_multi.cnt");
        ByteBuffer syms = fake.at(a.getLong(24));
        assertEquals("vfs_read", fake.cString(syms.getLong(0)));
        assertEquals("vfs_write", fake.cString(syms.getLong(8)));
        assertEquals(0, a.getLong(32), "kprobe_multi.addrs");
        ByteBuffer cookies = fake.at(a.getLong(40));
        assertEquals(7, cookies.getLong(0));
        assertEquals(8, cookies.getLong(8));
        zeroFrom(a, 48);
        a = create(new LinkSpec(3, 0, AttachType.TRACE_KPROBE_MULTI, 0,
                new LinkOptions.KprobeMulti(null, new long[] {0xffffffff81000000L}, null)));
        assertEquals(0, a.getInt(16));
        assertEquals(0, a.getLong(24), "no syms");
        assertEquals(0xffffffff81000000L, fake.at(a.getLong(32)).getLong(0));

        a = create(new LinkSpec(3, 0, AttachType.TRACE_UPROBE_MULTI, LinkOptionsFlags.MULTI_RETURN,
                new LinkOptions.UprobeMulti("/usr/lib/libc.so.6", new long[] {0x10, 0x20}, new long[] {1, 2},
                        new long[] {5, 6}, 4242)));
        head(a, 3, 0, AttachType.TRACE_UPROBE_MULTI, 0);
        assertEquals("/usr/lib/libc.so.6", fake.cString(a.getLong(16)), "uprobe_multi.path");
        assertEquals(0x20, fake.at(a.getLong(24)).getLong(8), "uprobe_multi.offsets");
        assertEquals(2, fake.at(a.getLong(32)).getLong(8), "uprobe_multi.ref_ctr_offsets");
        assertEquals(6, fake.at(a.getLong(40)).getLong(8), "uprobe_multi.cookies");
        assertEquals(2, a.getInt(48), "uprobe_multi.cnt");
        assertEquals(1, a.getInt(52), "uprobe_multi.flags = BPF_F_UPROBE_MULTI_RETURN");
        assertEquals(4242, a.getInt(56), "uprobe_multi.pid");
        zeroFrom(a, 60);
    }

    /** The uapi value both multi-probe return flags share. */
    private static final class LinkOptionsFlags {
        static final int MULTI_RETURN = io.bpf4j.linux.internal.uapi.LinkAttrs.MULTI_RETURN;
    }

    @Test
    void optionsOfAnotherHookAreRefusedBeforeTheKernel() {
        int before = fake.calls.size();
        assertThrows(IllegalArgumentException.class, () -> bpf.linkCreate(new LinkSpec(3, 1, AttachType.XDP, 0,
                new LinkOptions.Mprog(0, 0))));
        assertThrows(IllegalArgumentException.class, () -> bpf.linkCreate(LinkSpec.of(3, 0, AttachType.NETFILTER, 0)));
        assertThrows(IllegalArgumentException.class, () -> bpf.linkCreate(LinkSpec.of(3, 0, AttachType.TRACE_KPROBE_MULTI, 0)));
        assertThrows(IllegalArgumentException.class, () -> bpf.linkCreate(new LinkSpec(3, 0, AttachType.TCX_INGRESS, 0,
                new LinkOptions.PerfEvent(1))));
        assertEquals(before, fake.calls.size());
    }

    @Test
    void attachCarriesReplaceRelativeAndRevision() {
        fake.script = (f, cmd, a) -> {
            seen = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < 32; i++) seen.put(i, a.get(i));
            return 0;
        };
        bpf.progAttach(new AttachSpec(6, 3, AttachType.TCX_EGRESS, AttachFlags.AFTER | AttachFlags.LINK, 0, 11, 9));
        assertEquals(6, seen.getInt(0), "target_ifindex");
        assertEquals(3, seen.getInt(4), "attach_bpf_fd");
        assertEquals(LinuxUapi.attachType(AttachType.TCX_EGRESS), seen.getInt(8));
        assertEquals(AttachFlags.AFTER | AttachFlags.LINK, seen.getInt(12));
        assertEquals(0, seen.getInt(16), "replace_bpf_fd");
        assertEquals(11, seen.getInt(20), "relative_fd");
        assertEquals(9, seen.getLong(24), "expected_revision");
        bpf.progAttach(new AttachSpec(5, 3, AttachType.LIRC_MODE2, 0, 0, 0, 0));
        assertEquals(LinuxUapi.attachType(AttachType.LIRC_MODE2), seen.getInt(8), "LIRC: the device fd is the target");
        assertEquals(5, seen.getInt(0));
    }

    private BpfException fail(long errno, Runnable r) {
        fake.script = (f, cmd, a) -> -errno;
        return assertThrows(BpfException.class, r::run);
    }

    @Test
    void mprogErrorsSayWhatHappened() {
        BpfException e = fail(116, () -> bpf.linkCreate(new LinkSpec(3, 2, AttachType.TCX_INGRESS, 0,
                new LinkOptions.Mprog(0, 5))));
        assertEquals(Errno.ESTALE, e.errno());
        assertTrue(e.getMessage().contains("revision moved: expected 5"), e.getMessage());
        e = fail(17, () -> bpf.progAttach(AttachSpec.of(2, 3, AttachType.TCX_INGRESS, 0)));
        assertTrue(e.getMessage().contains("program already attached"), e.getMessage());
        e = fail(34, () -> bpf.linkCreate(new LinkSpec(3, 2, AttachType.NETKIT_PEER, AttachFlags.BEFORE | AttachFlags.AFTER,
                new LinkOptions.Mprog(4, 0))));
        assertTrue(e.getMessage().contains("conflicting anchors") && e.getMessage().contains("list is full"), e.getMessage());
        e = fail(2, () -> bpf.linkCreate(new LinkSpec(3, 2, AttachType.TCX_EGRESS, AttachFlags.AFTER | AttachFlags.ID
                | AttachFlags.LINK, new LinkOptions.Mprog(77, 0))));
        assertTrue(e.getMessage().contains("relative link id 77 not found"), e.getMessage());
        e = fail(16, () -> bpf.progDetach(AttachSpec.of(2, 3, AttachType.TCX_INGRESS, 0)));
        assertTrue(e.getMessage().contains("owned by a link; detach the link"), e.getMessage());
        e = fail(2, () -> bpf.progDetach(AttachSpec.of(2, 3, AttachType.TCX_INGRESS, 0)));
        assertTrue(e.getMessage().contains("program not attached"), e.getMessage());
        // A plain cgroup attach keeps the kernel's bare errno.
        e = fail(17, () -> bpf.progAttach(AttachSpec.of(2, 3, AttachType.CGROUP_INET_INGRESS, 0)));
        assertEquals("linux: PROG_ATTACH CGROUP_INET_INGRESS target 2: EEXIST (17)", e.getMessage());
    }
}
