package io.bpf4j.sim.internal.vm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.asm.TextAssembler;
import org.junit.jupiter.api.Test;

class MemorySafetyTest {
    private static VmException fault(Vm vm, String text, long r1) {
        VmProgram p = new VmLoader().load(TextAssembler.assemble(text));
        return assertThrows(VmException.class, () -> vm.run(p, r1));
    }

    @Test
    void readsPastTheStackFaultWithPcInstructionAndAddress() {
        VmException e = fault(new Vm(), "mov %r0, 0\nldxdw %r0, [%r10+0]\nexit", 0);
        assertEquals(1, e.pc());
        assertTrue(e.getMessage().startsWith("pc 1 (ldxdw %r0, [%r10]): invalid read of 8 bytes at 0x"),
                e.getMessage());
        assertTrue(e.getMessage().contains("00000200 (offset 512 in"), e.getMessage());
        assertTrue(e.getMessage().contains("stack frame 0 of 512 bytes"), e.getMessage());
        // Below the frame, the borrow changes the region part of the pointer: no region at all.
        e = fault(new Vm(), "ldxb %r0, [%r10-513]\nexit", 0);
        assertTrue(e.getMessage().contains("not a pointer to memory the program holds"), e.getMessage());
    }

    @Test
    void scalarsAreNotPointers() {
        VmException e = fault(new Vm(), "mov %r1, 0\nldxw %r0, [%r1]\nexit", 0);
        assertTrue(e.getMessage().contains("not a pointer to memory the program holds"), e.getMessage());
        e = fault(new Vm(), "lddw %r1, 0x7fff00000000\nstw [%r1], 1\nexit", 0);
        assertTrue(e.getMessage().contains("invalid write of 4 bytes"), e.getMessage());
    }

    @Test
    void regionsAreCheckedEvenAfterPointerArithmetic() {
        byte[] mem = new byte[16];
        Vm vm = new Vm();
        long p = vm.region(mem, 0, 16, true);
        // 8 bytes at offset 12 cross the end of the 16-byte region.
        VmException e = fault(vm, "add %r1, 12\nldxdw %r0, [%r1]\nexit", p);
        assertTrue(e.getMessage().contains("offset 12 in memory of 16 bytes"), e.getMessage());
        // Moving a pointer by 2^32 changes its region id, but the tag no longer matches: no region,
        // not the neighbour the run also holds.
        Vm vm2 = new Vm();
        long q = vm2.region(mem, 0, 16, true);
        vm2.region(new byte[16], 0, 16, true);
        e = fault(vm2, "lddw %r2, 0x100000000\nadd %r1, %r2\nldxb %r0, [%r1]\nexit", q);
        assertTrue(e.getMessage().contains("not a pointer to memory the program holds"), e.getMessage());
    }

    @Test
    void writesStayInsideTheirSliceAndReadOnlyRegionsRefuseWrites() {
        byte[] backing = new byte[8];
        Vm vm = new Vm();
        long p = vm.region(backing, 2, 4, true);
        VmProgram write = new VmLoader().load(TextAssembler.assemble("stw [%r1], -1\nmov %r0, 0\nexit"));
        vm.run(write, p);
        assertArrayEquals(new byte[] {0, 0, -1, -1, -1, -1, 0, 0}, backing);
        long ro = vm.region(backing, 0, 8, false);
        VmException e = fault(vm, "stb [%r1], 1\nexit", ro);
        assertTrue(e.getMessage().contains("read-only"), e.getMessage());
    }

    @Test
    void pointersDoNotOutliveTheirRun() {
        Vm vm = new Vm();
        long p = vm.region(new byte[8], 0, 8, true);
        VmProgram read = new VmLoader().load(TextAssembler.assemble("ldxb %r0, [%r1]\nexit"));
        assertEquals(0, vm.run(read, p));
        VmException e = assertThrows(VmException.class, () -> vm.run(read, p));
        assertTrue(e.getMessage().contains("not a pointer"), e.getMessage());
        // Even when the next run reuses the region id, the old pointer's tag is stale.
        long fresh = vm.region(new byte[] {5, 0, 0, 0, 0, 0, 0, 0}, 0, 8, true);
        assertEquals(p & 0xffff_ffffL, fresh & 0xffff_ffffL);
        assertEquals((p >>> 32) & 0xffff, (fresh >>> 32) & 0xffff, "same region id");
        e = assertThrows(VmException.class, () -> vm.run(read, p));
        assertTrue(e.getMessage().contains("not a pointer"), e.getMessage());
        long again = vm.region(new byte[] {5}, 0, 1, true);
        assertEquals(5, vm.run(read, again));
        // The stack pointer of an earlier run is stale too.
        VmProgram leak = new VmLoader().load(TextAssembler.assemble("mov %r0, %r10\nexit"));
        long oldR10 = vm.run(leak, 0);
        e = assertThrows(VmException.class, () -> vm.run(read, oldR10 - 1));
        assertTrue(e.getMessage().contains("not a pointer"), e.getMessage());
    }

    /**
     * A called frame's stack pointer dies with its run too, whether the next run enters that
     * frame or not (a run tags only the frames it enters).
     */
    @Test
    void calledFramePointersDoNotOutliveTheirRun() {
        Vm vm = new Vm();
        VmProgram leak = new VmLoader().load(TextAssembler.assemble(String.join("\n",
                "call local f", "exit", "f:", "stb [%r10-1], 7", "mov %r0, %r10", "exit")));
        long callee = vm.run(leak, 0);
        VmProgram readHere = new VmLoader().load(TextAssembler.assemble(String.join("\n",
                "call local f", "ldxb %r0, [%r1]", "exit", "f:", "ldxb %r0, [%r1]", "exit")));
        VmProgram read = new VmLoader().load(TextAssembler.assemble("ldxb %r0, [%r1]\nexit"));
        VmException e = assertThrows(VmException.class, () -> vm.run(read, callee - 1), "frame 1 not entered");
        assertTrue(e.getMessage().contains("not a pointer"), e.getMessage());
        e = assertThrows(VmException.class, () -> vm.run(readHere, callee - 1), "frame 1 entered again");
        assertTrue(e.getMessage().contains("not a pointer"), e.getMessage());
        // The same read inside the run that made the pointer succeeds (the callee wrote 7 there),
        // so the faults above come from the pointer's age, not from its value.
        VmProgram within = new VmLoader().load(TextAssembler.assemble(String.join("\n",
                "call local f", "ldxb %r0, [%r0-1]", "exit", "f:", "stb [%r10-1], 7", "mov %r0, %r10", "exit")));
        assertEquals(7, vm.run(within, 0));
    }

    @Test
    void mapPointersCannotBeDereferenced() {
        TestMaps.Hash map = new TestMaps.Hash(4, 8, 4, 1);
        VmProgram p = new VmLoader().maps(TestMaps.fds(map))
                .load(TextAssembler.assemble("ldmapfd %r1, 100\nldxdw %r0, [%r1]\nexit"));
        VmException e = assertThrows(VmException.class, () -> new Vm().run(p, 0));
        assertTrue(e.getMessage().contains("a map pointer, which programs cannot dereference"), e.getMessage());
    }
}
