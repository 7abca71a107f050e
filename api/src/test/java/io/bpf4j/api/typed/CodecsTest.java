package io.bpf4j.api.typed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.btf.Btf;
import io.bpf4j.api.btf.BtfBuilder;
import io.bpf4j.api.btf.BtfMember;
import io.bpf4j.api.btf.BtfType;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Codecs' bytes, worked out by hand from the C layouts they stand for. */
class CodecsTest {
    /** {@code struct { __u8 proto; __u32 addr; __u16 port; __u64 bytes; }}: offsets 0, 4, 8, 16; size 24. */
    public record Flow(int proto, long addr, int port, long bytes) {
    }

    /** {@code struct { __u8 a; struct { __u16 b; __u8 c; } in; }}: offsets 0, 2 (b at 2, c at 4); size 6. */
    public record Inner(int b, int c) {
    }

    /** See {@link Inner}. */
    public record Outer(int a, Inner in) {
    }

    private static <T> String hex(Codec<T> c, T v) {
        byte[] b = new byte[c.size() + 2];
        c.encode(v, b, 1);
        assertEquals(v instanceof byte[] ? null : v, v instanceof byte[] ? null : c.decode(b, 1));
        return HexFormat.of().formatHex(b, 1, 1 + c.size());
    }

    @Test
    void numbersAreLittleEndian() {
        assertEquals("ff", hex(Codecs.u8(), 255));
        assertEquals("3412", hex(Codecs.u16(), 0x1234));
        assertEquals("ffffffff", hex(Codecs.u32(), 0xffffffffL));
        assertEquals("0807060504030201", hex(Codecs.u64(), 0x0102030405060708L));
        assertEquals("feff", hex(Codecs.s16(), (short) -2));
        assertEquals("ffffffffffffffff", hex(Codecs.s64(), -1L));
        assertEquals("0000803f", hex(Codecs.f32(), 1.0f));
        assertEquals("000000000000f03f", hex(Codecs.f64(), 1.0));
        assertEquals("value: 256 does not fit u8", assertThrows(IllegalArgumentException.class,
                () -> Codecs.u8().encode(256, new byte[1], 0)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Codecs.u32().encode(-1L, new byte[4], 0));
        assertThrows(NullPointerException.class, () -> Codecs.u64().encode(null, new byte[8], 0));
    }

    @Test
    void recordsFollowCAlignment() throws Exception {
        Codec<Flow> flow = Codecs.record(Flow.class, Codecs.u8(), Codecs.u32(), Codecs.u16(), Codecs.u64());
        assertEquals(24, flow.size());
        assertEquals(8, flow.alignment());
        assertEquals("06000000" + "0a000001" + "bb010000" + "00000000" + "0100000000000000",
                hex(flow, new Flow(6, 0x0100000aL, 443, 1L)));
        Codec<Outer> outer = Codecs.record(Outer.class, Codecs.u8(), Codecs.record(Inner.class, Codecs.u16(), Codecs.u8()));
        assertEquals(6, outer.size());
        assertEquals("0700" + "0200" + "0300", hex(outer, new Outer(7, new Inner(2, 3))));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Codecs.record(Flow.class, Codecs.u8(), Codecs.u32(), Codecs.u16()));
        assertEquals("components: 3 codecs for the 4 components of Flow", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Codecs.record(Flow.class, Codecs.u8(), Codecs.u8(), Codecs.u16(), Codecs.u64()));
        assertEquals("components: Flow.addr is a long, the codec u8 gives a Integer", e.getMessage());
    }

    @Test
    void addressesAreInNetworkOrder() throws Exception {
        assertEquals("0a000102", hex(Codecs.ipv4(), (java.net.Inet4Address) InetAddress.getByName("10.0.1.2")));
        byte[] mapped = new byte[16];
        mapped[10] = mapped[11] = (byte) 0xff;
        mapped[15] = 1;
        // An IPv4-mapped address stays an Inet6Address.
        assertInstanceOf(Inet6Address.class, Codecs.ipv6().decode(mapped, 0));
        assertEquals("00000000000000000000ffff00000001", hex(Codecs.ipv6(), Codecs.ipv6().decode(mapped, 0)));
        byte[] raw = {1, 2, 3};
        Codec<byte[]> three = Codecs.bytes(3);
        byte[] out = new byte[3];
        three.encode(raw, out, 0);
        assertArrayEquals(raw, three.decode(out, 0));
        assertThrows(IllegalArgumentException.class, () -> three.encode(new byte[4], out, 0));
        assertEquals("18000000" + "0a000000", hex(Codecs.lpm(Codecs.ipv4()), new LpmKey<>(24,
                (java.net.Inet4Address) InetAddress.getByName("10.0.0.0"))));
    }

    @Test
    void btfChecksNameTheField() {
        BtfBuilder b = new BtfBuilder();
        int u8 = b.addInt("__u8", 1, 0);
        int u16 = b.addInt("__u16", 2, 0);
        int u32 = b.addInt("__u32", 4, 0);
        int u64 = b.addInt("__u64", 8, 0);
        int flt = b.addFloat("double", 8);
        int flow = b.addStruct("flow", 24, List.of(new BtfMember("proto", u8, 0, 0), new BtfMember("addr", u32, 32, 0),
                new BtfMember("port", u16, 64, 0), new BtfMember("bytes", u64, 128, 0)));
        int moved = b.addStruct("moved", 24, List.of(new BtfMember("proto", u8, 0, 0), new BtfMember("addr", u32, 64, 0),
                new BtfMember("port", u16, 96, 0), new BtfMember("bytes", u64, 128, 0)));
        int td = b.addTypedef("flow_t", flow);
        Btf btf = b.build();
        Codec<Flow> c = Codecs.record(Flow.class, Codecs.u8(), Codecs.u32(), Codecs.u16(), Codecs.u64());
        c.checkBtf(btf, flow, "key");
        c.checkBtf(btf, td, "key");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.checkBtf(btf, moved, "key"));
        assertEquals("key: field addr is at offset 4, member addr of struct moved at 8", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Codecs.u64().checkBtf(btf, flt, "value"));
        assertTrue(e.getMessage().startsWith("value: the codec u64 is an integer"), e.getMessage());
        Codecs.f64().checkBtf(btf, flt, "value");
        e = assertThrows(IllegalArgumentException.class, () -> Codecs.u32().checkBtf(btf, u64, "value"));
        assertEquals("value: the codec u32 encodes 4 bytes, the map's BTF type __u64 [4] has 8", e.getMessage());
        assertTrue(BtfLayout.resolve(btf, td) instanceof BtfType.Struct);
    }
}
