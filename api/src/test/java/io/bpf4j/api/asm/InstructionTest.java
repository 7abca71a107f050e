package io.bpf4j.api.asm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class InstructionTest {
    @Test
    void encodesLikeTheKernel() {
        // ldxw r0, [r1+4] = 0x61 dst 0 src 1 off 4: bytes 61 10 04 00 00 00 00 00
        assertEquals(0x0000_0000_0004_1061L, new Instruction(0x61, 0, 1, 4, 0).encode());
        // mov64 r1, -1 = b7 01 00 00 ff ff ff ff
        assertEquals(0xffff_ffff_0000_01b7L, new Instruction(0xb7, 1, 0, 0, -1).encode());
        // negative offset keeps only its 16 bits: stxdw [r10-8], r1 = 7b 1a f8 ff 00 00 00 00
        assertEquals(0x0000_0000_fff8_1a7bL, new Instruction(0x7b, 10, 1, -8, 0).encode());
    }

    @Test
    void decodeIsTheInverseOfEncode() {
        SplittableRandom rnd = new SplittableRandom(42);
        for (int i = 0; i < 10_000; i++) {
            long w = rnd.nextLong();
            assertEquals(w, Instruction.decode(w).encode());
        }
        Instruction insn = Instruction.decode(0x0000_0000_fff8_1a7bL);
        assertEquals(new Instruction(0x7b, 10, 1, -8, 0), insn);
    }

    @Test
    void rangeChecksNameTheField() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Instruction(256, 0, 0, 0, 0))
                .getMessage().startsWith("opcode:"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Instruction(0, 16, 0, 0, 0))
                .getMessage().startsWith("dst:"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Instruction(0, 0, -1, 0, 0))
                .getMessage().startsWith("src:"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Instruction(0, 0, 0, 32768, 0))
                .getMessage().startsWith("off:"));
    }

    @Test
    void printsUbpfSyntax() {
        assertEquals("ldxw %r0, [%r1+4]", new Instruction(0x61, 0, 1, 4, 0).toString());
        assertEquals("stxdw [%r10-8], %r1", new Instruction(0x7b, 10, 1, -8, 0).toString());
        assertEquals("jne32 %r1, 0, +3", new Instruction(0x56, 1, 0, 3, 0).toString());
        assertEquals("sdiv %r0, %r1", new Instruction(0x3f, 0, 1, 1, 0).toString());
        assertEquals("movsx832 %r0, %r1", new Instruction(0xbc, 0, 1, 8, 0).toString());
        assertEquals("bswap16 %r0", new Instruction(0xd7, 0, 0, 0, 16).toString());
        assertEquals("be32 %r0", new Instruction(0xdc, 0, 0, 0, 32).toString());
        assertEquals("lock fetch add32 [%r10-8], %r1", new Instruction(0xc3, 10, 1, -8, 0x01).toString());
        assertEquals("lock cmpxchg [%r1], %r2", new Instruction(0xdb, 1, 2, 0, 0xf1).toString());
        assertEquals("call local -4", new Instruction(0x85, 0, 1, 0, -4).toString());
        assertEquals("ja32 +70000", new Instruction(0x06, 0, 0, 0, 70000).toString());
        assertEquals("exit", new Instruction(0x95, 0, 0, 0, 0).toString());
        assertEquals(".insn 0xff, 0, 0, 0, 0", new Instruction(0xff, 0, 0, 0, 0).toString());
    }
}
