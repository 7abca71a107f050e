package io.bpf4j.api.btf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Each way BTF bytes can be wrong, rejected with a message that says what and where. */
class BtfBadInputTest {

    private static BtfFormatException bad(byte[] blob, String fragment) {
        BtfFormatException e = assertThrows(BtfFormatException.class, () -> Btf.parse(blob));
        assertTrue(e.getMessage().contains(fragment), () -> "message \"" + e.getMessage() + "\" lacks \"" + fragment + "\"");
        return e;
    }

    /** A valid blob of one INT and one more type written by {@code more}. */
    private static byte[] blob(Consumer<HandBlob> more) {
        HandBlob h = new HandBlob();
        h.type(h.str("int"), 1, false, 0, 4, 1 << 24 | 32);
        more.accept(h);
        return h.bytes();
    }

    private static byte[] patch(byte[] b, int at, int word) {
        byte[] c = b.clone();
        ByteBuffer.wrap(c).order(ByteOrder.LITTLE_ENDIAN).putInt(at, word);
        return c;
    }

    @Test
    void header() {
        byte[] ok = blob(h -> { });
        Btf.parse(ok);
        bad(Arrays.copyOf(ok, 10), "shorter than the 24-byte header");
        byte[] magic = ok.clone();
        magic[0] = 0x12;
        assertEquals(0, bad(magic, "magic 0x").offset());
        byte[] version = ok.clone();
        version[2] = 2;
        bad(version, "version 2");
        byte[] flags = ok.clone();
        flags[3] = 1;
        bad(flags, "flags 0x1");
        bad(patch(ok, 4, 8), "hdr_len 8");
        bad(patch(ok, 4, 1 << 20), "hdr_len 1048576");
        bad(patch(ok, 12, 1 << 20), "type section [0, +1048576) runs past");
        bad(patch(ok, 20, 1 << 20), "string section");
        bad(patch(patch(ok, 8, 2), 12, 12), "not a multiple of 4");
        bad(patch(ok, 16, 0), "overlap");
    }

    @Test
    void longerHeaderMustBeZeroPastTheKnownFields() {
        byte[] ok = blob(h -> { });
        // The same blob with a 28-byte header: four more bytes, shifting the sections.
        byte[] longer = new byte[ok.length + 4];
        System.arraycopy(ok, 0, longer, 0, 24);
        System.arraycopy(ok, 24, longer, 28, ok.length - 24);
        longer = patch(longer, 4, 28);
        assertEquals(2, Btf.parse(longer).typeCount());
        longer[26] = 7;
        assertEquals(26, bad(longer, "unknown non-zero bytes").offset());
    }

    @Test
    void strings() {
        byte[] ok = blob(h -> { });
        int strStart = 24 + 16;
        byte[] lead = ok.clone();
        lead[strStart] = 'x';
        bad(lead, "must start with the empty string");
        byte[] tail = ok.clone();
        tail[tail.length - 1] = 'x';
        assertEquals(tail.length - 1, bad(tail, "does not end with NUL").offset());
        BtfFormatException e = bad(patch(ok, 24, 1000), "name offset 1000 is past the strings' 5 bytes");
        assertEquals(1, e.typeId());
        assertEquals(24, e.offset());
    }

    @Test
    void typeRecords() {
        bad(blob(h -> h.type(0, 0, false, 0, 0)), "unknown kind 0");
        bad(blob(h -> h.type(0, 20, false, 0, 0)), "unknown kind 20");
        bad(blob(h -> h.words(0, 2 << 24 | 1 << 16, 1)), "sets reserved bits");
        bad(blob(h -> h.type(0, 2, false, 1, 1)), "PTR has vlen 1");
        bad(blob(h -> h.type(0, 2, true, 0, 1)), "PTR sets kind_flag");
        bad(blob(h -> h.type(0, 1, false, 0, 4, 1 << 12)), "INT data 0x1000 sets reserved bits");
        bad(blob(h -> h.type(0, 1, false, 0, 4, 3 << 24 | 32)), "INT encoding 3");
        bad(blob(h -> h.type(0, 3, false, 0, 4, 1, 1, 2)), "size_type is 4, must be 0");
        bad(blob(h -> h.type(h.str("f"), 7, false, 0, 1)), "size_type is 1");
        bad(blob(h -> h.type(h.str("f"), 12, false, 3, 1)), "FUNC linkage 3");
        bad(blob(h -> h.type(h.str("f"), 12, true, 0, 1)), "FUNC sets kind_flag");
        bad(blob(h -> h.type(h.str("v"), 14, false, 0, 1, 7)), "VAR linkage 7");
        bad(blob(h -> h.type(h.str("t"), 17, false, 0, 1, -2)), "component_idx -2 < -1");
        bad(blob(h -> h.type(0, 13, true, 0, 1)), "FUNC_PROTO sets kind_flag");
        bad(blob(h -> h.type(h.str("s"), 15, true, 0, 1)), "DATASEC sets kind_flag");
    }

    @Test
    void recordsCutShort() {
        // A struct that claims 3 members and has 1: the members would run past the section.
        BtfFormatException e = bad(blob(h -> h.type(h.str("s"), 4, false, 3, 4, h.str("m"), 1, 0)),
                "record needs 36 bytes after its header, the type section has 12");
        assertEquals(2, e.typeId());
        bad(blob(h -> h.words(0)), "cut short by the end of the type section");
        bad(blob(h -> h.type(h.str("s"), 4, false, 0xffff, 4)), "record needs 786420 bytes");
        bad(blob(h -> h.type(h.str("e"), 19, false, 2, 8, h.str("A"), 1)), "record needs 24 bytes");
    }

    @Test
    void referencesPastTheLastType() {
        BtfFormatException e = bad(blob(h -> h.type(0, 2, false, 0, 3)), "refers to type 3, the last type is 2");
        assertEquals(2, e.typeId());
        assertEquals(24 + 16 + 8, e.offset());
        bad(blob(h -> h.type(h.str("s"), 4, false, 2, 8, h.str("a"), 1, 0, h.str("b"), -1, 32)), "refers to type 4294967295");
        bad(blob(h -> h.type(0, 13, false, 1, 1, 0, 99)), "refers to type 99");
        bad(blob(h -> h.type(0, 3, false, 0, 0, 1, 50, 2)), "refers to type 50");
        bad(blob(h -> h.type(h.str("d"), 15, false, 1, 4, 77, 0, 4)), "refers to type 77");
        // A member name past the strings is found too, not only the type's name.
        bad(blob(h -> h.type(h.str("s"), 4, false, 1, 4, 4096, 1, 0)), "name offset 4096");
    }

    @Test
    void cyclesAreFoundWhereReferencesAreFollowed() {
        HandBlob h = new HandBlob();
        h.type(h.str("a"), 8, false, 0, 2);
        h.type(h.str("b"), 8, false, 0, 1);
        h.type(0, 3, false, 0, 0, 4, 1, 2);
        h.type(0, 3, false, 0, 0, 3, 1, 2);
        h.type(h.str("s"), 4, false, 1, 4, h.str("m"), 1, 0);
        h.type(h.str("t"), 4, false, 1, 4, h.str("n"), 7, 0);
        h.type(h.str("u"), 4, false, 1, 4, h.str("o"), 6, 0);
        Btf btf = Btf.parse(h.bytes());
        BtfFormatException e = assertThrows(BtfFormatException.class, () -> btf.resolve(1));
        assertTrue(e.getMessage().contains("does not end (a cycle)"), e.getMessage());
        assertEquals(1, e.typeId());
        assertThrows(BtfFormatException.class, () -> btf.sizeOf(1));
        assertThrows(BtfFormatException.class, () -> btf.sizeOf(3));
        assertThrows(BtfFormatException.class, () -> btf.alignOf(3));
        assertThrows(BtfFormatException.class, () -> btf.alignOf(6));
        // A typedef is printed by name, so printing one does not follow the loop...
        assertEquals("typedef b a;", BtfDump.c(btf, 1));
        // ... but arrays are written out, and a member's type is followed to see if it is a bitfield.
        assertThrows(BtfFormatException.class, () -> BtfDump.c(btf, 3));
        assertThrows(BtfFormatException.class, () -> BtfDump.c(btf, 5));
        assertEquals(4, btf.sizeOf(5), "a struct's own size needs no references");
    }

    @Test
    void callerMistakesAreIllegalArguments() {
        Btf btf = Btf.parse(blob(h -> { }));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> btf.type(2));
        assertTrue(e.getMessage().startsWith("id: 2 is not a type id (0 to 1)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> btf.type(-1));
        assertThrows(IllegalArgumentException.class, () -> btf.string(99));
        assertThrows(IllegalArgumentException.class, () -> btf.sizeOf(0));
        assertThrows(NullPointerException.class, () -> Btf.parse(null));
        assertThrows(IllegalArgumentException.class, () -> new BtfMember("m", 1, 0, 256));
        assertThrows(IllegalArgumentException.class,
                () -> new BtfType.Struct(1, "s", 4, false, List.of(new BtfMember("m", 1, 0, 3))));
        assertThrows(IllegalArgumentException.class,
                () -> new BtfType.Struct(1, "s", 4, true, List.of(new BtfMember("m", 1, 1 << 24, 3))));
        assertThrows(IllegalArgumentException.class, () -> new BtfType.Enum(1, "e", 4, false, List.of(new BtfEnumValue("A", -1))));
        assertThrows(IllegalArgumentException.class, () -> new BtfType.Enum(1, "e", 4, true, List.of(new BtfEnumValue("A", 1L << 31))));
        assertThrows(IllegalArgumentException.class, () -> new BtfType.Int(1, "i", 4, 16, 0, 32));
        BtfBuilder b = new BtfBuilder();
        b.addPtr(5);
        IllegalStateException s = assertThrows(IllegalStateException.class, b::marshal);
        assertTrue(s.getMessage().contains("refers to type 5, the last type is 1"), s.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new BtfBuilder().addString("a\0b"));
        assertThrows(IllegalArgumentException.class, () -> new BtfBuilder().add(new BtfType.Void()));
    }
}
