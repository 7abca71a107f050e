package io.bpf4j.api.btf;

import java.util.ArrayList;
import java.util.List;

/**
 * One side of a CO-RE relocation: the access string walked through a BTF (the local object's or a
 * candidate target's), as libbpf's {@code bpf_core_parse_spec()} and
 * {@code bpf_core_spec_match()} describe it. For a field: the root type, each step (array index
 * or member), and the field's bit offset; for an enumerator: the enum and the value's index.
 */
final class CoreSpec {
    /** One step: an array index, or a member of a struct or union. */
    record Step(int typeId, int index, String name) {
    }

    final Btf btf;
    final int rootId;
    final List<Step> steps = new ArrayList<>();
    /** The field's bit offset from the root, for field relocations. */
    long bitOffset;
    /** The id of the final field's (or enumerator's) type, unresolved. */
    int fieldTypeId;
    /** The final step's member, or null when the last step is an array index. */
    BtfMember member;

    CoreSpec(Btf btf, int rootId) {
        this.btf = btf;
        this.rootId = rootId;
    }

    static String essential(String name) {
        int i = name.indexOf("___");
        return i > 0 ? name.substring(0, i) : name;
    }

    static int[] access(String accessString) {
        String[] parts = accessString.split(":", -1);
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Integer.parseInt(parts[i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("accessString: \"" + accessString + "\" is not colon-separated indices");
            }
            if (out[i] < 0) throw new IllegalArgumentException("accessString: negative index in \"" + accessString + "\"");
        }
        return out;
    }

    /** The local field spec: every access index applied to the local type. */
    static CoreSpec parseField(Btf btf, int typeId, int[] access) {
        CoreSpec s = new CoreSpec(btf, typeId);
        int t = btf.resolve(typeId);
        s.bitOffset = (long) access[0] * btf.sizeOf(t) * 8;
        s.steps.add(new Step(typeId, access[0], null));
        s.fieldTypeId = typeId;
        for (int i = 1; i < access.length; i++) {
            BtfType bt = btf.type(t);
            if (bt instanceof BtfType.Composite c) {
                if (access[i] >= c.members().size()) {
                    throw new IllegalArgumentException("accessString: member " + access[i] + " of " + describe(bt) + " does not exist");
                }
                BtfMember m = c.members().get(access[i]);
                s.bitOffset += m.bitOffset();
                s.steps.add(new Step(t, access[i], m.name()));
                s.member = m;
                s.fieldTypeId = m.typeId();
                t = btf.resolve(m.typeId());
            } else if (bt instanceof BtfType.Array a) {
                s.bitOffset += (long) access[i] * btf.sizeOf(a.elemTypeId()) * 8;
                s.steps.add(new Step(t, access[i], null));
                s.member = null;
                s.fieldTypeId = a.elemTypeId();
                t = btf.resolve(a.elemTypeId());
            } else {
                throw new IllegalArgumentException("accessString: step " + i + " into " + describe(bt) + ", not a struct, union or array");
            }
        }
        return s;
    }

    static String describe(BtfType t) {
        return t.kind() + " '" + t.name() + "' [" + t.id() + "]";
    }

    /**
     * Matches the local field spec in a candidate root type: named members by name (through
     * anonymous members), array indices within bounds, compatible field types.
     *
     * @return the target spec, or null when the candidate does not have the field
     */
    static CoreSpec matchField(CoreSpec local, Btf target, int rootId) {
        CoreSpec s = new CoreSpec(target, rootId);
        int t = target.resolve(rootId);
        Step first = local.steps.get(0);
        s.bitOffset = (long) first.index() * target.sizeOf(t) * 8;
        s.steps.add(new Step(rootId, first.index(), null));
        s.fieldTypeId = rootId;
        Btf lb = local.btf;
        int lt = lb.resolve(local.rootId);
        for (int i = 1; i < local.steps.size(); i++) {
            Step ls = local.steps.get(i);
            BtfType lbt = lb.type(lt);
            BtfType tbt = target.type(t);
            if (lbt instanceof BtfType.Composite lc) {
                if (!(tbt instanceof BtfType.Composite tc)) return null;
                BtfMember lm = lc.members().get(ls.index());
                if (lm.name().isEmpty()) {
                    // An anonymous member is matched by position only when libbpf would: it is not.
                    return null;
                }
                long[] off = {0};
                BtfMember tm = findMember(target, tc, lm.name(), off, 0);
                if (tm == null) return null;
                if (!fieldsCompatible(lb, lm.typeId(), target, tm.typeId())) return null;
                s.bitOffset += off[0];
                s.steps.add(new Step(t, -1, tm.name()));
                s.member = tm;
                s.fieldTypeId = tm.typeId();
                lt = lb.resolve(lm.typeId());
                t = target.resolve(tm.typeId());
            } else {
                BtfType.Array la = (BtfType.Array) lbt;
                if (!(tbt instanceof BtfType.Array ta)) return null;
                boolean flex = ta.length() == 0 && i == local.steps.size() - 1;
                if (!flex && ls.index() >= ta.length()) return null;
                if (!fieldsCompatible(lb, la.elemTypeId(), target, ta.elemTypeId())) return null;
                s.bitOffset += (long) ls.index() * target.sizeOf(ta.elemTypeId()) * 8;
                s.steps.add(new Step(t, ls.index(), null));
                s.member = null;
                s.fieldTypeId = ta.elemTypeId();
                lt = lb.resolve(la.elemTypeId());
                t = target.resolve(ta.elemTypeId());
            }
        }
        return s;
    }

    /** A member by name, looking inside anonymous struct and union members (their offsets add up). */
    private static BtfMember findMember(Btf btf, BtfType.Composite c, String name, long[] off, int depth) {
        if (depth > 32) return null;
        for (BtfMember m : c.members()) {
            if (m.name().equals(name)) {
                off[0] += m.bitOffset();
                return m;
            }
        }
        for (BtfMember m : c.members()) {
            if (!m.name().isEmpty()) continue;
            BtfType inner = btf.type(btf.resolve(m.typeId()));
            if (inner instanceof BtfType.Composite ic) {
                long[] sub = {0};
                BtfMember found = findMember(btf, ic, name, sub, depth + 1);
                if (found != null) {
                    off[0] += m.bitOffset() + sub[0];
                    return found;
                }
            }
        }
        return null;
    }

    private static boolean anyEnum(BtfType t) {
        return t instanceof BtfType.EnumType;
    }

    /** libbpf's {@code bpf_core_fields_are_compat()}. */
    static boolean fieldsCompatible(Btf lb, int lid, Btf tb, int tid) {
        for (int depth = 0; depth < 32; depth++) {
            BtfType l = lb.type(lb.resolve(lid));
            BtfType t = tb.type(tb.resolve(tid));
            if (l instanceof BtfType.Composite && t instanceof BtfType.Composite) return true;
            if (anyEnum(l) && anyEnum(t)) return namesCompatible(l.name(), t.name());
            if (l.kind() != t.kind()) return false;
            switch (l.kind()) {
                case PTR:
                case FLOAT:
                    return true;
                case FWD:
                    return namesCompatible(l.name(), t.name());
                case INT:
                    return ((BtfType.Int) l).bitOffset() == 0 && ((BtfType.Int) t).bitOffset() == 0;
                case ARRAY:
                    lid = ((BtfType.Array) l).elemTypeId();
                    tid = ((BtfType.Array) t).elemTypeId();
                    continue;
                default:
                    return false;
            }
        }
        return false;
    }

    private static boolean namesCompatible(String a, String b) {
        return a.isEmpty() || b.isEmpty() || essential(a).equals(essential(b));
    }

    /** libbpf's {@code bpf_core_types_are_compat()}: kinds agree down pointers, arrays and prototypes. */
    static boolean typesCompatible(Btf lb, int lid, Btf tb, int tid, int depth) {
        if (depth > 32) return false;
        BtfType l = lb.type(lb.resolve(lid));
        BtfType t = tb.type(tb.resolve(tid));
        if (anyEnum(l) && anyEnum(t)) return true;
        if (l.kind() != t.kind()) return false;
        switch (l.kind()) {
            case PTR:
                return typesCompatible(lb, ((BtfType.Ptr) l).typeId(), tb, ((BtfType.Ptr) t).typeId(), depth + 1);
            case ARRAY:
                return typesCompatible(lb, ((BtfType.Array) l).elemTypeId(), tb, ((BtfType.Array) t).elemTypeId(), depth + 1);
            case FUNC_PROTO: {
                BtfType.FuncProto lp = (BtfType.FuncProto) l;
                BtfType.FuncProto tp = (BtfType.FuncProto) t;
                if (lp.params().size() != tp.params().size()) return false;
                for (int i = 0; i < lp.params().size(); i++) {
                    if (!typesCompatible(lb, lp.params().get(i).typeId(), tb, tp.params().get(i).typeId(), depth + 1)) return false;
                }
                return typesCompatible(lb, lp.returnTypeId(), tb, tp.returnTypeId(), depth + 1);
            }
            default:
                return true;
        }
    }

    /**
     * libbpf's {@code bpf_core_types_match()}, the stricter test of {@code bpf_core_type_matches}:
     * names agree, composites have every local member (by name) with a matching type, enums every
     * local enumerator name, integers the same size and signedness, arrays the same length.
     */
    static boolean typesMatch(Btf lb, int lid, Btf tb, int tid, int depth) {
        if (depth > 32) return false;
        BtfType l = lb.type(lb.resolve(lid));
        BtfType t = tb.type(tb.resolve(tid));
        if (!namesCompatible(l.name(), t.name()) && !(l.name().isEmpty() || t.name().isEmpty())) return false;
        if (anyEnum(l) && anyEnum(t)) {
            for (BtfEnumValue v : ((BtfType.EnumType) l).values()) {
                boolean found = false;
                for (BtfEnumValue w : ((BtfType.EnumType) t).values()) found |= essential(w.name()).equals(essential(v.name()));
                if (!found) return false;
            }
            return true;
        }
        if (l.kind() != t.kind()) return false;
        switch (l.kind()) {
            case INT: {
                BtfType.Int li = (BtfType.Int) l;
                BtfType.Int ti = (BtfType.Int) t;
                return li.size() == ti.size() && li.signed() == ti.signed();
            }
            case FLOAT:
                return ((BtfType.Float) l).size() == ((BtfType.Float) t).size();
            case PTR:
                return typesMatch(lb, ((BtfType.Ptr) l).typeId(), tb, ((BtfType.Ptr) t).typeId(), depth + 1);
            case ARRAY: {
                BtfType.Array la = (BtfType.Array) l;
                BtfType.Array ta = (BtfType.Array) t;
                return la.length() == ta.length() && typesMatch(lb, la.elemTypeId(), tb, ta.elemTypeId(), depth + 1);
            }
            case STRUCT:
            case UNION: {
                BtfType.Composite lc = (BtfType.Composite) l;
                BtfType.Composite tc = (BtfType.Composite) t;
                for (BtfMember lm : lc.members()) {
                    BtfMember tm = null;
                    for (BtfMember m : tc.members()) if (m.name().equals(lm.name())) tm = m;
                    if (tm == null || !typesMatch(lb, lm.typeId(), tb, tm.typeId(), depth + 1)) return false;
                }
                return true;
            }
            case FUNC_PROTO: {
                BtfType.FuncProto lp = (BtfType.FuncProto) l;
                BtfType.FuncProto tp = (BtfType.FuncProto) t;
                if (lp.params().size() != tp.params().size()) return false;
                for (int i = 0; i < lp.params().size(); i++) {
                    if (!typesMatch(lb, lp.params().get(i).typeId(), tb, tp.params().get(i).typeId(), depth + 1)) return false;
                }
                return typesMatch(lb, lp.returnTypeId(), tb, tp.returnTypeId(), depth + 1);
            }
            default:
                return true;
        }
    }
}
