package io.bpf4j.api.btf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every kind, both byte orders, parsed from bytes written by hand and written by the builder:
 * the hand-written words are the oracle for both.
 */
class BtfKindsTest {

    @Test
    void handWrittenBytesParseToEveryKind() {
        Btf btf = Btf.parse(AllKinds.hand().bytes());
        assertEquals(AllKinds.TYPES.size() + 1, btf.typeCount());
        assertEquals(1, btf.firstId());
        assertEquals(AllKinds.TYPES, btf.types().collect(Collectors.toList()));
        for (BtfType t : AllKinds.TYPES) {
            assertEquals(t, btf.type(t.id()));
            assertEquals(t.kind(), btf.kind(t.id()));
            assertEquals(t.name(), btf.name(t.id()));
        }
        Set<BtfKind> seen = AllKinds.TYPES.stream().map(BtfType::kind).collect(Collectors.toCollection(() -> EnumSet.noneOf(BtfKind.class)));
        assertEquals(EnumSet.complementOf(EnumSet.of(BtfKind.VOID)), seen, "the fixture covers every kind");
        assertEquals(new BtfType.Void(), btf.type(0));
        assertEquals(ByteOrder.LITTLE_ENDIAN, btf.byteOrder());
    }

    @Test
    void builderWritesTheHandWrittenBytes() {
        assertArrayEquals(AllKinds.hand().bytes(), AllKinds.built().marshal());
        assertArrayEquals(AllKinds.hand().bytes(ByteOrder.BIG_ENDIAN), AllKinds.built().marshal(ByteOrder.BIG_ENDIAN));
        assertEquals(AllKinds.TYPES, AllKinds.built().types());
    }

    @Test
    void bigEndianParsesToTheSameTypesAndKeepsItsBytes() {
        byte[] be = AllKinds.hand().bytes(ByteOrder.BIG_ENDIAN);
        assertEquals(0xeb, be[0] & 0xff, "big-endian magic starts 0xeb");
        Btf btf = Btf.parse(be);
        assertEquals(ByteOrder.BIG_ENDIAN, btf.byteOrder());
        assertEquals(AllKinds.TYPES, btf.types().collect(Collectors.toList()));
        assertArrayEquals(be, btf.raw());
        // Encoding is little-endian unless asked: a big-endian blob re-encodes to the little-endian one.
        assertArrayEquals(AllKinds.hand().bytes(), BtfBuilder.from(btf).marshal());
        assertArrayEquals(be, BtfBuilder.from(btf).marshal(ByteOrder.BIG_ENDIAN));
    }

    @Test
    void parseMarshalParseRoundTrips() {
        byte[] hand = AllKinds.hand().bytes();
        Btf once = Btf.parse(hand);
        byte[] again = BtfBuilder.from(once).marshal();
        assertArrayEquals(hand, again);
        assertEquals(AllKinds.TYPES, Btf.parse(again).types().collect(Collectors.toList()));
        assertEquals(AllKinds.TYPES, AllKinds.built().build().types().collect(Collectors.toList()));
    }

    @Test
    void derivedFieldsOfRecords() {
        Btf btf = Btf.parse(AllKinds.hand().bytes());
        assertTrue(btf.type(1, BtfType.Int.class).signed());
        assertFalse(btf.type(2, BtfType.Int.class).signed());
        assertTrue(btf.type(21, BtfType.FuncProto.class).variadic());
        assertFalse(btf.type(20, BtfType.FuncProto.class).variadic());
        assertEquals(4, new BtfMember("m", 1, 32, 0).byteOffset());
        assertEquals(Long.toUnsignedString(-1L), Long.toUnsignedString(btf.type(12, BtfType.Enum64.class).values().get(1).value()));
        assertThrows(IllegalArgumentException.class, () -> btf.type(1, BtfType.Struct.class));
    }

    @Test
    void rawFormatIsBpftools() {
        Btf btf = Btf.parse(AllKinds.hand().bytes());
        String all = btf.types().map(t -> BtfDump.raw(btf, t.id())).collect(Collectors.joining("\n"));
        // Written from bpftool 7.1's output for the same kinds of vmlinux types.
        String expected = String.join("\n",
                "[1] INT 'int' size=4 bits_offset=0 nr_bits=32 encoding=SIGNED",
                "[2] INT 'u3' size=1 bits_offset=2 nr_bits=3 encoding=(none)",
                "[3] INT '_Bool' size=1 bits_offset=0 nr_bits=8 encoding=BOOL",
                "[4] INT 'char' size=1 bits_offset=0 nr_bits=8 encoding=CHAR",
                "[5] PTR '(anon)' type_id=1",
                "[6] ARRAY '(anon)' type_id=1 index_type_id=1 nr_elems=16",
                "[7] STRUCT 'point' size=8 vlen=2",
                "\t'x' type_id=1 bits_offset=0",
                "\t'y' type_id=1 bits_offset=32",
                "[8] STRUCT 'flags' size=4 vlen=2",
                "\t'a' type_id=1 bits_offset=0 bitfield_size=3",
                "\t'b' type_id=1 bits_offset=3 bitfield_size=5",
                "[9] UNION 'u' size=4 vlen=2",
                "\t'i' type_id=1 bits_offset=0",
                "\t'(anon)' type_id=4 bits_offset=0",
                "[10] ENUM 'e' encoding=UNSIGNED size=4 vlen=2",
                "\t'A' val=0",
                "\t'B' val=4294967295",
                "[11] ENUM 'se' encoding=SIGNED size=4 vlen=2",
                "\t'M' val=-1",
                "\t'N' val=2147483647",
                "[12] ENUM64 'e64' encoding=UNSIGNED size=8 vlen=2",
                "\t'BIG' val=1099511627776ULL",
                "\t'MAX' val=18446744073709551615ULL",
                "[13] ENUM64 'se64' encoding=SIGNED size=8 vlen=1",
                "\t'NEG' val=-5LL",
                "[14] FWD 'later' fwd_kind=struct",
                "[15] FWD 'ulater' fwd_kind=union",
                "[16] TYPEDEF 'myint' type_id=1",
                "[17] VOLATILE '(anon)' type_id=1",
                "[18] CONST '(anon)' type_id=17",
                "[19] RESTRICT '(anon)' type_id=5",
                "[20] FUNC_PROTO '(anon)' ret_type_id=1 vlen=2",
                "\t'a' type_id=1",
                "\t'b' type_id=5",
                "[21] FUNC_PROTO '(anon)' ret_type_id=0 vlen=2",
                "\t'fmt' type_id=5",
                "\t'(anon)' type_id=0",
                "[22] FUNC 'f' type_id=20 linkage=static",
                "[23] FUNC 'g' type_id=20 linkage=global",
                "[24] FUNC 'h' type_id=21 linkage=extern",
                "[25] VAR 'v' type_id=1, linkage=static",
                "[26] VAR 'w' type_id=7, linkage=global",
                "[27] VAR 'x' type_id=1, linkage=extern",
                "[28] DATASEC '.data' size=12 vlen=2",
                "\ttype_id=25 offset=0 size=4 (VAR 'v')",
                "\ttype_id=26 offset=4 size=8 (VAR 'w')",
                "[29] FLOAT 'double' size=8",
                "[30] DECL_TAG 'tag1' type_id=22 component_idx=-1",
                "[31] DECL_TAG 'tag2' type_id=7 component_idx=1",
                "[32] DECL_TAG 'noinline' type_id=23 component_idx=-1",
                "[33] TYPE_TAG 'user' type_id=1",
                "[34] TYPE_TAG 'address_space(1)' type_id=0",
                "[35] PTR '(anon)' type_id=33");
        assertEquals(expected, all);
    }

    @Test
    void cDeclarations() {
        Btf btf = Btf.parse(AllKinds.hand().bytes());
        assertEquals("struct point {\n\tint x;\n\tint y;\n};", BtfDump.c(btf, 7));
        assertEquals("struct flags {\n\tint a: 3;\n\tint b: 5;\n};", BtfDump.c(btf, 8));
        assertEquals("union u {\n\tint i;\n\tchar;\n};", BtfDump.c(btf, 9));
        assertEquals("enum se {\n\tM = -1,\n\tN = 2147483647,\n};", BtfDump.c(btf, 11));
        assertEquals("enum e64 {\n\tBIG = 1099511627776ULL,\n\tMAX = 18446744073709551615ULL,\n};", BtfDump.c(btf, 12));
        assertEquals("struct later;", BtfDump.c(btf, 14));
        assertEquals("union ulater;", BtfDump.c(btf, 15));
        assertEquals("typedef int myint;", BtfDump.c(btf, 16));
        assertEquals("const volatile int;", BtfDump.c(btf, 18));
        assertEquals("int *restrict;", BtfDump.c(btf, 19));
        assertEquals("static int f(int a, int *b);", BtfDump.c(btf, 22));
        assertEquals("int g(int a, int *b);", BtfDump.c(btf, 23));
        assertEquals("extern void h(int *fmt, ...);", BtfDump.c(btf, 24));
        assertEquals("static int v;", BtfDump.c(btf, 25));
        assertEquals("struct point w;", BtfDump.c(btf, 26));
        assertEquals("SEC(\".data\") /* 12 bytes */ {\n\t/* offset 0, 4 bytes */ static int v;\n"
                + "\t/* offset 4, 8 bytes */ struct point w;\n};", BtfDump.c(btf, 28));
        assertEquals("double;", BtfDump.c(btf, 29));
        assertEquals("__attribute__((btf_decl_tag(\"tag2\"))) on [7] STRUCT 'point' member 'y'", BtfDump.c(btf, 31));
        assertEquals("__attribute__((noinline)) on [23] FUNC 'g'", BtfDump.c(btf, 32));
        assertEquals("__attribute__((btf_type_tag(\"user\"))) int *;", BtfDump.c(btf, 35));
        assertEquals("char comm[16]", BtfDump.declaration(arrayOfChar(), 2, "comm"));
    }

    @Test
    void pointersToArraysAndFunctionsAndConstPointers() {
        BtfBuilder b = new BtfBuilder();
        int i = b.addInt("int", 4, BtfType.Int.SIGNED);
        int arr = b.addArray(i, i, 3);
        int pArr = b.addPtr(arr);
        int proto = b.addFuncProto(i, List.of(new BtfParam("", i)));
        int pFn = b.addPtr(proto);
        int fnTypedef = b.addTypedef("handler_t", pFn);
        int cPtr = b.addConst(b.addPtr(i));
        int pFnArr = b.addArray(pFn, i, 2);
        Btf btf = b.build();
        assertEquals("int (*p)[3]", BtfDump.declaration(btf, pArr, "p"));
        assertEquals("int (*fn)(int)", BtfDump.declaration(btf, pFn, "fn"));
        assertEquals("typedef int (*handler_t)(int);", BtfDump.c(btf, fnTypedef));
        assertEquals("int *const p", BtfDump.declaration(btf, cPtr, "p"));
        assertEquals("int (*table[2])(int)", BtfDump.declaration(btf, pFnArr, "table"));
    }

    private static Btf arrayOfChar() {
        BtfBuilder b = new BtfBuilder();
        int c = b.addInt("char", 1, 0);
        b.addArray(c, c, 16);
        return b.build();
    }
}
