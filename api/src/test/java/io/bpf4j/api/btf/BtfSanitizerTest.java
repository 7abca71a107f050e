package io.bpf4j.api.btf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What each missing feature rewrites, type by type, on the every-kind fixture. */
class BtfSanitizerTest {

    private static BtfBuilder sanitized(Set<BtfFeature> supported, int expectedChanges) {
        BtfBuilder b = BtfBuilder.from(Btf.parse(AllKinds.hand().bytes()));
        assertEquals(expectedChanges, BtfSanitizer.sanitize(b, supported));
        return b;
    }

    @Test
    void aKernelWithEverythingKeepsEveryType() {
        BtfBuilder b = sanitized(EnumSet.allOf(BtfFeature.class), 0);
        assertEquals(AllKinds.TYPES, b.types());
    }

    @Test
    void aKernelWithNothingGetsOnlyOldKinds() {
        BtfBuilder b = sanitized(EnumSet.noneOf(BtfFeature.class), 18);
        Set<BtfKind> old = EnumSet.of(BtfKind.INT, BtfKind.PTR, BtfKind.ARRAY, BtfKind.STRUCT, BtfKind.UNION, BtfKind.ENUM,
                BtfKind.FWD, BtfKind.TYPEDEF, BtfKind.VOLATILE, BtfKind.CONST, BtfKind.RESTRICT);
        for (BtfType t : b.types()) assertTrue(old.contains(t.kind()), t + " survived sanitizing");
        assertEquals(new BtfType.Enum(11, "se", 4, false, List.of(new BtfEnumValue("M", 0xffff_ffffL),
                new BtfEnumValue("N", Integer.MAX_VALUE))), b.type(11));
        int placeholder = b.nextId() - 1;
        assertEquals(new BtfType.Int(placeholder, "enum64_placeholder", 1, 0, 0, 8), b.type(placeholder));
        assertEquals(new BtfType.Union(12, "e64", 8, false, List.of(new BtfMember("BIG", placeholder, 0, 0),
                new BtfMember("MAX", placeholder, 0, 0))), b.type(12));
        assertEquals(new BtfType.Enum(20, "", 4, false, List.of(new BtfEnumValue("a", 1), new BtfEnumValue("b", 5))), b.type(20));
        assertEquals(new BtfType.Typedef(22, "f", 20), b.type(22));
        assertEquals(new BtfType.Int(25, "v", 1, 0, 0, 8), b.type(25));
        assertEquals(new BtfType.Struct(28, "_data", 12, false, List.of(new BtfMember("v", 25, 0, 0),
                new BtfMember("w", 26, 32, 0))), b.type(28));
        assertEquals(new BtfType.Struct(29, "", 8, false, List.of()), b.type(29));
        assertEquals(new BtfType.Int(30, "tag1", 1, 0, 0, 8), b.type(30));
        assertEquals(new BtfType.Const(33, "", 1), b.type(33));
        // ids are kept: everything that referred to a rewritten type still does, and re-encodes.
        assertEquals(AllKinds.TYPES.size() + 1, b.types().size());
        b.build();
    }

    @Test
    void eachFeatureAlone() {
        Set<BtfFeature> all = EnumSet.allOf(BtfFeature.class);
        Set<BtfFeature> noGlobal = EnumSet.copyOf(all);
        noGlobal.remove(BtfFeature.FUNC_GLOBAL);
        BtfBuilder b = sanitized(noGlobal, 2);
        assertEquals(BtfLinkage.STATIC, ((BtfType.Func) b.type(23)).linkage());
        assertEquals(BtfLinkage.STATIC, ((BtfType.Func) b.type(24)).linkage());

        Set<BtfFeature> noFloat = EnumSet.copyOf(all);
        noFloat.remove(BtfFeature.FLOAT);
        assertEquals(new BtfType.Struct(29, "", 8, false, List.of()), sanitized(noFloat, 1).type(29));

        Set<BtfFeature> noTypeTag = EnumSet.copyOf(all);
        noTypeTag.remove(BtfFeature.TYPE_TAG);
        BtfBuilder t = sanitized(noTypeTag, 2);
        assertEquals(new BtfType.Const(34, "", 0), t.type(34));

        Set<BtfFeature> noDeclTag = EnumSet.copyOf(all);
        noDeclTag.remove(BtfFeature.DECL_TAG);
        assertEquals(BtfKind.INT, sanitized(noDeclTag, 3).type(32).kind());

        Set<BtfFeature> noEnum64 = EnumSet.copyOf(all);
        noEnum64.remove(BtfFeature.ENUM64);
        BtfBuilder e = sanitized(noEnum64, 3);
        assertEquals(BtfKind.UNION, e.type(13).kind());
        assertEquals(AllKinds.TYPES.size() + 1, e.types().size(), "one placeholder for every ENUM64");
    }

    @Test
    void optionalSectionNamesLoseTheirQuestionMark() {
        BtfBuilder b = new BtfBuilder();
        int v = b.addVar("x", b.addInt("int", 4, BtfType.Int.SIGNED), BtfLinkage.GLOBAL);
        int sec = b.addDatasec("?.rodata", 4, List.of(new BtfVarSecinfo(v, 0, 4)));
        Set<BtfFeature> noQmark = EnumSet.allOf(BtfFeature.class);
        noQmark.remove(BtfFeature.QMARK_DATASEC);
        assertEquals(1, BtfSanitizer.sanitize(b, noQmark));
        assertEquals("_.rodata", b.type(sec).name());
    }

    @Test
    void probeBlobsEachUseTheirFeature() {
        for (BtfFeature f : BtfFeature.values()) {
            Btf probe = Btf.parse(BtfSanitizer.probeBlob(f));
            BtfBuilder b = BtfBuilder.from(probe);
            Set<BtfFeature> without = EnumSet.allOf(BtfFeature.class);
            without.remove(f);
            assertTrue(BtfSanitizer.sanitize(b, without) > 0, f + "'s probe does not use it");
        }
    }
}
