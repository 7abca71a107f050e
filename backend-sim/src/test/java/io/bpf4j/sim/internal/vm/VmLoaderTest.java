package io.bpf4j.sim.internal.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.bpf4j.api.asm.TextAssembler;
import org.junit.jupiter.api.Test;

class VmLoaderTest {
    private static VmLoadException reject(String text, VmMap... maps) {
        long[] p = TextAssembler.assemble(text);
        return assertThrows(VmLoadException.class, () -> new VmLoader().maps(TestMaps.fds(maps)).load(p));
    }

    private static void assertRejected(String text, int pc, String message) {
        VmLoadException e = reject(text);
        assertEquals(message, e.getMessage());
        assertEquals(pc, e.pc());
        assertEquals(22, e.errno());
    }

    @Test
    void rejectsWhatTheKernelRejectsWithItsWording() {
        assertRejected("call 212\nexit", 0, "invalid func unknown#212");
        assertRejected("mov %r10, 1\nexit", 0, "frame pointer is read only");
        assertRejected("ja +5\nexit", 0, "jump out of range from insn 0 to 6");
        assertRejected("ja +1\nlddw %r0, 1\nexit", 0, "jump into the middle of ldimm64 insn 1");
        assertRejected("mov %r0, 0", 0, "last insn is not an exit or jmp");
        assertRejected("div %r0, 0\nexit", 0, "div by zero");
        assertRejected("lsh32 %r0, 32\nexit", 0, "invalid shift 32");
        assertRejected(".insn 0xff, 0, 0, 0, 0\nexit", 0, "unknown opcode ff");
        assertRejected(".insn 0x07, 0, 1, 0, 1\nexit", 0, "BPF_ALU uses reserved fields");
        assertRejected(".insn 0xd4, 0, 0, 0, 24\nexit", 0, "BPF_END uses reserved fields");
        assertRejected(".insn 0xdb, 1, 2, 0, 0x02\nexit", 0, "BPF_ATOMIC uses invalid atomic opcode 02");
        assertRejected(".insn 0x95, 0, 0, 0, 0\n.insn 0x18, 0, 0, 0, 0", 1, "invalid bpf_ld_imm64 insn");
        assertRejected("call kfunc 5\nexit", 0, "calling kernel function 5 is not supported by the simulator");
        assertRejected(".insn 0xbf, 11, 0, 0, 0\nexit", 0, "R11 is invalid");
        assertRejected("callx %r2\nexit", 0, "unknown opcode 8d");
        assertEquals("empty program", assertThrows(VmLoadException.class,
                () -> new VmLoader().load(new long[0])).getMessage());
    }

    @Test
    void helpersOutsideTheTableAreRejectedByName() {
        long[] p = TextAssembler.assemble("call 26\nexit");
        VmLoadException e = assertThrows(VmLoadException.class,
                () -> new VmLoader().helpers(HelperTable.linux().without(26)).load(p));
        assertEquals("program of this type cannot use helper bpf_skb_load_bytes#26", e.getMessage());
        new VmLoader().helpers(HelperTable.empty().with(5000, (vm, a, b, c, d, f) -> 0))
                .load(TextAssembler.assemble("call 5000\nexit"));
    }

    @Test
    void mapReferencesMustResolve() {
        VmLoadException e = reject("ldmapfd %r1, 7\nexit");
        assertEquals("fd 7 is not pointing to valid bpf_map", e.getMessage());
        assertEquals(9, e.errno());
        TestMaps.Hash hash = new TestMaps.Hash(4, 8, 1, 1);
        assertEquals("no direct value access support for this map type",
                reject("ldmapvalue %r1, 100, 0\nexit", hash).getMessage());
        TestMaps.Array array = new TestMaps.Array(8, 1, false);
        assertEquals("invalid access to map value pointer, value_size=8 off=8",
                reject("ldmapvalue %r1, 100, 8\nexit", array).getMessage());
        VmProgram p = new VmLoader().maps(TestMaps.fds(array, hash))
                .load(TextAssembler.assemble("ldmapfd %r1, 101\nldmapidx %r2, 1\nldmapfd %r3, 100\nexit"));
        assertEquals(2, p.maps().length, "each map once");
    }
}
