package io.bpf4j.api.btf;

import java.util.ArrayList;
import java.util.List;

/**
 * One side of a CO-RE relocation, as libbpf's {@code struct bpf_core_spec}
 * ({@code tools/lib/bpf/relo_core.c}, libbpf 1.1): the access string walked through a BTF (the
 * object's own, or a candidate target's). Accessors are the root (an array index into the
 * relocated type), each named member and each array index; anonymous members count in the raw
 * access string but are no accessors, so that a field is found by name in the target however
 * its anonymous structs and unions nest.
 */
final class CoreSpec {
    /** libbpf's {@code BPF_CORE_SPEC_MAX_LEN}: the longest access string. */
    static final int MAX_LEN = 64;

    /**
     * An accessor: a named member ({@code name} not null, {@code typeId} the struct or union that
     * holds it, {@code index} its position there), an array index or the root ({@code name} null,
     * {@code typeId} the element type), or an enumerator ({@code typeId} the enum).
     */
    record Accessor(int typeId, long index, String name) {
    }

    final Btf btf;
    /** The relocated type's id (the local one), or the candidate's (a target's), unresolved. */
    final int rootId;
    final List<Accessor> acc = new ArrayList<>();
    /** How many raw access indices the spec holds (anonymous members included). */
    int rawLen;
    /** The field's bit offset from the root; unsigned 32 bits, as in libbpf. */
    long bitOffset;

    private CoreSpec(Btf btf, int rootId) {
        this.btf = btf;
        this.rootId = rootId;
    }

    Accessor last() {
        return acc.get(acc.size() - 1);
    }

    // ---------------------------------------------------------------- names

    /**
     * libbpf's {@code bpf_core_essential_name_len()}: the name up to its last {@code ___flavor}
     * suffix, where a flavor separator is three underscores between two characters that are not
     * underscores.
     */
    static int essentialLength(String name) {
        for (int i = name.length() - 5; i >= 0; i--) {
            if (name.charAt(i) != '_' && name.charAt(i + 1) == '_' && name.charAt(i + 2) == '_' && name.charAt(i + 3) == '_'
                    && name.charAt(i + 4) != '_') {
                return i + 1;
            }
        }
        return name.length();
    }

    static String essential(String name) {
        return name.substring(0, essentialLength(name));
    }

    /** Whether two names are equal once their flavors are dropped. */
    static boolean sameEssential(String a, String b) {
        int la = essentialLength(a);
        return la == essentialLength(b) && a.regionMatches(0, b, 0, la);
    }

    // ---------------------------------------------------------------- following the BTF

    /** libbpf's {@code skip_mods_and_typedefs()}. */
    static int skip(Btf btf, int id) {
        try {
            return btf.resolve(id);
        } catch (IllegalArgumentException e) {
            throw new CoreRelocationException("type [" + id + "]: " + e.getMessage());
        }
    }

    /** libbpf's {@code btf__resolve_size()}, whose failures are the relocation's. */
    static long size(Btf btf, int id) {
        try {
            return btf.sizeOf(id);
        } catch (IllegalArgumentException e) {
            throw new CoreRelocationException("type [" + id + "] has no size: " + e.getMessage());
        }
    }

    static BtfType type(Btf btf, int id) {
        try {
            return btf.type(id);
        } catch (IllegalArgumentException e) {
            throw new CoreRelocationException("type [" + id + "] does not exist: " + e.getMessage());
        }
    }

    private static int vlen(BtfType t) {
        if (t instanceof BtfType.Composite c) return c.members().size();
        if (t instanceof BtfType.EnumType e) return e.values().size();
        return 0;
    }

    // ---------------------------------------------------------------- the local spec

    /** libbpf's {@code bpf_core_parse_spec()}: the relocation's access string on the object's own BTF. */
    static CoreSpec parse(Btf btf, BtfExt.CoreRelo relo) {
        String s = relo.accessString();
        if (s.isEmpty() || s.charAt(0) == ':') throw new CoreRelocationException("access string \"" + s + "\" is malformed");
        CoreSpec spec = new CoreSpec(btf, relo.typeId());
        CoreReloKind kind = relo.kind();
        if (isTypeBased(kind)) {
            if (!s.equals("0")) throw new CoreRelocationException("a type relocation's access string must be \"0\", not \"" + s + "\"");
            return spec;
        }
        int[] raw = access(s);
        int id = skip(btf, relo.typeId());
        BtfType t = type(btf, id);
        long idx = raw[0];
        spec.acc.add(new Accessor(id, idx, null));
        spec.rawLen = raw.length;
        if (isEnumBased(kind)) {
            if (!(t instanceof BtfType.EnumType e) || raw.length > 1 || idx >= e.values().size()) {
                throw new CoreRelocationException("access string \"" + s + "\" is not an enumerator of " + describe(t));
            }
            spec.acc.set(0, new Accessor(id, idx, e.values().get((int) idx).name()));
            return spec;
        }
        spec.bitOffset = u32(idx * size(btf, id) * 8);
        for (int i = 1; i < raw.length; i++) {
            t = type(btf, skip(btf, id));
            id = t.id();
            idx = raw[i];
            if (t instanceof BtfType.Composite c) {
                if (idx >= c.members().size()) {
                    throw new CoreRelocationException("access string \"" + s + "\": " + describe(t) + " has no member " + idx);
                }
                BtfMember m = c.members().get((int) idx);
                spec.bitOffset = u32(spec.bitOffset + Integer.toUnsignedLong(m.bitOffset()));
                if (!m.name().isEmpty()) spec.acc.add(new Accessor(id, idx, m.name()));
                id = m.typeId();
            } else if (t instanceof BtfType.Array a) {
                int elem = skip(btf, a.elemTypeId());
                boolean flex = isFlex(btf, spec.last(), a);
                if (!flex && idx >= Integer.toUnsignedLong(a.length())) {
                    throw new CoreRelocationException("access string \"" + s + "\": index " + idx + " is out of " + describe(t));
                }
                spec.acc.add(new Accessor(elem, idx, null));
                spec.bitOffset = u32(spec.bitOffset + idx * size(btf, elem) * 8);
                id = elem;
            } else {
                throw new CoreRelocationException("access string \"" + s + "\" steps into " + describe(t)
                        + ", which is no struct, union or array");
            }
        }
        return spec;
    }

    static int[] access(String s) {
        String[] parts = s.split(":", -1);
        if (parts.length > MAX_LEN) throw new CoreRelocationException("access string \"" + s + "\" is longer than " + MAX_LEN);
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Integer.parseInt(parts[i]);
            } catch (NumberFormatException e) {
                throw new CoreRelocationException("access string \"" + s + "\" is not colon-separated indices");
            }
            if (out[i] < 0) throw new CoreRelocationException("access string \"" + s + "\" has a negative index");
        }
        return out;
    }

    /** libbpf's {@code is_flex_arr()}: an array of no elements that is the last member of its struct. */
    private static boolean isFlex(Btf btf, Accessor prev, BtfType.Array a) {
        if (prev.name() == null || a.length() != 0) return false;
        return prev.index() == vlen(type(btf, prev.typeId())) - 1;
    }

    // ---------------------------------------------------------------- matching a candidate

    /**
     * libbpf's {@code bpf_core_spec_match()}: the local spec in one target candidate.
     *
     * @return the target spec, or null when the candidate does not match
     */
    static CoreSpec match(CoreSpec local, CoreReloKind kind, Btf target, int candId) {
        CoreSpec ts = new CoreSpec(target, candId);
        if (isTypeBased(kind)) {
            boolean ok = kind == CoreReloKind.TYPE_MATCHES ? CoreTypes.match(local.btf, local.rootId, target, candId)
                    : CoreTypes.compatible(local.btf, local.rootId, target, candId);
            return ok ? ts : null;
        }
        Accessor first = local.acc.get(0);
        if (isEnumBased(kind)) {
            int id = skip(target, candId);
            if (!(type(target, id) instanceof BtfType.EnumType e)) return null;
            for (int i = 0; i < e.values().size(); i++) {
                String n = e.values().get(i).name();
                if (sameEssential(first.name(), n)) {
                    ts.acc.add(new Accessor(id, i, n));
                    ts.rawLen++;
                    return ts;
                }
            }
            return null;
        }
        int id = candId;
        for (int i = 0; i < local.acc.size(); i++) {
            Accessor la = local.acc.get(i);
            id = skip(target, id);
            if (la.name() != null) {
                int[] next = new int[1];
                if (!matchMember(local.btf, la, target, id, ts, next)) return null;
                id = next[0];
                continue;
            }
            if (i > 0) {
                if (!(type(target, id) instanceof BtfType.Array a)) return null;
                boolean flex = isFlex(target, ts.last(), a);
                if (!flex && la.index() >= Integer.toUnsignedLong(a.length())) return null;
                id = skip(target, a.elemTypeId());
            }
            if (ts.rawLen == MAX_LEN) throw new CoreRelocationException("the target nests deeper than " + MAX_LEN);
            ts.acc.add(new Accessor(id, la.index(), null));
            ts.rawLen++;
            ts.bitOffset = u32(ts.bitOffset + la.index() * size(target, id) * 8);
        }
        return ts;
    }

    /**
     * libbpf's {@code bpf_core_match_member()}: the local accessor's member by name in the target
     * struct or union, members in order and anonymous ones searched where they stand; a member of
     * that name whose type is not compatible ends the search.
     */
    private static boolean matchMember(Btf lb, Accessor la, Btf tb, int targId, CoreSpec ts, int[] next) {
        int tid = skip(tb, targId);
        if (!(type(tb, tid) instanceof BtfType.Composite tc)) return false;
        BtfMember lm = ((BtfType.Composite) type(lb, la.typeId())).members().get((int) la.index());
        List<BtfMember> ms = tc.members();
        for (int i = 0; i < ms.size(); i++) {
            BtfMember m = ms.get(i);
            long bitOff = Integer.toUnsignedLong(m.bitOffset());
            if (ts.rawLen == MAX_LEN) throw new CoreRelocationException("the target nests deeper than " + MAX_LEN);
            ts.bitOffset = u32(ts.bitOffset + bitOff);
            ts.rawLen++;
            if (m.name().isEmpty()) {
                if (matchMember(lb, la, tb, m.typeId(), ts, next)) return true;
            } else if (m.name().equals(lm.name())) {
                ts.acc.add(new Accessor(tid, i, m.name()));
                next[0] = m.typeId();
                boolean ok = CoreTypes.fieldsCompatible(lb, lm.typeId(), tb, m.typeId());
                if (!ok) ts.acc.remove(ts.acc.size() - 1);
                return ok;
            }
            ts.bitOffset = u32(ts.bitOffset - bitOff);
            ts.rawLen--;
        }
        return false;
    }

    // ---------------------------------------------------------------- kinds

    static boolean isFieldBased(CoreReloKind k) {
        return k.number() <= CoreReloKind.FIELD_RSHIFT_U64.number();
    }

    static boolean isTypeBased(CoreReloKind k) {
        return k == CoreReloKind.TYPE_ID_LOCAL || k == CoreReloKind.TYPE_ID_TARGET || k == CoreReloKind.TYPE_EXISTS
                || k == CoreReloKind.TYPE_SIZE || k == CoreReloKind.TYPE_MATCHES;
    }

    static boolean isEnumBased(CoreReloKind k) {
        return k == CoreReloKind.ENUMVAL_EXISTS || k == CoreReloKind.ENUMVAL_VALUE;
    }

    static long u32(long v) {
        return v & 0xffff_ffffL;
    }

    static String describe(BtfType t) {
        return t.kind() + " '" + t.name() + "' [" + t.id() + "]";
    }
}
