package io.bpf4j.api.btf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link BtfBuilder#from(Btf)} followed by {@link BtfBuilder#replace} and
 * {@link BtfBuilder#marshal()} writes a replacement of the same size over the old record in a
 * copy of the blob instead of decoding and encoding every type: the bytes must be those the full
 * encoding makes, whichever way each case goes.
 */
class BtfBuilderInPlaceTest {
    /** An object's global data as clang leaves it: a DATASEC of size 0 with its variables at offset 0. */
    private static Btf object() {
        BtfBuilder b = new BtfBuilder();
        int i = b.addInt("int", 4, BtfType.Int.SIGNED);
        int a = b.addVar("a", i, BtfLinkage.GLOBAL);
        int c = b.addVar("c", i, BtfLinkage.GLOBAL);
        b.addDatasec(".data", 0, List.of(new BtfVarSecinfo(a, 0, 4), new BtfVarSecinfo(c, 0, 4)));
        b.addStruct("pair", 8, List.of(new BtfMember("x", i, 0, 0), new BtfMember("y", i, 32, 0)));
        return Btf.parse(b.marshal());
    }

    private static final int DATASEC = 4;

    /** The full encoding: every type decoded first (types() does), then replaced and encoded. */
    private static byte[] full(Btf btf, ByteOrder order, BtfType... replacements) {
        BtfBuilder b = BtfBuilder.from(btf);
        assertEquals(btf.typeCount() - 1, b.types().size());
        for (BtfType t : replacements) b.replace(t.id(), t);
        return b.marshal(order);
    }

    private static byte[] lazy(Btf btf, ByteOrder order, BtfType... replacements) {
        BtfBuilder b = BtfBuilder.from(btf);
        for (BtfType t : replacements) b.replace(t.id(), t);
        return b.marshal(order);
    }

    @Test
    void aFixedDatasecIsWrittenOverTheOldOne() {
        Btf btf = object();
        BtfType.Datasec fixed = new BtfType.Datasec(DATASEC, ".data", 8, List.of(new BtfVarSecinfo(2, 0, 4),
                new BtfVarSecinfo(3, 4, 4)));
        byte[] out = lazy(btf, ByteOrder.LITTLE_ENDIAN, fixed);
        assertArrayEquals(full(btf, ByteOrder.LITTLE_ENDIAN, fixed), out);
        assertFalse(Arrays.equals(btf.raw(), out), "the DATASEC was not rewritten");
        Btf back = Btf.parse(out);
        assertEquals(fixed, back.type(DATASEC));
        assertEquals(btf.type(5), back.type(5));
    }

    @Test
    void replacementsThatDoNotFitTheRecordAreEncodedInFull() {
        Btf btf = object();
        // One variable more: a longer record.
        BtfType.Datasec longer = new BtfType.Datasec(DATASEC, ".data", 12, List.of(new BtfVarSecinfo(2, 0, 4),
                new BtfVarSecinfo(3, 4, 4), new BtfVarSecinfo(3, 8, 4)));
        assertArrayEquals(full(btf, ByteOrder.LITTLE_ENDIAN, longer), lazy(btf, ByteOrder.LITTLE_ENDIAN, longer));
        assertEquals(longer, Btf.parse(lazy(btf, ByteOrder.LITTLE_ENDIAN, longer)).type(DATASEC));
        // A name the strings lack: the table grows.
        BtfType.Datasec renamed = new BtfType.Datasec(DATASEC, ".data.x", 8, List.of(new BtfVarSecinfo(2, 0, 4),
                new BtfVarSecinfo(3, 4, 4)));
        assertArrayEquals(full(btf, ByteOrder.LITTLE_ENDIAN, renamed), lazy(btf, ByteOrder.LITTLE_ENDIAN, renamed));
        assertEquals(renamed, Btf.parse(lazy(btf, ByteOrder.LITTLE_ENDIAN, renamed)).type(DATASEC));
        // Another byte order.
        BtfType.Datasec fixed = new BtfType.Datasec(DATASEC, ".data", 8, List.of(new BtfVarSecinfo(2, 0, 4),
                new BtfVarSecinfo(3, 4, 4)));
        assertArrayEquals(full(btf, ByteOrder.BIG_ENDIAN, fixed), lazy(btf, ByteOrder.BIG_ENDIAN, fixed));
    }

    @Test
    void aReplacementReferringPastTheLastTypeIsRefusedAsBefore() {
        Btf btf = object();
        BtfType.Datasec dangling = new BtfType.Datasec(DATASEC, ".data", 8, List.of(new BtfVarSecinfo(2, 0, 4),
                new BtfVarSecinfo(99, 4, 4)));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> lazy(btf, ByteOrder.LITTLE_ENDIAN, dangling));
        assertEquals(assertThrows(IllegalStateException.class, () -> full(btf, ByteOrder.LITTLE_ENDIAN, dangling))
                .getMessage(), e.getMessage());
    }

    @Test
    void theBuilderSeesReplacementsBeforeDecodingAndAddsAfterThem() {
        Btf btf = object();
        BtfBuilder b = BtfBuilder.from(btf);
        BtfType.Datasec fixed = new BtfType.Datasec(DATASEC, ".data", 8, List.of(new BtfVarSecinfo(2, 0, 4),
                new BtfVarSecinfo(3, 4, 4)));
        b.replace(DATASEC, fixed);
        assertEquals(fixed, b.type(DATASEC));
        assertEquals(btf.type(1), b.type(1));
        assertEquals(btf.typeCount(), b.nextId());
        int f = b.addFloat("double", 8);
        assertEquals(btf.typeCount(), f);
        Btf back = b.build();
        assertEquals(fixed, back.type(DATASEC));
        assertEquals(BtfKind.FLOAT, back.kind(f));
    }
}
