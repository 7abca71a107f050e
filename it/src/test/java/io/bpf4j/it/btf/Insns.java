package io.bpf4j.it.btf;

import io.bpf4j.api.btf.CoreRelocator;

/** Reading {@code struct bpf_insn} words (code 0-7, dst 8-11, src 12-15, off 16-31, imm 32-63) in failure messages. */
final class Insns {
    private Insns() {
    }

    static String show(long w) {
        return String.format("%016x (code 0x%02x dst r%d src r%d off %d imm %d)", w, w & 0xff, (w >>> 8) & 0xf, (w >>> 12) & 0xf,
                (short) (w >>> 16), (int) (w >> 32));
    }

    /** A call to the helper CO-RE poisons with. */
    static boolean poisoned(long w) {
        return (w & 0xffffffffL) == 0x85 && (int) (w >> 32) == CoreRelocator.POISON_HELPER;
    }

    /** The bytes a load or store of this code moves. */
    static int size(int code) {
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
}
