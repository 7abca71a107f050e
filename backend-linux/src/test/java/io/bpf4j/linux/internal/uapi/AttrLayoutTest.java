package io.bpf4j.linux.internal.uapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.AttachType;
import io.bpf4j.api.LinkOptions;
import io.bpf4j.api.MapFlags;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * Pins the {@code union bpf_attr} offsets the encoders write to, as {@code offsetof} reports
 * them for Linux 6.18 ({@code bpftool btf dump file /sys/kernel/btf/vmlinux format c}).
 */
class AttrLayoutTest {

    private static ByteBuffer attr() {
        ByteBuffer b = BpfAttr.allocate();
        assertEquals(168, b.capacity());
        return b;
    }

    @Test
    void mapCreate() {
        ByteBuffer a = attr();
        MapSpec spec = new MapSpec(MapType.LPM_TRIE, 8, 12, 100, MapFlags.NO_PREALLOC | MapFlags.VTYPE_BTF_OBJ_FD,
                "trie", 5, 1, 6, 7, 8, 9, 10, 0x1122334455L, 11);
        MapAttrs.create(a, spec);
        assertEquals(11, a.getInt(0));
        assertEquals(8, a.getInt(4));
        assertEquals(12, a.getInt(8));
        assertEquals(100, a.getInt(12));
        assertEquals(MapFlags.NO_PREALLOC | MapFlags.VTYPE_BTF_OBJ_FD, a.getInt(16));
        assertEquals(5, a.getInt(20));
        assertEquals(1, a.getInt(24));
        assertEquals("trie", BpfAttr.getString(a, 28, 16));
        assertEquals(6, a.getInt(44));
        assertEquals(7, a.getInt(48));
        assertEquals(8, a.getInt(52));
        assertEquals(9, a.getInt(56));
        assertEquals(10, a.getInt(60));
        assertEquals(0x1122334455L, a.getLong(64));
        assertEquals(7, a.getInt(72), "value_type_btf_obj_fd follows btf_fd with VTYPE_BTF_OBJ_FD");
        assertEquals(11, a.getInt(76));
        BpfAttr.clear(a);
        for (int i = 0; i < 168; i++) assertEquals(0, a.get(i));
    }

    @Test
    void elementAndBatch() {
        ByteBuffer a = attr();
        MapAttrs.elem(a, 3, 0x1000, 0x2000, 4);
        assertEquals(3, a.getInt(0));
        assertEquals(0x1000, a.getLong(8));
        assertEquals(0x2000, a.getLong(16));
        assertEquals(4, a.getLong(24));
        BpfAttr.clear(a);
        MapAttrs.batch(a, 3, 0x10, 0x20, 0x30, 0x40, 7, 4, 0);
        assertEquals(0x10, a.getLong(0));
        assertEquals(0x20, a.getLong(8));
        assertEquals(0x30, a.getLong(16));
        assertEquals(0x40, a.getLong(24));
        assertEquals(7, a.getInt(MapAttrs.BATCH_COUNT));
        assertEquals(3, a.getInt(36));
        assertEquals(4, a.getLong(40));
    }

    @Test
    void progLoadAndTestRun() {
        ByteBuffer a = attr();
        ProgramSpec spec = new ProgramSpec(ProgramType.CGROUP_SOCK_ADDR, new long[3], "GPL", "p",
                AttachType.CGROUP_INET4_CONNECT, 12, 0, 0, 1, 5, 2, 64, 9, null, 13);
        ProgAttrs.load(a, spec, 0x100, 0x200, 2, 0x300, 4096, 0x400);
        assertEquals(18, a.getInt(0));
        assertEquals(3, a.getInt(4));
        assertEquals(0x100, a.getLong(8));
        assertEquals(0x200, a.getLong(16));
        assertEquals(2, a.getInt(24));
        assertEquals(4096, a.getInt(28));
        assertEquals(0x300, a.getLong(32));
        assertEquals(5, a.getInt(40));
        assertEquals(1, a.getInt(44));
        assertEquals("p", BpfAttr.getString(a, 48, 16));
        assertEquals(9, a.getInt(64));
        assertEquals(10, a.getInt(68));
        assertEquals(12, a.getInt(108));
        assertEquals(0x400, a.getLong(120));
        assertEquals(13, a.getInt(144));
        BpfAttr.clear(a);
        ProgAttrs.testRun(a, 4, 0x10, 64, 0x20, 128, 0x30, 24, 0x40, 24, 9, 1, 2, 3);
        assertEquals(4, a.getInt(0));
        assertEquals(64, a.getInt(8));
        assertEquals(128, a.getInt(12));
        assertEquals(0x10, a.getLong(16));
        assertEquals(0x20, a.getLong(24));
        assertEquals(9, a.getInt(32));
        assertEquals(24, a.getInt(40));
        assertEquals(24, a.getInt(44));
        assertEquals(0x30, a.getLong(48));
        assertEquals(0x40, a.getLong(56));
        assertEquals(1, a.getInt(64));
        assertEquals(2, a.getInt(68));
        assertEquals(3, a.getInt(72));
    }

    @Test
    void linkCreateMembers() {
        ByteBuffer a = attr();
        LinkAttrs.linkCreate(a, 3, 4, LinuxUapi.attachType(AttachType.TCX_INGRESS), 8);
        LinkAttrs.linkCreateMprog(a, new LinkOptions.Mprog(5, 6));
        assertEquals(3, a.getInt(0));
        assertEquals(4, a.getInt(4));
        assertEquals(46, a.getInt(8));
        assertEquals(8, a.getInt(12));
        assertEquals(5, a.getInt(16));
        assertEquals(6, a.getLong(24));
        BpfAttr.clear(a);
        LinkAttrs.linkCreateTracing(a, new LinkOptions.Tracing(7, 99));
        assertEquals(7, a.getInt(16));
        assertEquals(99, a.getLong(24));
        BpfAttr.clear(a);
        LinkAttrs.linkCreateNetfilter(a, new LinkOptions.Netfilter(2, 1, -5, 1));
        assertEquals(2, a.getInt(16));
        assertEquals(1, a.getInt(20));
        assertEquals(-5, a.getInt(24));
        assertEquals(1, a.getInt(28));
        BpfAttr.clear(a);
        LinkAttrs.linkCreateKprobeMulti(a, 1, 2, 0x10, 0, 0x30);
        assertEquals(1, a.getInt(16));
        assertEquals(2, a.getInt(20));
        assertEquals(0x10, a.getLong(24));
        assertEquals(0x30, a.getLong(40));
        BpfAttr.clear(a);
        LinkAttrs.linkCreateUprobeMulti(a, 0x10, 0x20, 0x30, 0x40, 3, 1, 77);
        assertEquals(0x10, a.getLong(16));
        assertEquals(0x20, a.getLong(24));
        assertEquals(0x30, a.getLong(32));
        assertEquals(0x40, a.getLong(40));
        assertEquals(3, a.getInt(48));
        assertEquals(1, a.getInt(52));
        assertEquals(77, a.getInt(56));
        BpfAttr.clear(a);
        LinkAttrs.linkCreatePerfEvent(a, new LinkOptions.PerfEvent(0xabc));
        assertEquals(0xabc, a.getLong(16));
        ByteBuffer info = BpfAttr.allocateDirect(LinkAttrs.ITER_LINK_INFO_SIZE);
        assertTrue(LinkAttrs.iterLinkInfo(info, new LinkOptions.Iter(0, 2, 9, 0, 0, 0, 0)));
        assertEquals(2, info.getInt(0));
        assertEquals(9, info.getInt(4));
        assertFalse(LinkAttrs.iterLinkInfo(BpfAttr.allocateDirect(16), LinkOptions.Iter.NONE));
    }

    @Test
    void attachQueryAndObjects() {
        ByteBuffer a = attr();
        LinkAttrs.attach(a, 1, 2, 3, 4, 5, 6, 7);
        for (int i = 0; i < 6; i++) assertEquals(i + 1, a.getInt(i * 4));
        assertEquals(7, a.getLong(24));
        BpfAttr.clear(a);
        LinkAttrs.query(a, 1, 2, 1, 0x10, 4, 0x20, 0x30, 0x40);
        assertEquals(0x10, a.getLong(16));
        assertEquals(4, a.getInt(LinkAttrs.QUERY_COUNT));
        assertEquals(0x20, a.getLong(32));
        assertEquals(0x30, a.getLong(40));
        assertEquals(0x40, a.getLong(48));
        BpfAttr.clear(a);
        ObjAttrs.btfLoad(a, 0x10, 40, 0x20, 4096, 1);
        assertEquals(0x10, a.getLong(0));
        assertEquals(0x20, a.getLong(8));
        assertEquals(40, a.getInt(16));
        assertEquals(4096, a.getInt(20));
        assertEquals(1, a.getInt(24));
        BpfAttr.clear(a);
        ObjAttrs.tokenCreate(a, 0, 9);
        assertEquals(9, a.getInt(4));
        BpfAttr.clear(a);
        LinkAttrs.rawTracepointOpen(a, 0x10, 3, 5);
        assertEquals(0x10, a.getLong(0));
        assertEquals(3, a.getInt(8));
        assertEquals(5, a.getLong(16));
    }
}
