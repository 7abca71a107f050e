package io.bpf4j.api.btf;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The CO-RE relocation engine: resolves a program's {@code core_relo} records (from
 * {@link BtfExt}) against a target BTF (the running kernel's, or any other, e.g. an older
 * kernel's for testing) and patches the instructions, with libbpf's rules
 * ({@code tools/lib/bpf/relo_core.c}):
 *
 * <ul>
 *   <li>candidates are the target types whose name equals the local type's without its
 *       {@code ___flavor} suffix, of the same kind (any two enums are alike);</li>
 *   <li>a field is found member by member by name, through anonymous members, with compatible
 *       types; array indices must be in bounds (a flexible array's last index is free);</li>
 *   <li>when several candidates match they must give the same value, or the relocation is
 *       ambiguous ({@link CoreRelocationException});</li>
 *   <li>when none matches, the existence kinds ({@code FIELD_EXISTS}, {@code TYPE_EXISTS},
 *       {@code TYPE_MATCHES}, {@code ENUMVAL_EXISTS}) give 0, and every other kind poisons its
 *       instruction: it becomes a call to the helper {@value #POISON_HELPER}
 *       ({@code 0xbad2310}), which the verifier reports as an invalid call at that instruction
 *       if the program can reach it.</li>
 * </ul>
 *
 * <p>Instructions are patched as libbpf patches them: the immediate of an ALU instruction, the
 * offset of a load or store (and its size, when a byte-offset relocation finds an integer field
 * of another size), the 64-bit immediate of {@code ld_imm64}. The instruction must carry the
 * local value the compiler put there, or the relocation is refused.
 */
public final class CoreRelocator {
    /** The helper number of a poisoned instruction: {@code 0xbad2310}. */
    public static final int POISON_HELPER = 195896080;

    private final Btf local;
    private final Btf target;
    private Map<String, List<Integer>> byEssentialName;

    /**
     * An engine for one object's BTF and one target.
     *
     * @param local the object's {@code .BTF}
     * @param target the BTF to relocate against
     */
    public CoreRelocator(Btf local, Btf target) {
        this.local = Objects.requireNonNull(local, "local");
        this.target = Objects.requireNonNull(target, "target");
    }

    /**
     * The outcome of one relocation.
     *
     * @param relo the relocation
     * @param poison true when no target was found and the instruction is poisoned
     * @param localValue the value the compiler computed from the local BTF
     * @param targetValue the value for the target (meaningless when poisoned)
     * @param targetTypeId the matched target type, or 0
     * @param localSize the local field's size, for load and store size adjustment, or 0
     * @param targetSize the target field's size, or 0
     * @param sizeAdjustable whether a load or store of the field may change size (an integer,
     *     enum or pointer of 1, 2, 4 or 8 bytes)
     * @param validate whether the instruction must carry {@code localValue} (not for
     *     bitfields, whose offsets the compiler rounds its own way)
     */
    public record Result(BtfExt.CoreRelo relo, boolean poison, long localValue, long targetValue, int targetTypeId,
            int localSize, int targetSize, boolean sizeAdjustable, boolean validate) {
    }

    /**
     * Resolves every relocation of one section and patches its instructions.
     *
     * @param insns the section's instructions, patched in place
     * @param relos the section's relocations
     * @return the outcomes, in order
     * @throws CoreRelocationException when a relocation cannot be applied
     */
    public List<Result> apply(long[] insns, List<BtfExt.CoreRelo> relos) {
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
        return CoreSpec.typesCompatible(Objects.requireNonNull(local, "local"), localId,
                Objects.requireNonNull(target, "target"), targetId, 0);
    }

    /**
     * Resolves one relocation against the target.
     *
     * @param relo the relocation
     * @return its outcome
     * @throws CoreRelocationException when the access string does not fit the local type or
     *     the candidates disagree
     */
    public Result resolve(BtfExt.CoreRelo relo) {
        Objects.requireNonNull(relo, "relo");
        CoreReloKind kind = relo.kind();
        int[] access = CoreSpec.access(relo.accessString());
        BtfType lt = local.type(relo.typeId());
        if (kind == CoreReloKind.TYPE_ID_LOCAL) {
            return new Result(relo, false, relo.typeId(), relo.typeId(), 0, 0, 0, false, true);
        }
        if (lt.name().isEmpty()) throw fail(relo, "the local type is anonymous; CO-RE needs a named root type");
        CoreSpec ls = null;
        long localValue;
        int localSize = 0;
        boolean validate = true;
        if (isField(kind)) {
            try {
                ls = CoreSpec.parseField(local, relo.typeId(), access);
            } catch (IllegalArgumentException e) {
                throw fail(relo, e.getMessage());
            }
            long[] v = fieldValue(ls, kind);
            localValue = v[0];
            localSize = (int) v[1];
            validate = v[2] == 0;
        } else if (isEnum(kind)) {
            if (!(local.type(local.resolve(relo.typeId())) instanceof BtfType.EnumType e) || access[0] >= e.values().size()) {
                throw fail(relo, "access string " + relo.accessString() + " is not an enumerator of the local type");
            }
            localValue = kind == CoreReloKind.ENUMVAL_EXISTS ? 1 : e.values().get(access[0]).value();
        } else {
            localValue = kind == CoreReloKind.TYPE_SIZE ? local.sizeOf(relo.typeId()) : kind == CoreReloKind.TYPE_ID_TARGET ? relo.typeId() : 1;
        }
        Result found = null;
        for (int cand : candidates(lt)) {
            Result r = candidate(relo, ls, access, cand, localValue, localSize, validate);
            if (r == null) continue;
            if (found != null && (found.targetValue() != r.targetValue() || found.targetSize() != r.targetSize())) {
                throw fail(relo, "ambiguous: candidates [" + found.targetTypeId() + "] and [" + cand + "] give "
                        + found.targetValue() + " and " + r.targetValue());
            }
            if (found == null) found = r;
        }
        if (found != null) return found;
        if (kind == CoreReloKind.FIELD_EXISTS || kind == CoreReloKind.TYPE_EXISTS || kind == CoreReloKind.TYPE_MATCHES
                || kind == CoreReloKind.ENUMVAL_EXISTS) {
            return new Result(relo, false, localValue, 0, 0, 0, 0, false, validate);
        }
        return new Result(relo, true, localValue, 0, 0, localSize, 0, false, validate);
    }

    private Result candidate(BtfExt.CoreRelo relo, CoreSpec ls, int[] access, int cand, long localValue, int localSize,
            boolean validate) {
        CoreReloKind kind = relo.kind();
        if (ls != null) {
            CoreSpec ts = CoreSpec.matchField(ls, target, cand);
            if (ts == null) return null;
            long[] v = fieldValue(ts, kind);
            return new Result(relo, false, localValue, v[0], cand, localSize, (int) v[1], adjustable(ts), validate);
        }
        if (isEnum(kind)) {
            String name = CoreSpec.essential(((BtfType.EnumType) local.type(local.resolve(relo.typeId()))).values()
                    .get(access[0]).name());
            for (BtfEnumValue v : ((BtfType.EnumType) target.type(target.resolve(cand))).values()) {
                if (CoreSpec.essential(v.name()).equals(name)) {
                    return new Result(relo, false, localValue, kind == CoreReloKind.ENUMVAL_EXISTS ? 1 : v.value(), cand, 0, 0,
                            false, validate);
                }
            }
            return null;
        }
        boolean ok = kind == CoreReloKind.TYPE_MATCHES ? CoreSpec.typesMatch(local, relo.typeId(), target, cand, 0)
                : CoreSpec.typesCompatible(local, relo.typeId(), target, cand, 0);
        if (!ok) return null;
        long v = kind == CoreReloKind.TYPE_SIZE ? target.sizeOf(cand) : kind == CoreReloKind.TYPE_ID_TARGET ? cand : 1;
        return new Result(relo, false, localValue, v, cand, 0, 0, false, validate);
    }

    private static boolean isField(CoreReloKind k) {
        return k.number() <= CoreReloKind.FIELD_RSHIFT_U64.number();
    }

    private static boolean isEnum(CoreReloKind k) {
        return k == CoreReloKind.ENUMVAL_EXISTS || k == CoreReloKind.ENUMVAL_VALUE;
    }

    private static boolean adjustable(CoreSpec s) {
        BtfType t = s.btf.type(s.btf.resolve(s.fieldTypeId));
        long size = s.btf.sizeOf(s.fieldTypeId);
        boolean intLike = t instanceof BtfType.Int || t instanceof BtfType.EnumType || t instanceof BtfType.Ptr;
        return intLike && (size == 1 || size == 2 || size == 4 || size == 8);
    }

    /** The target types named like the local one (without flavors), of a compatible kind. */
    private List<Integer> candidates(BtfType lt) {
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
        boolean localEnum = lt instanceof BtfType.EnumType;
        for (int id : byEssentialName.getOrDefault(CoreSpec.essential(lt.name()), List.of())) {
            BtfKind k = target.kind(id);
            boolean targetEnum = k == BtfKind.ENUM || k == BtfKind.ENUM64;
            if (k == lt.kind() || localEnum && targetEnum) out.add(id);
        }
        return out;
    }

    /**
     * libbpf's {@code bpf_core_calc_field_relo()}: the value of a field relocation, the field's
     * byte size (0 for a bitfield) and whether it is a bitfield (1) or not (0).
     */
    private static long[] fieldValue(CoreSpec s, CoreReloKind kind) {
        Btf btf = s.btf;
        long bitOff = s.bitOffset;
        boolean bitfield = s.member != null && s.member.bitfieldSize() > 0;
        long byteSz;
        long byteOff;
        long bitSz;
        int mt = btf.resolve(s.fieldTypeId);
        if (!bitfield) {
            byteSz = btf.sizeOf(s.fieldTypeId);
            bitSz = byteSz * 8;
            byteOff = bitOff / 8;
        } else {
            byteSz = btf.sizeOf(mt);
            bitSz = s.member.bitfieldSize();
            byteOff = bitOff / 8 / byteSz * byteSz;
            while (bitOff + bitSz - byteOff * 8 > byteSz * 8) {
                if (byteSz >= 8) throw new CoreRelocationException("bitfield at bit " + bitOff + " spans more than 8 bytes");
                byteSz *= 2;
                byteOff = bitOff / 8 / byteSz * byteSz;
            }
        }
        long v;
        switch (kind) {
            case FIELD_BYTE_OFFSET:
                v = byteOff;
                break;
            case FIELD_BYTE_SIZE:
                v = byteSz;
                break;
            case FIELD_EXISTS:
                v = 1;
                break;
            case FIELD_SIGNED: {
                BtfType t = btf.type(mt);
                v = t instanceof BtfType.EnumType e ? (e.signed() ? 1 : 0) : t instanceof BtfType.Int i && i.signed() ? 1 : 0;
                break;
            }
            case FIELD_LSHIFT_U64:
                v = btf.byteOrder() == ByteOrder.LITTLE_ENDIAN ? 64 - (bitOff + bitSz - byteOff * 8)
                        : 8 * (8 - byteSz) + (bitOff - byteOff * 8);
                break;
            case FIELD_RSHIFT_U64:
                v = 64 - bitSz;
                break;
            default:
                throw new IllegalStateException(kind.toString());
        }
        return new long[] {v, bitfield ? 0 : byteSz, bitfield ? 1 : 0};
    }

    private static CoreRelocationException fail(BtfExt.CoreRelo r, String why) {
        return new CoreRelocationException("core_relo at insn " + r.insnIndex() + " (" + r.kind() + " of type [" + r.typeId()
                + "] \"" + r.accessString() + "\"): " + why);
    }

    /**
     * Patches one instruction with a relocation's outcome, as libbpf's
     * {@code bpf_core_patch_insn()} does, or poisons it.
     *
     * @param insns the section's instructions
     * @param r the outcome
     * @throws CoreRelocationException when the instruction is not one a relocation can patch,
     *     does not carry the local value, or the value does not fit
     */
    public static void patch(long[] insns, Result r) {
        int i = r.relo().insnIndex();
        if (i < 0 || i >= insns.length) throw fail(r.relo(), "instruction " + i + " is outside the section (" + insns.length + ")");
        long w = insns[i];
        int code = (int) (w & 0xff);
        int cls = code & 7;
        if (r.poison()) {
            insns[i] = 0x85L | ((long) POISON_HELPER << 32);
            return;
        }
        long v = r.targetValue();
        switch (cls) {
            case 4: // BPF_ALU
            case 7: { // BPF_ALU64
                if ((code & 0x08) != 0) throw fail(r.relo(), "ALU instruction does not take an immediate");
                int imm = (int) (w >> 32);
                if (r.validate() && imm != (int) r.localValue()) throw unexpected(r, imm);
                if (v < Integer.MIN_VALUE || v > 0xffffffffL) throw fail(r.relo(), "value " + v + " does not fit an immediate");
                insns[i] = (w & 0xffffffffL) | ((v & 0xffffffffL) << 32);
                return;
            }
            case 1: // BPF_LDX
            case 2: // BPF_ST
            case 3: { // BPF_STX
                int off = (short) (w >>> 16);
                if (r.validate() && off != r.localValue()) throw unexpected(r, off);
                if (v < Short.MIN_VALUE || v > Short.MAX_VALUE) throw fail(r.relo(), "offset " + v + " does not fit 16 bits");
                w = (w & ~0xffff0000L) | ((v & 0xffff) << 16);
                if (r.relo().kind() == CoreReloKind.FIELD_BYTE_OFFSET && r.localSize() != 0 && r.targetSize() != 0
                        && r.localSize() != r.targetSize()) {
                    if (!r.sizeAdjustable()) {
                        throw fail(r.relo(), "the field is " + r.targetSize() + " bytes in the target, " + r.localSize()
                                + " here, and is not an integer the load can be resized for");
                    }
                    if (sizeOf(code) != r.localSize()) {
                        throw fail(r.relo(), "the instruction accesses " + sizeOf(code) + " bytes, the field is " + r.localSize());
                    }
                    w = (w & ~0x18L) | sizeBits(r.targetSize());
                }
                insns[i] = w;
                return;
            }
            case 0: { // BPF_LD
                if (code != 0x18 || i + 1 >= insns.length) throw fail(r.relo(), "not a 64-bit immediate load");
                long imm = (insns[i] >>> 32) | (insns[i + 1] & 0xffffffff00000000L);
                if (r.validate() && imm != r.localValue()) throw unexpected(r, imm);
                insns[i] = (insns[i] & 0xffffffffL) | (v << 32);
                insns[i + 1] = (insns[i + 1] & 0xffffffffL) | (v & 0xffffffff00000000L);
                return;
            }
            default:
                throw fail(r.relo(), "instruction code 0x" + Integer.toHexString(code) + " takes no relocation");
        }
    }

    private static int sizeOf(int code) {
        switch (code & 0x18) {
            case 0x10:
                return 1;
            case 0x08:
                return 2;
            case 0x00:
                return 4;
            default:
                return 8;
        }
    }

    private static long sizeBits(int size) {
        switch (size) {
            case 1:
                return 0x10;
            case 2:
                return 0x08;
            case 4:
                return 0x00;
            default:
                return 0x18;
        }
    }

    private static CoreRelocationException unexpected(Result r, long found) {
        return fail(r.relo(), "the instruction carries " + found + ", the local BTF gives " + r.localValue());
    }
}
