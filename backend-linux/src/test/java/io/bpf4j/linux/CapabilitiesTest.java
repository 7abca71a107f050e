package io.bpf4j.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.AttachFlags;
import io.bpf4j.api.AttachSpec;
import io.bpf4j.api.AttachType;
import io.bpf4j.api.BpfException;
import io.bpf4j.api.BpfUnsupportedException;
import io.bpf4j.api.Capabilities;
import io.bpf4j.api.Errno;
import io.bpf4j.api.LinkType;
import io.bpf4j.api.MapFlags;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.Operation;
import io.bpf4j.api.ProgramFlags;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.Support;
import io.bpf4j.api.TestRunResult;
import io.bpf4j.testsupport.ExpectedKernel;
import io.bpf4j.testsupport.KernelBtf;
import io.bpf4j.testsupport.LeakCheck;
import io.bpf4j.testsupport.Need;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The capability report is honest: every entry claimed supported works through the same
 * interface, every unsupported one throws {@link BpfUnsupportedException} with the same reason
 * and is one the CI kernel's expected table ({@link ExpectedKernel}) says it lacks.
 */
@ExtendWith(LeakCheck.class)
class CapabilitiesTest {
    private static LinuxBpf bpf;
    private static Capabilities caps;

    /** Why this machine cannot run the class, or null (see {@link Need#inBeforeAll}). */
    private static String skip;

    @BeforeAll
    static void open() throws Exception {
        skip = Need.inBeforeAll(RealKernel::require);
        if (skip != null) return;
        bpf = RealKernel.open();
        caps = bpf.capabilities();
        StringBuilder sb = new StringBuilder("linux capabilities:\n");
        for (Map<?, Support> m : java.util.List.<Map<?, Support>>of(caps.operations(), caps.mapTypes(), caps.programTypes(),
                caps.attachTypes(), caps.linkTypes())) {
            m.forEach((k, v) -> sb.append("  ").append(k).append(": ").append(v).append('\n'));
        }
        System.out.print(sb);
    }

    @BeforeEach
    void needKernel() {
        Need.still(skip);
    }

    @AfterAll
    static void close() {
        if (bpf != null) bpf.close();
    }

    @Test
    void everyConstantHasAnEntryAndReasonsAreConcrete() {
        assertEquals(Operation.values().length, caps.operations().size());
        assertEquals(MapType.values().length, caps.mapTypes().size());
        assertEquals(ProgramType.values().length, caps.programTypes().size());
        assertEquals(AttachType.values().length, caps.attachTypes().size());
        assertEquals(LinkType.values().length, caps.linkTypes().size());
        assertTrue(caps == bpf.capabilities(), "probed once and cached");
        // What the kernel lacks is said concretely.
        reason(caps.attachType(AttachType.TRACE_KPROBE_MULTI), "kprobe");
        reason(caps.linkType(LinkType.KPROBE_MULTI), "kprobe");
        reason(caps.attachType(AttachType.NETKIT_PRIMARY), "netkit");
        reason(caps.linkType(LinkType.NETKIT), "netkit");
        reason(caps.programType(ProgramType.LIRC_MODE2), "LIRC");
        reason(caps.programType(ProgramType.LSM), "LSM");
        reason(caps.mapType(MapType.UNSPEC), "UNSPEC");
    }

    private static void reason(Support s, String word) {
        if (s.supported()) return; // a kernel that has it: the report-versus-table test covers it
        assertTrue(s.reason().contains(word), "reason should mention " + word + ": " + s.reason());
    }

    /**
     * The report against the CI kernel's expected table, both ways: what the kernel has is
     * reported supported (a lower bound, so a broken probe cannot pass as "unsupported"), what it
     * lacks is reported unsupported. UNSPEC is no type on any kernel.
     */
    @Test
    void theReportMatchesTheCiKernelsExpectedTable() {
        java.util.List<String> wrong = new java.util.ArrayList<>();
        compare(caps.operations(), Operation.class, wrong);
        compare(caps.mapTypes(), MapType.class, wrong);
        compare(caps.programTypes(), ProgramType.class, wrong);
        compare(caps.attachTypes(), AttachType.class, wrong);
        compare(caps.linkTypes(), LinkType.class, wrong);
        assertEquals(java.util.List.of(), wrong, "entries where the report and " + ExpectedKernel.KERNEL + "'s table differ");
    }

    private static <E extends Enum<E>> void compare(Map<E, Support> section, Class<E> type, java.util.List<String> wrong) {
        java.util.Set<E> lacking = ExpectedKernel.lacking(type);
        for (E c : type.getEnumConstants()) {
            boolean expected = !c.name().equals("UNSPEC") && !lacking.contains(c);
            Support s = section.get(c);
            if (s.supported() != expected) {
                wrong.add(type.getSimpleName() + "." + c + ": reported " + s + ", expected "
                        + (expected ? "supported" : "unsupported (" + ExpectedKernel.reason(c) + ")"));
            }
        }
    }

    /**
     * As root with every BPF capability, no reason may send the user to get root or CAP_BPF:
     * an EPERM the kernel gives root is the kernel refusing, not a missing privilege.
     */
    @Test
    void noReasonAsksRootForPrivileges() {
        assertTrue(io.bpf4j.testsupport.Host.root());
        java.util.List<String> wrong = new java.util.ArrayList<>();
        for (Map<?, Support> m : java.util.List.<Map<?, Support>>of(caps.operations(), caps.mapTypes(), caps.programTypes(),
                caps.attachTypes(), caps.linkTypes())) {
            m.forEach((k, v) -> {
                if (!v.supported() && v.reason().contains("run as root")) wrong.add(k + ": " + v.reason());
            });
        }
        assertEquals(java.util.List.of(), wrong, "reasons that tell root to run as root");
    }

    /** A spec for each map type with the shape the kernel wants (independent of the prober). */
    private static MapSpec spec(MapType t, int btf, int inner) {
        switch (t) {
            case STACK_TRACE:
                return MapSpec.of(t, 4, 8, 1);
            case LPM_TRIE:
                return MapSpec.of(t, 8, 4, 1).withFlags(MapFlags.NO_PREALLOC);
            case ARRAY_OF_MAPS:
            case HASH_OF_MAPS:
                return MapSpec.of(t, 4, 4, 1).withInnerMapFd(inner);
            case CGROUP_STORAGE:
            case PERCPU_CGROUP_STORAGE:
                return MapSpec.of(t, 8, 4, 0);
            case QUEUE:
            case STACK:
            case BLOOM_FILTER:
                return MapSpec.of(t, 0, 4, 2);
            case SK_STORAGE:
            case INODE_STORAGE:
            case TASK_STORAGE:
            case CGRP_STORAGE:
                return MapSpec.of(t, 4, 4, 0).withFlags(MapFlags.NO_PREALLOC).withBtf(btf, 1, 1);
            case RINGBUF:
            case USER_RINGBUF:
                return MapSpec.of(t, 0, 0, 4096 * 16);
            case ARENA:
                return MapSpec.of(t, 0, 0, 2).withFlags(MapFlags.MMAPABLE);
            case STRUCT_OPS: {
                // bpf_dummy_ops: a struct_ops the kernel registers for its own tests. The value
                // type comes from vmlinux BTF, and the kernel wants any BTF descriptor beside it.
                int value = KernelBtf.vmlinux().id(KernelBtf.Kind.STRUCT, "bpf_struct_ops_bpf_dummy_ops");
                return new MapSpec(t, 4, structSize(value), 1, 0, "", 0, 0, 0, btf, 0, 0, value, 0, 0);
            }
            default:
                return MapSpec.of(t, 4, 4, 2);
        }
    }

    @Test
    void everySupportedMapTypeIsCreatedAndUsed() {
        int btf = bpf.btfLoad(ObjectCommandsTest.btf(32), 0).fd();
        int inner = bpf.mapCreate(MapSpec.of(MapType.ARRAY, 4, 4, 1));
        int prog = bpf.progLoad(ProgramSpec.of(ProgramType.SOCKET_FILTER, Insn.ret(0), "GPL")).fd();
        int used = 0;
        try {
            for (MapType t : MapType.values()) {
                Support s = caps.mapType(t);
                if (t == MapType.UNSPEC) continue;
                if (!s.supported()) {
                    BpfUnsupportedException e = assertThrows(BpfUnsupportedException.class, () -> bpf.mapCreate(spec(t, btf, inner)));
                    assertEquals(s.reason(), e.reason());
                    // The gate answering first says nothing about the kernel; the table does.
                    assertTrue(ExpectedKernel.lacks(t), t + " is reported unsupported (" + s.reason() + "), but "
                            + ExpectedKernel.KERNEL + " has it");
                    continue;
                }
                int m = bpf.mapCreate(spec(t, btf, inner).withName("cap_" + t.ordinal()));
                try {
                    assertEquals(t, bpf.mapGetInfo(m).type());
                    use(t, m, inner, prog);
                    used++;
                } finally {
                    bpf.closeFd(m);
                }
            }
        } finally {
            bpf.closeFd(prog);
            bpf.closeFd(inner);
            bpf.closeFd(btf);
        }
        assertTrue(used > 20, "only " + used + " map types used");
    }

    private static void use(MapType t, int m, int inner, int prog) {
        byte[] k0 = MapCommandsTest.u32(0);
        int vs = t.isPerCpu() ? 8 * bpf.possibleCpus() : 4;
        switch (t) {
            case HASH:
            case ARRAY:
            case LRU_HASH:
            case PERCPU_HASH:
            case PERCPU_ARRAY:
            case LRU_PERCPU_HASH: {
                byte[] v = new byte[vs];
                v[0] = 42;
                bpf.mapUpdateElem(m, k0, v, 0);
                byte[] back = new byte[vs];
                assertTrue(bpf.mapLookupElem(m, k0, back, 0));
                assertEquals(42, back[0]);
                break;
            }
            case QUEUE:
            case STACK: {
                bpf.mapUpdateElem(m, null, MapCommandsTest.u32(5), 0);
                byte[] v = new byte[4];
                assertTrue(bpf.mapLookupAndDeleteElem(m, null, v, 0));
                assertEquals(5, MapCommandsTest.u32(v, 0));
                break;
            }
            case BLOOM_FILTER:
                bpf.mapUpdateElem(m, null, MapCommandsTest.u32(5), 0);
                assertTrue(bpf.mapLookupElem(m, null, MapCommandsTest.u32(5), 0));
                break;
            case LPM_TRIE:
                bpf.mapUpdateElem(m, MapCommandsTest.lpmKey(8, 10, 0, 0, 0), MapCommandsTest.u32(1), 0);
                assertTrue(bpf.mapLookupElem(m, MapCommandsTest.lpmKey(32, 10, 1, 1, 1), new byte[4], 0));
                break;
            case ARRAY_OF_MAPS:
            case HASH_OF_MAPS:
                bpf.mapUpdateElem(m, k0, MapCommandsTest.u32(inner), 0);
                assertTrue(bpf.mapDeleteElem(m, k0));
                break;
            case PROG_ARRAY:
                bpf.mapUpdateElem(m, k0, MapCommandsTest.u32(prog), 0);
                assertTrue(bpf.mapDeleteElem(m, k0));
                break;
            case DEVMAP:
            case DEVMAP_HASH: {
                bpf.mapUpdateElem(m, k0, MapCommandsTest.u32(1), 0); // lo
                byte[] v = new byte[4];
                assertTrue(bpf.mapLookupElem(m, k0, v, 0));
                assertEquals(1, MapCommandsTest.u32(v, 0));
                break;
            }
            case CPUMAP:
                bpf.mapUpdateElem(m, k0, MapCommandsTest.u32(192), 0); // queue size of CPU 0
                assertTrue(bpf.mapDeleteElem(m, k0));
                break;
            case RINGBUF:
            case USER_RINGBUF:
            case ARENA:
                // No element commands from user space: the kernel says so with an errno.
                BpfException e = assertThrows(BpfException.class, () -> bpf.mapLookupElem(m, null, new byte[0], 0));
                assertTrue(e.errno() == Errno.ENOTSUPP || e.errno() == Errno.EOPNOTSUPP || e.errno() == Errno.EINVAL,
                        e.getMessage());
                break;
            case STACK_TRACE:
                assertFalse(bpf.mapLookupElem(m, k0, new byte[8], 0), "no stack recorded yet");
                break;
            case STRUCT_OPS: {
                // An unregistered struct_ops map reads back as its value with state BPF_STRUCT_OPS_STATE_INIT (0).
                byte[] v = new byte[bpf.mapGetInfo(m).valueSize()];
                assertTrue(bpf.mapLookupElem(m, k0, v, 0));
                assertEquals(0, MapCommandsTest.u32(v, 4), "state");
                break;
            }
            case CGROUP_STORAGE:
            case PERCPU_CGROUP_STORAGE:
                assertFalse(bpf.mapGetNextKey(m, null, new byte[8]), "no cgroup attached yet");
                break;
            default:
                // Socket, xsk, perf event, cgroup arrays and local storages hold kernel objects:
                // walking an empty one is what user space can do without them.
                if (t == MapType.SK_STORAGE || t == MapType.INODE_STORAGE || t == MapType.TASK_STORAGE
                        || t == MapType.CGRP_STORAGE) {
                    assertEquals(4, bpf.mapGetInfo(m).valueSize());
                } else {
                    bpf.mapGetNextKey(m, null, new byte[4]);
                }
        }
    }

    @Test
    void everySupportedProgramTypeLoads() {
        // TRACING is loaded as an iterator below; every other type with a trivial program.
        int loaded = 0;
        for (ProgramType t : ProgramType.values()) {
            Support s = caps.programType(t);
            AttachType expected = t == ProgramType.CGROUP_SOCK_ADDR ? AttachType.CGROUP_INET4_CONNECT
                    : t == ProgramType.SK_LOOKUP ? AttachType.SK_LOOKUP
                    : t == ProgramType.NETFILTER ? AttachType.NETFILTER
                    : t == ProgramType.CGROUP_SOCKOPT ? AttachType.CGROUP_GETSOCKOPT : null;
            ProgramSpec spec = t == ProgramType.UNSPEC ? null
                    : ProgramSpec.of(t, Insn.ret(0), "GPL").withExpectedAttachType(expected)
                            .withFlags(t == ProgramType.SYSCALL ? ProgramFlags.SLEEPABLE : 0);
            if (spec == null) continue;
            if (t == ProgramType.TRACING && s.supported()) {
                // An iterator is the TRACING program every kernel with the type can load.
                int id;
                try {
                    id = KernelBtf.vmlinux().id(KernelBtf.Kind.FUNC, "bpf_iter_bpf_map");
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
                bpf.closeFd(bpf.progLoad(spec.withExpectedAttachType(AttachType.TRACE_ITER).withAttachBtf(id, 0, 0)).fd());
                loaded++;
                continue;
            }
            if (!s.supported()) {
                BpfUnsupportedException e = assertThrows(BpfUnsupportedException.class, () -> bpf.progLoad(spec));
                assertEquals(s.reason(), e.reason());
                assertTrue(ExpectedKernel.lacks(t), t + " is reported unsupported (" + s.reason() + "), but "
                        + ExpectedKernel.KERNEL + " has it");
                continue;
            }
            if (t == ProgramType.STRUCT_OPS) {
                structOpsProgramRuns();
                loaded++;
                continue;
            }
            bpf.closeFd(bpf.progLoad(spec).fd());
            loaded++;
        }
        assertTrue(loaded > 20, "only " + loaded + " program types loaded");
    }

    /**
     * A STRUCT_OPS program for bpf_dummy_ops.test_1 (member 0, so no expected attach type),
     * run through the kernel's struct_ops test run: a NULL state argument, and r0 comes back.
     */
    private static void structOpsProgramRuns() {
        int ops = KernelBtf.vmlinux().id(KernelBtf.Kind.STRUCT, "bpf_dummy_ops");
        long[] ret7 = {Insn.mov64(Insn.R0, 7), Insn.exit()};
        int p = bpf.progLoad(ProgramSpec.of(ProgramType.STRUCT_OPS, ret7, "GPL").withAttachBtf(ops, 0, 0)).fd();
        try {
            TestRunResult r = bpf.progTestRun(p, new io.bpf4j.api.TestRunSpec(null, 0, new byte[8], 0, 0, 0, 0, 0));
            assertEquals(7, r.retval());
        } finally {
            bpf.closeFd(p);
        }
    }

    /** The size of a struct in vmlinux BTF ({@code struct btf_type.size}, include/uapi/linux/btf.h). */
    static int structSize(int id) {
        java.nio.ByteBuffer b;
        try {
            b = java.nio.ByteBuffer.wrap(java.nio.file.Files.readAllBytes(KernelBtf.VMLINUX)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        int p = b.getInt(4) + b.getInt(8);
        for (int i = 1; i < id; i++) {
            int info = b.getInt(p + 4);
            p += 12 + trailing((info >>> 24) & 0x1f, info & 0xffff);
        }
        return b.getInt(p + 8);
    }

    /** Bytes after a 12-byte type record, per BTF_KIND_* (INT 1 ... ENUM64 19). */
    private static int trailing(int kind, int vlen) {
        switch (kind) {
            case 1: case 14: case 17: return 4;
            case 3: return 12;
            case 4: case 5: case 15: case 19: return 12 * vlen;
            case 6: case 13: return 8 * vlen;
            default: return 0;
        }
    }

    @Test
    void unsupportedAttachTypesThrowWithTheReason() {
        int p = bpf.progLoad(ProgramSpec.of(ProgramType.SOCKET_FILTER, Insn.ret(0), "GPL")).fd();
        try {
            for (AttachType t : AttachType.values()) {
                Support s = caps.attachType(t);
                if (s.supported()) continue;
                assertTrue(ExpectedKernel.lacks(t), t + " is reported unsupported (" + s.reason() + "), but "
                        + ExpectedKernel.KERNEL + " has it");
                BpfUnsupportedException e = assertThrows(BpfUnsupportedException.class,
                        () -> bpf.progAttach(AttachSpec.of(1, p, t, AttachFlags.ALLOW_MULTI)));
                assertEquals(s.reason(), e.reason());
                e = assertThrows(BpfUnsupportedException.class,
                        () -> bpf.progQuery(new io.bpf4j.api.QuerySpec(1, t, 0)));
                assertEquals(s.reason(), e.reason());
            }
        } finally {
            bpf.closeFd(p);
        }
    }
}
