package io.bpf4j.linux.internal.uapi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bpf4j.api.ProgramBtf;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * {@code BPF_PROG_LOAD}'s BTF fields at the offsets of Linux 6.18's {@code union bpf_attr}:
 * prog_btf_fd 72, func_info_rec_size 76, func_info 80, func_info_cnt 88, line_info_rec_size 92,
 * line_info 96, line_info_cnt 104.
 */
class ProgBtfAttrsTest {
    @Test
    void btfFieldsAtTheUapiOffsets() {
        ByteBuffer a = BpfAttr.allocate();
        ProgAttrs.loadBtf(a, new ProgramBtf(7, 12, new byte[36], 3, 20, new byte[40], 2), 0x1000, 0x2000);
        assertEquals(7, a.getInt(72));
        assertEquals(12, a.getInt(76));
        assertEquals(0x1000, a.getLong(80));
        assertEquals(3, a.getInt(88));
        assertEquals(20, a.getInt(92));
        assertEquals(0x2000, a.getLong(96));
        assertEquals(2, a.getInt(104));
        // The neighbours stay untouched: expected_attach_type before, attach_btf_id after.
        assertEquals(0, a.getInt(68));
        assertEquals(0, a.getInt(108));
    }

    @Test
    void noRecordsLeaveTheirFieldsZero() {
        ByteBuffer a = BpfAttr.allocate();
        ProgAttrs.loadBtf(a, new ProgramBtf(7, 0, null, 0, 16, new byte[16], 1), 0, 0x2000);
        assertEquals(0, a.getInt(76));
        assertEquals(0, a.getLong(80));
        assertEquals(0, a.getInt(88));
        assertEquals(1, a.getInt(104));
    }
}
