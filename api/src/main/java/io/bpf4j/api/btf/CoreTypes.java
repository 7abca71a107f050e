package io.bpf4j.api.btf;

import java.util.List;

/**
 * The three ways CO-RE compares a local type with a target's, as libbpf 1.1 does
 * ({@code tools/lib/bpf/relo_core.c}): {@code bpf_core_fields_are_compat()} for the type of a
 * field found by name, {@code __bpf_core_types_are_compat()} for type existence, size and id, and
 * {@code __bpf_core_types_match()} for {@code bpf_core_type_matches}. Typedefs and qualifiers are
 * skipped on both sides. Where libbpf gives up with an error (nesting too deep) so does this,
 * with a {@link CoreRelocationException}.
 */
final class CoreTypes {
    /** libbpf's recursion limit for these comparisons. */
    private static final int DEPTH = 32;

    private CoreTypes() {
    }

    private static boolean anyEnum(BtfType t) {
        return t instanceof BtfType.EnumType;
    }

    /** libbpf's {@code btf_kind_core_compat()}: the same kind, or two enums of any width. */
    static boolean kindCompatible(BtfType a, BtfType b) {
        return a.kind() == b.kind() || anyEnum(a) && anyEnum(b);
    }

    private static boolean composite(BtfType t) {
        return t instanceof BtfType.Composite;
    }

    /** Names equal without flavors, or one of them anonymous. */
    private static boolean namesCompatible(String a, String b) {
        return a.isEmpty() || b.isEmpty() || CoreSpec.sameEssential(a, b);
    }

    private static CoreRelocationException tooDeep(int lid, int tid) {
        return new CoreRelocationException("comparing local type [" + lid + "] with target type [" + tid
                + "] nests deeper than " + DEPTH);
    }

    /** libbpf's {@code bpf_core_fields_are_compat()}. */
    static boolean fieldsCompatible(Btf lb, int lid, Btf tb, int tid) {
        for (int depth = 0;; depth++) {
            if (depth > 1024) throw tooDeep(lid, tid); // arrays of arrays only; more is a loop
            lid = CoreSpec.skip(lb, lid);
            tid = CoreSpec.skip(tb, tid);
            BtfType l = CoreSpec.type(lb, lid);
            BtfType t = CoreSpec.type(tb, tid);
            if (composite(l) && composite(t)) return true;
            if (!kindCompatible(l, t)) return false;
            switch (l.kind()) {
                case PTR:
                case FLOAT:
                    return true;
                case FWD:
                case ENUM:
                case ENUM64:
                    return namesCompatible(l.name(), t.name());
                case INT:
                    // bitfield-like integers with an offset are a deprecated encoding CO-RE refuses
                    return ((BtfType.Int) l).bitOffset() == 0 && ((BtfType.Int) t).bitOffset() == 0;
                case ARRAY:
                    lid = ((BtfType.Array) l).elemTypeId();
                    tid = ((BtfType.Array) t).elemTypeId();
                    continue;
                default:
                    return false;
            }
        }
    }

    /** libbpf's {@code bpf_core_types_are_compat()}: for type existence, size and target id. */
    static boolean compatible(Btf lb, int lid, Btf tb, int tid) {
        return compatible(lb, lid, tb, tid, 0);
    }

    private static boolean compatible(Btf lb, int lid, Btf tb, int tid, int level) {
        // libbpf bounds this recursion (through prototypes' parameters) only by INT_MAX; a
        // recursion that deep means the BTF loops.
        if (level > DEPTH * DEPTH) throw tooDeep(lid, tid);
        if (!kindCompatible(CoreSpec.type(lb, lid), CoreSpec.type(tb, tid))) return false;
        for (int depth = DEPTH - 1;; depth--) {
            if (depth < 0) throw tooDeep(lid, tid);
            lid = CoreSpec.skip(lb, lid);
            tid = CoreSpec.skip(tb, tid);
            BtfType l = CoreSpec.type(lb, lid);
            BtfType t = CoreSpec.type(tb, tid);
            if (!kindCompatible(l, t)) return false;
            switch (l.kind()) {
                case VOID:
                case STRUCT:
                case UNION:
                case ENUM:
                case ENUM64:
                case FWD:
                    return true;
                case INT:
                    return ((BtfType.Int) l).bitOffset() == 0 && ((BtfType.Int) t).bitOffset() == 0;
                case PTR:
                    lid = ((BtfType.Ptr) l).typeId();
                    tid = ((BtfType.Ptr) t).typeId();
                    continue;
                case ARRAY:
                    lid = ((BtfType.Array) l).elemTypeId();
                    tid = ((BtfType.Array) t).elemTypeId();
                    continue;
                case FUNC_PROTO: {
                    List<BtfParam> lp = ((BtfType.FuncProto) l).params();
                    List<BtfParam> tp = ((BtfType.FuncProto) t).params();
                    if (lp.size() != tp.size()) return false;
                    for (int i = 0; i < lp.size(); i++) {
                        if (!compatible(lb, CoreSpec.skip(lb, lp.get(i).typeId()), tb, CoreSpec.skip(tb, tp.get(i).typeId()),
                                level + 1)) {
                            return false;
                        }
                    }
                    lid = CoreSpec.skip(lb, ((BtfType.FuncProto) l).returnTypeId());
                    tid = CoreSpec.skip(tb, ((BtfType.FuncProto) t).returnTypeId());
                    continue;
                }
                default:
                    return false;
            }
        }
    }

    /**
     * libbpf's {@code bpf_core_types_match()}, the relation behind {@code bpf_core_type_matches}:
     * names agree (flavors dropped, anonymous matches anything) at every level; kinds agree,
     * except that behind a pointer a struct or union matches a forward declaration of its kind,
     * and any enum matches any enum; integers agree in size and signedness; arrays in length and
     * element; enums in size, with every local enumerator's name in the target; structs and unions
     * have every local member in the target by name with a matching type (behind a pointer, only
     * names and kinds are compared); prototypes agree in parameters and return type.
     */
    static boolean match(Btf lb, int lid, Btf tb, int tid) {
        return match(lb, lid, tb, tid, false, DEPTH);
    }

    private static boolean match(Btf lb, int lid, Btf tb, int tid, boolean behindPtr, int level) {
        if (level <= 0) throw tooDeep(lid, tid);
        for (int depth = DEPTH - 1;; depth--) {
            if (depth < 0) throw tooDeep(lid, tid);
            lid = CoreSpec.skip(lb, lid);
            tid = CoreSpec.skip(tb, tid);
            BtfType l = CoreSpec.type(lb, lid);
            BtfType t = CoreSpec.type(tb, tid);
            if (!namesCompatible(l.name(), t.name())) return false;
            BtfKind lk = l.kind();
            BtfKind tk = t.kind();
            switch (lk) {
                case VOID:
                    return tk == BtfKind.VOID;
                case FWD: {
                    boolean localUnion = ((BtfType.Fwd) l).union();
                    if (lk == tk) return localUnion == ((BtfType.Fwd) t).union();
                    if (!behindPtr) return false;
                    return tk == BtfKind.STRUCT && !localUnion || tk == BtfKind.UNION && localUnion;
                }
                case ENUM:
                case ENUM64:
                    return anyEnum(t) && enumsMatch((BtfType.EnumType) l, (BtfType.EnumType) t);
                case STRUCT:
                case UNION:
                    if (behindPtr) {
                        if (lk == tk) return true;
                        return tk == BtfKind.FWD && (lk == BtfKind.UNION) == ((BtfType.Fwd) t).union();
                    }
                    return lk == tk && compositesMatch(lb, (BtfType.Composite) l, tb, (BtfType.Composite) t, behindPtr, level);
                case INT: {
                    if (tk != BtfKind.INT) return false;
                    BtfType.Int li = (BtfType.Int) l;
                    BtfType.Int ti = (BtfType.Int) t;
                    return li.size() == ti.size() && li.signed() == ti.signed();
                }
                case PTR:
                    if (tk != BtfKind.PTR) return false;
                    behindPtr = true;
                    lid = ((BtfType.Ptr) l).typeId();
                    tid = ((BtfType.Ptr) t).typeId();
                    continue;
                case ARRAY: {
                    if (tk != BtfKind.ARRAY) return false;
                    BtfType.Array la = (BtfType.Array) l;
                    BtfType.Array ta = (BtfType.Array) t;
                    if (la.length() != ta.length()) return false;
                    lid = la.elemTypeId();
                    tid = ta.elemTypeId();
                    continue;
                }
                case FUNC_PROTO: {
                    if (tk != BtfKind.FUNC_PROTO) return false;
                    BtfType.FuncProto lp = (BtfType.FuncProto) l;
                    BtfType.FuncProto tp = (BtfType.FuncProto) t;
                    if (lp.params().size() != tp.params().size()) return false;
                    for (int i = 0; i < lp.params().size(); i++) {
                        if (!match(lb, lp.params().get(i).typeId(), tb, tp.params().get(i).typeId(), behindPtr, level - 1)) {
                            return false;
                        }
                    }
                    lid = lp.returnTypeId();
                    tid = tp.returnTypeId();
                    continue;
                }
                default:
                    return false;
            }
        }
    }

    /** libbpf's {@code bpf_core_enums_match()}. */
    private static boolean enumsMatch(BtfType.EnumType l, BtfType.EnumType t) {
        if (l.size() != t.size()) return false;
        if (l.values().size() > t.values().size()) return false;
        for (BtfEnumValue lv : l.values()) {
            boolean found = false;
            for (BtfEnumValue tv : t.values()) {
                if (namesCompatible(lv.name(), tv.name())) {
                    found = true;
                    break;
                }
            }
            if (!found) return false;
        }
        return true;
    }

    /** libbpf's {@code bpf_core_composites_match()}: a local member matches the first target member whose name and type match. */
    private static boolean compositesMatch(Btf lb, BtfType.Composite l, Btf tb, BtfType.Composite t, boolean behindPtr, int level) {
        if (l.members().size() > t.members().size()) return false;
        for (BtfMember lm : l.members()) {
            boolean found = false;
            for (BtfMember tm : t.members()) {
                if (!namesCompatible(lm.name(), tm.name())) continue;
                if (match(lb, lm.typeId(), tb, tm.typeId(), behindPtr, level - 1)) {
                    found = true;
                    break;
                }
            }
            if (!found) return false;
        }
        return true;
    }
}
