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
}
