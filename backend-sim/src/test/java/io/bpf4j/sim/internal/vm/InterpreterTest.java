package io.bpf4j.sim.internal.vm;

import static io.bpf4j.api.asm.Register.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.asm.Asm;
import io.bpf4j.api.asm.TextAssembler;
import org.junit.jupiter.api.Test;

class InterpreterTest {
    static long run(String text) {
        return new Vm().run(new VmLoader().load(TextAssembler.assemble(text)), 0);
    }

    static long run(Asm asm) {
        return new Vm().run(new VmLoader().load(asm.toArray()), 0);
    }

    @Test
    void divisionAndModuloFollowTheKernelsRewrites() {
        assertEquals(0, run("mov %r0, 7\nmov %r1, 0\ndiv %r0, %r1\nexit"));
        assertEquals(7, run("mov %r0, 7\nmov %r1, 0\nmod %r0, %r1\nexit"));
        // 32-bit modulo by zero leaves dst's low half but still zero-extends.
        assertEquals(0x55667788L, run("lddw %r0, 0x1122334455667788\nmov %r1, 0\nmod32 %r0, %r1\nexit"));
        assertEquals(Long.MIN_VALUE, run("lddw %r0, 0x8000000000000000\nmov %r1, -1\nsdiv %r0, %r1\nexit"));
        assertEquals(0, run("lddw %r0, 0x8000000000000000\nmov %r1, -1\nsmod %r0, %r1\nexit"));
        assertEquals(-1L & 0xffffffffL, run("mov32 %r0, -7\nsmod32 %r0, 2\nexit"));
        // The 64-bit immediate divisor is sign-extended, then divided unsigned.
        assertEquals(0, run("mov %r0, 10\ndiv %r0, -1\nexit"));
        assertEquals(0x7fffffffL, run("mov32 %r0, -2\ndiv32 %r0, 2\nexit"));
    }

    @Test
    void shiftsAreMaskedAndThirtyTwoBitOpsZeroExtend() {
        assertEquals(2, new Vm().run(new VmLoader().allowOutOfRangeShifts(true)
                .load(TextAssembler.assemble("mov %r0, 1\nlsh %r0, 65\nexit")), 0));
        assertEquals(2, run("mov %r0, 1\nmov %r1, 65\nlsh %r0, %r1\nexit"));
        assertEquals(0xffffffffL, run("mov32 %r0, -1\narsh32 %r0, 4\nexit"));
        assertEquals(0xfffffffffffffff0L, run("mov %r0, -256\narsh %r0, 4\nexit"));
        assertEquals(0x80000000L, run("mov %r0, 0x80000000\nneg32 %r0\nexit"));
        assertEquals(1, run("lddw %r0, 0xffffffff00000000\nadd32 %r0, 1\nexit"));
    }

    @Test
    void signExtensionAndByteSwaps() {
        assertEquals(-1, run("mov %r1, 0xff\nmovsx864 %r0, %r1\nexit"));
        assertEquals(0xffffffffL, run("mov %r1, 0xffff\nmovsx1632 %r0, %r1\nexit"));
        assertEquals(0xffffffff80000000L, run("mov32 %r1, 0x80000000\nmovsx3264 %r0, %r1\nexit"));
        assertEquals(0x1122, run("lddw %r0, 0x8877665544332211\nbe16 %r0\nexit"));
        assertEquals(0x1122, run("lddw %r0, 0x8877665544332211\nbswap16 %r0\nexit"));
        assertEquals(0x44332211L, run("lddw %r0, 0x8877665544332211\nle32 %r0\nexit"));
        assertEquals(0x1122334455667788L, run("lddw %r0, 0x8877665544332211\nbswap64 %r0\nexit"));
        assertEquals(-2, run("sth [%r10-2], -2\nldxsh %r0, [%r10-2]\nexit"));
        assertEquals(0xfffe, run("sth [%r10-2], -2\nldxh %r0, [%r10-2]\nexit"));
    }

    @Test
    void jumpsCompareSignedUnsignedAndThirtyTwoBit() {
        assertEquals(1, run("mov %r0, 0\nmov %r1, -1\njgt %r1, 5, +1\nexit\nmov %r0, 1\nexit"));
        assertEquals(0, run("mov %r0, 0\nmov %r1, -1\njsgt %r1, 5, +1\nexit\nmov %r0, 1\nexit"));
        assertEquals(1, run("mov %r0, 0\nlddw %r1, 0x100000005\njeq32 %r1, 5, +1\nexit\nmov %r0, 1\nexit"));
        assertEquals(0, run("mov %r0, 0\nlddw %r1, 0x100000005\njeq %r1, 5, +1\nexit\nmov %r0, 1\nexit"));
        assertEquals(1, run("mov %r0, 0\nmov %r1, 6\njset %r1, 2, +1\nexit\nmov %r0, 1\nexit"));
    }

    @Test
    void atomicsFetchAndCompare() {
        assertEquals(0x10, run("stdw [%r10-8], 0x10\nmov %r1, 3\nlock fetch add [%r10-8], %r1\nmov %r0, %r1\nexit"));
        assertEquals(0x13, run("stdw [%r10-8], 0x10\nmov %r1, 3\nlock add [%r10-8], %r1\nldxdw %r0, [%r10-8]\nexit"));
        assertEquals(7, run("stw [%r10-4], 5\nmov %r0, 5\nmov %r1, 7\nlock cmpxchg32 [%r10-4], %r1\n"
                + "ldxw %r0, [%r10-4]\nexit"));
        assertEquals(5, run("stw [%r10-4], 5\nmov %r0, 4\nmov %r1, 7\nlock cmpxchg32 [%r10-4], %r1\n"
                + "ldxw %r0, [%r10-4]\nexit"));
        assertEquals(0xf0, run("stdw [%r10-8], 0xf0\nmov %r1, 0x0f\nlock xchg [%r10-8], %r1\nmov %r0, %r1\nexit"));
        assertEquals(0x1, run("stdw [%r10-8], 0x3\nmov %r1, 0x5\nlock and [%r10-8], %r1\nldxdw %r0, [%r10-8]\nexit"));
        assertEquals(9, run("stdw [%r10-8], 9\nldacqdw %r0, [%r10-8]\nexit"));
        assertEquals(4, run("mov %r1, 4\nstrelb [%r10-1], %r1\nldxb %r0, [%r10-1]\nexit"));
    }

    @Test
    void misalignedAtomicsFault() {
        VmException e = assertThrows(VmException.class,
                () -> run("mov %r1, 1\nlock add [%r10-4], %r1\nexit"));
        assertTrue(e.getMessage().contains("misaligned 8-byte atomic"), e.getMessage());
    }

    @Test
    void localCallsGetTheirOwnFrameAndPreserveR6ToR9() {
        String text = String.join("\n",
                "mov %r6, 6",
                "stdw [%r10-8], 42",
                "mov %r1, %r10",
                "call local f",
                "add %r0, %r6",       // 6 + callee's result
                "exit",
                "f:",
                "mov %r6, 100",
                "stdw [%r10-8], 1",    // the callee's own slot
                "ldxdw %r0, [%r1-8]",  // the caller's slot, through a pointer argument
                "ldxdw %r2, [%r10-8]",
                "add %r0, %r2",
                "exit");
        assertEquals(6 + 42 + 1, run(text));
    }

    @Test
    void callsDeeperThanEightFramesStop() {
        Asm ok = new Asm();
        Asm tooDeep = new Asm();
        for (int i = 0; i < 7; i++) {
            ok.callLocal("f" + i).exit().label("f" + i);
        }
        for (int i = 0; i < 8; i++) {
            tooDeep.callLocal("f" + i).exit().label("f" + i);
        }
        assertEquals(7, run(ok.mov64(R0, 7).exit()));
        VmException e = assertThrows(VmException.class, () -> run(tooDeep.mov64(R0, 7).exit()));
        assertTrue(e.getMessage().contains("the call stack of 9 frames is too deep"), e.getMessage());
        assertEquals(14, e.pc()); // the eighth nested call: two slots per level
    }

    @Test
    void theBudgetStopsEndlessLoopsAndCountsInstructions() {
        Vm vm = new Vm().instructionBudget(1000);
        VmProgram loop = new VmLoader().load(TextAssembler.assemble("l:\nja l\nexit"));
        VmException e = assertThrows(VmException.class, () -> vm.run(loop, 0));
        assertTrue(e.getMessage().contains("instruction budget of 1000 exhausted"), e.getMessage());
        VmProgram three = new VmLoader().load(TextAssembler.assemble("mov %r0, 1\nadd %r0, 2\nexit"));
        assertEquals(3, vm.run(three, 0));
        assertEquals(3, vm.instructionCount());
        assertEquals(1_000_000, Vm.DEFAULT_BUDGET);
    }

    @Test
    void registersAndStackStartClean() {
        Vm vm = new Vm();
        VmProgram dirty = new VmLoader().load(TextAssembler.assemble("stdw [%r10-8], 77\nmov %r6, 5\nexit"));
        VmProgram read = new VmLoader().load(TextAssembler.assemble("ldxdw %r0, [%r10-8]\nadd %r0, %r6\nexit"));
        vm.run(dirty, 0);
        assertEquals(0, vm.run(read, 0));
    }
}
