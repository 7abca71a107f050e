package io.bpf4j.api.btf;

/**
 * Following references: resolution through typedefs and qualifiers, sizes and alignments, with
 * libbpf's rules ({@code btf__resolve_type}, {@code btf__resolve_size}, {@code btf__align_of} in
 * {@code tools/lib/bpf/btf.c}). Chains are bounded, so malformed BTF whose references loop
 * throws instead of recursing forever.
 */
final class TypeLayout {
    /** libbpf's {@code MAX_RESOLVE_DEPTH}. */
    static final int MAX_DEPTH = 32;
    /** How deep structs may nest by value before it must be a loop. */
    private static final int MAX_NESTING = 256;

    private TypeLayout() {
    }

    /** Whether a kind is skipped by {@link #resolve}. */
    static boolean isModifier(BtfKind k) {
        return k == BtfKind.TYPEDEF || k == BtfKind.VOLATILE || k == BtfKind.CONST || k == BtfKind.RESTRICT
                || k == BtfKind.TYPE_TAG;
    }

    static int resolve(Btf btf, int id) {
        int cur = id;
        for (int depth = 0; isModifier(btf.kind(cur)); depth++) {
            if (depth == MAX_DEPTH) throw loop(id, "typedefs and qualifiers");
            cur = ((BtfType.Typed) btf.type(cur)).typeId();
        }
        return cur;
    }

    static long sizeOf(Btf btf, int id) {
        long n = 1;
        int cur = id;
        for (int depth = 0; depth <= MAX_DEPTH; depth++) {
            BtfType t = btf.type(cur);
            if (t instanceof BtfType.Sized s) return mul(n, Integer.toUnsignedLong(s.size()), id);
            if (t instanceof BtfType.Ptr) return mul(n, btf.pointerSize(), id);
            if (t instanceof BtfType.Array a) {
                n = mul(n, Integer.toUnsignedLong(a.length()), id);
                cur = a.elemTypeId();
            } else if (t instanceof BtfType.Typed r && t.kind() != BtfKind.FUNC) {
                // typedefs, qualifiers, type tags, variables and declaration tags: their type's size
                cur = r.typeId();
            } else {
                throw new IllegalArgumentException("id: type [" + cur + "] " + t.kind()
                        + (cur == id ? "" : " (under [" + id + "])") + " has no size");
            }
        }
        throw loop(id, "references");
    }

    private static long mul(long a, long b, int id) {
        long r = a * b;
        // libbpf refuses sizes past UINT32_MAX; so does this, which also keeps the product exact.
        if (b != 0 && (r / b != a || r > 0xffff_ffffL)) {
            throw new BtfFormatException("size of type [" + id + "] overflows 32 bits", -1, id);
        }
        return r;
    }

    static int alignOf(Btf btf, int id, int nesting) {
        int cur = id;
        for (int depth = 0; depth <= MAX_DEPTH; depth++) {
            BtfType t = btf.type(cur);
            if (t instanceof BtfType.Int || t instanceof BtfType.EnumType || t instanceof BtfType.Float) {
                return Math.max(1, Math.min(btf.pointerSize(), ((BtfType.Sized) t).size()));
            }
            if (t instanceof BtfType.Ptr) return btf.pointerSize();
            if (t instanceof BtfType.Composite c) return compositeAlign(btf, c, nesting);
            if (t instanceof BtfType.Array a) {
                cur = a.elemTypeId();
            } else if (isModifier(t.kind())) {
                cur = ((BtfType.Typed) t).typeId();
            } else {
                throw new IllegalArgumentException("id: type [" + cur + "] " + t.kind()
                        + (cur == id ? "" : " (under [" + id + "])") + " has no alignment");
            }
        }
        throw loop(id, "references");
    }

    /**
     * The largest member alignment, or 1 when the struct is packed: a member that is no bitfield
     * sits off its alignment, or the size is no multiple of the alignment.
     */
    private static int compositeAlign(Btf btf, BtfType.Composite c, int nesting) {
        if (nesting > MAX_NESTING) throw loop(c.id(), "structs nested by value");
        int max = 1;
        for (BtfMember m : c.members()) {
            int a = alignOf(btf, m.typeId(), nesting + 1);
            if (m.bitfieldSize() == 0 && Integer.toUnsignedLong(m.bitOffset()) % (8L * a) != 0) return 1;
            max = Math.max(max, a);
        }
        return Integer.toUnsignedLong(c.size()) % max != 0 ? 1 : max;
    }

    /** libbpf's {@code determine_ptr_size}: the size of the target's {@code long}. */
    static int pointerSize(Btf btf) {
        for (int id = 1; id < btf.typeCount(); id++) {
            if (btf.kind(id) != BtfKind.INT) continue;
            BtfType.Int t = (BtfType.Int) btf.type(id);
            if (t.size() != 4 && t.size() != 8) continue;
            // libbpf's long_aliases, exactly: CO-RE sizes pointers with this, and must agree with it
            switch (t.name()) {
                case "long", "long int", "int long", "unsigned long", "long unsigned", "unsigned long int",
                        "unsigned int long", "long unsigned int", "long int unsigned", "int unsigned long",
                        "int long unsigned" -> {
                    return t.size();
                }
                default -> {
                }
            }
        }
        return 8;
    }

    static BtfFormatException loop(int id, String what) {
        return new BtfFormatException("following " + what + " from type [" + id + "] does not end (a cycle)", -1, id);
    }
}
