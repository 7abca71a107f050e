package io.bpf4j.api.asm;

import static io.bpf4j.api.asm.Register.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TextAssemblerTest {
    @Test
    void givesTheSameWordsAsAsm() {
        String text = String.join("\n",
                "# comment",
                "mov32 %r0, 1",
                "ldxw %r0, [%r1+4]",
                "stxdw [%r10-8], %r1",
                "stb [%r10-1], 0xff",
                "lddw %r0, 0x1122334455667788",
                "loop:",
                "jne32 %r1, 0, loop   # back edge",
                "jsgt %r1, %r2, +1",
                "call 5",
                "call local fn",
                "lock fetch add32 [%r10-8], %r1",
                "lock cmpxchg [%r10-8], %r2",
                "le16 %r0",
                "swap64 %r0",
                "movsx1664 %r0, %r1",
                "sdiv32 %r0, -3",
                "ldxsb %r3, [%r1]",
                "ja32 fn",
                "fn: exit");
        long[] expected = new Asm().mov32(R0, 1).ldxw(R0, R1, 4).stxdw(R10, -8, R1).stb(R10, -1, 0xff)
                .lddw(R0, 0x1122334455667788L).label("loop").jne32(R1, 0, "loop")
                .insn(new Instruction(0x6d, 1, 2, 1, 0)).call(5).callLocal("fn")
                .atomicFetchAdd32(R10, -8, R1).cmpxchg64(R10, -8, R2).le(R0, 16).bswap(R0, 64)
                .movsx64(R0, R1, 16).sdiv32(R0, -3).ldxsb(R3, R1, 0).ja32("fn").label("fn").exit().toArray();
        assertArrayEquals(expected, TextAssembler.assemble(text));
    }

    @Test
    void exitIsAnImplicitLabelForTheFirstExit() {
        long[] p = TextAssembler.assemble("jeq %r1, 0, exit\nmov %r0, 1\nexit\nmov %r0, 2\nexit");
        assertEquals(1, Instruction.decode(p[0]).off());
        long[] explicit = TextAssembler.assemble("ja exit\nexit\nexit:\nexit");
        assertEquals(1, Instruction.decode(explicit[0]).off());
    }

    @Test
    void immediatesMayBeSignedOrUnsigned() {
        long[] p = TextAssembler.assemble("mov32 %r1, 0x87654321\nmov %r1, -1\nmov %r1, 4294967295\n"
                + "lddw %r1, 0xFFFFFFFFFFFFFFFF\nlddw %r1, -9223372036854775808\nexit");
        assertEquals(0x87654321, Instruction.decode(p[0]).imm());
        assertEquals(-1, Instruction.decode(p[1]).imm());
        assertEquals(-1, Instruction.decode(p[2]).imm());
        assertEquals(-1, Instruction.decode(p[4]).imm());
        assertEquals(Integer.MIN_VALUE, Instruction.decode(p[6]).imm());
    }

    @Test
    void errorsCarryTheLineNumber() {
        assertError("mov %r0, 1\nfoo %r0\nexit", "line 2: unknown mnemonic \"foo\"");
        assertError("mov %r11, 1", "line 1: register %r11 is out of range");
        assertError("mov %r0, 0x100000000", "line 1: immediate 0x100000000 does not fit 32 bits");
        assertError("exit\n\nja nowhere", "line 3: label \"nowhere\" is not defined");
        assertError("a:\na:\nexit", "line 2: label: \"a\" is already defined");
        assertError("ldxw %r0, %r1", "line 1: \"%r1\" is not a memory operand");
        assertError("jeq %r0, 1", "line 1: jeq takes 3 operands, not 2");
        assertError("lock fetch xchg [%r1], %r2", "line 1: xchg always fetches");
        assertError("ldxw %r0, [%r1+40000]", "line 1: offset +40000 does not fit 16 bits");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TextAssembler.assemble(java.util.List.of("exit", "bad"), 40));
        assertTrue(e.getMessage().startsWith("line 41:"), e.getMessage());
    }

    private static void assertError(String text, String prefix) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TextAssembler.assemble(text));
        assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
    }

    @Test
    void disassemblyAssemblesBackToTheSameWords() {
        long[] p = new Asm().ldMapFd(R1, 3).ldMapValue(R2, 3, 8).lddw(R3, -2).ldAbs(Size.H, 12)
                .ldInd(Size.B, R7, 1).callKfunc(99).atomicOr32(R1, 4, R2).neg32(R4).arsh64(R5, R6)
                .loadAcquire(Size.W, R0, R1, 4).storeRelease(Size.H, R1, 2, R3).word(0xff).exit().toArray();
        String text = TextAssembler.disassemble(p);
        assertArrayEquals(p, TextAssembler.assemble(text), text);
        assertTrue(text.startsWith("ldmapfd %r1, 3\nldmapvalue %r2, 3, 8\nlddw %r3, 0xfffffffffffffffe\n"), text);
    }
}
