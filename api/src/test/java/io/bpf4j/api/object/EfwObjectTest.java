package io.bpf4j.api.object;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.AttachType;
import io.bpf4j.api.Bpf;
import io.bpf4j.api.MapType;
import io.bpf4j.api.ProgramType;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * eBPF for Windows objects ({@code objects/windows}, compiled against declarations of efW's
 * headers): its 32-byte map definitions, its map type numbers, its section names, and what its
 * {@code bpf()} path cannot load, refused before any call reaches a backend.
 */
class EfwObjectTest {

    static ObjectSpec efw(String name) {
        return ObjectSpec.parse(name, Corpus.bytes("windows/" + name), ObjectFlavor.EBPF_FOR_WINDOWS);
    }

    private static String shape(ObjectMap m) {
        return m.type() + " " + m.keySize() + "/" + m.valueSize() + " max " + m.maxEntries() + " flags " + m.flags()
                + " " + m.pinning() + " " + m.kind();
    }

    @Test
    void legacyDefinitionsAreReadWithWindowsNumbers() {
        ObjectSpec spec = efw("efw_maps.o");
        assertEquals(ObjectFlavor.EBPF_FOR_WINDOWS, spec.flavor());
        assertEquals("MIT", spec.license());
        assertEquals(List.of("counts", "ports", "per_cpu", "events"), spec.maps().stream().map(ObjectMap::name).toList());
        assertEquals("ARRAY 4/8 max 4 flags 0 BY_NAME LEGACY", shape(spec.map("counts")));
        assertEquals("HASH 4/4 max 128 flags 0 NONE LEGACY", shape(spec.map("ports")));
        // Windows' 5 and 13, which are Linux's PERCPU_HASH and HASH_OF_MAPS.
        assertEquals("PERCPU_ARRAY 4/8 max 2 flags 0 NONE LEGACY", shape(spec.map("per_cpu")));
        assertEquals("RINGBUF 0/0 max 65536 flags 0 NONE LEGACY", shape(spec.map("events")));
    }

    @Test
    void sectionsFollowTheExtensionsRegistrations() {
        ObjectSpec spec = efw("efw_maps.o");
        ObjectProgram xdp = spec.program("count_xdp");
        assertEquals(ProgramType.XDP, xdp.type());
        assertEquals(AttachType.XDP, xdp.expectedAttachType());
        assertEquals(Hook.XDP, xdp.hook());
        assertEquals(List.of("counts"), xdp.maps());
        ObjectProgram connect = spec.program("allow_connect4");
        assertEquals(ProgramType.CGROUP_SOCK_ADDR, connect.type());
        assertEquals(AttachType.CGROUP_INET4_CONNECT, connect.expectedAttachType());
        assertEquals(ProgramType.SOCK_OPS, spec.program("watch_sockops").type());
        assertEquals(AttachType.CGROUP_SOCK_OPS, spec.program("watch_sockops").expectedAttachType());
        // A portable program type on a Windows-only hook: loadable, the hook named when attaching.
        ObjectProgram accept = spec.program("allow_accept6");
        assertEquals(ProgramType.CGROUP_SOCK_ADDR, accept.type());
        assertNull(accept.expectedAttachType());
        assertEquals(Optional.empty(), accept.whyNotLoadable());
        for (String p : List.of("count_xdp", "allow_connect4", "watch_sockops")) {
            assertEquals(Optional.empty(), spec.program(p).whyNotLoadable(), p);
        }
        ObjectProgram bind = spec.program("watch_bind");
        assertEquals(ProgramType.UNSPEC, bind.type());
        assertTrue(bind.whyNotLoadable().orElseThrow().contains("BPF_PROG_TYPE_BIND (2)"), bind.whyNotLoadable().toString());
        ObjectProgram sample = spec.program("sample");
        assertEquals("sample_ext/extra", sample.section());
        assertEquals("extra", sample.target());
        assertTrue(sample.whyNotLoadable().orElseThrow().contains("BPF_PROG_TYPE_SAMPLE (999)"));
    }

    @Test
    void theLongestRegisteredPrefixWinsWithNoSeparatorNeeded() {
        assertEquals(AttachType.CGROUP_INET6_CONNECT, EfwConventions.of("cgroup/connect6").expectedAttachType());
        assertEquals(AttachType.CGROUP_INET4_BIND, EfwConventions.of("cgroup/bind4").expectedAttachType());
        assertTrue(EfwConventions.of("bind").refusal() != null);
        assertTrue(EfwConventions.of("bindmonitor").refusal() != null, "efW matches 'bind' as a bare prefix");
        assertEquals(ProgramType.XDP, EfwConventions.of("xdp_anything").type());
        assertTrue(EfwConventions.of("xdp_test").refusal().contains("998"), "xdp_test is longer than xdp");
        assertNull(EfwConventions.of("kprobe/sys_open"));
        assertNull(EfwConventions.of("cgroup/sock_create"));
    }

    @Test
    void btfDefinedMapsTakeWindowsNumbers() {
        ObjectSpec spec = efw("efw_btf_maps.o");
        assertEquals("PERCPU_ARRAY 4/8 max 8 flags 0 NONE BTF", shape(spec.map("per_cpu_counts")));
        assertEquals("HASH 8/4 max 16 flags 0 BY_NAME BTF", shape(spec.map("by_id")));
        ObjectProgram p = spec.program("count_btf");
        assertEquals(ProgramType.XDP, p.type());
        assertEquals("any_target", p.target());
        // libbpf's reading would take per_cpu_counts for a PERCPU_HASH (its 5); here only the
        // section, which libbpf does not know, stops it.
        ObjectFormatException e = assertThrows(ObjectFormatException.class,
                () -> ObjectSpec.parse("efw_btf_maps.o", Corpus.bytes("windows/efw_btf_maps.o")));
        assertEquals("xdp/any_target", e.section());
    }

    @Test
    void libbpfsReadingPointsAtTheFlavor() {
        ObjectFormatException e = assertThrows(ObjectFormatException.class,
                () -> ObjectSpec.parse("efw_maps.o", Corpus.bytes("windows/efw_maps.o")));
        assertTrue(e.getMessage().contains("ObjectFlavor.EBPF_FOR_WINDOWS"), e.getMessage());
        assertEquals("maps", e.section());
    }

    /** A backend that records every call; the refusals must come before the first. */
    private static Bpf recording(List<String> calls) {
        return (Bpf) Proxy.newProxyInstance(Bpf.class.getClassLoader(), new Class<?>[] {Bpf.class}, (proxy, m, args) -> {
            calls.add(m.getName());
            throw new UnsupportedOperationException("no call was expected, got " + m.getName());
        });
    }

    @Test
    void aWindowsOnlyProgramTypeIsRefusedBeforeAnyCall() {
        List<String> calls = new ArrayList<>();
        ObjectFormatException e = assertThrows(ObjectFormatException.class, () -> efw("efw_maps.o").load(recording(calls)));
        assertEquals("bind", e.section());
        assertEquals("watch_bind", e.symbol());
        assertTrue(e.getMessage().contains("withPrograms"), e.getMessage());
        assertEquals(List.of(), calls);
    }

    @Test
    void globalDataIsRefusedBeforeAnyCallWithTheReleaseFacts() {
        ObjectSpec spec = efw("efw_global.o");
        assertEquals(List.of(".bss", ".rodata"), spec.maps().stream().map(ObjectMap::section).sorted().toList());
        List<String> calls = new ArrayList<>();
        ObjectFormatException e = assertThrows(ObjectFormatException.class, () -> spec.load(recording(calls)));
        assertTrue(List.of(".bss", ".rodata").contains(e.section()), e.getMessage());
        assertTrue(e.getMessage().contains("libs/api/ebpf_api.cpp@Release-v0.21.0:3264-3266, @v1.5.0:3780-3782"),
                e.getMessage());
        assertTrue(e.getMessage().contains("bpf2c"), e.getMessage());
        assertEquals(List.of(), calls);
    }

    @Test
    void theSameObjectUnderLibbpfIsUntouched() {
        // The flavor is not inferred: libbpf's objects read as before.
        ObjectSpec spec = Corpus.spec("legacy_maps.o");
        assertEquals(ObjectFlavor.LIBBPF, spec.flavor());
        assertEquals(MapType.ARRAY, spec.map("stats").type());
    }
}
