package io.bpf4j.api.btf;

import java.util.List;

/**
 * Writes C declarations of BTF types. A declaration is built from the inside out, as C reads
 * it: the declared name first, then each pointer, array and function layer wraps it, and the
 * base type goes in front ({@code int (*fn)(char)}: the pointer wraps {@code fn} in parentheses
 * because a function prototype follows). Anonymous structs, unions and enums are written out
 * where they are used.
 */
final class CWriter {
    /** Nesting past this is a cycle in malformed BTF, not a type anybody wrote. */
    private static final int MAX_DEPTH = 64;

    private final Btf btf;

    CWriter(Btf btf) {
        this.btf = btf;
    }

    String top(int id) {
        BtfType t = btf.type(id);
        if (t instanceof BtfType.Composite || t instanceof BtfType.EnumType) return body(t, 0, 0) + ";";
        if (t instanceof BtfType.Typedef x) return "typedef " + decl(x.typeId(), x.name(), 0, 0) + ";";
        if (t instanceof BtfType.Fwd x) return (x.union() ? "union " : "struct ") + x.name() + ";";
        if (t instanceof BtfType.Func x) return linkage(x.linkage()) + decl(x.typeId(), x.name(), 0, 0) + ";";
        if (t instanceof BtfType.Var x) return linkage(x.linkage()) + decl(x.typeId(), x.name(), 0, 0) + ";";
        if (t instanceof BtfType.Datasec x) return datasec(x);
        if (t instanceof BtfType.DeclTag x) return declTag(x);
        return decl(id, "", 0, 0) + ";";
    }

    private static String linkage(BtfLinkage l) {
        switch (l) {
            case STATIC:
                return "static ";
            case EXTERN:
                return "extern ";
            default:
                return "";
        }
    }

    private String datasec(BtfType.Datasec x) {
        StringBuilder b = new StringBuilder();
        b.append("SEC(\"").append(x.name()).append("\") /* ").append(Integer.toUnsignedString(x.size())).append(" bytes */ {");
        for (BtfVarSecinfo v : x.vars()) {
            b.append("\n\t/* offset ").append(Integer.toUnsignedString(v.offset())).append(", ")
                    .append(Integer.toUnsignedString(v.size())).append(" bytes */ ");
            BtfType vt = btf.type(v.typeId());
            if (vt instanceof BtfType.Var var) {
                b.append(linkage(var.linkage())).append(decl(var.typeId(), var.name(), 1, 1));
            } else if (vt instanceof BtfType.Func f) {
                b.append(linkage(f.linkage())).append(decl(f.typeId(), f.name(), 1, 1));
            } else {
                b.append(decl(v.typeId(), "", 1, 1));
            }
            b.append(';');
        }
        return b.append("\n};").toString();
    }

    private String declTag(BtfType.DeclTag x) {
        StringBuilder b = new StringBuilder(attribute(x.name(), x.attribute(), "btf_decl_tag"));
        b.append(" on [").append(x.typeId()).append("] ").append(btf.kind(x.typeId())).append(" '")
                .append(BtfDump.anon(btf.name(x.typeId()))).append('\'');
        if (x.componentIdx() >= 0) {
            BtfType target = btf.type(x.typeId());
            String what = "component " + x.componentIdx();
            if (target instanceof BtfType.Composite c && x.componentIdx() < c.members().size()) {
                what = "member '" + c.members().get(x.componentIdx()).name() + "'";
            } else if (target instanceof BtfType.Func f && btf.type(f.typeId()) instanceof BtfType.FuncProto p
                    && x.componentIdx() < p.params().size()) {
                what = "parameter '" + p.params().get(x.componentIdx()).name() + "'";
            }
            b.append(' ').append(what);
        }
        return b.toString();
    }

    private static String attribute(String name, boolean plain, String tag) {
        return plain ? "__attribute__((" + name + "))" : "__attribute__((" + tag + "(\"" + name + "\")))";
    }

    private static String sp(String inner) {
        return inner.isEmpty() ? "" : " " + inner;
    }

    /** {@code inner} declared with type {@code id}; anonymous bodies indented at {@code indent}. */
    String decl(int id, String inner, int indent, int depth) {
        if (depth > MAX_DEPTH) throw TypeLayout.loop(id, "types in a declaration");
        BtfType t = btf.type(id);
        switch (t.kind()) {
            case VOID:
                return "void" + sp(inner);
            case INT:
            case FLOAT:
            case TYPEDEF:
                return t.name() + sp(inner);
            case STRUCT:
            case UNION:
            case ENUM:
            case ENUM64:
                if (t.name().isEmpty()) return body(t, indent, depth + 1) + sp(inner);
                return keyword(t) + " " + t.name() + sp(inner);
            case FWD:
                return (((BtfType.Fwd) t).union() ? "union " : "struct ") + t.name() + sp(inner);
            case PTR: {
                int target = ((BtfType.Ptr) t).typeId();
                BtfKind tk = btf.kind(target);
                String wrapped = tk == BtfKind.ARRAY || tk == BtfKind.FUNC_PROTO ? "(*" + inner + ")" : "*" + inner;
                return decl(target, wrapped, indent, depth + 1);
            }
            case CONST:
            case VOLATILE:
            case RESTRICT:
            case TYPE_TAG: {
                int target = ((BtfType.Typed) t).typeId();
                String q = t instanceof BtfType.TypeTag tag ? attribute(tag.name(), tag.attribute(), "btf_type_tag")
                        : t.kind().name().toLowerCase(java.util.Locale.ROOT);
                // On a pointer the qualifier follows the star (char *const p); else it leads (const int x).
                if (btf.kind(target) == BtfKind.PTR) return decl(target, q + sp(inner), indent, depth + 1);
                return q + " " + decl(target, inner, indent, depth + 1);
            }
            case ARRAY: {
                BtfType.Array a = (BtfType.Array) t;
                return decl(a.elemTypeId(), inner + "[" + Integer.toUnsignedString(a.length()) + "]", indent, depth + 1);
            }
            case FUNC_PROTO: {
                BtfType.FuncProto p = (BtfType.FuncProto) t;
                return decl(p.returnTypeId(), inner + "(" + params(p.params(), indent, depth) + ")", indent, depth + 1);
            }
            case FUNC:
            case VAR:
            case DECL_TAG:
                return t.name() + sp(inner);
            case DATASEC:
                return "SEC(\"" + t.name() + "\")" + sp(inner);
            default:
                throw new AssertionError(t.kind());
        }
    }

    private String params(List<BtfParam> params, int indent, int depth) {
        if (params.isEmpty()) return "void";
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < params.size(); i++) {
            if (i > 0) b.append(", ");
            BtfParam p = params.get(i);
            b.append(p.isVariadic() ? "..." : decl(p.typeId(), p.name(), indent, depth + 1));
        }
        return b.toString();
    }

    private static String keyword(BtfType t) {
        switch (t.kind()) {
            case STRUCT:
                return "struct";
            case UNION:
                return "union";
            default:
                return "enum";
        }
    }

    /** A struct's, union's or enum's definition, with its closing brace at {@code indent}. */
    private String body(BtfType t, int indent, int depth) {
        if (depth > MAX_DEPTH) throw TypeLayout.loop(t.id(), "nested anonymous types");
        String pad = "\t".repeat(indent + 1);
        StringBuilder b = new StringBuilder(keyword(t));
        if (!t.name().isEmpty()) b.append(' ').append(t.name());
        b.append(" {\n");
        if (t instanceof BtfType.Composite c) {
            for (BtfMember m : c.members()) {
                b.append(pad).append(decl(m.typeId(), m.name(), indent + 1, depth + 1));
                int bits = bitfield(c, m);
                if (bits > 0) b.append(": ").append(bits);
                b.append(";\n");
            }
        } else {
            BtfType.EnumType e = (BtfType.EnumType) t;
            boolean wide = e instanceof BtfType.Enum64;
            for (BtfEnumValue v : e.values()) {
                b.append(pad).append(v.name()).append(" = ")
                        .append(e.signed() ? Long.toString(v.value()) : Long.toUnsignedString(v.value()));
                if (wide) b.append(e.signed() ? "LL" : "ULL");
                b.append(",\n");
            }
        }
        return b.append("\t".repeat(indent)).append('}').toString();
    }

    /**
     * A member's bitfield width: from the member with {@code kind_flag}, else from an integer
     * type whose bits do not fill it; 0 for a member that is no bitfield.
     */
    private int bitfield(BtfType.Composite c, BtfMember m) {
        if (c.kindFlag()) return m.bitfieldSize();
        int r = btf.resolve(m.typeId());
        if (btf.type(r) instanceof BtfType.Int i && (i.bitOffset() != 0 || i.bits() != i.size() * 8)) return i.bits();
        return 0;
    }
}
