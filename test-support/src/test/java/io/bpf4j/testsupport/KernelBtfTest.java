package io.bpf4j.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

/** Type ids by kind and name, on a blob built here and on the running kernel's BTF. */
class KernelBtfTest {
    /** A blob with one type of each record shape the walk must skip correctly. */
    private static byte[] blob() {
        ByteArrayOutputStream strings = new ByteArrayOutputStream();
        strings.write(0);
        int[] off = new int[6];
        String[] names = {"int", "pair", "colour", "f_t", "f", "u32_t"};
        for (int i = 0; i < names.length; i++) {
            off[i] = strings.size();
            strings.writeBytes((names[i] + "\0").getBytes(StandardCharsets.US_ASCII));
        }
        ByteBuffer t = ByteBuffer.allocate(512).order(ByteOrder.LITTLE_ENDIAN);
        t.putInt(off[0]).putInt(1 << 24).putInt(4).putInt(32);                            // [1] INT int
        t.putInt(off[1]).putInt(4 << 24 | 2).putInt(8);                                    // [2] STRUCT pair, 2 members
        t.putInt(off[0]).putInt(1).putInt(0).putInt(off[0]).putInt(1).putInt(32);
        t.putInt(off[2]).putInt(6 << 24 | 3).putInt(4);                                    // [3] ENUM colour, 3 values
        for (int i = 0; i < 3; i++) t.putInt(off[2]).putInt(i);
        t.putInt(0).putInt(13 << 24 | 2).putInt(1);                                        // [4] FUNC_PROTO, 2 params
        t.putInt(0).putInt(1).putInt(0).putInt(1);
        t.putInt(off[3]).putInt(8 << 24).putInt(4);                                        // [5] TYPEDEF f_t
        t.putInt(off[4]).putInt(12 << 24).putInt(4);                                       // [6] FUNC f
        t.putInt(0).putInt(3 << 24).putInt(0).putInt(1).putInt(1).putInt(4);               // [7] ARRAY
        t.putInt(off[5]).putInt(8 << 24).putInt(1);                                        // [8] TYPEDEF u32_t
        int typeLen = t.position();
        byte[] s = strings.toByteArray();
        ByteBuffer b = ByteBuffer.allocate(24 + typeLen + s.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) 0xeB9F).put((byte) 1).put((byte) 0).putInt(24).putInt(0).putInt(typeLen).putInt(typeLen).putInt(s.length);
        b.put(t.array(), 0, typeLen).put(s);
        return b.array();
    }

    @Test
    void walksEveryRecordShape() {
        KernelBtf btf = KernelBtf.parse(blob());
        assertEquals(8, btf.count());
        assertEquals(1, btf.id(KernelBtf.Kind.INT, "int"));
        assertEquals(2, btf.id(KernelBtf.Kind.STRUCT, "pair"));
        assertEquals(3, btf.id(KernelBtf.Kind.ENUM, "colour"));
        assertEquals(5, btf.id(KernelBtf.Kind.TYPEDEF, "f_t"));
        assertEquals(6, btf.id(KernelBtf.Kind.FUNC, "f"));
        assertEquals(8, btf.id(KernelBtf.Kind.TYPEDEF, "u32_t"), "after an ARRAY record");
        NoSuchElementException e = assertThrows(NoSuchElementException.class, () -> btf.id(KernelBtf.Kind.FUNC, "int"));
        assertEquals("no FUNC int in this BTF", e.getMessage());
    }

    @Test
    void refusesWhatIsNotBtf() {
        byte[] b = blob();
        b[0] = 0;
        assertThrows(IllegalArgumentException.class, () -> KernelBtf.parse(b));
        byte[] cut = blob();
        cut[12] = (byte) (cut[12] - 4); // type section 4 bytes short: the last record runs past it
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KernelBtf.parse(cut));
        assertTrue(e.getMessage().contains("past its section"), e.getMessage());
    }

    @Test
    void findsTheKernelsOwnTypes() {
        Need.linux();
        KernelBtf k = KernelBtf.vmlinux();
        assertTrue(k.count() > 10_000, "vmlinux has " + k.count() + " types");
        int trace = k.id(KernelBtf.Kind.TYPEDEF, "btf_trace_sys_enter");
        int iter = k.id(KernelBtf.Kind.FUNC, "bpf_iter_bpf_map");
        assertTrue(trace > 0 && trace <= k.count() && iter > 0 && iter <= k.count() && trace != iter);
        assertThrows(NoSuchElementException.class, () -> k.id(KernelBtf.Kind.STRUCT, "btf_trace_sys_enter"));
    }
}
