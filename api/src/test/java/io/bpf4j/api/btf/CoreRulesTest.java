package io.bpf4j.api.btf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;

/**
 * libbpf's CO-RE rules one at a time, on BTF built by hand and values worked out by hand, so that
 * they hold where libbpf is not installed. (it's CoreOracleTest holds the engine to libbpf itself
 * on compiled objects.)
 */
class CoreRulesTest {
    private static BtfExt.CoreRelo relo(int insn, int type, String access, CoreReloKind kind) {
        return CoreRelocatorTest.relo(insn, type, access, kind);
    }

    private static BtfMember m(String name, int type, int bitOffset) {
        return new BtfMember(name, type, bitOffset, 0);
    }

    @Test
    void flavorsEndAtTheLastSeparatorBetweenTwoNonUnderscores() {
        assertEquals("task", CoreSpec.essential("task___v2"));
        assertEquals("a___b", CoreSpec.essential("a___b___c"));
        assertEquals("a____b", CoreSpec.essential("a____b"), "four underscores are no separator");
        assertEquals("a___", CoreSpec.essential("a___"), "nothing after the separator");
        assertEquals("___a", CoreSpec.essential("___a"), "nothing before it");
        assertEquals("x", CoreSpec.essential("x___y"));
    }

    /** Local {@code struct s { int a; union { int u; }; struct { int deep; }; }}. */
    private static Btf anonLocal() {
        BtfBuilder b = new BtfBuilder();
        int i = b.addInt("int", 4, BtfType.Int.SIGNED);
        int un = b.addUnion("", 4, List.of(m("u", i, 0)));
        int st = b.addStruct("", 4, List.of(m("deep", i, 0)));
        b.addStruct("s", 12, List.of(m("a", i, 0), m("", un, 32), m("", st, 64)));
        return b.build();
    }

    @Test
    void fieldsAreFoundByNameWhereverAnonymousMembersNestThem() {
        Btf local = anonLocal();
        int s = local.find("s", BtfKind.STRUCT).orElseThrow().id();
        // Target: struct s { struct { int pad; struct { int deep; }; }; int a; int u; }: deep at 4, a at 8, u at 12.
        BtfBuilder b = new BtfBuilder();
        int i = b.addInt("int", 4, BtfType.Int.SIGNED);
        int inner = b.addStruct("", 4, List.of(m("deep", i, 0)));
        int outer = b.addStruct("", 8, List.of(m("pad", i, 0), m("", inner, 32)));
        b.addStruct("s", 16, List.of(m("", outer, 0), m("a", i, 64), m("u", i, 96)));
        CoreRelocator c = new CoreRelocator(local, b.build());
        assertEquals(8, c.resolve(relo(0, s, "0:0", CoreReloKind.FIELD_BYTE_OFFSET)).targetValue());
        assertEquals(12, c.resolve(relo(0, s, "0:1:0", CoreReloKind.FIELD_BYTE_OFFSET)).targetValue());
        assertEquals(4, c.resolve(relo(0, s, "0:2:0", CoreReloKind.FIELD_BYTE_OFFSET)).targetValue());
    }

    @Test
    void candidatesThatMatchedAreTheOnlyOnesLaterRelocationsOfTheTypeConsider() {
        BtfBuilder l = new BtfBuilder();
        int li = l.addInt("int", 4, BtfType.Int.SIGNED);
        int ls = l.addStruct("n", 8, List.of(m("shared", li, 0), m("only_new", li, 32)));
        Btf local = l.build();
        BtfBuilder t = new BtfBuilder();
        int ti = t.addInt("int", 4, BtfType.Int.SIGNED);
        t.addStruct("n", 4, List.of(m("shared", ti, 0)));
        t.addStruct("n___v2", 12, List.of(m("pad", ti, 0), m("shared", ti, 32), m("only_new", ti, 64)));
        Btf target = t.build();
        // Alone, "shared" is at 0 in one candidate and 4 in the other.
        assertThrows(CoreRelocationException.class, () -> new CoreRelocator(local, target).resolve(relo(0, ls, "0:0",
                CoreReloKind.FIELD_BYTE_OFFSET)));
        // After "only_new", which only n___v2 has, n___v2 is the only candidate left.
        CoreRelocator c = new CoreRelocator(local, target);
        assertEquals(8, c.resolve(relo(0, ls, "0:1", CoreReloKind.FIELD_BYTE_OFFSET)).targetValue());
        assertEquals(4, c.resolve(relo(0, ls, "0:0", CoreReloKind.FIELD_BYTE_OFFSET)).targetValue());
    }

    @Test
    void thirtyTwoBitEnumValuesAreSignExtendedAsLibbpfReadsThem() {
        BtfBuilder l = new BtfBuilder();
        int le = l.addEnum("e", 4, false, List.of(new BtfEnumValue("TOP", 0x8000_0000L)));
        Btf local = l.build();
        CoreRelocator.Result r = new CoreRelocator(local, local).resolve(relo(0, le, "0", CoreReloKind.ENUMVAL_VALUE));
        assertEquals(0xffff_ffff_8000_0000L, r.localValue());
        // so an instruction holding the unsigned value 0x80000000 is refused
        long[] insns = {CoreRelocatorTest.insn(0x18, 1, 0, 0, 0x8000_0000), 0};
        assertThrows(CoreRelocationException.class, () -> CoreRelocator.patch(insns, r));
    }

    @Test
    void typeRelocationsWithoutTargetGiveZeroAndValueRelocationsPoisonBothHalvesOfAnImmediate() {
        BtfBuilder l = new BtfBuilder();
        int li = l.addInt("int", 4, BtfType.Int.SIGNED);
        int ls = l.addStruct("gone", 4, List.of(m("a", li, 0)));
        int le = l.addEnum("e", 4, false, List.of(new BtfEnumValue("X", 7)));
        Btf local = l.build();
        CoreRelocator c = new CoreRelocator(local, new BtfBuilder().build());
        for (CoreReloKind k : List.of(CoreReloKind.TYPE_SIZE, CoreReloKind.TYPE_ID_TARGET, CoreReloKind.TYPE_EXISTS,
                CoreReloKind.TYPE_MATCHES)) {
            CoreRelocator.Result r = c.resolve(relo(0, ls, "0", k));
            assertFalse(r.poison(), k.toString());
            assertEquals(0, r.targetValue(), k.toString());
        }
        long[] insns = {CoreRelocatorTest.insn(0x18, 1, 0, 0, 7), 0};
        c.apply(insns, List.of(relo(0, le, "0", CoreReloKind.ENUMVAL_VALUE)));
        long poison = CoreRelocatorTest.insn(0x85, 0, 0, 0, CoreRelocator.POISON_HELPER);
        assertEquals(List.of(poison, poison), List.of(insns[0], insns[1]));
        assertThrows(CoreRelocationException.class, () -> c.resolve(relo(0, ls, "0:0", CoreReloKind.TYPE_SIZE)),
                "a type relocation's access string is \"0\"");
    }

    @Test
    void onlyUnsignedIntegersAndPointersLetALoadChangeSize() {
        BtfBuilder l = new BtfBuilder();
        int lu = l.addInt("unsigned int", 4, 0);
        int ls = l.addInt("int", 4, BtfType.Int.SIGNED);
        int le = l.addEnum("e", 4, false, List.of(new BtfEnumValue("X", 1)));
        int s = l.addStruct("s", 12, List.of(m("u", lu, 0), m("i", ls, 32), m("e", le, 64)));
        Btf local = l.build();
        BtfBuilder t = new BtfBuilder();
        int tu = t.addInt("unsigned short", 2, 0);
        int ts = t.addInt("long", 8, BtfType.Int.SIGNED);
        int te = t.addEnum("e", 8, false, List.of(new BtfEnumValue("X", 1)));
        t.addStruct("s", 24, List.of(m("u", tu, 0), m("i", ts, 64), m("e", te, 128)));
        CoreRelocator c = new CoreRelocator(local, t.build());
        long[] insns = {CoreRelocatorTest.insn(0x61, 1, 2, 0, 0), CoreRelocatorTest.insn(0x61, 1, 2, 4, 0),
            CoreRelocatorTest.insn(0x61, 1, 2, 8, 0)};
        c.apply(insns, List.of(relo(0, s, "0:0", CoreReloKind.FIELD_BYTE_OFFSET), relo(1, s, "0:1", CoreReloKind.FIELD_BYTE_OFFSET),
                relo(2, s, "0:2", CoreReloKind.FIELD_BYTE_OFFSET)));
        long poison = CoreRelocatorTest.insn(0x85, 0, 0, 0, CoreRelocator.POISON_HELPER);
        assertEquals(CoreRelocatorTest.insn(0x69, 1, 2, 0, 0), insns[0], "u32 -> u16: a 2-byte load");
        assertEquals(poison, insns[1], "a signed int grows: poisoned");
        assertEquals(poison, insns[2], "an enum grows: poisoned");
    }

    /** A type for {@link CoreTypes#match}: {@code struct t { <member> }} on both sides. */
    private static boolean matches(ToIntFunction<BtfBuilder> localMember,
            ToIntFunction<BtfBuilder> targetMember) {
        BtfBuilder l = new BtfBuilder();
        int lm = localMember.applyAsInt(l);
        int lt = l.addStruct("t", 8, List.of(m("f", lm, 0)));
        BtfBuilder t = new BtfBuilder();
        int tm = targetMember.applyAsInt(t);
        int tt = t.addStruct("t", 8, List.of(m("f", tm, 0)));
        return CoreTypes.match(l.build(), lt, t.build(), tt);
    }

    @Test
    void typeMatchesFollowsLibbpf() {
        assertTrue(matches(b -> b.addInt("int", 4, 1), b -> b.addInt("int", 4, 1)));
        assertFalse(matches(b -> b.addInt("int", 4, 1), b -> b.addInt("int", 4, 0)), "signedness");
        assertFalse(matches(b -> b.addInt("int", 4, 1), b -> b.addInt("int", 8, 1)), "size");
        assertFalse(matches(b -> b.addFloat("double", 8), b -> b.addFloat("double", 8)), "libbpf matches no floats");
        // Behind a pointer a struct matches a forward declaration of a struct, not of a union.
        assertTrue(matches(b -> b.addPtr(b.addStruct("o", 4, List.of())), b -> b.addPtr(b.addFwd("o", false))));
        assertFalse(matches(b -> b.addPtr(b.addStruct("o", 4, List.of())), b -> b.addPtr(b.addFwd("o", true))));
        // By value the struct's members are compared; behind a pointer only names and kinds.
        assertFalse(matches(b -> b.addStruct("o", 4, List.of(m("x", b.addInt("int", 4, 1), 0))),
                b -> b.addStruct("o", 4, List.of(m("y", b.addInt("int", 4, 1), 0)))));
        assertTrue(matches(b -> b.addPtr(b.addStruct("o", 4, List.of(m("x", b.addInt("int", 4, 1), 0)))),
                b -> b.addPtr(b.addStruct("o", 4, List.of(m("y", b.addInt("int", 4, 1), 0))))));
        // Enums: same size, every local name in the target, values free.
        assertTrue(matches(b -> b.addEnum("e", 4, false, List.of(new BtfEnumValue("A", 1))),
                b -> b.addEnum("e", 4, false, List.of(new BtfEnumValue("B", 1), new BtfEnumValue("A", 9)))));
        assertFalse(matches(b -> b.addEnum("e", 4, false, List.of(new BtfEnumValue("A", 1))),
                b -> b.addEnum64("e", 8, false, List.of(new BtfEnumValue("A", 1)))));
        // Names compare without flavors, at every level.
        assertTrue(matches(b -> b.addPtr(b.addStruct("o___old", 4, List.of())), b -> b.addPtr(b.addStruct("o", 4, List.of()))));
    }
}
