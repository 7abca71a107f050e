package io.bpf4j.api.typed;

import io.bpf4j.api.btf.Btf;
import io.bpf4j.api.btf.BtfMember;
import io.bpf4j.api.btf.BtfType;
import java.util.List;

/** Compares codecs' layouts with BTF types. */
final class BtfLayout {
    private BtfLayout() {
    }

    /** The type with typedefs, qualifiers and type tags removed. */
    static BtfType resolve(Btf btf, int typeId) {
        return btf.type(btf.resolve(typeId));
    }

    static String describe(Btf btf, int typeId) {
        String n = btf.name(typeId);
        return (n.isEmpty() ? "(anonymous)" : n) + " [" + typeId + "]";
    }

    static void checkSize(Btf btf, int typeId, int size, String what, Object codec) {
        long s;
        try {
            s = btf.sizeOf(typeId);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": the map's BTF type " + describe(btf, typeId) + " has no size", e);
        }
        if (s != size) {
            throw new IllegalArgumentException(what + ": the codec " + codec + " encodes " + size + " bytes, the map's BTF type "
                    + describe(btf, typeId) + " has " + s);
        }
    }

    /** Members at the codec's offsets and sizes, compared in order. */
    static void checkRecord(Btf btf, int typeId, String what, RecordCodec<?> codec) {
        checkSize(btf, typeId, codec.size(), what, codec);
        BtfType t = resolve(btf, typeId);
        if (!(t instanceof BtfType.Struct st)) {
            throw new IllegalArgumentException(what + ": the codec " + codec + " is a record, the map's BTF type "
                    + describe(btf, typeId) + " is no struct");
        }
        List<BtfMember> members = st.members();
        List<RecordCodec.Field> fields = codec.fields();
        if (members.size() != fields.size()) {
            throw new IllegalArgumentException(what + ": the codec " + codec + " has " + fields.size() + " fields, struct "
                    + st.name() + " has " + members.size() + " members");
        }
        for (int i = 0; i < fields.size(); i++) {
            RecordCodec.Field f = fields.get(i);
            BtfMember m = members.get(i);
            long bitOff = m.bitOffset();
            if (m.bitfieldSize() != 0 || bitOff % 8 != 0) {
                throw new IllegalArgumentException(what + ": field " + f.name() + " stands for member " + m.name() + " of struct "
                        + st.name() + ", a bitfield, which a record codec cannot lay out");
            }
            if (bitOff / 8 != f.offset()) {
                throw new IllegalArgumentException(what + ": field " + f.name() + " is at offset " + f.offset() + ", member "
                        + m.name() + " of struct " + st.name() + " at " + bitOff / 8);
            }
            f.codec().checkBtf(btf, m.typeId(), what + " field " + f.name());
        }
    }
}
