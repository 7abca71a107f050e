package io.bpf4j.windows.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.AttachSpec;
import io.bpf4j.api.AttachType;
import io.bpf4j.api.Attachments;
import io.bpf4j.api.BpfLink;
import io.bpf4j.api.BpfProgram;
import io.bpf4j.api.BpfUnsupportedException;
import io.bpf4j.api.LinkDetails;
import io.bpf4j.api.LinkInfo;
import io.bpf4j.api.LinkType;
import io.bpf4j.api.Operation;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.QuerySpec;
import io.bpf4j.api.Support;
import io.bpf4j.api.XdpMode;
import io.bpf4j.api.asm.Asm;
import io.bpf4j.api.asm.Register;
import io.bpf4j.windows.StandIn;
import io.bpf4j.windows.internal.uapi.WinTypes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The portable object layer on Windows: the attach helpers return links made with
 * {@code ebpf_program_attach_by_fds}, for every hook the capability report marks supported, and
 * those links detach, report their info, pin and show up in queries.
 */
class PortableAttachTest {
    private static final String IF = "bpf4jp" + (ProcessHandle.current().pid() % 10000);
    private int ifindex;

    @BeforeEach
    void veth() throws Exception {
        ifindex = Dummy.create(IF);
    }

    @AfterEach
    void noVeth() throws Exception {
        Dummy.delete(IF);
    }

    @AfterAll
    static void cleanUp() {
        StandIn.cleanUp();
    }

    private static long[] returning(int v) {
        return new Asm().mov64(Register.R0, v).exit().toArray();
    }

    /** The README's XDP example, unchanged: attachXdp gives a link; query, info, pin and detach work on it. */
    @ParameterizedTest
    @ValueSource(strings = {"full/syscall", "full/libbpf", "0.21/syscall"})
    void xdpLinksThroughTheObjectLayer(String variantAndCalls) {
        String[] v = variantAndCalls.split("/");
        WinBackend w = StandInBackendTest.open(v[0], v[1], "ffm");
        assertTrue(w.capabilities().operation(Operation.LINK_CREATE).supported());
        assertTrue(w.capabilities().operation(Operation.PROG_QUERY).supported());
        assertTrue(w.capabilities().linkType(LinkType.XDP).supported());
        String pin = "/sys/fs/bpf/bpf4j-" + ProcessHandle.current().pid() + "-xdp-" + v[0];
        try (BpfProgram prog = BpfProgram.load(w, ProgramSpec.of(ProgramType.XDP, returning(2), "GPL"));
                BpfLink link = prog.attachXdp(ifindex, XdpMode.DEFAULT)) {
            LinkInfo info = link.info();
            assertEquals(LinkType.XDP, info.type());
            assertEquals(new LinkDetails.Xdp(ifindex), info.details());
            int progId = prog.info().id();
            assertEquals(progId, info.progId());
            Attachments at = Attachments.query(w, ifindex, AttachType.XDP);
            assertArrayEquals(new int[] {progId}, at.programIds());
            assertArrayEquals(new int[] {info.id()}, at.linkIds());
            assertEquals(progId, w.xdpQueryId(ifindex, 0));
            link.pin(pin);
            try (BpfLink again = BpfLink.pinned(w, pin)) {
                assertEquals(info.id(), again.info().id());
            } finally {
                w.objUnpin(pin);
            }
            link.detach();
            assertTrue(Attachments.query(w, ifindex, AttachType.XDP).isEmpty(), "detached");
            // Nothing attached: the library's bpf_xdp_query_id says -ENOENT, the backend 0.
            assertEquals(-2, w.api.bpfXdpQueryId(ifindex, 0, w.s().outAddr));
            assertEquals(0, w.xdpQueryId(ifindex, 0));
            BpfUnsupportedException mode = assertThrows(BpfUnsupportedException.class, () -> prog.attachXdp(ifindex, XdpMode.NATIVE));
            assertTrue(mode.reason().contains("XDP modes"), mode.reason());
        }
    }

    /**
     * Every attach type the capability report marks supported takes a link through the object
     * layer: XDP on an interface, the cgroup hooks on a compartment (0 for every one, the cgroup
     * standing in for all of them on the stand-in). Link info carries the compartment.
     */
    @ParameterizedTest
    @ValueSource(strings = {StandIn.FULL, StandIn.RELEASE_0_21})
    void everySupportedHookTakesALink(String variant) {
        WinBackend w = StandInBackendTest.open(variant, null, "ffm");
        Map<ProgramType, long[]> programs = Map.of(ProgramType.XDP, returning(2), ProgramType.CGROUP_SOCK_ADDR, returning(1),
                ProgramType.SOCK_OPS, returning(1));
        List<AttachType> linked = new ArrayList<>();
        for (AttachType t : AttachType.values()) {
            Support s = w.capabilities().attachType(t);
            if (!s.supported()) continue;
            ProgramType pt = WinTypes.programType(WinTypes.programTypeOfAttach(WinTypes.attachType(t)));
            try (BpfProgram prog = BpfProgram.load(w, ProgramSpec.of(pt, programs.get(pt), "GPL"))) {
                // Compartment 0 is every compartment; 7919 one of them, which no other test uses.
                for (int target : t == AttachType.XDP ? new int[] {ifindex} : new int[] {0, 7919}) {
                    try (BpfLink link = prog.link(target, t, 0, null)) {
                        LinkDetails expected = t == AttachType.XDP ? new LinkDetails.Xdp(ifindex) : new LinkDetails.Cgroup(target, t);
                        assertEquals(expected, link.info().details(), t + " on " + target);
                        int[] listed = Attachments.query(w, new QuerySpec(target, t, 0)).programIds();
                        assertTrue(java.util.Arrays.stream(listed).anyMatch(id -> id == prog.info().id()), t + " on " + target);
                        if (target != 0) assertEquals(1, listed.length, t + " on " + target);
                    }
                }
            }
            linked.add(t);
        }
        List<AttachType> expected = new ArrayList<>(List.of(AttachType.XDP, AttachType.CGROUP_INET4_CONNECT,
                AttachType.CGROUP_INET6_CONNECT, AttachType.CGROUP_SOCK_OPS));
        if (variant.equals(StandIn.FULL)) expected.addAll(List.of(AttachType.CGROUP_INET4_BIND, AttachType.CGROUP_INET6_BIND));
        assertEquals(expected.stream().sorted().toList(), linked.stream().sorted().toList(), "the hooks reported supported");
    }

    /**
     * WindowsBpf.programAttach with no attach type: the backend finds the program type's one hook,
     * since ebpf_program_attach_by_fds cannot for a program loaded through bpf(); a sock_addr
     * program has several and must name one.
     */
    @ParameterizedTest
    @ValueSource(strings = {StandIn.FULL, StandIn.RELEASE_0_21})
    void theDefaultHookIsFoundByTheBackend(String variant) {
        WinBackend w = StandInBackendTest.open(variant, null, "ffm");
        int xdp = w.progLoad(ProgramSpec.of(ProgramType.XDP, returning(2), "")).fd();
        int ops = w.progLoad(ProgramSpec.of(ProgramType.SOCK_OPS, returning(1), "")).fd();
        int addr = w.progLoad(ProgramSpec.of(ProgramType.CGROUP_SOCK_ADDR, returning(1), "")).fd();
        try {
            int link = w.programAttach(xdp, null, StandInBackendTest.u32(ifindex));
            assertEquals(new LinkDetails.Xdp(ifindex), w.linkGetInfo(link).details());
            w.closeFd(link);
            link = w.programAttach(ops, null, StandInBackendTest.u32(5));
            assertEquals(new LinkDetails.Cgroup(5, AttachType.CGROUP_SOCK_OPS), w.linkGetInfo(link).details(), "the compartment");
            w.closeFd(link);
            IllegalArgumentException several = assertThrows(IllegalArgumentException.class, () -> w.programAttach(addr, null, null));
            assertTrue(several.getMessage().startsWith("attachType:"), several.getMessage());
        } finally {
            w.closeFd(xdp);
            w.closeFd(ops);
            w.closeFd(addr);
        }
    }

    /**
     * BPF_PROG_DETACH passes no program: whatever is attached at the hook and compartment goes,
     * and finding nothing is success (libbpf_program.cpp@v1.5.0:282-307, ebpf_core.c@v1.5.0:1553-1577).
     * Legacy attachments are links, so queries list them.
     */
    @ParameterizedTest
    @ValueSource(strings = {StandIn.FULL, StandIn.RELEASE_0_21})
    void legacyDetachIgnoresTheProgram(String variant) {
        WinBackend w = StandInBackendTest.open(variant, null, "ffm");
        int a = w.progLoad(ProgramSpec.of(ProgramType.CGROUP_SOCK_ADDR, returning(1), "")).fd();
        int b = w.progLoad(ProgramSpec.of(ProgramType.CGROUP_SOCK_ADDR, returning(1), "")).fd();
        int compartment = 7907;   // one no other test uses
        try {
            w.progAttach(AttachSpec.of(compartment, a, AttachType.CGROUP_INET4_CONNECT, 0));
            w.progAttach(AttachSpec.of(compartment, b, AttachType.CGROUP_INET4_CONNECT, 0));
            QuerySpec q = new QuerySpec(compartment, AttachType.CGROUP_INET4_CONNECT, 0);
            assertEquals(2, w.progQuery(q).programIds().length);
            w.progDetach(AttachSpec.of(compartment, a, AttachType.CGROUP_INET4_CONNECT, 0));
            assertEquals(0, w.progQuery(q).programIds().length, "both went: the program is not passed");
            w.progDetach(AttachSpec.of(compartment, a, AttachType.CGROUP_INET4_CONNECT, 0));
        } finally {
            w.closeFd(a);
            w.closeFd(b);
        }
    }
}
