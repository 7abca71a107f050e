package io.bpf4j.cli;

import io.bpf4j.api.btf.Btf;
import io.bpf4j.api.btf.BtfEnumValue;
import io.bpf4j.api.btf.BtfMember;
import io.bpf4j.api.btf.BtfParam;
import io.bpf4j.api.btf.BtfType;
import io.bpf4j.api.btf.BtfVarSecinfo;
import java.util.List;
import java.util.Locale;

/**
 * BTF types as JSON, with the keys of {@code bpftool -j btf dump} ({@code id}, {@code kind},
 * {@code name}, {@code type_id}, {@code members} ...), plus what bpftool leaves out:
 * {@code kind_flag} of composites and tags.
 */
final class BtfJson {
    private BtfJson() {
    }

    static String types(Btf btf, List<Integer> ids) {
        StringBuilder b = new StringBuilder(64 * ids.size() + 16).append("{\"types\":[");
        for (int i = 0; i < ids.size(); i++) {
            if (i > 0) b.append(',');
            type(b, btf.type(ids.get(i)));
        }
        return b.append("]}").toString();
    }

    private static String name(String n) {
        return Json.quote(n.isEmpty() ? "(anon)" : n);
    }

    private static void type(StringBuilder b, BtfType t) {
        b.append("{\"id\":").append(t.id()).append(",\"kind\":\"").append(t.kind()).append("\",\"name\":").append(name(t.name()));
        if (t instanceof BtfType.Int x) {
            b.append(",\"size\":").append(u(x.size())).append(",\"bits_offset\":").append(x.bitOffset()).append(",\"nr_bits\":")
                    .append(x.bits()).append(",\"encoding\":\"").append(encoding(x.encoding())).append('"');
        } else if (t instanceof BtfType.Array x) {
            b.append(",\"type_id\":").append(u(x.elemTypeId())).append(",\"index_type_id\":").append(u(x.indexTypeId()))
                    .append(",\"nr_elems\":").append(u(x.length()));
        } else if (t instanceof BtfType.Composite x) {
            b.append(",\"size\":").append(u(x.size())).append(",\"vlen\":").append(x.members().size())
                    .append(",\"kind_flag\":").append(x.kindFlag() ? 1 : 0).append(",\"members\":[");
            for (int i = 0; i < x.members().size(); i++) {
                BtfMember m = x.members().get(i);
                if (i > 0) b.append(',');
                b.append("{\"name\":").append(name(m.name())).append(",\"type_id\":").append(u(m.typeId()))
                        .append(",\"bits_offset\":").append(u(m.bitOffset()));
                if (m.bitfieldSize() != 0) b.append(",\"bitfield_size\":").append(m.bitfieldSize());
                b.append('}');
            }
            b.append(']');
        } else if (t instanceof BtfType.EnumType x) {
            b.append(",\"encoding\":\"").append(x.signed() ? "SIGNED" : "UNSIGNED").append("\",\"size\":").append(u(x.size()))
                    .append(",\"vlen\":").append(x.values().size()).append(",\"values\":[");
            for (int i = 0; i < x.values().size(); i++) {
                BtfEnumValue v = x.values().get(i);
                if (i > 0) b.append(',');
                b.append("{\"name\":").append(name(v.name())).append(",\"val\":")
                        .append(x.signed() ? Long.toString(v.value()) : Long.toUnsignedString(v.value())).append('}');
            }
            b.append(']');
        } else if (t instanceof BtfType.Fwd x) {
            b.append(",\"fwd_kind\":\"").append(x.union() ? "union" : "struct").append('"');
        } else if (t instanceof BtfType.Func x) {
            b.append(",\"type_id\":").append(u(x.typeId())).append(",\"linkage\":\"").append(lower(x.linkage().name())).append('"');
        } else if (t instanceof BtfType.FuncProto x) {
            b.append(",\"ret_type_id\":").append(u(x.returnTypeId())).append(",\"vlen\":").append(x.params().size())
                    .append(",\"params\":[");
            for (int i = 0; i < x.params().size(); i++) {
                BtfParam p = x.params().get(i);
                if (i > 0) b.append(',');
                b.append("{\"name\":").append(name(p.name())).append(",\"type_id\":").append(u(p.typeId())).append('}');
            }
            b.append(']');
        } else if (t instanceof BtfType.Var x) {
            b.append(",\"type_id\":").append(u(x.typeId())).append(",\"linkage\":\"").append(lower(x.linkage().name())).append('"');
        } else if (t instanceof BtfType.Datasec x) {
            b.append(",\"size\":").append(u(x.size())).append(",\"vlen\":").append(x.vars().size()).append(",\"vars\":[");
            for (int i = 0; i < x.vars().size(); i++) {
                BtfVarSecinfo v = x.vars().get(i);
                if (i > 0) b.append(',');
                b.append("{\"type_id\":").append(u(v.typeId())).append(",\"offset\":").append(u(v.offset()))
                        .append(",\"size\":").append(u(v.size())).append('}');
            }
            b.append(']');
        } else if (t instanceof BtfType.Float x) {
            b.append(",\"size\":").append(u(x.size()));
        } else if (t instanceof BtfType.DeclTag x) {
            b.append(",\"type_id\":").append(u(x.typeId())).append(",\"component_idx\":").append(x.componentIdx())
                    .append(",\"kind_flag\":").append(x.attribute() ? 1 : 0);
        } else if (t instanceof BtfType.TypeTag x) {
            b.append(",\"type_id\":").append(u(x.typeId())).append(",\"kind_flag\":").append(x.attribute() ? 1 : 0);
        } else if (t instanceof BtfType.Typed x) {
            b.append(",\"type_id\":").append(u(x.typeId()));
        }
        b.append('}');
    }

    private static String u(int v) {
        return Integer.toUnsignedString(v);
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    private static String encoding(int e) {
        switch (e) {
            case 0:
                return "(none)";
            case BtfType.Int.SIGNED:
                return "SIGNED";
            case BtfType.Int.CHAR:
                return "CHAR";
            case BtfType.Int.BOOL:
                return "BOOL";
            default:
                return "UNKN";
        }
    }
}
