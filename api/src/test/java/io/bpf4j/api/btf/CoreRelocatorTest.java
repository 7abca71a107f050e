package io.bpf4j.api.btf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The CO-RE engine on hand-built local and target BTF (renamed with a flavor, moved, resized
 * and missing fields, enums, ambiguity), with each kind's value worked out by hand from the
 * layouts, and on the clang-compiled {@code core_prog.o}.
 */
class CoreRelocatorTest {
    /** Local: {@code struct s { int a; u32 b; struct { u32 x:3; u32 y:5; } bits; char c[16]; }} and {@code enum colour}. */
    static final class Local {
        final Btf btf;
        final int s;
        final int colour;
        final int intId;

        Local(String structName) {
            BtfBuilder b = new BtfBuilder();
            intId = b.addInt("int", 4, BtfType.Int.SIGNED);
            int u32 = b.addInt("unsigned int", 4, 0);
            int chr = b.addInt("char", 1, BtfType.Int.SIGNED);
            int bits = b.add(new BtfType.Struct(0, "", 4, true, List.of(new BtfMember("x", u32, 0, 3), new BtfMember("y", u32, 3, 5))));
            int arr = b.addArray(chr, intId, 16);
            s = b.addStruct(structName, 28, List.of(new BtfMember("a", intId, 0, 0), new BtfMember("b", u32, 32, 0),
                    new BtfMember("bits", bits, 64, 0), new BtfMember("c", arr, 96, 0)));
            colour = b.addEnum("colour", 4, false, List.of(new BtfEnumValue("RED", 1), new BtfEnumValue("GREEN", 2)));
            btf = b.build();
        }
    }

    /** Target: {@code struct s { long pad; u64 b; int a; struct { u32 pad:7; u32 y:9; } bits; } } (no c), {@code enum colour { GREEN = 5, RED = 1 }}. */
    static Btf movedTarget(String structName) {
        BtfBuilder b = new BtfBuilder();
        int intId = b.addInt("int", 4, BtfType.Int.SIGNED);
        int lng = b.addInt("long", 8, BtfType.Int.SIGNED);
        int u32 = b.addInt("unsigned int", 4, 0);
        int u64 = b.addInt("unsigned long", 8, 0);
        int bits = b.add(new BtfType.Struct(0, "", 4, true, List.of(new BtfMember("pad", u32, 0, 7), new BtfMember("y", u32, 7, 9))));
        b.addStruct(structName, 24, List.of(new BtfMember("pad", lng, 0, 0), new BtfMember("b", u64, 64, 0),
                new BtfMember("a", intId, 128, 0), new BtfMember("bits", bits, 160, 0)));
        b.addEnum("colour", 4, false, List.of(new BtfEnumValue("GREEN", 5), new BtfEnumValue("RED", 1)));
        return b.build();
    }

    static BtfExt.CoreRelo relo(int insn, int type, String access, CoreReloKind kind) {
        return new BtfExt.CoreRelo(insn * 8, type, 0, access, kind);
    }

    @Test
    void movedResizedAndMissingFields() {
        Local l = new Local("s");
        CoreRelocator c = new CoreRelocator(l.btf, movedTarget("s"));
        // a: offset 0 -> 16, 4 bytes either side, signed.
        assertEquals(16, c.resolve(relo(0, l.s, "0:0", CoreReloKind.FIELD_BYTE_OFFSET)).targetValue());
        assertEquals(0, c.resolve(relo(0, l.s, "0:0", CoreReloKind.FIELD_BYTE_OFFSET)).localValue());
        assertEquals(4, c.resolve(relo(0, l.s, "0:0", CoreReloKind.FIELD_BYTE_SIZE)).targetValue());
        assertEquals(1, c.resolve(relo(0, l.s, "0:0", CoreReloKind.FIELD_SIGNED)).targetValue());
        assertEquals(0, c.resolve(relo(0, l.s, "0:1", CoreReloKind.FIELD_SIGNED)).targetValue());
        // b: offset 4 -> 8, resized 4 -> 8 bytes.
        CoreRelocator.Result b = c.resolve(relo(0, l.s, "0:1", CoreReloKind.FIELD_BYTE_OFFSET));
        assertEquals(4, b.localValue());
        assertEquals(8, b.targetValue());
        assertEquals(8, c.resolve(relo(0, l.s, "0:1", CoreReloKind.FIELD_BYTE_SIZE)).targetValue());
        // bits.y: local bits 67..71 (3 + 5), target bits 167..175 (7 + 9) of a 4-byte unit at byte 20.
        assertEquals(8, c.resolve(relo(0, l.s, "0:2:1", CoreReloKind.FIELD_BYTE_OFFSET)).localValue());
        assertEquals(20, c.resolve(relo(0, l.s, "0:2:1", CoreReloKind.FIELD_BYTE_OFFSET)).targetValue());
        assertEquals(4, c.resolve(relo(0, l.s, "0:2:1", CoreReloKind.FIELD_BYTE_SIZE)).targetValue());
        assertEquals(0, c.resolve(relo(0, l.s, "0:2:1", CoreReloKind.FIELD_SIGNED)).targetValue());
        // lshift = 64 - (bit_off + bit_sz - byte_off * 8) = 64 - (167 + 9 - 160) = 48; rshift = 64 - 9.
        assertEquals(48, c.resolve(relo(0, l.s, "0:2:1", CoreReloKind.FIELD_LSHIFT_U64)).targetValue());
        assertEquals(64 - (67 + 5 - 64), c.resolve(relo(0, l.s, "0:2:1", CoreReloKind.FIELD_LSHIFT_U64)).localValue());
        assertEquals(55, c.resolve(relo(0, l.s, "0:2:1", CoreReloKind.FIELD_RSHIFT_U64)).targetValue());
        assertEquals(59, c.resolve(relo(0, l.s, "0:2:1", CoreReloKind.FIELD_RSHIFT_U64)).localValue());
        // c is missing: exists is 0, offset poisons.
        assertEquals(1, c.resolve(relo(0, l.s, "0:0", CoreReloKind.FIELD_EXISTS)).targetValue());
        CoreRelocator.Result gone = c.resolve(relo(0, l.s, "0:3", CoreReloKind.FIELD_EXISTS));
        assertFalse(gone.poison());
        assertEquals(0, gone.targetValue());
        assertTrue(c.resolve(relo(0, l.s, "0:3", CoreReloKind.FIELD_BYTE_OFFSET)).poison());
        // Types: ids, existence, size, match.
        assertEquals(l.s, c.resolve(relo(0, l.s, "0", CoreReloKind.TYPE_ID_LOCAL)).targetValue());
        assertEquals(movedTarget("s").find("s", BtfKind.STRUCT).orElseThrow().id(), c.resolve(relo(0, l.s, "0", CoreReloKind.TYPE_ID_TARGET)).targetValue());
        assertEquals(1, c.resolve(relo(0, l.s, "0", CoreReloKind.TYPE_EXISTS)).targetValue());
        assertEquals(24, c.resolve(relo(0, l.s, "0", CoreReloKind.TYPE_SIZE)).targetValue());
        assertEquals(28, c.resolve(relo(0, l.s, "0", CoreReloKind.TYPE_SIZE)).localValue());
        // c is missing and a changed size: the layouts do not match.
        assertEquals(0, c.resolve(relo(0, l.s, "0", CoreReloKind.TYPE_MATCHES)).targetValue());
        assertEquals(1, new CoreRelocator(l.btf, l.btf).resolve(relo(0, l.s, "0", CoreReloKind.TYPE_MATCHES)).targetValue());
        // Enums: GREEN 2 -> 5; RED present.
        assertEquals(5, c.resolve(relo(0, l.colour, "1", CoreReloKind.ENUMVAL_VALUE)).targetValue());
        assertEquals(2, c.resolve(relo(0, l.colour, "1", CoreReloKind.ENUMVAL_VALUE)).localValue());
        assertEquals(1, c.resolve(relo(0, l.colour, "0", CoreReloKind.ENUMVAL_EXISTS)).targetValue());
    }

    @Test
    void flavorsMissingTypesAndAmbiguity() {
        Local l = new Local("s___v2");
        assertEquals(16, new CoreRelocator(l.btf, movedTarget("s")).resolve(relo(0, l.s, "0:0", CoreReloKind.FIELD_BYTE_OFFSET))
                .targetValue());
        CoreRelocator none = new CoreRelocator(l.btf, movedTarget("other"));
        assertEquals(0, none.resolve(relo(0, l.s, "0", CoreReloKind.TYPE_EXISTS)).targetValue());
        // A type relocation without a target gives 0; only field and enumerator values poison.
        assertFalse(none.resolve(relo(0, l.s, "0", CoreReloKind.TYPE_SIZE)).poison());
        assertEquals(0, none.resolve(relo(0, l.s, "0", CoreReloKind.TYPE_SIZE)).targetValue());
        assertTrue(none.resolve(relo(0, l.s, "0:0", CoreReloKind.FIELD_BYTE_OFFSET)).poison());
        // Two candidates, s and s___old, that put a at different offsets.
        BtfBuilder b = BtfBuilder.from(movedTarget("s"));
        b.addStruct("s___old", 8, List.of(new BtfMember("a", 1, 32, 0)));
        CoreRelocator two = new CoreRelocator(l.btf, b.build());
        CoreRelocationException e = assertThrows(CoreRelocationException.class,
                () -> two.resolve(relo(0, l.s, "0:0", CoreReloKind.FIELD_BYTE_OFFSET)));
        assertTrue(e.getMessage().contains("ambiguous"), e.getMessage());
        // Even existence is ambiguous when the candidates put the field at different offsets.
        assertThrows(CoreRelocationException.class, () -> two.resolve(relo(0, l.s, "0:0", CoreReloKind.FIELD_EXISTS)));
        assertThrows(CoreRelocationException.class, () -> two.resolve(relo(0, l.s, "0:9", CoreReloKind.FIELD_BYTE_OFFSET)));
    }

    static long insn(int code, int dst, int src, int off, int imm) {
        return (code & 0xff) | (long) (dst & 0xf) << 8 | (long) (src & 0xf) << 12 | (long) (off & 0xffff) << 16 | (long) imm << 32;
    }

    @Test
    void instructionsArePatchedLikeLibbpf() {
        Local l = new Local("s");
        CoreRelocator c = new CoreRelocator(l.btf, movedTarget("s"));
        long[] insns = {
            insn(0x61, 2, 1, 4, 0),          // r2 = *(u32 *)(r1 + 4): b
            insn(0xb7, 3, 0, 0, 28),         // r3 = sizeof(struct s)
            insn(0x18, 4, 0, 0, 2), insn(0, 0, 0, 0, 0), // r4 = GREEN (ld_imm64)
            insn(0x61, 5, 1, 0, 0),          // r5 = *(u32 *)(r1 + 0): a
            insn(0x71, 6, 1, 12, 0),         // r6 = *(u8 *)(r1 + 12): c[0], missing
        };
        c.apply(insns, List.of(relo(0, l.s, "0:1", CoreReloKind.FIELD_BYTE_OFFSET), relo(1, l.s, "0", CoreReloKind.TYPE_SIZE),
                relo(2, l.colour, "1", CoreReloKind.ENUMVAL_VALUE), relo(4, l.s, "0:0", CoreReloKind.FIELD_BYTE_OFFSET),
                relo(5, l.s, "0:3:0", CoreReloKind.FIELD_BYTE_OFFSET)));
        // b moved to 8 and grew to 8 bytes: the load becomes a u64 load.
        assertEquals(insn(0x79, 2, 1, 8, 0), insns[0]);
        assertEquals(insn(0xb7, 3, 0, 0, 24), insns[1]);
        assertEquals(insn(0x18, 4, 0, 0, 5), insns[2]);
        assertEquals(insn(0, 0, 0, 0, 0), insns[3]);
        assertEquals(insn(0x61, 5, 1, 16, 0), insns[4]);
        assertEquals(insn(0x85, 0, 0, 0, CoreRelocator.POISON_HELPER), insns[5]);
        assertEquals(0xbad2310, CoreRelocator.POISON_HELPER);
        // a, a signed int, grows to a long in the target: a load of it cannot be widened, so it is poisoned.
        BtfBuilder wide = new BtfBuilder();
        int lng = wide.addInt("long", 8, BtfType.Int.SIGNED);
        wide.addStruct("s", 8, List.of(new BtfMember("a", lng, 0, 0)));
        long[] load = {insn(0x61, 5, 1, 0, 0)};
        new CoreRelocator(l.btf, wide.build()).apply(load, List.of(relo(0, l.s, "0:0", CoreReloKind.FIELD_BYTE_OFFSET)));
        assertEquals(insn(0x85, 0, 0, 0, CoreRelocator.POISON_HELPER), load[0]);
        // An instruction that does not carry the local value is refused.
        long[] wrong = {insn(0x61, 2, 1, 6, 0)};
        assertThrows(CoreRelocationException.class,
                () -> c.apply(wrong, List.of(relo(0, l.s, "0:1", CoreReloKind.FIELD_BYTE_OFFSET))));
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = CoreRelocatorTest.class.getResourceAsStream(name)) {
            if (in == null) throw new IOException("missing test resource " + name);
            return in.readAllBytes();
        }
    }

    static long[] insns(byte[] section) {
        ByteBuffer b = ByteBuffer.wrap(section).order(ByteOrder.LITTLE_ENDIAN);
        long[] out = new long[section.length / 8];
        for (int i = 0; i < out.length; i++) out[i] = b.getLong(i * 8);
        return out;
    }

    @Test
    void aClangObjectAgainstItsOwnBtfIsUnchangedAndAgainstAMovedLayoutIsPatched() throws IOException {
        byte[] elf = resource("core_prog.o");
        Btf btf = Btf.parse(ElfSections.section(elf, ".BTF"));
        BtfExt ext = BtfExt.parse(ElfSections.section(elf, ".BTF.ext"), btf);
        String sec = "tp/sched/sched_switch";
        long[] original = insns(ElfSections.section(elf, sec));
        long[] same = original.clone();
        // Every instruction carries what the local BTF gives, so relocating onto itself changes nothing.
        new CoreRelocator(btf, btf).apply(same, ext.coreRelos(sec));
        assertArrayEquals(original, same);
        // struct task { long pad; int tgid; int pid; ... } with no bits: pid moves to 12, bits.state is gone,
        // the struct is 16 bytes, and enum colour has GREEN = 7.
        BtfBuilder b = new BtfBuilder();
        int intId = b.addInt("int", 4, BtfType.Int.SIGNED);
        int lng = b.addInt("long", 8, BtfType.Int.SIGNED);
        b.addStruct("task", 16, List.of(new BtfMember("pad", lng, 0, 0), new BtfMember("tgid", intId, 64, 0),
                new BtfMember("pid", intId, 96, 0)));
        b.addEnum("colour", 4, false, List.of(new BtfEnumValue("RED", 1), new BtfEnumValue("GREEN", 7)));
        long[] moved = original.clone();
        List<CoreRelocator.Result> rs = new CoreRelocator(btf, b.build()).apply(moved, ext.coreRelos(sec));
        assertEquals(List.of(0L, 12L, 16L, 7L), rs.stream().map(CoreRelocator.Result::targetValue).toList());
        // Only the relocated instructions changed, and each to its new value.
        for (int i = 0; i < original.length; i++) {
            final int at = i;
            boolean relocated = ext.coreRelos(sec).stream().anyMatch(r -> r.insnIndex() == at);
            if (!relocated) assertEquals(original[i], moved[i], "instruction " + i);
        }
        assertEquals(12, (short) (moved[4] >>> 16));
        assertEquals(16, (int) (moved[10] >> 32));
        assertEquals(7, (int) (moved[14] >> 32));
        assertEquals(0, (int) (moved[0] >> 32));
    }
}
