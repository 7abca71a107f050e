package io.bpf4j.it.btf;

import io.bpf4j.api.btf.Btf;
import io.bpf4j.api.btf.BtfBuilder;
import io.bpf4j.api.btf.BtfEnumValue;
import io.bpf4j.api.btf.BtfMember;
import io.bpf4j.api.btf.BtfType;
import java.util.List;

/**
 * Layouts of core_fields.c's {@code struct core_ctx} for its program {@code ctx_fields}: a target
 * BTF built by hand, the 128 bytes of a {@code struct core_ctx} as that target lays it out (the
 * program's input), and the sixteen answers the relocated program must give. Offsets and values
 * are written here, not read from the BTF, so that what the program reads is checked against what
 * was put where.
 */
final class CtxLayouts {
    /**
     * One layout.
     *
     * @param name what it changes
     * @param btf the target BTF, null for the object's own
     * @param in the program's input
     * @param want the answers; the last (the target and local type ids) is filled in by the test
     * @param ctxId the target's id of {@code struct core_ctx}, or 0 for the object's own
     */
    record Layout(String name, Btf btf, byte[] in, long[] want, int ctxId) {
    }

    private CtxLayouts() {
    }

    private static final long GONE = 0xdead;

    /** The layout of core_fields.c itself, relocated against the object's own BTF. */
    static Layout own() {
        byte[] in = new byte[128];
        putU(in, 0, 4, 0x11223344L); // a
        putU(in, 4, 4, 0xfedcba98L); // b
        putU(in, 8, 4, 3); // in.c
        putU(in, 12, 4, 0x55667788L); // in.d
        for (int i = 0; i < 4; i++) putU(in, 16 + 4 * i, 4, 0x99aabb00L + i); // arr
        putBits(in, 256, 3, 5); // x: 3 bits at byte 32
        putBits(in, 259, 5, -7); // y: 5 signed bits after x
        putU(in, 36, 4, 0x600d); // gone
        putU(in, 40, 2, 0xbeef); // half
        long[] want = {0x11223344L, 0xfedcba98L, 0x55667788L, 0x99aabb02L, 5, -7, -7, 0x600d, 0xbeef, 4, 12, 44, 2, 1, 1, 0};
        return new Layout("own", null, in, want, 0);
    }

    /**
     * Everything moved: b grows to a u64 (the load grows with it), x is a plain byte, y a signed
     * bitfield elsewhere, arr longer, core_inner reordered, gone gone, core_mode renumbered without
     * CORE_MODE_GONE, core_missing missing.
     */
    static Layout moved() {
        BtfBuilder b = new BtfBuilder();
        int u8 = b.addInt("unsigned char", 1, 0);
        int u16 = b.addInt("unsigned short", 2, 0);
        int u32 = b.addInt("unsigned int", 4, 0);
        int s32 = b.addInt("int", 4, BtfType.Int.SIGNED);
        int u64 = b.addInt("unsigned long long", 8, 0);
        int inner = b.addStruct("core_inner", 12, List.of(m("d", u32, 0), m("e", u32, 32), m("c", u32, 64)));
        int arr = b.addArray(u32, u32, 6);
        int ctx = b.addStruct("core_ctx", 64, List.of(m("b", u64, 0), m("half", u16, 64), m("x", u8, 80), m("a", u32, 96),
                m("arr", arr, 128), m("in", inner, 320), new BtfMember("y", s32, 418, 9)));
        b.addEnum("core_mode", 4, false, List.of(new BtfEnumValue("CORE_MODE_A", 10), new BtfEnumValue("CORE_MODE_B", 20)));
        byte[] in = new byte[128];
        putU(in, 0, 8, 0x0102030405060708L);
        putU(in, 8, 2, 0xbeef);
        putU(in, 10, 1, 0xab);
        putU(in, 12, 4, 0x11223344L);
        for (int i = 0; i < 6; i++) putU(in, 16 + 4 * i, 4, 0x99aabb00L + i);
        putU(in, 40, 4, 0x55667788L);
        putU(in, 44, 4, 1);
        putU(in, 48, 4, 2);
        putBits(in, 418, 9, -100);
        long[] want = {0x11223344L, 0x0102030405060708L, 0x55667788L, 0x99aabb02L, 0xab, -100, -100, GONE, 0xbeef, 8, 40, 64, 20,
            0, 0, 0};
        return new Layout("moved", b.build(), in, want, ctx);
    }

    /**
     * Everything narrower: b a u16 and half a u8 (the loads shrink), x and y bitfields of other
     * widths, y across a 4-byte boundary (read with an 8-byte load), core_mode a 64-bit enum with
     * a value past 32 bits, gone and core_missing present.
     */
    static Layout narrow() {
        BtfBuilder b = new BtfBuilder();
        int u8 = b.addInt("unsigned char", 1, 0);
        int u16 = b.addInt("unsigned short", 2, 0);
        int u32 = b.addInt("unsigned int", 4, 0);
        int s32 = b.addInt("int", 4, BtfType.Int.SIGNED);
        int inner = b.addStruct("core_inner", 8, List.of(m("c", u32, 0), m("d", u32, 32)));
        int arr = b.addArray(u32, u32, 3);
        int ctx = b.addStruct("core_ctx", 36, List.of(m("b", u16, 0), m("half", u8, 16), new BtfMember("x", u32, 24, 2),
                new BtfMember("y", s32, 29, 7), m("a", u32, 64), m("in", inner, 96), m("arr", arr, 160), m("gone", u32, 256)));
        b.addEnum64("core_mode", 8, false, List.of(new BtfEnumValue("CORE_MODE_A", 1), new BtfEnumValue("CORE_MODE_B", 1L << 40),
                new BtfEnumValue("CORE_MODE_GONE", 5)));
        b.addStruct("core_missing", 4, List.of(m("z", s32, 0)));
        byte[] in = new byte[128];
        putU(in, 0, 2, 0xcafe);
        putU(in, 2, 1, 0x7f);
        putBits(in, 24, 2, 2);
        putBits(in, 29, 7, -33);
        putU(in, 8, 4, 0x0a0b0c0dL);
        putU(in, 12, 4, 3);
        putU(in, 16, 4, 0x13579bdfL);
        for (int i = 0; i < 3; i++) putU(in, 20 + 4 * i, 4, 0x2468ace0L + i);
        putU(in, 32, 4, 0x600d);
        long[] want = {0x0a0b0c0dL, 0xcafe, 0x13579bdfL, 0x2468ace2L, 2, -33, -33, 0x600d, 0x7f, 2, 16, 36, 1L << 40, 1, 1, 0};
        return new Layout("narrow", b.build(), in, want, ctx);
    }

    private static BtfMember m(String name, int type, int bitOffset) {
        return new BtfMember(name, type, bitOffset, 0);
    }

    /** An unsigned little-endian value of {@code size} bytes at {@code off}. */
    static void putU(byte[] b, int off, int size, long v) {
        for (int i = 0; i < size; i++) b[off + i] = (byte) (v >>> (8 * i));
    }

    /** The low {@code bits} bits of {@code v} at bit {@code bitOff}, bits numbered from the least significant of byte 0. */
    static void putBits(byte[] b, int bitOff, int bits, long v) {
        for (int i = 0; i < bits; i++) {
            int at = bitOff + i;
            if ((v >>> i & 1) != 0) b[at / 8] |= (byte) (1 << (at % 8));
            else b[at / 8] &= (byte) ~(1 << (at % 8));
        }
    }
}
