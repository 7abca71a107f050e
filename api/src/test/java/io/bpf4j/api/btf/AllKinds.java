package io.bpf4j.api.btf;

import java.util.List;

/**
 * One BTF with every kind of the 6.18 uapi and each flag and corner a kind has, three times over:
 * as the records a parser must produce, as words written by hand ({@link HandBlob}), and as
 * {@link BtfBuilder} calls.
 */
final class AllKinds {
    private AllKinds() {
    }

    static final List<BtfType> TYPES = List.of(
            new BtfType.Int(1, "int", 4, BtfType.Int.SIGNED, 0, 32),
            new BtfType.Int(2, "u3", 1, 0, 2, 3),
            new BtfType.Int(3, "_Bool", 1, BtfType.Int.BOOL, 0, 8),
            new BtfType.Int(4, "char", 1, BtfType.Int.CHAR, 0, 8),
            new BtfType.Ptr(5, "", 1),
            new BtfType.Array(6, "", 1, 1, 16),
            new BtfType.Struct(7, "point", 8, false, List.of(new BtfMember("x", 1, 0, 0), new BtfMember("y", 1, 32, 0))),
            new BtfType.Struct(8, "flags", 4, true, List.of(new BtfMember("a", 1, 0, 3), new BtfMember("b", 1, 3, 5))),
            new BtfType.Union(9, "u", 4, false, List.of(new BtfMember("i", 1, 0, 0), new BtfMember("", 4, 0, 0))),
            new BtfType.Enum(10, "e", 4, false, List.of(new BtfEnumValue("A", 0), new BtfEnumValue("B", 0xffff_ffffL))),
            new BtfType.Enum(11, "se", 4, true, List.of(new BtfEnumValue("M", -1), new BtfEnumValue("N", Integer.MAX_VALUE))),
            new BtfType.Enum64(12, "e64", 8, false, List.of(new BtfEnumValue("BIG", 1L << 40), new BtfEnumValue("MAX", -1L))),
            new BtfType.Enum64(13, "se64", 8, true, List.of(new BtfEnumValue("NEG", -5))),
            new BtfType.Fwd(14, "later", false),
            new BtfType.Fwd(15, "ulater", true),
            new BtfType.Typedef(16, "myint", 1),
            new BtfType.Volatile(17, "", 1),
            new BtfType.Const(18, "", 17),
            new BtfType.Restrict(19, "", 5),
            new BtfType.FuncProto(20, "", 1, List.of(new BtfParam("a", 1), new BtfParam("b", 5))),
            new BtfType.FuncProto(21, "", 0, List.of(new BtfParam("fmt", 5), new BtfParam("", 0))),
            new BtfType.Func(22, "f", 20, BtfLinkage.STATIC),
            new BtfType.Func(23, "g", 20, BtfLinkage.GLOBAL),
            new BtfType.Func(24, "h", 21, BtfLinkage.EXTERN),
            new BtfType.Var(25, "v", 1, BtfLinkage.STATIC),
            new BtfType.Var(26, "w", 7, BtfLinkage.GLOBAL),
            new BtfType.Var(27, "x", 1, BtfLinkage.EXTERN),
            new BtfType.Datasec(28, ".data", 12, List.of(new BtfVarSecinfo(25, 0, 4), new BtfVarSecinfo(26, 4, 8))),
            new BtfType.Float(29, "double", 8),
            new BtfType.DeclTag(30, "tag1", 22, -1, false),
            new BtfType.DeclTag(31, "tag2", 7, 1, false),
            new BtfType.DeclTag(32, "noinline", 23, -1, true),
            new BtfType.TypeTag(33, "user", 1, false),
            new BtfType.TypeTag(34, "address_space(1)", 0, true),
            new BtfType.Ptr(35, "", 33));

    /** The same types, written word by word as {@code include/uapi/linux/btf.h} lays them out. */
    static HandBlob hand() {
        HandBlob h = new HandBlob();
        h.type(h.str("int"), 1, false, 0, 4, 1 << 24 | 32);
        h.type(h.str("u3"), 1, false, 0, 1, 2 << 16 | 3);
        h.type(h.str("_Bool"), 1, false, 0, 1, 4 << 24 | 8);
        h.type(h.str("char"), 1, false, 0, 1, 2 << 24 | 8);
        h.type(0, 2, false, 0, 1);
        h.type(0, 3, false, 0, 0, 1, 1, 16);
        h.type(h.str("point"), 4, false, 2, 8, h.str("x"), 1, 0, h.str("y"), 1, 32);
        h.type(h.str("flags"), 4, true, 2, 4, h.str("a"), 1, 3 << 24, h.str("b"), 1, 5 << 24 | 3);
        h.type(h.str("u"), 5, false, 2, 4, h.str("i"), 1, 0, 0, 4, 0);
        h.type(h.str("e"), 6, false, 2, 4, h.str("A"), 0, h.str("B"), 0xffff_ffff);
        h.type(h.str("se"), 6, true, 2, 4, h.str("M"), -1, h.str("N"), Integer.MAX_VALUE);
        h.type(h.str("e64"), 19, false, 2, 8, h.str("BIG"), 0, 0x100, h.str("MAX"), -1, -1);
        h.type(h.str("se64"), 19, true, 1, 8, h.str("NEG"), -5, -1);
        h.type(h.str("later"), 7, false, 0, 0);
        h.type(h.str("ulater"), 7, true, 0, 0);
        h.type(h.str("myint"), 8, false, 0, 1);
        h.type(0, 9, false, 0, 1);
        h.type(0, 10, false, 0, 17);
        h.type(0, 11, false, 0, 5);
        h.type(0, 13, false, 2, 1, h.str("a"), 1, h.str("b"), 5);
        h.type(0, 13, false, 2, 0, h.str("fmt"), 5, 0, 0);
        h.type(h.str("f"), 12, false, 0, 20);
        h.type(h.str("g"), 12, false, 1, 20);
        h.type(h.str("h"), 12, false, 2, 21);
        h.type(h.str("v"), 14, false, 0, 1, 0);
        h.type(h.str("w"), 14, false, 0, 7, 1);
        h.type(h.str("x"), 14, false, 0, 1, 2);
        h.type(h.str(".data"), 15, false, 2, 12, 25, 0, 4, 26, 4, 8);
        h.type(h.str("double"), 16, false, 0, 8);
        h.type(h.str("tag1"), 17, false, 0, 22, -1);
        h.type(h.str("tag2"), 17, false, 0, 7, 1);
        h.type(h.str("noinline"), 17, true, 0, 23, -1);
        h.type(h.str("user"), 18, false, 0, 1);
        h.type(h.str("address_space(1)"), 18, true, 0, 0);
        h.type(0, 2, false, 0, 33);
        return h;
    }

    /** The same types through the builder's one-method-per-kind calls. */
    static BtfBuilder built() {
        BtfBuilder b = new BtfBuilder();
        int i = b.addInt("int", 4, BtfType.Int.SIGNED);
        b.add(new BtfType.Int(0, "u3", 1, 0, 2, 3));
        b.addInt("_Bool", 1, BtfType.Int.BOOL);
        int c = b.addInt("char", 1, BtfType.Int.CHAR);
        int p = b.addPtr(i);
        b.addArray(i, i, 16);
        int point = b.addStruct("point", 8, List.of(new BtfMember("x", i, 0, 0), new BtfMember("y", i, 32, 0)));
        b.addStruct("flags", 4, List.of(new BtfMember("a", i, 0, 3), new BtfMember("b", i, 3, 5)));
        b.addUnion("u", 4, List.of(new BtfMember("i", i, 0, 0), new BtfMember("", c, 0, 0)));
        b.addEnum("e", 4, false, List.of(new BtfEnumValue("A", 0), new BtfEnumValue("B", 0xffff_ffffL)));
        b.addEnum("se", 4, true, List.of(new BtfEnumValue("M", -1), new BtfEnumValue("N", Integer.MAX_VALUE)));
        b.addEnum64("e64", 8, false, List.of(new BtfEnumValue("BIG", 1L << 40), new BtfEnumValue("MAX", -1L)));
        b.addEnum64("se64", 8, true, List.of(new BtfEnumValue("NEG", -5)));
        b.addFwd("later", false);
        b.addFwd("ulater", true);
        b.addTypedef("myint", i);
        int vol = b.addVolatile(i);
        b.addConst(vol);
        b.addRestrict(p);
        int proto = b.addFuncProto(i, List.of(new BtfParam("a", i), new BtfParam("b", p)));
        int variadic = b.addFuncProto(0, List.of(new BtfParam("fmt", p), new BtfParam("", 0)));
        int f = b.addFunc("f", proto, BtfLinkage.STATIC);
        int g = b.addFunc("g", proto, BtfLinkage.GLOBAL);
        b.addFunc("h", variadic, BtfLinkage.EXTERN);
        int v = b.addVar("v", i, BtfLinkage.STATIC);
        int w = b.addVar("w", point, BtfLinkage.GLOBAL);
        b.addVar("x", i, BtfLinkage.EXTERN);
        b.addDatasec(".data", 12, List.of(new BtfVarSecinfo(v, 0, 4), new BtfVarSecinfo(w, 4, 8)));
        b.addFloat("double", 8);
        b.addDeclTag("tag1", f, -1);
        b.addDeclTag("tag2", point, 1);
        b.add(new BtfType.DeclTag(0, "noinline", g, -1, true));
        int user = b.addTypeTag("user", i);
        b.add(new BtfType.TypeTag(0, "address_space(1)", 0, true));
        b.addPtr(user);
        return b;
    }
}
