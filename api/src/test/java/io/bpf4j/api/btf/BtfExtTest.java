package io.bpf4j.api.btf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code .BTF.ext} written by hand from libbpf's layout, in both byte orders and record sizes. */
class BtfExtTest {

    /** An object's BTF: a function, a struct, and the strings the records name. */
    static Btf objectBtf() {
        BtfBuilder b = new BtfBuilder();
        int i = b.addInt("int", 4, BtfType.Int.SIGNED);
        int s = b.addStruct("task", 8, List.of(new BtfMember("pid", i, 0, 0), new BtfMember("tgid", i, 32, 0)));
        int proto = b.addFuncProto(i, List.of(new BtfParam("ctx", b.addPtr(s))));
        b.addFunc("prog", proto, BtfLinkage.GLOBAL);
        b.addFunc("helper", proto, BtfLinkage.STATIC);
        for (String str : List.of(".text", "xdp", "/src/prog.c", "\treturn ctx->pid;", "\treturn 0;", "0:1")) b.addString(str);
        return b.build();
    }

    private static int str(Btf btf, String s) {
        for (int off = 0; off < btf.stringsLength(); off++) {
            if (btf.string(off).equals(s)) return off;
        }
        throw new AssertionError(s);
    }

    /**
     * Two sections of func_info, one of line_info, one of core_relo; func_info records padded to
     * {@code funcRecordSize} bytes with 0xEE, as a newer compiler's longer records would be.
     */
    static byte[] sample(Btf btf, ByteOrder order, int funcRecordSize) {
        int text = str(btf, ".text");
        int xdp = str(btf, "xdp");
        int file = str(btf, "/src/prog.c");
        int line1 = str(btf, "\treturn ctx->pid;");
        int line2 = str(btf, "\treturn 0;");
        int access = str(btf, "0:1");
        Words f = new Words(order);
        f.w(funcRecordSize);
        f.w(text, 2);
        f.w(0, 5).pad(funcRecordSize - 8).w(64, 6).pad(funcRecordSize - 8);
        f.w(xdp, 1);
        f.w(0, 5).pad(funcRecordSize - 8);
        Words l = new Words(order);
        l.w(16);
        l.w(text, 2);
        l.w(0, file, line1, 10 << 10 | 5);
        l.w(8, file, line2, 11 << 10 | 2);
        Words c = new Words(order);
        c.w(16);
        c.w(xdp, 1);
        c.w(16, 2, access, CoreReloKind.FIELD_BYTE_OFFSET.number());
        byte[] fb = f.bytes();
        byte[] lb = l.bytes();
        byte[] cb = c.bytes();
        Words h = new Words(order);
        h.w(32, 0, fb.length, fb.length, lb.length, fb.length + lb.length, cb.length);
        byte[] hb = h.bytes();
        ByteBuffer out = ByteBuffer.allocate(4 + hb.length + fb.length + lb.length + cb.length).order(order);
        out.putShort((short) 0xeb9f).put((byte) 1).put((byte) 0).put(hb).put(fb).put(lb).put(cb);
        return out.array();
    }

    /** 32-bit words in a byte order. */
    private static final class Words {
        private final ByteOrder order;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Words(ByteOrder order) {
            this.order = order;
        }

        Words w(int... words) {
            for (int v : words) out.writeBytes(ByteBuffer.allocate(4).order(order).putInt(v).array());
            return this;
        }

        Words pad(int n) {
            for (int k = 0; k < n; k++) out.write(0xEE);
            return this;
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }

    private static String btfName(BtfExt e) {
        return objectBtf().name(e.funcInfos("xdp").get(0).typeId());
    }

    private static void checkSample(BtfExt e, int funcRecordSize) {
        assertEquals(funcRecordSize, e.funcInfoRecordSize());
        assertEquals(16, e.lineInfoRecordSize());
        assertEquals(16, e.coreReloRecordSize());
        assertEquals(List.of(".text", "xdp"), e.funcInfos().stream().map(BtfExt.Section::name).toList());
        assertEquals(List.of(new BtfExt.FuncInfo(0, 5), new BtfExt.FuncInfo(64, 6)), e.funcInfos(".text"));
        assertEquals(8, e.funcInfos(".text").get(1).insnIndex());
        assertEquals(List.of(new BtfExt.FuncInfo(0, 5)), e.funcInfos("xdp"));
        assertEquals("prog", btfName(e));
        List<BtfExt.LineInfo> lines = e.lineInfos(".text");
        assertEquals(2, lines.size());
        assertEquals("/src/prog.c", lines.get(0).fileName());
        assertEquals("\treturn ctx->pid;", lines.get(0).line());
        assertEquals(10, lines.get(0).lineNumber());
        assertEquals(5, lines.get(0).column());
        assertEquals("\treturn 0;", lines.get(1).line());
        assertEquals(11, lines.get(1).lineNumber());
        assertEquals(1, lines.get(1).insnIndex());
        assertEquals(List.of(), e.lineInfos("xdp"));
        BtfExt.CoreRelo r = e.coreRelos("xdp").get(0);
        assertEquals(new BtfExt.CoreRelo(16, 2, r.accessStrOff(), "0:1", CoreReloKind.FIELD_BYTE_OFFSET), r);
        assertEquals(2, r.insnIndex());
    }

    @Test
    void everyPartInBothByteOrders() {
        Btf btf = objectBtf();
        checkSample(BtfExt.parse(sample(btf, ByteOrder.LITTLE_ENDIAN, 8), btf), 8);
        checkSample(BtfExt.parse(sample(btf, ByteOrder.BIG_ENDIAN, 8), btf), 8);
    }

    @Test
    void longerRecordsAreReadByTheirKnownPrefix() {
        Btf btf = objectBtf();
        checkSample(BtfExt.parse(sample(btf, ByteOrder.LITTLE_ENDIAN, 12), btf), 12);
    }

    @Test
    void aHeaderWithoutTheCoReFieldsHasNoRelocations() {
        Btf btf = objectBtf();
        byte[] full = sample(btf, ByteOrder.LITTLE_ENDIAN, 8);
        // Drop the two CO-RE header words and the CO-RE part: a 24-byte header, as older compilers write.
        ByteBuffer b = ByteBuffer.wrap(full).order(ByteOrder.LITTLE_ENDIAN);
        int coreLen = b.getInt(28);
        byte[] old = new byte[full.length - 8 - coreLen];
        System.arraycopy(full, 0, old, 0, 24);
        System.arraycopy(full, 32, old, 24, old.length - 24);
        ByteBuffer.wrap(old).order(ByteOrder.LITTLE_ENDIAN).putInt(4, 24);
        BtfExt e = BtfExt.parse(old, btf);
        assertEquals(List.of(), e.coreRelos());
        assertEquals(0, e.coreReloRecordSize());
        assertEquals(2, e.funcInfos().size());
        assertEquals(1, e.lineInfos().size());
    }

    private static void bad(byte[] b, Btf btf, String fragment) {
        BtfFormatException e = assertThrows(BtfFormatException.class, () -> BtfExt.parse(b, btf));
        assertTrue(e.getMessage().contains(fragment), () -> e.getMessage() + " lacks " + fragment);
    }

    private static byte[] patch(byte[] b, int at, int v) {
        byte[] c = b.clone();
        ByteBuffer.wrap(c).order(ByteOrder.LITTLE_ENDIAN).putInt(at, v);
        return c;
    }

    @Test
    void malformed() {
        Btf btf = objectBtf();
        byte[] ok = sample(btf, ByteOrder.LITTLE_ENDIAN, 8);
        bad(Arrays.copyOf(ok, 20), btf, "shorter than its 24-byte header");
        byte[] magic = ok.clone();
        magic[1] = 0;
        bad(magic, btf, "magic");
        bad(patch(ok, 4, 12), btf, "hdr_len 12");
        bad(patch(ok, 12, 1 << 20), btf, "func_info [0, +1048576) runs past");
        bad(patch(ok, 32, 4), btf, "func_info record size 4 is below 8");
        bad(patch(ok, 32, 10), btf, "or not a multiple of 4");
        bad(patch(ok, 36, 1 << 20), btf, "string offset 1048576 is past");
        bad(patch(ok, 40, 0), btf, "func_info section has no records");
        bad(patch(ok, 40, 0x10000000), btf, "claims 268435456 records of 8 bytes");
        int coreStart = 32 + ByteBuffer.wrap(ok).order(ByteOrder.LITTLE_ENDIAN).getInt(24);
        bad(patch(ok, coreStart + 12 + 12, 13), btf, "core_relo kind 13 is unknown");
        bad(Arrays.copyOf(ok, ok.length - 4), btf, "runs past");
    }
}
