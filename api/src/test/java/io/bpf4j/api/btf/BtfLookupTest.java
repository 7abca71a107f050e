package io.bpf4j.api.btf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Lookups by name and kind, resolution, sizes and alignments, and split BTF. */
class BtfLookupTest {

    /** Many same-named and differently named types, so lookups run both scanning and indexed. */
    private static Btf manyNames() {
        BtfBuilder b = new BtfBuilder();
        int i = b.addInt("int", 4, BtfType.Int.SIGNED);
        for (int n = 0; n < 300; n++) b.addTypedef("t" + n, i);
        b.addStruct("dup", 4, List.of(new BtfMember("a", i, 0, 0)));
        b.addTypedef("dup", i);
        b.addFwd("dup", false);
        b.addFunc("dup", b.addFuncProto(0, List.of()), BtfLinkage.GLOBAL);
        b.addTypedef("ünïcode", i);
        return b.build();
    }

    @Test
    void lookupsAgreeBeforeAndAfterTheIndexIsBuilt() {
        Btf btf = manyNames();
        int dupStruct = 302;
        int[] expectedDup = {dupStruct, dupStruct + 1, dupStruct + 2, dupStruct + 4};
        // Many lookups: the first ones scan, the later ones go through the index once scanning has cost enough.
        assertArrayEquals(expectedDup, btf.ids("dup"));
        assertFalse(btf.indexed(), "one lookup scans");
        for (int round = 0; round < 20; round++) {
            assertArrayEquals(expectedDup, btf.ids("dup"), "round " + round);
            assertEquals(BtfKind.TYPEDEF, btf.find("dup", BtfKind.TYPEDEF).orElseThrow().kind());
            assertEquals(dupStruct + 4, btf.find("dup", BtfKind.FUNC).orElseThrow().id());
            assertEquals(Optional.empty(), btf.find("dup", BtfKind.UNION));
            assertEquals(dupStruct, btf.find("dup", BtfType.Composite.class).orElseThrow().id());
            assertArrayEquals(new int[] {2 + 150}, btf.ids("t150"));
            assertArrayEquals(new int[0], btf.ids("nothing"));
            assertArrayEquals(new int[0], btf.ids(""));
            assertArrayEquals(new int[] {dupStruct + 5}, btf.ids("ünïcode"));
            assertEquals(List.of("int"), btf.findAll("int").stream().map(BtfType::name).collect(Collectors.toList()));
        }
        assertTrue(btf.indexed(), "many lookups index the names");
    }

    @Test
    void resolveSizeAndAlign() {
        BtfBuilder b = new BtfBuilder();
        int lng = b.addInt("long int", 8, BtfType.Int.SIGNED);
        int chr = b.addInt("char", 1, 0);
        int sht = b.addInt("short", 2, BtfType.Int.SIGNED);
        int td = b.addTypedef("long_t", b.addConst(b.addVolatile(lng)));
        int tag = b.addTypeTag("user", td);
        int arr = b.addArray(td, lng, 3);
        int arr2 = b.addArray(arr, lng, 2);
        int ptr = b.addPtr(chr);
        int s = b.addStruct("s", 16, List.of(new BtfMember("c", chr, 0, 0), new BtfMember("l", lng, 64, 0)));
        int packed = b.addStruct("p", 9, List.of(new BtfMember("c", chr, 0, 0), new BtfMember("l", lng, 8, 0)));
        int bits = b.addStruct("b", 2, List.of(new BtfMember("x", sht, 1, 3)));
        int proto = b.addFuncProto(0, List.of());
        int fn = b.addFunc("fn", proto, BtfLinkage.STATIC);
        int var = b.addVar("v", arr, BtfLinkage.GLOBAL);
        int fwd = b.addFwd("f", false);
        int e = b.addEnum("e", 4, false, List.of(new BtfEnumValue("A", 1)));
        Btf btf = b.build();

        assertEquals(lng, btf.resolve(td));
        assertEquals(lng, btf.resolve(tag));
        assertEquals(arr, btf.resolve(arr));
        assertEquals(8, btf.pointerSize());
        assertEquals(8, btf.sizeOf(td));
        assertEquals(24, btf.sizeOf(arr));
        assertEquals(48, btf.sizeOf(arr2));
        assertEquals(8, btf.sizeOf(ptr));
        assertEquals(24, btf.sizeOf(var));
        assertEquals(16, btf.sizeOf(s));
        assertEquals(4, btf.sizeOf(e));
        assertEquals(8, btf.alignOf(td));
        assertEquals(8, btf.alignOf(arr2));
        assertEquals(1, btf.alignOf(chr));
        assertEquals(8, btf.alignOf(s));
        assertEquals(1, btf.alignOf(packed), "a long at byte 1 makes the struct packed");
        assertEquals(2, btf.alignOf(bits), "a bitfield off its alignment does not");
        assertEquals(4, btf.alignOf(e));
        for (int noSize : new int[] {0, proto, fn, fwd}) {
            IllegalArgumentException x = assertThrows(IllegalArgumentException.class, () -> btf.sizeOf(noSize));
            assertTrue(x.getMessage().contains("has no size"), x.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> btf.alignOf(fn));
    }

    @Test
    void pointerSizeFollowsTheTargetsLong() {
        BtfBuilder b = new BtfBuilder();
        int i = b.addInt("int", 4, BtfType.Int.SIGNED);
        b.addInt("long unsigned int", 4, 0);
        int p = b.addPtr(i);
        Btf btf = b.build();
        assertEquals(4, btf.pointerSize());
        assertEquals(4, btf.sizeOf(p));
        assertEquals(4, btf.alignOf(p));
    }

    @Test
    void sizesPastThirtyTwoBitsAreRefused() {
        BtfBuilder b = new BtfBuilder();
        int big = b.addArray(b.addInt("char", 1, 0), 1, 1 << 20);
        int bigger = b.addArray(big, 1, 1 << 13);
        Btf btf = b.build();
        assertEquals(1L << 20, btf.sizeOf(big));
        assertThrows(BtfFormatException.class, () -> btf.sizeOf(bigger));
    }

    @Test
    void splitBtfContinuesIdsAndStrings() {
        Btf base = AllKinds.built().build();
        BtfBuilder sb = BtfBuilder.split(base);
        assertEquals(base.typeCount(), sb.firstId());
        // "point" and "x" are base strings; "module_thing" and "extra" are new.
        int s = sb.addStruct("module_thing", 8, List.of(new BtfMember("x", 1, 0, 0), new BtfMember("extra", 7, 0, 0)));
        int p = sb.addPtr(s);
        int td = sb.addTypedef("point", p);
        byte[] blob = sb.marshal();

        // The same split blob by hand: ids from 36, strings from the base's length, no leading NUL.
        HandBlob h = new HandBlob(base.stringsLength());
        int baseX = findString(base, "x");
        int basePoint = findString(base, "point");
        h.type(h.str("module_thing"), 4, false, 2, 8, baseX, 1, 0, h.str("extra"), 7, 0);
        h.type(0, 2, false, 0, s);
        h.type(basePoint, 8, false, 0, p);
        assertArrayEquals(h.bytes(), blob);

        Btf split = Btf.parse(blob, base);
        assertEquals(36, split.firstId());
        assertEquals(39, split.typeCount());
        assertEquals(List.of(s, p, td), split.types().map(BtfType::id).collect(Collectors.toList()));
        assertEquals(new BtfType.Struct(s, "module_thing", 8, false,
                List.of(new BtfMember("x", 1, 0, 0), new BtfMember("extra", 7, 0, 0))), split.type(s));
        assertEquals(AllKinds.TYPES.get(6), split.type(7), "base types are seen through the split BTF");
        assertArrayEquals(new int[] {7, td}, split.ids("point"), "base ids first");
        assertEquals(td, split.find("point", BtfKind.TYPEDEF).orElseThrow().id());
        assertEquals(8, split.sizeOf(s));
        assertEquals(base.stringsLength(), findString(split, "module_thing"));
        assertArrayEquals(blob, BtfBuilder.from(split).marshal(), "split BTF round-trips against its base");
        BtfFormatException e = assertThrows(BtfFormatException.class, () -> Btf.parse(blob));
        assertTrue(e.getMessage().contains("string section must start with the empty string")
                || e.getMessage().contains("past"), e.getMessage());
    }

    private static int findString(Btf btf, String s) {
        for (int off = 0; off < btf.stringsLength(); off++) {
            if (btf.string(off).equals(s) && (off == 0 || btf.string(off - 1).isEmpty() || off == btf.strBase)) return off;
        }
        throw new AssertionError(s);
    }
}
