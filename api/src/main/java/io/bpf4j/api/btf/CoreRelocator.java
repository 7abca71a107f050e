package io.bpf4j.api.btf;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The CO-RE relocation engine: resolves a program's {@code core_relo} records (from
 * {@link BtfExt}) against a target BTF (the running kernel's, or any other, e.g. an older
 * kernel's for testing) and patches the instructions, with the rules of libbpf 1.1
 * ({@code tools/lib/bpf/relo_core.c}), against which it is tested instruction for instruction:
 *
 * <ul>
 *   <li>candidates are the target types of the local type's kind (any two enums are alike)
 *       whose names equal its name once the {@code ___flavor} suffixes are dropped;</li>
 *   <li>a field is found accessor by accessor: named members by name, searching anonymous
 *       structs and unions where they stand, with compatible types; array indices in bounds (a
 *       flexible array's are free);</li>
 *   <li>when several candidates match they must put the field at the same bit offset and give
 *       the same value, or the relocation is ambiguous ({@link CoreRelocationException}); the
 *       candidates that matched are then the only ones later relocations of the same local type
 *       consider, so one engine must relocate one object, section by section in {@code .BTF.ext}
 *       order, as libbpf does;</li>
 *   <li>when none matches, the existence kinds give 0, as do {@code TYPE_SIZE} and
 *       {@code TYPE_ID_TARGET}; every other kind poisons its instruction: it becomes a call to
 *       the helper {@value #POISON_HELPER} ({@code 0xbad2310}), which the verifier reports as an
 *       invalid call at that instruction if the program can reach it.</li>
 * </ul>
 *
 * <p>Instructions are patched as libbpf patches them: the immediate of an ALU instruction, the
 * offset of a load or store (and its size, when a byte-offset relocation finds an unsigned
 * integer or a pointer of another size; any other change of size poisons the load), the 64-bit
 * immediate of {@code ld_imm64}. The instruction must carry the local value the compiler put
 * there, or the relocation is refused.
 *
 * <p>An engine is not thread-safe.
 */
public final class CoreRelocator {
    /** The helper number of a poisoned instruction: {@code 0xbad2310}. */
    public static final int POISON_HELPER = 195896080;

    private final Btf local;
    private final Btf target;
    private final Supplier<List<Btf>> modules;
    private List<Btf> moduleList;
    private Map<String, List<Integer>> byEssentialName;
    /** libbpf's candidate cache: per local type, the candidates still in the running. */
    private final Map<Integer, List<Cand>> candidates = new HashMap<>();

    /** A candidate target type and the BTF it is in: the target's, or a module's split on it. */
    private record Cand(Btf btf, int id) {
    }

    /**
     * An engine for one object's BTF and one target.
     *
     * @param local the object's {@code .BTF}
     * @param target the BTF to relocate against
     */
    public CoreRelocator(Btf local, Btf target) {
        this(local, target, List::of);
    }

    /**
     * An engine for one object's BTF and a kernel with modules: as libbpf, a local type with no
     * candidate in {@code target} (vmlinux) is looked for in the modules' own types, module by
     * module in the order given, and a type found in a module is matched against that module's
     * BTF (which sees vmlinux's types too). The modules are asked for only when a type needs them.
     *
     * @param local the object's {@code .BTF}
     * @param target the kernel's BTF
     * @param modules the modules' BTF, each split on {@code target}
     */
    public CoreRelocator(Btf local, Btf target, Supplier<List<Btf>> modules) {
        this.local = Objects.requireNonNull(local, "local");
        this.target = Objects.requireNonNull(target, "target");
        this.modules = Objects.requireNonNull(modules, "modules");
    }

    /**
     * The outcome of one relocation ({@code struct bpf_core_relo_res}).
     *
     * @param relo the relocation
     * @param poison true when the instruction is to be poisoned (no candidate has the field or
     *     enumerator)
     * @param localValue the value the compiler computed from the local BTF, which the instruction
     *     must carry when {@code validate} is set
     * @param targetValue the value for the target (meaningless when poisoned)
     * @param targetTypeId the matched target type, or 0
     * @param localSize the local field's size, for a byte-offset relocation of a field that is no
     *     bitfield, else 0
     * @param targetSize the target field's size, likewise
     * @param resizeRefused whether the sizes differ and a load or store of the field must not be
     *     resized (the field is not an unsigned integer or a pointer on both sides): such a load
     *     or store is poisoned
     * @param validate whether the instruction must carry {@code localValue} (not for bitfield
     *     offsets, which the compiler rounds its own way, nor for type ids)
     */
    public record Result(BtfExt.CoreRelo relo, boolean poison, long localValue, long targetValue, int targetTypeId,
            int localSize, int targetSize, boolean resizeRefused, boolean validate) {
    }

    /**
     * Resolves every relocation of one section and patches its instructions, stopping at the
     * first that fails.
     *
     * @param insns the section's instructions, patched in place
     * @param relos the section's relocations
     * @return the outcomes, in order
     * @throws CoreRelocationException when a relocation cannot be applied
     */
    public List<Result> apply(long[] insns, List<BtfExt.CoreRelo> relos) {
        Objects.requireNonNull(insns, "insns");
        List<Result> out = new ArrayList<>(relos.size());
        for (BtfExt.CoreRelo r : relos) {
            Result res = resolve(r);
            patch(insns, res);
            out.add(res);
        }
        return out;
    }

    /**
     * libbpf's {@code bpf_core_types_are_compat()}: whether a local type may stand for a target
     * one (same kinds under typedefs and qualifiers, any two enums alike, pointers and arrays by
     * their element types, function prototypes parameter by parameter), as the loader checks
     * {@code __ksym} externs against the kernel's variables and kfuncs.
     *
     * @param local the local BTF
     * @param localId the local type
     * @param target the target BTF
     * @param targetId the target type
     * @return true when compatible
     */
    public static boolean typesCompatible(Btf local, int localId, Btf target, int targetId) {
        return CoreTypes.compatible(Objects.requireNonNull(local, "local"), localId,
                Objects.requireNonNull(target, "target"), targetId);
    }

    /**
     * Resolves one relocation against the target (libbpf's {@code bpf_core_calc_relo_insn()}).
     *
     * @param relo the relocation
     * @return its outcome
     * @throws CoreRelocationException when the access string does not fit the local type, the
     *     local type is anonymous, a value cannot be computed (a bitfield no 64-bit load can
     *     read), or the candidates disagree
     */
    public Result resolve(BtfExt.CoreRelo relo) {
        Objects.requireNonNull(relo, "relo");
        try {
            return calcInsn(relo);
        } catch (CoreRelocationException | IllegalArgumentException e) {
            throw fail(relo, e.getMessage());
        }
    }

    private Result calcInsn(BtfExt.CoreRelo relo) {
        CoreReloKind kind = relo.kind();
        int localId = relo.typeId();
        BtfType lt = CoreSpec.type(local, localId);
        List<Cand> cands = null;
        if (kind != CoreReloKind.TYPE_ID_LOCAL) {
            cands = candidates.get(localId);
            if (cands == null) {
                if (lt.name().isEmpty()) throw new CoreRelocationException("the local type is anonymous; CO-RE needs a named type");
                cands = findCandidates(lt);
                candidates.put(localId, cands);
            }
        }
        CoreSpec ls = CoreSpec.parse(local, relo);
        if (kind == CoreReloKind.TYPE_ID_LOCAL) {
            // The id in the instruction may have changed in linking: it is not checked.
            return new Result(relo, false, localId, localId, 0, 0, 0, false, false);
        }
        Result found = null;
        CoreSpec foundSpec = null;
        List<Cand> matched = new ArrayList<>(1);
        for (Cand cand : cands) {
            CoreSpec cs = CoreSpec.match(ls, kind, cand.btf(), cand.id());
            if (cs == null) continue;
            Result r = CoreValues.calc(relo, ls, cs);
            if (found == null) {
                found = r;
                foundSpec = cs;
            } else if (cs.bitOffset != foundSpec.bitOffset) {
                throw new CoreRelocationException("ambiguous: candidates [" + found.targetTypeId() + "] and [" + cand.id()
                        + "] put the field at bit " + foundSpec.bitOffset + " and " + cs.bitOffset);
            } else if (r.poison() != found.poison() || r.targetValue() != found.targetValue()) {
                throw new CoreRelocationException("ambiguous: candidates [" + found.targetTypeId() + "] and [" + cand.id()
                        + "] give " + found.targetValue() + " and " + r.targetValue());
            }
            matched.add(cand);
        }
        if (found == null) return CoreValues.calc(relo, ls, null);
        candidates.put(localId, matched);
        return found;
    }

    /**
     * libbpf's {@code bpf_core_find_cands()}: the target's types in id order, or, when it has
     * none, the modules' own types (not their base's), module after module.
     */
    private List<Cand> findCandidates(BtfType lt) {
        List<Cand> out = new ArrayList<>();
        for (int id : targetCandidates(lt)) out.add(new Cand(target, id));
        if (!out.isEmpty()) return out;
        if (moduleList == null) moduleList = List.copyOf(modules.get());
        String essential = CoreSpec.essential(lt.name());
        for (Btf m : moduleList) {
            for (int id = m.firstId(); id < m.typeCount(); id++) {
                String n = m.name(id);
                if (!n.isEmpty() && CoreSpec.essential(n).equals(essential) && CoreTypes.kindCompatible(m.type(id), lt)) {
                    out.add(new Cand(m, id));
                }
            }
        }
        return out;
    }

    private List<Integer> targetCandidates(BtfType lt) {
        if (byEssentialName == null) {
            Map<String, List<Integer>> m = new HashMap<>();
            for (int id = 1; id < target.typeCount(); id++) {
                String n = target.name(id);
                if (n.isEmpty()) continue;
                m.computeIfAbsent(CoreSpec.essential(n), k -> new ArrayList<>(1)).add(id);
            }
            byEssentialName = m;
        }
        List<Integer> out = new ArrayList<>();
        for (int id : byEssentialName.getOrDefault(CoreSpec.essential(lt.name()), List.of())) {
            if (CoreTypes.kindCompatible(target.type(id), lt)) out.add(id);
        }
        return out;
    }

    static CoreRelocationException fail(BtfExt.CoreRelo r, String why) {
        return new CoreRelocationException("core_relo at insn " + r.insnIndex() + " (" + r.kind() + " of type [" + r.typeId()
                + "] \"" + r.accessString() + "\"): " + why);
    }

    /**
     * Patches one instruction with a relocation's outcome, or poisons it, as libbpf's
     * {@code bpf_core_patch_insn()} does.
     *
     * @param insns the section's instructions
     * @param r the outcome
     * @throws CoreRelocationException when the instruction is not one a relocation can patch,
     *     does not carry the local value, or an offset does not fit 16 bits
     */
    public static void patch(long[] insns, Result r) {
        CorePatch.patch(insns, r);
    }
}
