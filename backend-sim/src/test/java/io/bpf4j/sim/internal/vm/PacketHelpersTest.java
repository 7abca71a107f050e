package io.bpf4j.sim.internal.vm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.asm.TextAssembler;
import org.junit.jupiter.api.Test;

class PacketHelpersTest {
    private static VmProgram load(String text) {
        return new VmLoader().load(TextAssembler.assemble(text));
    }

    private static byte[] packet(int n) {
        byte[] p = new byte[n];
        for (int i = 0; i < n; i++) {
            p[i] = (byte) i;
        }
        return p;
    }

    /** The XDP idiom: bounds-check data + 14 against data_end, then read the packet. */
    private static final String READ_BYTE_13 = String.join("\n",
            "ldxw %r2, [%r1+0]",     // data
            "ldxw %r3, [%r1+4]",     // data_end
            "mov %r4, %r2",
            "add %r4, 14",
            "jgt %r4, %r3, drop",
            "ldxb %r0, [%r2+13]",
            "exit",
            "drop:",
            "mov %r0, -1",
            "exit");

    @Test
    void xdpContextFieldsReadAsPacketPointers() {
        Vm vm = new Vm();
        VmPacket pkt = VmPacket.of(packet(20), 256, 64);
        assertEquals(13, vm.run(load(READ_BYTE_13), vm.packetContext(new byte[24], pkt, PacketLayout.XDP)));
        VmPacket shortPkt = VmPacket.of(packet(10), 256, 64);
        assertEquals(-1, vm.run(load(READ_BYTE_13), vm.packetContext(new byte[24], shortPkt, PacketLayout.XDP)));
        VmException e = assertThrows(VmException.class, () -> vm.run(load("stw [%r1+4], 0\nmov %r0, 0\nexit"),
                vm.packetContext(new byte[24], pkt, PacketLayout.XDP)));
        assertTrue(e.getMessage().contains("packet pointer fields are read-only"), e.getMessage());
        e = assertThrows(VmException.class, () -> vm.run(load("ldxw %r2, [%r1]\nldxb %r0, [%r2+20]\nexit"),
                vm.packetContext(new byte[24], pkt, PacketLayout.XDP)));
        assertTrue(e.getMessage().contains("packet of 20 bytes"), e.getMessage());
    }

    @Test
    void adjustHeadMovesDataAndInvalidatesOldPointers() {
        Vm vm = new Vm();
        VmPacket pkt = VmPacket.of(packet(20), 256, 0);
        // Pop 4 bytes, reload data, return the new first byte.
        String pop = "mov %r6, %r1\nmov %r2, 4\ncall 44\nldxw %r2, [%r6]\nldxb %r0, [%r2]\nexit";
        assertEquals(4, vm.run(load(pop), vm.packetContext(new byte[24], pkt, PacketLayout.XDP)));
        assertEquals(16, pkt.length());
        assertEquals(260, pkt.dataOffset());
        // Growing the head beyond the headroom left for struct xdp_frame fails with -EINVAL.
        String grow = "mov %r2, -300\ncall 44\nexit";
        assertEquals(-22, vm.run(load(grow), vm.packetContext(new byte[24], pkt, PacketLayout.XDP)));
        String stale = "mov %r6, %r1\nldxw %r7, [%r6]\nmov %r1, %r6\nmov %r2, -4\ncall 44\nldxb %r0, [%r7]\nexit";
        VmException e = assertThrows(VmException.class,
                () -> vm.run(load(stale), vm.packetContext(new byte[24], pkt, PacketLayout.XDP)));
        assertTrue(e.getMessage().contains("packet pointer invalidated"), e.getMessage());
    }

    @Test
    void adjustTailGrowsWithZeroesWithinTheBuffer() {
        Vm vm = new Vm();
        VmPacket pkt = VmPacket.of(packet(20), 256, 8);
        pkt.buffer()[pkt.dataOffset() + 20] = 9;
        assertEquals(0, vm.run(load("mov %r2, 8\ncall 65\nexit"), vm.packetContext(new byte[24], pkt,
                PacketLayout.XDP)));
        assertEquals(28, pkt.length());
        assertEquals(0, pkt.bytes()[20]);
        assertEquals(-22, vm.run(load("mov %r2, 1\ncall 65\nexit"), vm.packetContext(new byte[24], pkt,
                PacketLayout.XDP)));
        assertEquals(-22, vm.run(load("mov %r2, -20\ncall 65\nexit"), vm.packetContext(new byte[24], pkt,
                PacketLayout.XDP)), "shorter than an Ethernet header");
    }

    @Test
    void skbLoadAndStoreBytes() {
        Vm vm = new Vm();
        VmPacket pkt = VmPacket.of(packet(32), 0, 0);
        String load = "mov %r2, 10\nmov %r3, %r10\nadd %r3, -4\nmov %r4, 4\ncall 26\njne %r0, 0, +1\n"
                + "ldxw %r0, [%r10-4]\nexit";
        assertEquals(0x0d0c0b0aL, vm.run(load(load), vm.packetContext(new byte[192], pkt, PacketLayout.SKB)));
        String outside = "mov %r2, 30\nmov %r3, %r10\nadd %r3, -4\nmov %r4, 4\ncall 26\nexit";
        assertEquals(-14, vm.run(load(outside), vm.packetContext(new byte[192], pkt, PacketLayout.SKB)));
        String store = "stw [%r10-4], -1\nmov %r2, 0\nmov %r3, %r10\nadd %r3, -4\nmov %r4, 4\nmov %r5, 0\ncall 9\nexit";
        assertEquals(0, vm.run(load(store), vm.packetContext(new byte[192], pkt, PacketLayout.SKB)));
        assertArrayEquals(new byte[] {-1, -1, -1, -1, 4}, java.util.Arrays.copyOf(pkt.bytes(), 5));
        // __sk_buff keeps data at 76 and data_end at 80.
        assertEquals(32, vm.run(load("ldxw %r2, [%r1+76]\nldxw %r3, [%r1+80]\nmov %r0, %r3\nsub %r0, %r2\nexit"),
                vm.packetContext(new byte[192], pkt, PacketLayout.SKB)));
    }

    @Test
    void legacyPacketLoadsAreBigEndianAndReturnZeroWhenOutside() {
        Vm vm = new Vm();
        VmPacket pkt = VmPacket.of(packet(16), 0, 0);
        assertEquals(0x0c0d, vm.run(load("mov %r6, %r1\nldabsh 12\nexit"),
                vm.packetContext(new byte[192], pkt, PacketLayout.SKB)));
        assertEquals(0x0e, vm.run(load("mov %r6, %r1\nmov %r7, 4\nldindb %r7, 10\nexit"),
                vm.packetContext(new byte[192], pkt, PacketLayout.SKB)));
        assertEquals(0, vm.run(load("mov %r6, %r1\nmov %r0, 5\nldabsw 14\nmov %r0, 7\nexit"),
                vm.packetContext(new byte[192], pkt, PacketLayout.SKB)));
    }

    @Test
    void checksumHelpersKeepAnIpv4HeaderValid() {
        // A 20-byte IPv4 header with a correct checksum at offset 10.
        byte[] ip = {0x45, 0, 0, 0x54, 0, 0, 0x40, 0, 0x40, 0x01, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2};
        int sum = ipChecksum(ip);
        ip[10] = (byte) (sum >>> 8);
        ip[11] = (byte) sum;
        VmPacket pkt = VmPacket.of(ip, 0, 0);
        Vm vm = new Vm();
        // Rewrite the TTL/protocol word 0x4001 -> 0x3f01 and fix the checksum with l3_csum_replace.
        // Words are passed as the program reads them: little-endian loads of network-order bytes.
        String prog = "mov %r6, %r1\nstb [%r10-1], 0x3f\nmov %r2, 8\nmov %r3, %r10\nadd %r3, -1\nmov %r4, 1\n"
                + "mov %r5, 0\ncall 9\nmov %r1, %r6\nmov %r2, 10\nmov %r3, 0x0140\nmov %r4, 0x013f\nmov %r5, 2\n"
                + "call 10\nexit";
        assertEquals(0, vm.run(load(prog), vm.packetContext(new byte[192], pkt, PacketLayout.SKB)));
        byte[] out = pkt.bytes();
        assertEquals(0x3f, out[8]);
        assertEquals(0, ipChecksum(out), "the header still sums to 0xffff");
        // csum_diff of a word against itself folds to the seed.
        byte[] words = {1, 2, 3, 4};
        long w = vm.region(words, 0, 4, false);
        long w2 = vm.region(words.clone(), 0, 4, false);
        long diff = vm.run(load("mov %r3, %r2\nmov %r2, 4\nmov %r4, 4\nmov %r5, 0\ncall 28\nexit"), w, w2);
        assertEquals(0xffff, PacketHelpers.fold(diff), "x + ~x is negative zero in one's complement");
    }

    private static int ipChecksum(byte[] h) {
        long s = 0;
        for (int i = 0; i < 20; i += 2) {
            s += (h[i] & 0xff) << 8 | (h[i + 1] & 0xff);
        }
        while (s >>> 16 != 0) {
            s = (s & 0xffff) + (s >>> 16);
        }
        return (int) ~s & 0xffff;
    }
}
