package io.bpf4j.api.btf;

import java.util.List;

/** Rules the type records share: the wire format's limits on counts and member encodings. */
final class Checks {
    /** {@code BTF_MAX_VLEN}. */
    static final int MAX_VLEN = 0xffff;

    private Checks() {
    }

    /** An immutable copy of {@code list}, at most {@link #MAX_VLEN} long. */
    static <T> List<T> vlen(List<T> list, String what) {
        List<T> copy = List.copyOf(list);
        if (copy.size() > MAX_VLEN) throw new IllegalArgumentException(what + ": " + copy.size() + " > " + MAX_VLEN);
        return copy;
    }

    /**
     * Members as {@code vlen} does, and each encodable: with {@code kind_flag} the bit offset has
     * 24 bits and the bitfield size 8; without it the offset has 32 bits and there is no size.
     */
    static List<BtfMember> members(List<BtfMember> members, boolean kindFlag) {
        List<BtfMember> copy = vlen(members, "members");
        for (int i = 0; i < copy.size(); i++) {
            BtfMember m = copy.get(i);
            if (kindFlag && (m.bitOffset() >>> 24) != 0) {
                throw new IllegalArgumentException("members: [" + i + "] " + m.name() + " bit offset "
                        + Integer.toUnsignedString(m.bitOffset()) + " does not fit 24 bits (kind_flag)");
            }
            if (!kindFlag && m.bitfieldSize() != 0) {
                throw new IllegalArgumentException("members: [" + i + "] " + m.name()
                        + " has a bitfield size, which needs kindFlag");
            }
        }
        return copy;
    }
}
