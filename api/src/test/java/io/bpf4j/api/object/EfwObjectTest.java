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
        // Windows-only program types: read as such and loadable (by the Windows backend only).
        ObjectProgram bind = spec.program("watch_bind");
        assertEquals(ProgramType.BIND, bind.type());
        assertNull(bind.expectedAttachType());
        assertEquals(Hook.NONE, bind.hook());
        assertEquals(Optional.empty(), bind.whyNotLoadable());
        ObjectProgram sample = spec.program("sample");
        assertEquals(ProgramType.SAMPLE, sample.type());
        assertEquals("sample_ext/extra", sample.section());
        assertEquals("extra", sample.target());
        assertEquals(Optional.empty(), sample.whyNotLoadable());
    }

    @Test
    void theLongestRegisteredPrefixWinsWithNoSeparatorNeeded() {
        assertEquals(AttachType.CGROUP_INET6_CONNECT, EfwConventions.of("cgroup/connect6").expectedAttachType());
        assertEquals(AttachType.CGROUP_INET4_BIND, EfwConventions.of("cgroup/bind4").expectedAttachType());
        assertEquals(ProgramType.BIND, EfwConventions.of("bind").type());
        assertEquals(ProgramType.BIND, EfwConventions.of("bindmonitor").type(), "efW matches 'bind' as a bare prefix");
        assertEquals(ProgramType.XDP, EfwConventions.of("xdp_anything").type());
        assertEquals(ProgramType.XDP_TEST, EfwConventions.of("xdp_test").type(), "xdp_test is longer than xdp");
        assertEquals(ProgramType.SAMPLE, EfwConventions.of("sample_ext").type());
        for (String s : List.of("bind", "xdp_test", "sample_ext/x")) assertNull(EfwConventions.of(s).refusal(), s);
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

    /** efw_maps.o with one field of the definition of {@code counts} changed. */
    private static byte[] withCountsField(int field, int value) {
        byte[] b = Corpus.bytes("windows/efw_maps.o");
        ElfFile elf = ElfFile.read("efw_maps.o", b);
        ElfFile.Section maps = elf.sections().stream().filter(s -> s.name().equals("maps")).findFirst().orElseThrow();
        ElfFile.Symbol counts = elf.symbolsIn(maps).stream().filter(s -> s.name().equals("counts")).findFirst().orElseThrow();
        java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putInt((int) (maps.offset() + counts.value() + 4L * field), value);
        return b;
    }

    private static String refusal(byte[] object) {
        ObjectFormatException e = assertThrows(ObjectFormatException.class,
                () -> ObjectSpec.parse("efw_maps.o", object, ObjectFlavor.EBPF_FOR_WINDOWS));
        assertEquals("maps", e.section());
        assertEquals("counts", e.symbol());
        return e.getMessage();
    }

    @Test
    void definitionsEfwCannotTakeAreNamed() {
        assertEquals("ARRAY 4/8 max 4 flags 0 BY_NAME LEGACY",
                shape(ObjectSpec.parse("efw_maps.o", withCountsField(0, 2), ObjectFlavor.EBPF_FOR_WINDOWS).map("counts")));
        assertTrue(refusal(withCountsField(0, 15)).contains("BPF_MAP_TYPE_SAMPLE_HASH_MAP (15"));
        assertTrue(refusal(withCountsField(0, 17)).contains("unknown eBPF for Windows map type 17"));
        assertTrue(refusal(withCountsField(0, 0)).contains("unknown eBPF for Windows map type 0"));
        // An array of maps whose inner_map_idx (0) is its own record (EfwMapInMapTest has the others).
        assertTrue(refusal(withCountsField(0, 7)).contains("bad inner map: the definition is its own inner map"));
        assertTrue(refusal(withCountsField(5, 2)).contains("pinning 2 is neither LIBBPF_PIN_NONE (0) nor LIBBPF_PIN_BY_NAME (1)"));
        // inner_map_idx and inner_id are read by efW for maps of maps only.
        assertEquals(4, ObjectSpec.parse("efw_maps.o", withCountsField(4, 3), ObjectFlavor.EBPF_FOR_WINDOWS)
                .map("counts").maxEntries());
    }

    /** An XDP program and one map definition of {@code def.length} bytes. */
    private static byte[] oneDefinition(byte[] def) {
        ElfWriter w = new ElfWriter();
        int xdp = w.code("xdp", new io.bpf4j.api.asm.Asm().mov64(io.bpf4j.api.asm.Register.R0, 1).exit().toArray());
        int maps = w.data("maps", def);
        w.data("license", ElfWriter.license());
        w.function("prog", xdp, 0, 2);
        w.symbol("m", ElfFile.STT_OBJECT, ElfFile.STB_GLOBAL, maps, 0, def.length);
        return w.build();
    }

    private static byte[] words(int... v) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(v.length * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int x : v) b.putInt(x);
        return b.array();
    }

    @Test
    void recordsAreTheSectionOverItsSymbolsZeroPaddedAsEfwReadsThem() {
        // 16 bytes: what follows max_entries is zero.
        ObjectSpec spec = ObjectSpec.parse("short.o", oneDefinition(words(13, 0, 0, 4096)), ObjectFlavor.EBPF_FOR_WINDOWS);
        assertEquals("RINGBUF 0/0 max 4096 flags 0 NONE LEGACY", shape(spec.map("m")));
        // libbpf's 20-byte layout: its map_flags is efW's inner_map_idx, which a hash does not read.
        spec = ObjectSpec.parse("libbpf.o", oneDefinition(words(1, 4, 8, 16, 1)), ObjectFlavor.EBPF_FOR_WINDOWS);
        assertEquals("HASH 4/8 max 16 flags 0 NONE LEGACY", shape(spec.map("m")));
        // Past the 32 bytes efW copies, only zeros are accepted.
        assertEquals("PERCPU_HASH 4/8 max 16 flags 0 NONE LEGACY", shape(ObjectSpec.parse("long.o",
                oneDefinition(words(4, 4, 8, 16, 0, 0, 0, 0, 0)), ObjectFlavor.EBPF_FOR_WINDOWS).map("m")));
        ObjectFormatException e = assertThrows(ObjectFormatException.class, () -> ObjectSpec.parse("long.o",
                oneDefinition(words(4, 4, 8, 16, 0, 0, 0, 0, 9)), ObjectFlavor.EBPF_FOR_WINDOWS));
        assertTrue(e.getMessage().contains("non-zero bytes past eBPF for Windows' struct _ebpf_map_definition_in_file (32"
                + " bytes)"), e.getMessage());
    }

    @Test
    void theSameObjectUnderLibbpfIsUntouched() {
        // The flavor is not inferred: libbpf's objects read as before.
        ObjectSpec spec = Corpus.spec("legacy_maps.o");
        assertEquals(ObjectFlavor.LIBBPF, spec.flavor());
        assertEquals(MapType.ARRAY, spec.map("stats").type());
    }
}
