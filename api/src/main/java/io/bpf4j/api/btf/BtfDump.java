package io.bpf4j.api.btf;

import java.util.Objects;

/**
 * Text forms of BTF types for people and for comparison with other tools.
 *
 * <ul>
 *   <li>{@link #raw(Btf, int)}: the format of {@code bpftool btf dump file F format raw}
 *       (bpftool 7.1): one line per type, then one indented line per member, value, parameter
 *       or section variable. Like that bpftool it does not show whether a tag is a plain
 *       attribute (the {@code kind_flag} of {@code DECL_TAG} and {@code TYPE_TAG}, Linux 6.14+);
 *       the records and {@link #c(Btf, int)} do.</li>
 *   <li>{@link #c(Btf, int)}: a C-like declaration, e.g. {@code struct list_head { ... };} with
 *       nested anonymous structs and unions written out, bitfields, arrays and function
 *       pointers. It is meant to be read; it is not always a compilable header (no forward
 *       declarations or ordering, tags as attributes).</li>
 * </ul>
 */
public final class BtfDump {
    private BtfDump() {
    }

    /**
     * A type as {@code bpftool btf dump ... format raw} prints it, without the final newline.
     *
     * @param btf the BTF
     * @param id the type
     * @return the lines, joined with {@code \n}
     * @throws IllegalArgumentException when there is no such id
     */
    public static String raw(Btf btf, int id) {
        Objects.requireNonNull(btf, "btf");
        BtfType t = btf.type(id);
        StringBuilder b = new StringBuilder(64);
        b.append('[').append(id).append("] ").append(t.kind()).append(" '").append(anon(t.name())).append('\'');
        if (t instanceof BtfType.Int x) {
            b.append(" size=").append(u(x.size())).append(" bits_offset=").append(x.bitOffset()).append(" nr_bits=")
                    .append(x.bits()).append(" encoding=").append(intEncoding(x.encoding()));
        } else if (t instanceof BtfType.Array x) {
            b.append(" type_id=").append(u(x.elemTypeId())).append(" index_type_id=").append(u(x.indexTypeId()))
                    .append(" nr_elems=").append(u(x.length()));
        } else if (t instanceof BtfType.Composite x) {
            b.append(" size=").append(u(x.size())).append(" vlen=").append(x.members().size());
            for (BtfMember m : x.members()) {
                b.append("\n\t'").append(anon(m.name())).append("' type_id=").append(u(m.typeId())).append(" bits_offset=")
                        .append(u(m.bitOffset()));
                if (m.bitfieldSize() != 0) b.append(" bitfield_size=").append(m.bitfieldSize());
            }
        } else if (t instanceof BtfType.EnumType x) {
            boolean wide = x instanceof BtfType.Enum64;
            b.append(" encoding=").append(x.signed() ? "SIGNED" : "UNSIGNED").append(" size=").append(u(x.size()))
                    .append(" vlen=").append(x.values().size());
            for (BtfEnumValue v : x.values()) {
                b.append("\n\t'").append(anon(v.name())).append("' val=")
                        .append(x.signed() ? Long.toString(v.value()) : Long.toUnsignedString(v.value()));
                if (wide) b.append(x.signed() ? "LL" : "ULL");
            }
        } else if (t instanceof BtfType.Fwd x) {
            b.append(" fwd_kind=").append(x.union() ? "union" : "struct");
        } else if (t instanceof BtfType.Func x) {
            b.append(" type_id=").append(u(x.typeId())).append(" linkage=").append(linkage(x.linkage()));
        } else if (t instanceof BtfType.FuncProto x) {
            b.append(" ret_type_id=").append(u(x.returnTypeId())).append(" vlen=").append(x.params().size());
            for (BtfParam p : x.params()) b.append("\n\t'").append(anon(p.name())).append("' type_id=").append(u(p.typeId()));
        } else if (t instanceof BtfType.Var x) {
            b.append(" type_id=").append(u(x.typeId())).append(", linkage=").append(linkage(x.linkage()));
        } else if (t instanceof BtfType.Datasec x) {
            b.append(" size=").append(u(x.size())).append(" vlen=").append(x.vars().size());
            for (BtfVarSecinfo v : x.vars()) {
                b.append("\n\ttype_id=").append(u(v.typeId())).append(" offset=").append(u(v.offset())).append(" size=")
                        .append(u(v.size()));
                if (v.typeId() > 0 && v.typeId() < btf.typeCount()) {
                    b.append(" (").append(btf.kind(v.typeId())).append(" '").append(anon(btf.name(v.typeId()))).append("')");
                }
            }
        } else if (t instanceof BtfType.Float x) {
            b.append(" size=").append(u(x.size()));
        } else if (t instanceof BtfType.DeclTag x) {
            b.append(" type_id=").append(u(x.typeId())).append(" component_idx=").append(x.componentIdx());
        } else if (t instanceof BtfType.Typed x) {
            b.append(" type_id=").append(u(x.typeId()));
        }
        return b.toString();
    }

    /**
     * A C-like declaration of a type: the definition of a struct, union or enum, a typedef, a
     * function's or variable's declaration, and for other kinds the type as C writes it.
     *
     * @param btf the BTF
     * @param id the type
     * @return the text, without a final newline
     * @throws IllegalArgumentException when there is no such id
     * @throws BtfFormatException when the types nest without end (a cycle in malformed BTF)
     */
    public static String c(Btf btf, int id) {
        Objects.requireNonNull(btf, "btf");
        return new CWriter(btf).top(id);
    }

    /**
     * How C declares a name of a type, e.g. {@code char comm[16]} or {@code void (*fn)(int)}.
     *
     * @param btf the BTF
     * @param id the type
     * @param name the declared name; empty for the bare type, e.g. {@code struct foo *}
     * @return the declaration, without a semicolon
     * @throws IllegalArgumentException when there is no such id
     * @throws BtfFormatException when the types nest without end
     */
    public static String declaration(Btf btf, int id, String name) {
        Objects.requireNonNull(btf, "btf");
        Objects.requireNonNull(name, "name");
        return new CWriter(btf).decl(id, name, 0, 0);
    }

    static String anon(String name) {
        return name.isEmpty() ? "(anon)" : name;
    }

    private static String u(int v) {
        return Integer.toUnsignedString(v);
    }

    private static String intEncoding(int e) {
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

    private static String linkage(BtfLinkage l) {
        return l.name().toLowerCase(java.util.Locale.ROOT);
    }
}
