package io.bpf4j.api.btf;

import java.nio.ByteOrder;

/**
 * The values of a CO-RE relocation, as libbpf 1.1's {@code bpf_core_calc_relo()} and its
 * per-kind helpers compute them ({@code tools/lib/bpf/relo_core.c}), for the local spec and a
 * matched target spec (or none). Arithmetic is on unsigned 32 bits where libbpf's is, so that
 * the values, and therefore the instructions, are the same bits.
 */
final class CoreValues {
    private CoreValues() {
    }

    /** What {@code bpf_core_calc_field_relo()} gives for one spec. */
    private record Field(long value, int size, int typeId, boolean validate) {
    }

    /**
     * The outcome for the local spec and a target spec; a null target spec is "no candidate
     * matched".
     */
    static CoreRelocator.Result calc(BtfExt.CoreRelo relo, CoreSpec local, CoreSpec target) {
        CoreReloKind kind = relo.kind();
        int targetId = target == null ? 0 : target.rootId;
        if (CoreSpec.isFieldBased(kind)) {
            // The program's loads read in the object's byte order; libbpf takes its host's, the same
            // where the object is loaded on the machine it was built for.
            ByteOrder order = local.btf.byteOrder();
            Field lf = field(kind, local, order);
            if (target == null && kind != CoreReloKind.FIELD_EXISTS) {
                return poisoned(relo, lf.value(), lf.validate());
            }
            Field tf = target == null ? new Field(0, 0, 0, true) : field(kind, target, order);
            boolean refused = false;
            if (lf.size() != tf.size()) {
                // Only an unsigned integer or a pointer reads the same value at another width.
                BtfType lt = CoreSpec.type(local.btf, lf.typeId());
                BtfType tt = CoreSpec.type(target.btf, tf.typeId());
                boolean ptrs = lt instanceof BtfType.Ptr && tt instanceof BtfType.Ptr;
                boolean unsigned = lt instanceof BtfType.Int li && tt instanceof BtfType.Int ti && li.encoding() != BtfType.Int.SIGNED
                        && ti.encoding() != BtfType.Int.SIGNED;
                refused = !ptrs && !unsigned;
            }
            return new CoreRelocator.Result(relo, false, lf.value(), tf.value(), targetId, lf.size(), tf.size(), refused,
                    lf.validate());
        }
        if (CoreSpec.isTypeBased(kind)) {
            long lv = type(kind, local);
            long tv = target == null ? 0 : type(kind, target);
            return new CoreRelocator.Result(relo, false, lv, tv, targetId, 0, 0, false, kind != CoreReloKind.TYPE_ID_TARGET);
        }
        long lv = enumValue(kind, local);
        if (target == null && kind == CoreReloKind.ENUMVAL_VALUE) return poisoned(relo, lv, true);
        long tv = target == null ? 0 : enumValue(kind, target);
        return new CoreRelocator.Result(relo, false, lv, tv, targetId, 0, 0, false, true);
    }

    private static CoreRelocator.Result poisoned(BtfExt.CoreRelo relo, long localValue, boolean validate) {
        return new CoreRelocator.Result(relo, true, localValue, 0, 0, 0, 0, false, validate);
    }

    /** libbpf's {@code bpf_core_calc_field_relo()} for a spec that exists. */
    private static Field field(CoreReloKind kind, CoreSpec s, ByteOrder order) {
        if (kind == CoreReloKind.FIELD_EXISTS) return new Field(1, 0, 0, true);
        Btf btf = s.btf;
        CoreSpec.Accessor acc = s.last();
        if (acc.name() == null) {
            // The field is an array element or the root itself.
            long sz = CoreSpec.size(btf, acc.typeId());
            if (kind == CoreReloKind.FIELD_BYTE_OFFSET) return new Field(s.bitOffset / 8, (int) sz, acc.typeId(), true);
            if (kind == CoreReloKind.FIELD_BYTE_SIZE) return new Field(CoreSpec.u32(sz), 0, 0, true);
            throw new CoreRelocationException(kind + " cannot be applied to an array element");
        }
        BtfType.Composite t = (BtfType.Composite) CoreSpec.type(btf, acc.typeId());
        BtfMember m = t.members().get((int) acc.index());
        int fieldTypeId = CoreSpec.skip(btf, m.typeId());
        BtfType mt = CoreSpec.type(btf, fieldTypeId);
        long bitOff = s.bitOffset;
        long bitSz = m.bitfieldSize();
        boolean bitfield = bitSz > 0;
        long byteSz;
        long byteOff;
        if (bitfield) {
            if (!(mt instanceof BtfType.Sized sized) || sized.size() == 0) {
                throw new CoreRelocationException("bitfield '" + m.name() + "' has a type without size");
            }
            byteSz = Integer.toUnsignedLong(sized.size());
            byteOff = bitOff / 8 / byteSz * byteSz;
            // the smallest load that holds the whole bitfield
            while (bitOff + bitSz - byteOff * 8 > byteSz * 8) {
                if (byteSz >= 8) {
                    throw new CoreRelocationException("bitfield '" + m.name() + "' at bit " + bitOff + " cannot be read with a 64-bit load");
                }
                byteSz *= 2;
                byteOff = bitOff / 8 / byteSz * byteSz;
            }
        } else {
            byteSz = CoreSpec.u32(CoreSpec.size(btf, fieldTypeId));
            byteOff = bitOff / 8;
            bitSz = CoreSpec.u32(byteSz * 8);
        }
        // A bitfield's offset and shifts depend on how the compiler chose to load it.
        boolean validate = !bitfield;
        switch (kind) {
            case FIELD_BYTE_OFFSET:
                return bitfield ? new Field(byteOff, 0, 0, validate) : new Field(byteOff, (int) byteSz, fieldTypeId, validate);
            case FIELD_BYTE_SIZE:
                return new Field(byteSz, 0, 0, validate);
            case FIELD_SIGNED: {
                boolean signed = mt instanceof BtfType.EnumType e ? e.signed() : mt instanceof BtfType.Int i && i.signed();
                return new Field(signed ? 1 : 0, 0, 0, true);
            }
            case FIELD_LSHIFT_U64: {
                long v = order == ByteOrder.LITTLE_ENDIAN ? 64 - (bitOff + bitSz - byteOff * 8)
                        : (8 - byteSz) * 8 + (bitOff - byteOff * 8);
                return new Field(CoreSpec.u32(v), 0, 0, validate);
            }
            case FIELD_RSHIFT_U64:
                return new Field(CoreSpec.u32(64 - bitSz), 0, 0, true);
            default:
                throw new IllegalStateException(kind.toString());
        }
    }

    /** libbpf's {@code bpf_core_calc_type_relo()} for a spec that exists. */
    private static long type(CoreReloKind kind, CoreSpec s) {
        switch (kind) {
            case TYPE_ID_TARGET:
                return s.rootId;
            case TYPE_EXISTS:
            case TYPE_MATCHES:
                return 1;
            case TYPE_SIZE:
                return CoreSpec.size(s.btf, s.rootId);
            default:
                throw new IllegalStateException(kind.toString());
        }
    }

    /**
     * libbpf's {@code bpf_core_calc_enumval_relo()}: a 32-bit enumerator's value is read as a
     * signed 32-bit number and widened, whatever the enum's signedness.
     */
    private static long enumValue(CoreReloKind kind, CoreSpec s) {
        if (kind == CoreReloKind.ENUMVAL_EXISTS) return 1;
        CoreSpec.Accessor a = s.acc.get(0);
        BtfType.EnumType e = (BtfType.EnumType) CoreSpec.type(s.btf, a.typeId());
        long v = e.values().get((int) a.index()).value();
        return e instanceof BtfType.Enum ? (long) (int) v : v;
    }
}
