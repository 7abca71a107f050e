package io.bpf4j.sim.internal.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bpf4j.api.asm.TextAssembler;
import org.junit.jupiter.api.Test;

class TailCallTest {
    @Test
    void tailCallsReplaceTheProgramAndStopAfterThirtyThree() {
        TestMaps.Progs progs = new TestMaps.Progs(2);
        TestMaps.Array counter = new TestMaps.Array(8, 1, false);
        MapResolver maps = TestMaps.fds(progs, counter);
        // Counts itself in the array map, then tail-calls slot 0 (itself) until the kernel's limit.
        VmProgram self = new VmLoader().maps(maps).load(TextAssembler.assemble(String.join("\n",
                "mov %r6, %r1",
                "ldmapvalue %r7, 101, 0",
                "mov %r2, 1",
                "lock add [%r7], %r2",
                "mov %r1, %r6",
                "ldmapfd %r2, 100",
                "mov %r3, 0",
                "call 12",
                "ldxdw %r0, [%r7]",        // reached only when the tail call falls through
                "exit")));
        progs.slots[0] = self;
        Vm vm = new Vm();
        long ctx = vm.context(new byte[8]);
        assertEquals(1 + Vm.MAX_TAIL_CALLS, vm.run(self, ctx));
        // An empty slot or an index past max_entries falls through at once.
        progs.slots[0] = null;
        counter.values[0] = new byte[8];
        assertEquals(1, vm.run(self, vm.context(new byte[8])));
    }

    @Test
    void aTailCalledProgramKeepsTheContextAndUsesItsOwnMaps() {
        TestMaps.Progs progs = new TestMaps.Progs(1);
        TestMaps.Array a = new TestMaps.Array(8, 1, false);
        TestMaps.Array b = new TestMaps.Array(8, 1, false);
        a.values[0][0] = 1;
        b.values[0][0] = 2;
        VmProgram second = new VmLoader().maps(TestMaps.fds(b)).load(TextAssembler.assemble(
                "ldmapvalue %r2, 100, 0\nldxb %r0, [%r2]\nldxb %r3, [%r1]\nadd %r0, %r3\nexit"));
        progs.slots[0] = second;
        VmProgram first = new VmLoader().maps(TestMaps.fds(progs, a)).load(TextAssembler.assemble(
                "ldmapvalue %r6, 101, 0\nldmapfd %r2, 100\nmov %r3, 0\ncall 12\nmov %r0, -1\nexit"));
        Vm vm = new Vm();
        long ctx = vm.context(new byte[] {40});
        assertEquals(42, vm.run(first, ctx));
    }

    @Test
    void aTailCallIntoADeeperProgramFindsItsExtraStackZeroed() {
        // Each run zeroes only as much of the main frame as its program reaches (the depth a
        // verifier found); a tail call into a program that reaches deeper must zero the rest, or
        // the target would read what an earlier run left there.
        VmProgram dirty = new VmLoader().stackDepth(64).load(TextAssembler.assemble(
                "stdw [%r10-64], 0x1234\nstdw [%r10-8], 0x99\nmov %r0, 0\nexit"));
        VmProgram deep = new VmLoader().stackDepth(64).load(TextAssembler.assemble(
                "ldxdw %r0, [%r10-64]\nexit"));
        TestMaps.Progs progs = new TestMaps.Progs(1);
        progs.slots[0] = deep;
        VmProgram shallow = new VmLoader().stackDepth(8).maps(TestMaps.fds(progs)).load(TextAssembler.assemble(
                "stdw [%r10-8], 1\nldmapfd %r2, 100\nmov %r3, 0\ncall 12\nmov %r0, -1\nexit"));
        Vm vm = new Vm();
        assertEquals(0, vm.run(dirty, vm.context(new byte[8])));
        assertEquals(0, vm.run(shallow, vm.context(new byte[8])), "the tail-called program read a stale stack");
        assertEquals(0, vm.run(dirty, vm.context(new byte[8])));
        assertEquals(0, vm.run(deep, vm.context(new byte[8])), "a run read a stale stack within its depth");
    }

    @Test
    void aStackDepthOutsideTheFrameIsRefused() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new VmLoader().stackDepth(513));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new VmLoader().stackDepth(-1));
    }
}
