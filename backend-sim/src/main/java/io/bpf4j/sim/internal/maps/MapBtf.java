package io.bpf4j.sim.internal.maps;

import io.bpf4j.api.Errno;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.btf.Btf;
import io.bpf4j.api.btf.BtfMember;
import io.bpf4j.api.btf.BtfType;
import io.bpf4j.sim.internal.kernel.KErr;
import io.bpf4j.sim.internal.kernel.SimBtf;

/**
 * What a map learns from its value's BTF ({@code map_check_btf()} in {@code kernel/bpf/syscall.c},
 * Linux 6.18): where its {@code struct bpf_spin_lock} lies. Only hash and array maps (of the
 * simulated types) may hold one; others are {@code EOPNOTSUPP}, two locks {@code EINVAL}.
 */
final class MapBtf {
    private MapBtf() {
    }

    /**
     * The offset of the value's spin lock.
     *
     * @param b the map's BTF
     * @param s the attributes
     * @return the byte offset, or -1 when the value has none
     */
    static int spinLock(SimBtf b, MapSpec s) {
        if (s.btfValueTypeId() == 0) return -1;
        Btf btf;
        try {
            btf = Btf.parse(b.raw());
        } catch (RuntimeException e) {
            // The blob loaded, so the simulator's parser is the stricter one: no lock found.
            return -1;
        }
        int off = -1;
        try {
            BtfType v = btf.type(btf.resolve(s.btfValueTypeId()));
            if (v instanceof BtfType.Struct st) {
                for (BtfMember m : st.members()) {
                    BtfType t = btf.type(btf.resolve(m.typeId()));
                    if (t instanceof BtfType.Struct ms && "bpf_spin_lock".equals(ms.name())) {
                        if (off >= 0) throw KErr.of(Errno.EINVAL, "more than one bpf_spin_lock");
                        off = m.byteOffset();
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            return -1;
        }
        if (off >= 0 && s.type() != MapType.HASH && s.type() != MapType.ARRAY) {
            throw KErr.of(Errno.EOPNOTSUPP, "bpf_spin_lock in a " + s.type() + " value");
        }
        return off;
    }
}
