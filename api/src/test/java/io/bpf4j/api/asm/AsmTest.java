package io.bpf4j.api.asm;

import static io.bpf4j.api.asm.Register.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AsmTest {
    private static Instruction at(long[] p, int i) {
        return Instruction.decode(p[i]);
    }

    @Test
    void theBriefsExample() {
        int mapFd = 7;
        long[] p = new Asm().mov64(R0, 0).ldMapFd(R1, mapFd).call(Helper.MAP_LOOKUP_ELEM).label("out")
                .jeq(R0, 0, "out").exit().toArray();
        assertEquals(6, p.length);
        assertEquals(new Instruction(0xb7, 0, 0, 0, 0), at(p, 0));
        assertEquals(new Instruction(0x18, 1, Opcodes.PSEUDO_MAP_FD, 0, 7), at(p, 1));
        assertEquals(new Instruction(0, 0, 0, 0, 0), at(p, 2));
        assertEquals(new Instruction(0x85, 0, 0, 0, 1), at(p, 3));
        // "out" is the jeq itself: offset -1 jumps back onto it.
        assertEquals(new Instruction(0x15, 0, 0, -1, 0), at(p, 4));
        assertEquals(new Instruction(0x95, 0, 0, 0, 0), at(p, 5));
    }

    @Test
    void forwardAndBackwardLabelsCountLdImm64AsTwoSlots() {
        long[] p = new Asm().label("top").ja("end").lddw(R1, 0x1122334455667788L).jne32(R1, R2, "top")
                .label("end").exit().toArray();
        assertEquals(3, at(p, 0).off()); // over lddw (2 slots) and jne32
        assertEquals(-4, at(p, 3).off());
        assertEquals(0x55667788, at(p, 1).imm());
        assertEquals(0x11223344, at(p, 2).imm());
        assertEquals(Opcodes.JMP32 | Opcodes.JNE | Opcodes.X, at(p, 3).opcode());
    }

    @Test
    void encodesTheKernelExtensions() {
        long[] p = new Asm().sdiv64(R1, R2).smod32(R1, 3).movsx64(R1, R2, 32).movsx32(R1, R2, 8).bswap(R1, 16)
                .le(R1, 32).be(R1, 64).ldxsh(R1, R2, -2).xchg32(R10, -8, R1).cmpxchg64(R1, 0, R2)
                .atomicFetchXor64(R1, 8, R2).loadAcquire(Size.B, R0, R1, 0).storeRelease(Size.DW, R1, 0, R2)
                .callLocal("f").label("f").ja32("f").exit().toArray();
        assertEquals(new Instruction(0x3f, 1, 2, 1, 0), at(p, 0));
        assertEquals(new Instruction(0x94, 1, 0, 1, 3), at(p, 1));
        assertEquals(new Instruction(0xbf, 1, 2, 32, 0), at(p, 2));
        assertEquals(new Instruction(0xbc, 1, 2, 8, 0), at(p, 3));
        assertEquals(new Instruction(0xd7, 1, 0, 0, 16), at(p, 4));
        assertEquals(new Instruction(0xd4, 1, 0, 0, 32), at(p, 5));
        assertEquals(new Instruction(0xdc, 1, 0, 0, 64), at(p, 6));
        assertEquals(new Instruction(0x89, 1, 2, -2, 0), at(p, 7));
        assertEquals(new Instruction(0xc3, 10, 1, -8, 0xe1), at(p, 8));
        assertEquals(new Instruction(0xdb, 1, 2, 0, 0xf1), at(p, 9));
        assertEquals(new Instruction(0xdb, 1, 2, 8, 0xa1), at(p, 10));
        assertEquals(new Instruction(0xd3, 0, 1, 0, 0x100), at(p, 11));
        assertEquals(new Instruction(0xdb, 1, 2, 0, 0x110), at(p, 12));
        assertEquals(new Instruction(0x85, 0, 1, 0, 0), at(p, 13));
        assertEquals(new Instruction(0x06, 0, 0, 0, -1), at(p, 14));
    }

    @Test
    void mapValueAndIndexLoads() {
        long[] p = new Asm().ldMapValue(R1, 4, 16).ldMapIdx(R2, 1).ldMapIdxValue(R3, 2, 8).exit().toArray();
        assertEquals(new Instruction(0x18, 1, 2, 0, 4), at(p, 0));
        assertEquals(16, at(p, 1).imm());
        assertEquals(new Instruction(0x18, 2, 5, 0, 1), at(p, 2));
        assertEquals(new Instruction(0x18, 3, 6, 0, 2), at(p, 4));
        assertEquals(8, at(p, 5).imm());
    }

    @Test
    void longJumpsNeedJa32() {
        Asm asm = new Asm().ja("far");
        Asm wide = new Asm().ja32("far");
        for (int i = 0; i < 40_000; i++) {
            asm.mov64(R0, i);
            wide.mov64(R0, i);
        }
        asm.label("far").exit();
        wide.label("far").exit();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, asm::toArray);
        assertTrue(e.getMessage().contains("\"far\"") && e.getMessage().contains("16-bit"), e.getMessage());
        assertEquals(40_000, at(wide.toArray(), 0).imm());
    }

    @Test
    void badInputNamesTheParameterOrLabel() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Asm().ja("nowhere").exit().toArray())
                .getMessage().contains("\"nowhere\" is not defined"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Asm().label("x").exit().label("x"))
                .getMessage().contains("\"x\" is already defined"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Asm().ldxw(R0, R1, 40_000))
                .getMessage().startsWith("off:"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Asm().bswap(R0, 24))
                .getMessage().startsWith("width:"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Asm().movsx32(R0, R1, 32))
                .getMessage().startsWith("bits:"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Asm().atomic(Size.H, Opcodes.ATOMIC_ADD,
                R1, 0, R2)).getMessage().startsWith("size:"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Asm().alu64(Opcodes.NEG, R1, 1))
                .getMessage().startsWith("op:"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Register.of(11)).getMessage()
                .startsWith("register:"));
        assertEquals("dst", assertThrows(NullPointerException.class, () -> new Asm().mov64(null, 1)).getMessage());
    }

    @Test
    void toArrayLeavesTheBuilderUsable() {
        Asm asm = new Asm().mov64(R0, 1);
        long[] first = asm.toArray();
        asm.exit();
        assertArrayEquals(first, new long[] {asm.toArray()[0]});
        assertEquals(2, asm.size());
    }

    @Test
    void helperIdsMatchLinux() {
        assertEquals(1, Helper.MAP_LOOKUP_ELEM.id());
        assertEquals(12, Helper.TAIL_CALL.id());
        assertEquals(25, Helper.PERF_EVENT_OUTPUT.id());
        assertEquals(44, Helper.XDP_ADJUST_HEAD.id());
        assertEquals(51, Helper.REDIRECT_MAP.id());
        assertEquals(87, Helper.MAP_PUSH_ELEM.id());
        assertEquals(125, Helper.KTIME_GET_BOOT_NS.id());
        assertEquals(130, Helper.RINGBUF_OUTPUT.id());
        assertEquals(174, Helper.GET_ATTACH_COOKIE.id());
        assertEquals(211, Helper.CGRP_STORAGE_DELETE.id());
        assertEquals(Helper.RINGBUF_QUERY, Helper.byId(134));
        assertEquals("bpf_get_current_comm", Helper.GET_CURRENT_COMM.cName());
        assertEquals(null, Helper.byId(0));
        assertEquals(null, Helper.byId(212));
        for (Helper h : Helper.values()) {
            assertEquals(h.ordinal() + 1, h.id(), h.name());
        }
    }
}
