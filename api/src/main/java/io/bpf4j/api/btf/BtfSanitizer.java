package io.bpf4j.api.btf;

import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfException;
import io.bpf4j.api.LoadResult;
import io.bpf4j.api.VerifierException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Rewrites BTF so that a kernel lacking some {@link BtfFeature}s accepts it, the way libbpf's
 * {@code bpf_object__sanitize_btf} does before loading an object's BTF. Type ids stay as they
 * are (one placeholder type may be added at the end), so instructions and records that name ids
 * stay valid:
 *
 * <ul>
 *   <li>without {@link BtfFeature#DATASEC}: a {@code VAR} becomes a one-byte {@code INT} of the
 *       same name, a {@code DATASEC} a {@code STRUCT} of the same size whose members are its
 *       variables (dots in its name become underscores);</li>
 *   <li>with it but without {@link BtfFeature#QMARK_DATASEC}: a leading {@code ?} of a section
 *       name becomes {@code _};</li>
 *   <li>without {@link BtfFeature#DECL_TAG}: a {@code DECL_TAG} becomes a one-byte {@code INT};</li>
 *   <li>without {@link BtfFeature#FUNC}: a {@code FUNC_PROTO} becomes an {@code ENUM} whose values
 *       are its parameters (value: the parameter's type id), a {@code FUNC} a {@code TYPEDEF};</li>
 *   <li>without {@link BtfFeature#FUNC_GLOBAL}: every {@code FUNC} becomes static;</li>
 *   <li>without {@link BtfFeature#FLOAT}: a {@code FLOAT} becomes an anonymous empty {@code STRUCT}
 *       of its size;</li>
 *   <li>without {@link BtfFeature#TYPE_TAG}: a {@code TYPE_TAG} becomes an anonymous {@code CONST};</li>
 *   <li>without {@link BtfFeature#ENUM64}: signed enums become unsigned, and an {@code ENUM64}
 *       becomes a {@code UNION} of its size whose members, named as its values, are of one
 *       added one-byte {@code INT} named {@code enum64_placeholder}.</li>
 * </ul>
 *
 * Tags marked as plain attributes ({@code kind_flag} on {@code DECL_TAG} and {@code TYPE_TAG},
 * Linux 6.14) are left as they are.
 */
public final class BtfSanitizer {
    private BtfSanitizer() {
    }

    /**
     * Rewrites, in place, every type a kernel with only {@code supported} would refuse.
     *
     * @param btf the builder to rewrite, e.g. {@code BtfBuilder.from(objectBtf)}
     * @param supported what the kernel has
     * @return how many types were rewritten (the placeholder added for {@code ENUM64} not counted)
     */
    public static int sanitize(BtfBuilder btf, Set<BtfFeature> supported) {
        Objects.requireNonNull(btf, "btf");
        Objects.requireNonNull(supported, "supported");
        boolean datasec = supported.contains(BtfFeature.DATASEC);
        boolean qmark = supported.contains(BtfFeature.QMARK_DATASEC);
        boolean func = supported.contains(BtfFeature.FUNC);
        boolean global = supported.contains(BtfFeature.FUNC_GLOBAL);
        boolean enum64 = supported.contains(BtfFeature.ENUM64);
        int placeholder = 0;
        int changed = 0;
        int end = btf.nextId();
        for (int id = btf.firstId(); id < end; id++) {
            BtfType t = btf.type(id);
            BtfType r = null;
            if ((!datasec && t instanceof BtfType.Var)
                    || (!supported.contains(BtfFeature.DECL_TAG) && t instanceof BtfType.DeclTag)) {
                // One byte: four could be larger than the variable, which the kernel would refuse.
                r = new BtfType.Int(id, t.name(), 1, 0, 0, 8);
            } else if (!datasec && t instanceof BtfType.Datasec d) {
                List<BtfMember> members = new ArrayList<>(d.vars().size());
                for (BtfVarSecinfo v : d.vars()) members.add(new BtfMember(btf.type(v.typeId()).name(), v.typeId(), v.offset() * 8, 0));
                r = new BtfType.Struct(id, d.name().replace('.', '_'), d.size(), false, members);
            } else if (!qmark && t instanceof BtfType.Datasec d && d.name().startsWith("?")) {
                r = new BtfType.Datasec(id, "_" + d.name().substring(1), d.size(), d.vars());
            } else if (!func && t instanceof BtfType.FuncProto p) {
                List<BtfEnumValue> values = new ArrayList<>(p.params().size());
                for (BtfParam q : p.params()) values.add(new BtfEnumValue(q.name(), Integer.toUnsignedLong(q.typeId())));
                r = new BtfType.Enum(id, p.name(), 4, false, values);
            } else if (!func && t instanceof BtfType.Func f) {
                r = new BtfType.Typedef(id, f.name(), f.typeId());
            } else if (!global && t instanceof BtfType.Func f && f.linkage() != BtfLinkage.STATIC) {
                r = new BtfType.Func(id, f.name(), f.typeId(), BtfLinkage.STATIC);
            } else if (!supported.contains(BtfFeature.FLOAT) && t instanceof BtfType.Float f) {
                // Anonymous: a struct named "float" would clash with the C keyword.
                r = new BtfType.Struct(id, "", f.size(), false, List.of());
            } else if (!supported.contains(BtfFeature.TYPE_TAG) && t instanceof BtfType.TypeTag g) {
                r = new BtfType.Const(id, "", g.typeId());
            } else if (!enum64 && t instanceof BtfType.Enum e && e.signed()) {
                List<BtfEnumValue> values = new ArrayList<>(e.values().size());
                for (BtfEnumValue v : e.values()) values.add(new BtfEnumValue(v.name(), v.value() & 0xffff_ffffL));
                r = new BtfType.Enum(id, e.name(), e.size(), false, values);
            } else if (!enum64 && t instanceof BtfType.Enum64 e) {
                if (placeholder == 0) placeholder = btf.addInt("enum64_placeholder", 1, 0);
                List<BtfMember> members = new ArrayList<>(e.values().size());
                for (BtfEnumValue v : e.values()) members.add(new BtfMember(v.name(), placeholder, 0, 0));
                r = new BtfType.Union(id, e.name(), e.size(), false, members);
            }
            if (r != null) {
                btf.replace(id, r);
                changed++;
            }
        }
        return changed;
    }

    /**
     * Finds which features a kernel has, by loading one tiny BTF blob per feature (as libbpf's
     * feature probes do). A blob the kernel refuses ({@link VerifierException}) means the
     * feature is missing.
     *
     * @param bpf the backend to ask
     * @return the features the kernel accepted
     * @throws BpfException when a probe fails for another reason (no permission, no BTF at all),
     *     which says nothing about the feature
     */
    public static Set<BtfFeature> probe(Bpf bpf) {
        Objects.requireNonNull(bpf, "bpf");
        Set<BtfFeature> found = EnumSet.noneOf(BtfFeature.class);
        for (BtfFeature f : BtfFeature.values()) {
            LoadResult r;
            try {
                r = bpf.btfLoad(probeBlob(f), 0);
            } catch (VerifierException e) {
                continue;
            }
            bpf.closeFd(r.fd());
            found.add(f);
        }
        return found;
    }

    /** The smallest BTF that uses {@code f}, every other type one any BTF-capable kernel has. */
    static byte[] probeBlob(BtfFeature f) {
        BtfBuilder b = new BtfBuilder();
        int i = b.addInt("int", 4, BtfType.Int.SIGNED);
        switch (f) {
            case FUNC, FUNC_GLOBAL -> {
                int proto = b.addFuncProto(i, List.of(new BtfParam("x", i)));
                b.addFunc("f", proto, f == BtfFeature.FUNC ? BtfLinkage.STATIC : BtfLinkage.GLOBAL);
            }
            case DATASEC, QMARK_DATASEC -> {
                int v = b.addVar("x", i, BtfLinkage.GLOBAL);
                b.addDatasec(f == BtfFeature.DATASEC ? ".data" : "?.data", 4, List.of(new BtfVarSecinfo(v, 0, 4)));
            }
            case FLOAT -> b.addFloat("float", 4);
            case DECL_TAG -> {
                int v = b.addVar("x", i, BtfLinkage.GLOBAL);
                b.addDeclTag("tag", v, -1);
            }
            case TYPE_TAG -> b.addPtr(b.addTypeTag("tag", i));
            case ENUM64 -> b.addEnum64("e", 8, false, List.of(new BtfEnumValue("E", 1L << 40)));
            default -> throw new AssertionError(f);
        }
        return b.marshal();
    }
}
