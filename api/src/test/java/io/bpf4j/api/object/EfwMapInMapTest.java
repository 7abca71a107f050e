package io.bpf4j.api.object;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.MapType;
import io.bpf4j.api.ProgramType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * eBPF for Windows' legacy maps of maps ({@code objects/windows/efw_map_in_map.c}): the inner map
 * template named by {@code inner_map_idx} or by {@code inner_id}, resolved as efW's loader
 * resolves them (libs/api/windows_platform.cpp@v1.5.0:49-50, :66-98), and each bad reference named.
 */
class EfwMapInMapTest {
    /** Field numbers of {@code struct _ebpf_map_definition_in_file}. */
    private static final int TYPE = 0;
    private static final int INNER_MAP_IDX = 4;
    private static final int ID = 6;
    private static final int INNER_ID = 7;

    private static String shape(ObjectMap m) {
        return m.type() + " " + m.keySize() + "/" + m.valueSize() + " max " + m.maxEntries() + " " + m.pinning();
    }

    @Test
    void theTemplateIsTheRecordAtInnerMapIdxOrTheOneWhoseIdIsInnerId() {
        ObjectSpec spec = EfwObjectTest.efw("efw_map_in_map.o");
        assertEquals(List.of("inner", "outer_by_id", "outer_by_idx"), spec.maps().stream().map(ObjectMap::name).sorted().toList());
        ObjectMap inner = spec.map("inner");
        assertNull(inner.innerMap(), "the template is a map of the object too, as efW creates it");
        assertEquals("ARRAY 4/8 max 1 NONE", shape(inner));
        ObjectMap byIdx = spec.map("outer_by_idx");
        assertEquals("ARRAY_OF_MAPS 4/4 max 2 NONE", shape(byIdx));
        assertEquals("ARRAY 4/8 max 1 NONE", shape(byIdx.innerMap()));
        assertEquals("inner", byIdx.innerMap().name());
        // inner_id 42 wins over its inner_map_idx 7, which names no record.
        ObjectMap byId = spec.map("outer_by_id");
        assertEquals("HASH_OF_MAPS 4/4 max 4 NONE", shape(byId));
        assertEquals("inner", byId.innerMap().name());
        assertEquals(ProgramType.BIND, spec.program("bind_through_idx").type());
        assertEquals(List.of("outer_by_idx"), spec.program("bind_through_idx").maps());
        assertEquals(ProgramType.SAMPLE, spec.program("sample_through_id").type());
    }

    /** efw_map_in_map.o with fields of definitions changed: {@code name, field, value} triples. */
    private static byte[] patched(Object... edits) {
        byte[] b = Corpus.bytes("windows/efw_map_in_map.o");
        ElfFile elf = ElfFile.read("efw_map_in_map.o", b);
        ElfFile.Section maps = elf.sections().stream().filter(s -> s.name().equals("maps")).findFirst().orElseThrow();
        ByteBuffer w = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < edits.length; i += 3) {
            String name = (String) edits[i];
            ElfFile.Symbol sym = elf.symbolsIn(maps).stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
            w.putInt((int) (maps.offset() + sym.value() + 4L * (int) edits[i + 1]), (int) edits[i + 2]);
        }
        return b;
    }

    private static ObjectSpec parse(byte[] b) {
        return ObjectSpec.parse("efw_map_in_map.o", b, ObjectFlavor.EBPF_FOR_WINDOWS);
    }

    private static ObjectFormatException refused(byte[] b, String symbol) {
        ObjectFormatException e = assertThrows(ObjectFormatException.class, () -> parse(b));
        assertEquals("maps", e.section());
        assertEquals(symbol, e.symbol(), e.getMessage());
        return e;
    }

    @Test
    void everyBadInnerReferenceIsNamed() {
        // An inner_id no record has: efW does not fall back to inner_map_idx.
        String m = refused(patched("outer_by_id", INNER_ID, 43), "outer_by_id").getMessage();
        assertTrue(m.contains("bad inner map: no definition in 'maps' has id 43"), m);
        // inner_id 0 and an index past the records.
        m = refused(patched("outer_by_id", INNER_ID, 0), "outer_by_id").getMessage();
        assertTrue(m.contains("inner_map_idx 7 names no definition of the 3 in 'maps'"), m);
        m = refused(patched("outer_by_idx", INNER_MAP_IDX, -1), "outer_by_idx").getMessage();
        assertTrue(m.contains("inner_map_idx 4294967295"), m);
        m = refused(patched("outer_by_idx", INNER_MAP_IDX, 1), "outer_by_idx").getMessage();
        assertTrue(m.contains("its own inner map"), m);
        // Two maps of maps naming each other.
        m = refused(patched("outer_by_idx", INNER_MAP_IDX, 2, "outer_by_id", INNER_ID, 0, "outer_by_id", INNER_MAP_IDX, 1),
                "outer_by_idx").getMessage();
        assertTrue(m.contains("lead back to it (outer_by_idx -> outer_by_id)"), m);
    }

    @Test
    void aTemplateMayItselfBeAMapOfMapsAndIsNeverPinned() {
        // outer_by_id takes outer_by_idx (id 9) as its template, which takes inner; inner is pinned by name.
        ObjectSpec spec = parse(patched("outer_by_idx", ID, 9, "outer_by_id", INNER_ID, 9, "inner", 5, 1));
        assertEquals(Pinning.BY_NAME, spec.map("inner").pinning());
        ObjectMap template = spec.map("outer_by_id").innerMap();
        assertEquals("outer_by_idx", template.name());
        assertEquals("ARRAY_OF_MAPS 4/4 max 2 NONE", shape(template));
        assertEquals("ARRAY 4/8 max 1 NONE", shape(template.innerMap()), "the copy of a pinned template is not pinned");
        assertEquals(MapType.ARRAY_OF_MAPS, spec.map("outer_by_idx").type());
    }

    @Test
    void fieldsOfMapsThatAreNotMapsOfMapsAreNotRead() {
        // inner's inner_map_idx and inner_id name nothing, and it is no map of maps: not read.
        ObjectSpec spec = parse(patched("inner", INNER_MAP_IDX, 99, "inner", INNER_ID, 77));
        assertNull(spec.map("inner").innerMap());
        // The type decides: an outer turned into a plain hash loses its template.
        spec = parse(patched("outer_by_id", TYPE, 1));
        assertNull(spec.map("outer_by_id").innerMap());
    }
}
