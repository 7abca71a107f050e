package io.bpf4j.api.asm;

import static io.bpf4j.api.asm.Register.R0;
import static io.bpf4j.api.asm.Register.R1;
import static io.bpf4j.api.asm.Register.R2;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Translated instructions listed with map names and helper names, and their raw bytes. */
class DisassemblerTest {
    /** A dump as the kernel gives it: map 17 by id, a value of map 18 at offset 8, helper 1. */
    private static final long[] DUMP = new Asm().ldxw(R2, R1, 4).ldMapFd(R1, 17).ldMapValue(R2, 18, 8).call(Helper.MAP_LOOKUP_ELEM)
            .mov64(R0, 0).exit().toArray();

    @Test
    void mapsAreNamedAndHelpersTooOnePerLine() {
        Disassembler d = Disassembler.create().withMapNames(id -> id == 17 ? "counts" : null);
        List<Disassembler.Line> lines = d.lines(DUMP);
        assertEquals(List.of("ldxw %r2, [%r1+4]", "lddw %r1, map[counts] ; id 17", "lddw %r2, map[id:18]+8",
                "call bpf_map_lookup_elem", "mov %r0, 0", "exit"), lines.stream().map(Disassembler.Line::text).toList());
        assertEquals(List.of(0, 1, 3, 5, 6, 7), lines.stream().map(Disassembler.Line::pc).toList());
        assertEquals(16, lines.get(1).bytes().length, "ld_imm64 is two slots");
        // 0x61 ldxw, dst 2 src 1, off 4: the kernel's little-endian struct bpf_insn.
        assertArrayEquals(new byte[] {0x61, 0x12, 4, 0, 0, 0, 0, 0}, lines.get(0).bytes());
    }

    @Test
    void callNamesCanComeFromElsewhereAndUnknownOnesKeepTheirNumber() {
        long[] calls = new Asm().call(-4242).call(100000).exit().toArray();
        Disassembler d = Disassembler.create().withCallNames(imm -> imm == -4242 ? "__htab_map_lookup_elem" : null);
        assertEquals(List.of("call __htab_map_lookup_elem", "call 100000", "exit"),
                d.lines(calls).stream().map(Disassembler.Line::text).toList());
        long[] kfunc = {new Instruction(Opcodes.JMP | Opcodes.CALL, 0, Opcodes.PSEUDO_KFUNC_CALL, 0, -4242).encode()};
        assertEquals("call kfunc __htab_map_lookup_elem", d.lines(kfunc).get(0).text());
        assertEquals("call kfunc -4242", Disassembler.create().lines(kfunc).get(0).text(), "a kfunc's imm is no helper id");
    }

    @Test
    void aTranslatedLocalCallHasItsTargetInOffAndItsSubprogramInImm() {
        long[] call = {new Instruction(Opcodes.JMP | Opcodes.CALL, 0, Opcodes.PSEUDO_CALL, 5, 1).encode()};
        assertEquals("call local +5 ; subprog 1", Disassembler.create().lines(call).get(0).text());
    }

    @Test
    void textHasOpcodesUnderEachLineWhenAsked() {
        String t = Disassembler.create().text(new Asm().mov64(R0, 1).exit().toArray(), true);
        assertEquals("   0: mov %r0, 1\n      b7 00 00 00 01 00 00 00\n   1: exit\n      95 00 00 00 00 00 00 00\n", t);
        assertEquals("   0: mov %r0, 1\n   1: exit\n", Disassembler.create().text(new Asm().mov64(R0, 1).exit().toArray(), false));
    }

    @Test
    void aLoneHalfOfALoadIsARawSlot() {
        long[] half = {new Instruction(Opcodes.LD_IMM64, 1, 0, 0, 5).encode()};
        assertEquals(".insn 0x18, 1, 0, 0, 5", Disassembler.create().lines(half).get(0).text());
        assertThrows(NullPointerException.class, () -> Disassembler.create().lines(null));
        assertThrows(IllegalArgumentException.class, () -> new Disassembler.Line(0, "x", new byte[3]));
    }
}
