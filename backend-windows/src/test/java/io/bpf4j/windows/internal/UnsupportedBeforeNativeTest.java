package io.bpf4j.windows.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.AttachSpec;
import io.bpf4j.api.AttachType;
import io.bpf4j.api.BpfUnsupportedException;
import io.bpf4j.api.Capabilities;
import io.bpf4j.api.LinkOptions;
import io.bpf4j.api.LinkSpec;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.Operation;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.QuerySpec;
import io.bpf4j.api.StatsType;
import io.bpf4j.api.Support;
import io.bpf4j.windows.internal.sys.EbpfApi;
import io.bpf4j.windows.internal.sys.Export;
import io.bpf4j.windows.internal.sys.IpHelperBinding;
import java.lang.reflect.Proxy;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The capability table and the "unsupported before any native call" rule, with the chokepoint
 * replaced by one that counts native calls: no root, no library.
 */
class UnsupportedBeforeNativeTest {
    private static final String NO_IPHLPAPI = "interface names need iphlpapi.dll: none in this test";
    private final AtomicInteger calls = new AtomicInteger();

    /** A binding that has the given exports, answers the probes, and counts every other call. */
    private EbpfApi fake(Set<Export> missing) {
        return (EbpfApi) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {EbpfApi.class}, (p, m, a) -> {
            switch (m.getName()) {
                case "has": return !missing.contains((Export) a[0]);
                case "name": return "fake";
                case "lastErrorSource": return "none";
                case "address": return 0x1000L;
                case "libbpfNumPossibleCpus": return 4;
                case "ebpfGetEbpfProgramType": return ((Integer) a[0]) == 1 ? 0x2000L : 0L;   // only XDP registered
                case "ebpfGetEbpfAttachType": { int t = (Integer) a[0]; return t == 1 || t == 3 || t == 7 ? 0 : 6; }
                case "bpf": if (((Integer) a[0]) == 0) return 3; if (((Integer) a[0]) == 5) return 4; break;   // probes
                case "ebpfCloseFd": return 0;
                default: break;
            }
            calls.incrementAndGet();
            if (m.getReturnType() == long.class) return 0L;
            if (m.getReturnType() == void.class) return null;
            return -22;
        });
    }

    @Test
    void everyEntryIsPresentAndLinuxOnlyOperationsSaySo() {
        // Interface names need iphlpapi.dll, not efW: without it they alone are refused (InterfaceIndexTest has it).
        WinBackend w = new WinBackend(fake(Set.of()), null, IpHelperBinding.unavailable(NO_IPHLPAPI));
        Capabilities c = w.capabilities();
        for (Operation op : Operation.values()) assertNotNull(c.operation(op), op::name);
        for (Operation op : WinCapabilities.LINUX_ONLY.keySet()) {
            Support s = c.operation(op);
            assertFalse(s.supported(), op::name);
            assertTrue(s.reason().startsWith("not in eBPF for Windows: "), s.reason());
        }
        assertEquals(14, WinCapabilities.LINUX_ONLY.size());
        // Global variables fall back to map lookup and update on a backend without mapped maps.
        calls.set(0);
        check(w, c, Operation.MAP_MMAP, b -> b.mapMmap(3, 8, true));
        assertEquals(0, calls.get(), "no native call was made");
        assertThrows(IllegalArgumentException.class, () -> w.mapMmap(3, 0, true), "the length is checked first");
        check(w, c, Operation.PROG_XLATED, b -> b.progGetXlated(3));
        check(w, c, Operation.PROG_JITED, b -> b.progGetJited(3));
        assertEquals(0, calls.get(), "no native call was made");
        assertThrows(IllegalArgumentException.class, () -> w.progGetXlated(-1), "the descriptor is checked first");
        check(w, c, Operation.INTERFACE_INDEX, b -> b.interfaceIndex("Ethernet"));
        assertEquals(0, calls.get(), "no native call was made");
        assertThrows(IllegalArgumentException.class, () -> w.interfaceIndex(""), "the name is checked first");
        for (Operation op : WinCapabilities.NOT_YET.keySet()) {
            Support s = c.operation(op);
            assertFalse(s.supported(), op::name);
            assertTrue(s.reason().startsWith("not implemented yet by bpf4j's eBPF for Windows backend: "), s.reason());
        }
        EnumSet<Operation> refused = EnumSet.copyOf(WinCapabilities.LINUX_ONLY.keySet());
        refused.addAll(WinCapabilities.NOT_YET.keySet());
        refused.add(Operation.INTERFACE_INDEX);
        assertEquals(NO_IPHLPAPI, c.operation(Operation.INTERFACE_INDEX).reason());
        for (Operation op : EnumSet.complementOf(refused)) {
            assertTrue(c.operation(op).supported(), () -> op + ": " + c.operation(op));
        }
        assertTrue(c.programType(ProgramType.XDP).supported());
        assertTrue(c.programType(ProgramType.SOCK_OPS).reason().startsWith("not registered"), "no extension answered");
        assertTrue(c.programType(ProgramType.KPROBE).reason().startsWith("not in eBPF for Windows"));
        assertTrue(c.attachType(AttachType.XDP).supported());
        assertTrue(c.attachType(AttachType.TCX_INGRESS).reason().startsWith("not in eBPF for Windows"));
        assertTrue(c.mapType(MapType.HASH).supported());
        assertFalse(c.mapType(MapType.ARENA).supported());
    }

    @Test
    void linuxOnlyOperationsThrowTheReportedReasonWithoutANativeCall() {
        WinBackend w = new WinBackend(fake(Set.of()), null);
        Capabilities c = w.capabilities();
        calls.set(0);
        check(w, c, Operation.MAP_FREEZE, b -> b.mapFreeze(3));
        check(w, c, Operation.BTF_LOAD, b -> b.btfLoad(new byte[24], 0));
        check(w, c, Operation.BTF_GET_FD_BY_ID, b -> b.btfGetFdById(1));
        check(w, c, Operation.BTF_GET_NEXT_ID, b -> b.btfGetNextId(0));
        check(w, c, Operation.LINK_UPDATE, b -> b.linkUpdate(3, 4, 0, 0));
        check(w, c, Operation.ENABLE_STATS, b -> b.enableStats(StatsType.RUN_TIME));
        check(w, c, Operation.ITER_CREATE, b -> b.iterCreate(3, 0));
        check(w, c, Operation.TOKEN_CREATE, b -> b.tokenCreate(3, 0));
        check(w, c, Operation.RAW_TRACEPOINT_OPEN, b -> b.rawTracepointOpen("sys_enter", 3, 0));
        check(w, c, Operation.TASK_FD_QUERY, b -> b.taskFdQuery(1, 3, 0));
        check(w, c, Operation.PROG_STREAM_READ_BY_FD, b -> b.progStreamReadByFd(3, 1, new byte[8]));
        BpfUnsupportedException tcx = assertThrows(BpfUnsupportedException.class,
                () -> w.progAttach(AttachSpec.of(1, 3, AttachType.TCX_INGRESS, 0)));
        assertEquals(c.attachType(AttachType.TCX_INGRESS).reason(), tcx.reason());
        // Links exist, but not with a Linux hook, anchors or XDP modes.
        BpfUnsupportedException tcxLink = assertThrows(BpfUnsupportedException.class,
                () -> w.linkCreate(LinkSpec.of(3, 1, AttachType.TCX_INGRESS, 0)));
        assertEquals(c.attachType(AttachType.TCX_INGRESS).reason(), tcxLink.reason());
        BpfUnsupportedException anchors = assertThrows(BpfUnsupportedException.class,
                () -> w.linkCreate(new LinkSpec(3, 0, AttachType.CGROUP_INET4_CONNECT, 0, new LinkOptions.Mprog(0, 0))));
        assertTrue(anchors.reason().contains("LinkOptions.Mprog"), anchors.reason());
        BpfUnsupportedException mode = assertThrows(BpfUnsupportedException.class,
                () -> w.linkCreate(LinkSpec.of(3, 1, AttachType.XDP, io.bpf4j.api.XdpMode.GENERIC.flags())));
        assertTrue(mode.reason().contains("XDP modes"), mode.reason());
        IllegalArgumentException noInterface = assertThrows(IllegalArgumentException.class,
                () -> w.linkCreate(LinkSpec.of(3, 0, AttachType.XDP, 0)));
        assertTrue(noInterface.getMessage().startsWith("target:"), noInterface.getMessage());
        BpfUnsupportedException effective = assertThrows(BpfUnsupportedException.class,
                () -> w.progQuery(new QuerySpec(0, AttachType.CGROUP_INET4_CONNECT, QuerySpec.EFFECTIVE)));
        assertTrue(effective.reason().contains("EFFECTIVE"), effective.reason());
        assertEquals(0, calls.get(), "no native call was made");
    }

    /**
     * The input rules every backend shares come before Windows' "not on Windows": link options of
     * another hook, negative descriptors in fd_array, pin paths with NUL, unknown map flags.
     */
    @Test
    void sharedInputRulesComeBeforeUnsupported() {
        WinBackend w = new WinBackend(fake(Set.of()), null);
        w.capabilities();
        calls.set(0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> w.linkCreate(new LinkSpec(3, 1, AttachType.XDP, 0, new LinkOptions.Mprog(0, 0))));
        assertTrue(e.getMessage().startsWith("options:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> w.progLoad(ProgramSpec.of(ProgramType.XDP, new long[] {0x95},
                "GPL").withFdArray(-1)));
        assertTrue(e.getMessage().startsWith("fdArray[0]:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> w.objPin(3, "/sys/fs/bpf/a\0b"));
        assertTrue(e.getMessage().startsWith("path:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> w.mapCreate(MapSpec.of(MapType.HASH, 4, 8, 1).withFlags(1 << 20)));
        assertTrue(e.getMessage().startsWith("flags:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> w.mapUpdateElem(3, new byte[4], new byte[8], 3));
        assertTrue(e.getMessage().startsWith("flags:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> w.read(3, new byte[4], 2, 3));
        assertTrue(e.getMessage().startsWith("off/len:"), e.getMessage());
        assertEquals(0, calls.get(), "no native call was made");
    }

    private static void check(WinBackend w, Capabilities c, Operation op, Consumer<WinBackend> call) {
        BpfUnsupportedException e = assertThrows(BpfUnsupportedException.class, () -> call.accept(w), op::name);
        assertEquals(op, e.operation());
        assertEquals(c.operation(op).reason(), e.reason());
    }

    /**
     * 0.21 exports neither ebpf_ring_buffer_map_map_buffer nor ebpf_map_set_wait_handle (Source.def@Release-v0.21.0);
     * its perf_buffer__new still serves perf readers, which need the waiter.
     */
    @Test
    void withoutTheRingExportsRingsAreUnsupportedBeforeAnyNativeCall() {
        WinBackend w = new WinBackend(fake(Set.of(Export.EBPF_RING_BUFFER_MAP_MAP_BUFFER,
                Export.EBPF_RING_BUFFER_MAP_UNMAP_BUFFER, Export.EBPF_MAP_SET_WAIT_HANDLE, Export.EBPF_PERF_BUFFER_NEW)), null);
        Capabilities c = w.capabilities();
        assertTrue(c.operation(Operation.RINGBUF_MAP).reason().contains("ebpf_ring_buffer_map_map_buffer (eBPF for Windows 1.0.0-rc1"),
                c.operation(Operation.RINGBUF_MAP).reason());
        assertTrue(c.operation(Operation.RINGBUF_MAP).reason().contains("ring_buffer__new callbacks"),
                c.operation(Operation.RINGBUF_MAP).reason());
        assertTrue(c.operation(Operation.RING_WAIT).supported(), "perf rings need the waiter");
        assertTrue(c.operation(Operation.PERF_BUFFER_OPEN).supported());
        calls.set(0);
        check(w, c, Operation.RINGBUF_MAP, b -> b.ringBufferMap(3));
        assertEquals(0, calls.get(), "no native call was made");
        // Without perf_buffer__new (no supported release lacks it) neither perf rings nor the waiter remain.
        WinBackend none = new WinBackend(fake(Set.of(Export.PERF_BUFFER_NEW, Export.EBPF_PERF_BUFFER_NEW)), null);
        Capabilities n = none.capabilities();
        assertTrue(n.operation(Operation.PERF_BUFFER_OPEN).reason().contains("perf_buffer__new"), n.operation(Operation.PERF_BUFFER_OPEN).reason());
        calls.set(0);
        check(none, n, Operation.PERF_BUFFER_OPEN, b -> b.perfBufferOpen(3, 0, 1, 1, false));
        check(none, n, Operation.RING_WAIT, b -> b.ringWaiter());
        assertEquals(0, calls.get(), "no native call was made");
        WinBackend full = new WinBackend(fake(Set.of()), null);
        assertTrue(full.capabilities().operation(Operation.RINGBUF_MAP).supported());
        assertTrue(full.capabilities().operation(Operation.RING_WAIT).supported());
    }

    @Test
    void aMissingExportMakesOnlyItsOperationUnsupported() {
        WinBackend w = new WinBackend(fake(Set.of(Export.BPF_MAP_LOOKUP_BATCH, Export.EBPF_GET_NEXT_PINNED_OBJECT_PATH)), null);
        Support batch = w.capabilities().operation(Operation.MAP_LOOKUP_BATCH);
        assertFalse(batch.supported());
        assertTrue(batch.reason().contains("bpf_map_lookup_batch"), batch.reason());
        assertTrue(w.capabilities().operation(Operation.MAP_UPDATE_BATCH).supported());
        calls.set(0);
        BpfUnsupportedException e = assertThrows(BpfUnsupportedException.class,
                () -> w.mapLookupBatch(3, null, new byte[4], new byte[4], new byte[8], 1, 0, 0));
        assertEquals(batch.reason(), e.reason());
        BpfUnsupportedException pins = assertThrows(BpfUnsupportedException.class,
                () -> w.nextPinnedObject("", io.bpf4j.windows.WindowsBpf.ObjectKind.ANY));
        assertTrue(pins.reason().contains("0.21.0"), pins.reason());
        assertEquals(0, calls.get());
    }

    @Test
    void requiredExportsDecideAvailability() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new WinBackend(fake(Set.of(Export.EBPF_CLOSE_FD)), null));
        assertTrue(e.getMessage().contains("ebpf_close_fd"), e.getMessage());
        assertEquals(Mode.LIBBPF, Mode.select(fake(Set.of(Export.BPF)), null), "no bpf(): the bpf.h functions");
        assertEquals(Mode.SYSCALL, Mode.select(fake(Set.of()), null));
        assertThrows(IllegalArgumentException.class, () -> Mode.select(fake(Set.of()), "neither"));
    }
}
