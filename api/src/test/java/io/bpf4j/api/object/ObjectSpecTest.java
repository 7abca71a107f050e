package io.bpf4j.api.object;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.AttachType;
import io.bpf4j.api.MapFlags;
import io.bpf4j.api.MapType;
import io.bpf4j.api.ProgramFlags;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.asm.Instruction;
import io.bpf4j.api.asm.Opcodes;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The corpus read into specs: programs, maps, variables, linking, and edits. */
class ObjectSpecTest {

    @Test
    void legacyMapsAreReadFromTheMapsSection() {
        ObjectSpec spec = Corpus.spec("legacy_maps.o");
        assertEquals("legacy_maps", spec.objectName());
        assertEquals("GPL", spec.license());
        ObjectMap stats = spec.map("stats");
        assertEquals(MapKind.LEGACY, stats.kind());
        assertEquals(MapType.ARRAY, stats.type());
        assertEquals(List.of(4, 8, 4, 0), List.of(stats.keySize(), stats.valueSize(), stats.maxEntries(), stats.flags()));
        ObjectMap lengths = spec.map("lengths");
        assertEquals(MapType.HASH, lengths.type());
        assertEquals(MapFlags.NO_PREALLOC, lengths.flags());
        assertEquals(64, lengths.maxEntries());
        ObjectProgram p = spec.program("count_frames");
        assertEquals("xdp", p.section());
        assertEquals(ProgramType.XDP, p.type());
        assertEquals(AttachType.XDP, p.expectedAttachType());
        assertEquals(Hook.XDP, p.hook());
        assertEquals(List.of("stats", "lengths"), p.maps());
        for (ObjectProgram.MapRef r : p.mapRefs()) {
            Instruction i = Instruction.decode(p.instructionsShared()[r.insn()]);
            assertEquals(Opcodes.LD_IMM64, i.opcode(), "every reference is a ld_imm64");
            assertFalse(r.value());
        }
    }

    @Test
    void btfDefinedMapsAreReadFromTheirStructs() {
        ObjectSpec spec = Corpus.spec("btf_maps.o");
        assertTrue(spec.btf().isPresent());
        // In the order of the .maps DATASEC, as libbpf takes them
        assertEquals(List.of("verdicts", "by_length", "per_cpu", "totals", "events"),
                spec.maps().stream().map(ObjectMap::name).toList());
        ObjectMap h = spec.map("by_length");
        assertEquals(List.of(MapKind.BTF, MapType.HASH, 4, 8, 16, MapFlags.NO_PREALLOC, Pinning.NONE),
                List.of(h.kind(), h.type(), h.keySize(), h.valueSize(), h.maxEntries(), h.flags(), h.pinning()));
        assertEquals("__u32", io.bpf4j.api.btf.BtfDump.declaration(spec.btf().get(), h.btfKeyTypeId(), ""));
        ObjectMap pc = spec.map("per_cpu");
        assertEquals(List.of(MapType.PERCPU_ARRAY, 4, 8, 1, 0, 0), List.of(pc.type(), pc.keySize(), pc.valueSize(),
                pc.maxEntries(), pc.btfKeyTypeId(), pc.btfValueTypeId()), "sizes without types");
        ObjectMap t = spec.map("totals");
        assertEquals(Pinning.BY_NAME, t.pinning());
        assertEquals(16, t.valueSize(), "struct pair");
        assertEquals("struct pair", io.bpf4j.api.btf.BtfDump.declaration(spec.btf().get(), t.btfValueTypeId(), ""));
        ObjectMap outer = spec.map("verdicts");
        assertEquals(List.of(MapType.ARRAY_OF_MAPS, 4, 4, 2), List.of(outer.type(), outer.keySize(), outer.valueSize(),
                outer.maxEntries()));
        ObjectMap inner = outer.innerMap();
        assertEquals(List.of(MapType.ARRAY, 4, 4, 1), List.of(inner.type(), inner.keySize(), inner.valueSize(),
                inner.maxEntries()));
        ObjectMap ring = spec.map("events");
        assertEquals(List.of(MapType.RINGBUF, 0, 0, 4096), List.of(ring.type(), ring.keySize(), ring.valueSize(),
                ring.maxEntries()));
        assertEquals(List.of("verdicts", "by_length", "per_cpu", "totals", "events"), spec.program("use_btf_maps").maps());
    }

    @Test
    void aCallbackIsLinkedAsTheAddressOfTheAppendedFunction() {
        ObjectProgram p = Corpus.spec("callbacks.o").program("loop_sum");
        assertEquals(1, p.callbacks());
        long[] w = p.instructionsShared();
        int loads = 0;
        for (int i = 0; i < w.length; i++) {
            Instruction x = Instruction.decode(w[i]);
            if (x.opcode() != Opcodes.LD_IMM64) continue;
            if (x.src() == Opcodes.PSEUDO_FUNC) {
                assertEquals(p.functionLength(), i + x.imm() + 1, "add_index, appended after loop_sum");
                assertEquals(0, Instruction.decode(w[i + 1]).imm());
                loads++;
            }
            i++;
        }
        assertEquals(1, loads);
        assertTrue(p.instructionCount() > p.functionLength());
    }

    @Test
    void initialElementsOfMapsOfMapsAndProgramArrays() {
        ObjectSpec spec = Corpus.spec("map_slots.o");
        assertEquals(List.of(new ObjectMap.Slot(0, "inner_a", false), new ObjectMap.Slot(1, "inner_b", false)),
                spec.map("outer").slots());
        assertEquals(List.of(new ObjectMap.Slot(1, "tail_drop", true)), spec.map("jumps").slots());
        assertEquals(MapType.PROG_ARRAY, spec.map("jumps").type());
        assertNull(spec.map("jumps").innerMap());
        assertEquals(List.of(), spec.map("inner_a").slots());
    }

    @Test
    void globalDataBecomesArrayMapsNamedAsLibbpfNamesThem() {
        ObjectSpec spec = Corpus.spec("global_data.o");
        assertEquals("global_data", spec.objectName());
        assertEquals(List.of(".rodata", ".rodata.greeting", ".data", ".data.counters", ".bss"),
                spec.maps().stream().map(ObjectMap::name).toList());
        assertEquals(List.of("global_d.rodata", ".rodata.greetin", "global_d.data", ".data.counters", "global_d.bss"),
                spec.maps().stream().map(ObjectMap::kernelName).toList());
        ObjectMap ro = spec.map(".rodata");
        assertEquals(MapKind.RODATA, ro.kind());
        assertTrue(ro.frozen());
        assertEquals(MapFlags.MMAPABLE | MapFlags.RDONLY_PROG, ro.flags());
        assertEquals(MapType.ARRAY, ro.type());
        assertEquals(1, ro.maxEntries());
        assertEquals(4, ro.keySize());
        ObjectMap bss = spec.map(".bss");
        assertEquals(MapFlags.MMAPABLE, bss.flags());
        assertEquals(0, bss.initialValue().length, ".bss starts zeroed: nothing to write");
        assertEquals(16, bss.valueSize());

        ObjectVariable total = spec.variable("total");
        assertEquals(".data", total.map());
        assertEquals(8, total.size());
        assertFalse(total.constant());
        byte[] data = spec.map(".data").initialValue();
        assertEquals(100, Variables.decode(total, data, total.offset()));
        ObjectVariable verdict = spec.variable("verdict");
        assertTrue(verdict.constant());
        assertEquals("const volatile __u32", verdict.typeName(), "from BTF");
        assertTrue(verdict.integer());
        assertEquals("const volatile char [8]", spec.variable("greeting").typeName());
        assertFalse(spec.variable("greeting").integer());
        IllegalArgumentException notInt = assertThrows(IllegalArgumentException.class, () -> spec.withVariable("greeting", 1));
        assertTrue(notInt.getMessage().contains("not an integer"), notInt.getMessage());
        assertEquals(2, Variables.decode(verdict, spec.map(".rodata").initialValue(), verdict.offset()), "XDP_PASS");
        assertEquals(8, spec.variable("greeting").size());
        assertEquals(5, Variables.decode(spec.variable("runs"), spec.map(".data.counters").initialValue(), 0));

        ObjectProgram p = spec.program("use_globals");
        assertTrue(p.mapRefs().stream().allMatch(ObjectProgram.MapRef::value), "global data is referred to by value");
        assertEquals(List.of(".bss", ".rodata", ".data", ".data.counters", ".rodata.greeting").stream().sorted().toList(),
                p.maps().stream().sorted().toList());
    }

    @Test
    void subprogramsAreAppendedOnceAndCallsPointAtThem() {
        ObjectSpec spec = Corpus.spec("subprogs.o");
        ObjectProgram xdp = spec.program("sub_xdp");
        ObjectProgram sock = spec.program("sub_socket");
        assertEquals(ProgramType.SOCKET_FILTER, sock.type());
        assertNull(sock.expectedAttachType());
        // sub_xdp (9) + twice_mixed (9) + mix (4); sub_socket (11) + mix (4) + twice_mixed (9)
        assertEquals(9, xdp.functionLength());
        assertEquals(22, xdp.instructionCount());
        assertEquals(24, sock.instructionCount());
        assertCallsLandOnFunctionStarts(xdp, 3, 9, 18);
        assertCallsLandOnFunctionStarts(sock, 4, 11, 15);
        // results[] is read in twice_mixed, which is linked into both programs
        assertTrue(xdp.mapRefs().stream().anyMatch(r -> r.insn() >= 9 && r.map().equals(".bss")));
    }

    /** The linked program makes this many calls, each to one of the given function starts. */
    private static void assertCallsLandOnFunctionStarts(ObjectProgram p, int expectedCalls, int... starts) {
        long[] w = p.instructionsShared();
        int calls = 0;
        for (int i = 0; i < w.length; i++) {
            Instruction x = Instruction.decode(w[i]);
            if (x.opcode() == Opcodes.LD_IMM64) {
                i++;
                continue;
            }
            if (x.opcode() != Opcodes.CALL_OP || x.src() != Opcodes.PSEUDO_CALL) continue;
            int target = i + x.imm() + 1;
            boolean ok = false;
            for (int s : starts) ok |= s == target;
            assertTrue(ok, p.name() + ": call at " + i + " goes to " + target);
            calls++;
        }
        assertEquals(expectedCalls, calls, p.name() + ": calls");
    }

    @Test
    void sectionConventionsGiveTypesAttachTypesAndFlags() {
        ObjectSpec spec = Corpus.spec("sections.o");
        record Want(ProgramType type, AttachType eat, int flags, Hook hook, String target) {
        }
        java.util.Map<String, Want> want = new java.util.LinkedHashMap<>();
        want.put("p_socket", new Want(ProgramType.SOCKET_FILTER, null, 0, Hook.NONE, ""));
        want.put("p_kprobe", new Want(ProgramType.KPROBE, null, 0, Hook.KPROBE, "do_unlinkat"));
        want.put("p_kretprobe", new Want(ProgramType.KPROBE, null, 0, Hook.KPROBE, "do_unlinkat"));
        want.put("p_uprobe", new Want(ProgramType.KPROBE, null, 0, Hook.UPROBE, "libc.so.6:malloc"));
        want.put("p_uretprobe_s", new Want(ProgramType.KPROBE, null, ProgramFlags.SLEEPABLE, Hook.UPROBE, "libc.so.6:malloc"));
        want.put("p_uprobe_multi", new Want(ProgramType.KPROBE, AttachType.TRACE_UPROBE_MULTI, 0, Hook.UPROBE_MULTI, "libc.so.6:*alloc"));
        want.put("p_kprobe_multi", new Want(ProgramType.KPROBE, AttachType.TRACE_KPROBE_MULTI, 0, Hook.KPROBE_MULTI, "do_*"));
        want.put("p_tracepoint", new Want(ProgramType.TRACEPOINT, null, 0, Hook.TRACEPOINT, "syscalls/sys_enter_openat"));
        want.put("p_tp", new Want(ProgramType.TRACEPOINT, null, 0, Hook.TRACEPOINT, "sched/sched_switch"));
        want.put("p_raw_tp", new Want(ProgramType.RAW_TRACEPOINT, null, 0, Hook.RAW_TRACEPOINT, "sys_enter"));
        want.put("p_raw_tracepoint", new Want(ProgramType.RAW_TRACEPOINT, null, 0, Hook.RAW_TRACEPOINT, "sys_exit"));
        want.put("p_tp_btf", new Want(ProgramType.TRACING, AttachType.TRACE_RAW_TP, 0, Hook.TRACING, "sched_switch"));
        want.put("p_fentry", new Want(ProgramType.TRACING, AttachType.TRACE_FENTRY, 0, Hook.TRACING, "do_unlinkat"));
        want.put("p_fexit", new Want(ProgramType.TRACING, AttachType.TRACE_FEXIT, 0, Hook.TRACING, "do_unlinkat"));
        want.put("p_fmod_ret", new Want(ProgramType.TRACING, AttachType.MODIFY_RETURN, 0, Hook.TRACING, "security_file_open"));
        want.put("p_fentry_s", new Want(ProgramType.TRACING, AttachType.TRACE_FENTRY, ProgramFlags.SLEEPABLE, Hook.TRACING, "do_unlinkat"));
        want.put("p_lsm", new Want(ProgramType.LSM, AttachType.LSM_MAC, 0, Hook.LSM, "file_open"));
        want.put("p_lsm_s", new Want(ProgramType.LSM, AttachType.LSM_MAC, ProgramFlags.SLEEPABLE, Hook.LSM, "file_open"));
        want.put("p_lsm_cgroup", new Want(ProgramType.LSM, AttachType.LSM_CGROUP, 0, Hook.LSM, "socket_bind"));
        want.put("p_iter", new Want(ProgramType.TRACING, AttachType.TRACE_ITER, 0, Hook.ITER, "task"));
        want.put("p_xdp", new Want(ProgramType.XDP, AttachType.XDP, 0, Hook.XDP, ""));
        want.put("p_xdp_frags", new Want(ProgramType.XDP, AttachType.XDP, ProgramFlags.XDP_HAS_FRAGS, Hook.XDP, ""));
        want.put("p_tc", new Want(ProgramType.SCHED_CLS, null, 0, Hook.NONE, ""));
        want.put("p_tcx_ingress", new Want(ProgramType.SCHED_CLS, AttachType.TCX_INGRESS, 0, Hook.TCX, ""));
        want.put("p_tcx_egress", new Want(ProgramType.SCHED_CLS, AttachType.TCX_EGRESS, 0, Hook.TCX, ""));
        want.put("p_netkit_primary", new Want(ProgramType.SCHED_CLS, AttachType.NETKIT_PRIMARY, 0, Hook.NETKIT, ""));
        want.put("p_netkit_peer", new Want(ProgramType.SCHED_CLS, AttachType.NETKIT_PEER, 0, Hook.NETKIT, ""));
        want.put("p_cgroup_skb_ingress", new Want(ProgramType.CGROUP_SKB, AttachType.CGROUP_INET_INGRESS, 0, Hook.CGROUP, ""));
        want.put("p_cgroup_skb_egress", new Want(ProgramType.CGROUP_SKB, AttachType.CGROUP_INET_EGRESS, 0, Hook.CGROUP, ""));
        want.put("p_sock_create", new Want(ProgramType.CGROUP_SOCK, AttachType.CGROUP_INET_SOCK_CREATE, 0, Hook.CGROUP, ""));
        want.put("p_connect4", new Want(ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_INET4_CONNECT, 0, Hook.CGROUP, ""));
        want.put("p_sendmsg6", new Want(ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_UDP6_SENDMSG, 0, Hook.CGROUP, ""));
        want.put("p_getsockopt", new Want(ProgramType.CGROUP_SOCKOPT, AttachType.CGROUP_GETSOCKOPT, 0, Hook.CGROUP, ""));
        want.put("p_sysctl", new Want(ProgramType.CGROUP_SYSCTL, AttachType.CGROUP_SYSCTL, 0, Hook.CGROUP, ""));
        want.put("p_dev", new Want(ProgramType.CGROUP_DEVICE, AttachType.CGROUP_DEVICE, 0, Hook.CGROUP, ""));
        want.put("p_sockops", new Want(ProgramType.SOCK_OPS, AttachType.CGROUP_SOCK_OPS, 0, Hook.CGROUP, ""));
        want.put("p_stream_parser", new Want(ProgramType.SK_SKB, AttachType.SK_SKB_STREAM_PARSER, 0, Hook.SOCKMAP, ""));
        want.put("p_stream_verdict", new Want(ProgramType.SK_SKB, AttachType.SK_SKB_STREAM_VERDICT, 0, Hook.SOCKMAP, ""));
        want.put("p_sk_msg", new Want(ProgramType.SK_MSG, AttachType.SK_MSG_VERDICT, 0, Hook.SOCKMAP, ""));
        want.put("p_sk_lookup", new Want(ProgramType.SK_LOOKUP, AttachType.SK_LOOKUP, 0, Hook.NETNS, ""));
        want.put("p_flow_dissector", new Want(ProgramType.FLOW_DISSECTOR, AttachType.FLOW_DISSECTOR, 0, Hook.NETNS, ""));
        want.put("p_netfilter", new Want(ProgramType.NETFILTER, AttachType.NETFILTER, 0, Hook.NETFILTER, ""));
        want.put("p_struct_ops", new Want(ProgramType.STRUCT_OPS, null, 0, Hook.STRUCT_OPS, "test_1"));
        want.put("p_syscall", new Want(ProgramType.SYSCALL, null, ProgramFlags.SLEEPABLE, Hook.NONE, ""));
        want.put("p_perf_event", new Want(ProgramType.PERF_EVENT, null, 0, Hook.PERF_EVENT, ""));
        want.put("p_freplace", new Want(ProgramType.EXT, null, 0, Hook.TRACING, "handler"));
        assertEquals(want.keySet().stream().sorted().toList(), spec.programs().stream().map(ObjectProgram::name).sorted().toList());
        for (ObjectProgram p : spec.programs()) {
            Want w = want.get(p.name());
            assertEquals(w, new Want(p.type(), p.expectedAttachType(), p.flags(), p.hook(), p.target()), p.name() + " in " + p.section());
            assertEquals(2, p.instructionCount(), "return 0");
        }
    }

    @Test
    void editsMakeCopies() {
        ObjectSpec spec = Corpus.spec("global_data.o");
        ObjectSpec edited = spec.withVariable("verdict", 1).withVariable("factor", 9).withVariable("greeting",
                "HELLO\0\0\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        byte[] ro = edited.map(".rodata").initialValue();
        assertEquals(1, Variables.decode(edited.variable("verdict"), ro, edited.variable("verdict").offset()));
        assertEquals(9, Variables.decode(edited.variable("factor"), ro, edited.variable("factor").offset()));
        assertEquals('H', edited.map(".rodata.greeting").initialValue()[0]);
        assertEquals(2, Variables.decode(spec.variable("verdict"), spec.map(".rodata").initialValue(),
                spec.variable("verdict").offset()), "the original is unchanged");
        ObjectSpec bss = spec.withVariable("calls", 42);
        assertEquals(42, Variables.decode(bss.variable("calls"), bss.map(".bss").initialValue(), bss.variable("calls").offset()));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> spec.withVariable("factor", new byte[4]));
        assertTrue(e.getMessage().startsWith("value: 4 bytes for 'factor', which has 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> spec.withVariable("nope", 1));
        assertTrue(e.getMessage().startsWith("name: no global variable 'nope'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> spec.withMaxEntries(".data", 2));
        assertTrue(e.getMessage().contains("global data"), e.getMessage());

        ObjectSpec legacy = Corpus.spec("legacy_maps.o").withMaxEntries("lengths", 1000).withPinPath("stats", "/sys/fs/bpf/s");
        assertEquals(1000, legacy.map("lengths").maxEntries());
        assertEquals("/sys/fs/bpf/s", legacy.map("stats").pinPath());
        ObjectSpec one = Corpus.spec("subprogs.o").withPrograms("sub_socket");
        assertEquals(List.of("sub_socket"), one.selectedPrograms().stream().map(ObjectProgram::name).toList());
        assertEquals(2, one.programs().size());
        assertThrows(IllegalArgumentException.class, () -> one.withPrograms("nope"));
    }

    @Test
    void mapTypeNumbersFollowTheUapi() {
        assertEquals(MapType.HASH, MapTypes.of(1));
        assertEquals(MapType.LPM_TRIE, MapTypes.of(11));
        assertEquals(MapType.RINGBUF, MapTypes.of(27));
        assertEquals(MapType.ARENA, MapTypes.of(33));
        assertNull(MapTypes.of(0));
        assertNull(MapTypes.of(34));
        assertNull(MapTypes.of(-1));
    }

    @Test
    void dataMapNamesFollowLibbpf() {
        assertEquals("my_objec.rodata", SpecReader.dataMapName("my_object_name", ".rodata"));
        assertEquals("my_objec.bss", SpecReader.dataMapName("my_object_name", ".bss"));
        assertEquals(".rodata.abracad", SpecReader.dataMapName("obj", ".rodata.abracadabra"));
        assertEquals("x.data", SpecReader.dataMapName("x", ".data"));
        assertEquals("counter", SpecReader.objectName("/tmp/counter.bpf.o"));
        assertEquals("a_very_long_obj", SpecReader.objectName("a_very_long_object_name.o"));
        assertArrayEquals(new byte[] {1, 0, 0, 0}, Variables.encode(new ObjectVariable("v", ".data", 0, 4, 0, "", false, true), 1));
    }
}
