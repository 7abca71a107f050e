package io.bpf4j.linux.internal.uapi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.AttachType;
import io.bpf4j.api.BtfInfo;
import io.bpf4j.api.LinkDetails;
import io.bpf4j.api.LinkInfo;
import io.bpf4j.api.LinkType;
import io.bpf4j.api.MapInfo;
import io.bpf4j.api.MapType;
import io.bpf4j.api.ProgramInfo;
import io.bpf4j.api.ProgramType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Decoders of the info structs, on buffers laid out as Linux 6.18 fills them. */
class InfoDecodeTest {

    private static void name(ByteBuffer b, int at, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < bytes.length; i++) b.put(at + i, bytes[i]);
    }

    @Test
    void mapInfo() {
        ByteBuffer b = BpfAttr.allocateDirect(Infos.MAP_INFO_SIZE);
        b.putInt(0, 11).putInt(4, 42).putInt(8, 8).putInt(12, 4).putInt(16, 100).putInt(20, 1);
        name(b, 24, "trie");
        b.putInt(40, 3).putInt(64, 7).putInt(68, 1).putInt(72, 2).putLong(80, 9);
        assertEquals(new MapInfo(MapType.LPM_TRIE, 11, 42, 8, 4, 100, 1, "trie", 3, 7, 1, 2, 9), Infos.map(b));
        b.putInt(0, 999);
        assertEquals(MapType.UNSPEC, Infos.map(b).type());
        assertEquals(999, Infos.map(b).rawType());
    }

    @Test
    void programInfo() {
        ByteBuffer b = BpfAttr.allocateDirect(Infos.PROG_INFO_SIZE);
        b.putInt(0, 6).putInt(4, 77);
        for (int i = 0; i < 8; i++) b.put(8 + i, (byte) (0xa0 + i));
        b.putInt(16, 100).putInt(20, 16).putLong(40, 123456789L).putInt(48, 0).putInt(52, 1);
        name(b, 64, "xdp_pass");
        b.putInt(84, 1).putInt(128, 5).putLong(192, 1000).putLong(200, 10).putInt(216, 2).putInt(220, 1).putInt(224, 99);
        ProgramInfo p = Infos.program(b, new int[] {3});
        assertEquals(ProgramType.XDP, p.type());
        assertEquals(77, p.id());
        assertEquals("a0a1a2a3a4a5a6a7", p.tag());
        assertEquals(100, p.jitedSize());
        assertEquals(16, p.xlatedSize());
        assertEquals(123456789L, p.loadTimeNs());
        assertArrayEquals(new int[] {3}, p.mapIds());
        assertEquals("xdp_pass", p.name());
        assertTrue(p.gplCompatible());
        assertEquals(5, p.btfId());
        assertEquals(1000, p.runTimeNs());
        assertEquals(10, p.runCount());
        assertEquals(2, p.verifiedInstructions());
        assertEquals(99, p.attachBtfId());
    }

    @Test
    void btfInfo() {
        ByteBuffer b = BpfAttr.allocateDirect(Infos.BTF_INFO_SIZE);
        b.putInt(8, 4096).putInt(12, 1).putInt(28, 1);
        assertEquals(new BtfInfo(1, "vmlinux", 4096, true), Infos.btf(b, "vmlinux"));
    }

    @Test
    void linkInfos() {
        ByteBuffer b = BpfAttr.allocateDirect(LinkInfos.SIZE);
        b.putInt(0, 11).putInt(4, 5).putInt(8, 6).putInt(16, 3).putInt(20, LinuxUapi.attachType(AttachType.TCX_EGRESS));
        assertNull(LinkInfos.nameSlot(b));
        assertEquals(new LinkInfo(LinkType.TCX, 11, 5, 6, new LinkDetails.Tcx(3, AttachType.TCX_EGRESS)),
                LinkInfos.decode(b, null));
        b.putInt(0, 3).putLong(16, 0x1234).putInt(24, 1);
        assertEquals(new LinkDetails.Cgroup(0x1234, AttachType.CGROUP_INET_EGRESS), LinkInfos.decode(b, null).details());
        BpfAttr.zero(b, LinkInfos.SIZE);
        b.putInt(0, 1);
        assertArrayEquals(new int[] {16, 24}, LinkInfos.nameSlot(b));
        assertEquals(new LinkDetails.RawTracepoint("sys_enter"), LinkInfos.decode(b, "sys_enter").details());
        BpfAttr.zero(b, LinkInfos.SIZE);
        b.putInt(0, 7).putInt(16, 5).putLong(40, 77);
        assertArrayEquals(new int[] {24, 32}, LinkInfos.nameSlot(b));
        assertEquals(new LinkDetails.PerfEvent(5, "sched_switch", 77), LinkInfos.decode(b, "sched_switch").details());
        BpfAttr.zero(b, LinkInfos.SIZE);
        b.putInt(0, 12).putInt(52, 2).putInt(56, 1).putInt(60, 42);
        assertArrayEquals(new int[] {16, 48}, LinkInfos.nameSlot(b));
        assertEquals(new LinkDetails.UprobeMulti("/bin/true", 2, 1, 42), LinkInfos.decode(b, "/bin/true").details());
        BpfAttr.zero(b, LinkInfos.SIZE);
        b.putInt(0, 10).putInt(16, 2).putInt(20, 0).putInt(24, -5).putInt(28, 1);
        assertEquals(new LinkDetails.Netfilter(2, 0, -5, 1), LinkInfos.decode(b, null).details());
        BpfAttr.zero(b, LinkInfos.SIZE);
        b.putInt(0, 4).putInt(28, 9);
        assertEquals(new LinkDetails.Iter("bpf_map_elem", 9), LinkInfos.decode(b, "bpf_map_elem").details());
    }
}
