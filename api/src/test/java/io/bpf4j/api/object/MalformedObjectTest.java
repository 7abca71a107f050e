package io.bpf4j.api.object;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.asm.Instruction;
import io.bpf4j.api.asm.Opcodes;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Every kind of malformed object is refused with an {@link ObjectFormatException} whose message
 * names the file, and the section and symbol where there is one. The objects are written by
 * {@link ElfWriter}, starting from one that reads.
 */
class MalformedObjectTest {
    private static final long MOV_R0_2 = new Instruction(Opcodes.ALU64 | Opcodes.MOV | Opcodes.K, 0, 0, 0, 2).encode();
    private static final long EXIT = new Instruction(Opcodes.EXIT_OP, 0, 0, 0, 0).encode();
    private static final long LD_R1 = new Instruction(Opcodes.LD_IMM64, 1, 0, 0, 0).encode();
    private static final long LD_HI = 0;

    private static long call(int imm) {
        return new Instruction(Opcodes.CALL_OP, 0, Opcodes.PSEUDO_CALL, 0, imm).encode();
    }

    /** xdp: r1 = map ll; r0 = 2; exit, with a legacy map "counts" and a license. */
    private static ElfWriter good() {
        ElfWriter w = new ElfWriter();
        int xdp = w.code("xdp", LD_R1, LD_HI, MOV_R0_2, EXIT);
        int maps = w.data("maps", ElfWriter.mapDef(2, 4, 8, 1, 0));
        w.data("license", ElfWriter.license());
        w.function("prog", xdp, 0, 4);
        int counts = w.symbol("counts", ElfFile.STT_OBJECT, ElfFile.STB_GLOBAL, maps, 0, 20);
        w.rel("xdp", 0, counts, Relocations.R_BPF_64_64);
        return w;
    }

    private static ObjectFormatException refused(byte[] elf) {
        return assertThrows(ObjectFormatException.class, () -> ObjectSpec.parse("bad.o", elf));
    }

    private static void refused(byte[] elf, String section, String symbol, String detail) {
        ObjectFormatException e = refused(elf);
        assertEquals("bad.o", e.file());
        assertEquals(section, e.section(), e.getMessage());
        assertEquals(symbol, e.symbol(), e.getMessage());
        assertTrue(e.getMessage().startsWith("bad.o: "), e.getMessage());
        assertTrue(e.getMessage().contains(detail), e.getMessage() + " should say: " + detail);
    }

    private static byte[] put(byte[] b, int at, long v, int width) {
        byte[] c = b.clone();
        ByteBuffer bb = ByteBuffer.wrap(c).order(ByteOrder.LITTLE_ENDIAN);
        switch (width) {
            case 1 -> c[at] = (byte) v;
            case 2 -> bb.putShort(at, (short) v);
            case 4 -> bb.putInt(at, (int) v);
            default -> bb.putLong(at, v);
        }
        return c;
    }

    private static int shoff(byte[] b) {
        return (int) ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong(40);
    }

    @Test
    void theStartingObjectReads() {
        ObjectSpec s = ObjectSpec.parse("good.o", good().build());
        assertEquals(4, s.program("prog").instructionCount());
        assertEquals("counts", s.program("prog").maps().get(0));
    }

    @Test
    void headerProblems() {
        byte[] ok = good().build();
        refused(new byte[0], null, null, "not an ELF file");
        refused(Arrays.copyOf(ok, 40), null, null, "truncated: 40 bytes");
        refused(put(ok, 4, 1, 1), null, null, "32-bit ELF");
        refused(put(ok, 5, 2, 1), null, null, "big-endian object");
        refused(put(ok, 18, 62, 2), null, null, "machine 62 is not BPF");
        refused(put(ok, 16, 2, 2), null, null, "not a relocatable object");
        refused(put(ok, 40, ok.length - 10, 8), null, null, "section header table");
        refused(put(ok, 40, -8, 8), null, null, "runs past the end of the file");
        refused(put(ok, 62, 200, 2), null, null, "e_shstrndx 200 is not a section");
        refused(Arrays.copyOf(ok, ok.length - 1), null, null, "runs past the end of the file");
        refused(put(ok, 58, 40, 2), null, null, "e_shentsize is 40");
    }

    @Test
    void sectionProblems() {
        byte[] ok = good().build();
        int sh1 = shoff(ok) + 64; // section 1, "xdp"
        refused(put(ok, sh1 + 24, ok.length, 8), "xdp", null, "runs past the end of the file");
        refused(put(ok, sh1 + 32, 1L << 40, 8), "xdp", null, "runs past the end of the file");
        refused(put(ok, sh1, 100_000, 4), "#1", null, "outside the string table");

        ElfWriter w = good();
        w.code("foo", MOV_R0_2, EXIT);
        w.function("in_foo", 4, 0, 2);
        refused(w.build(), "foo", null, "unknown section");

        w = good();
        int x = w.code("tc", MOV_R0_2, EXIT);
        w.symbol("hidden", ElfFile.STT_FUNC, ElfFile.STB_LOCAL, x, 0, 16);
        refused(w.build(), "tc", "hidden", "static function in a program section");

        w = good();
        x = w.code("socket", MOV_R0_2, EXIT);
        w.function("half", x, 8, 2);
        refused(w.build(), "socket", "half", "not whole instructions inside the section");

        w = good();
        w.section(".rela.xdp", ElfFile.SHT_RELA, 0, new byte[24]);
        refused(w.build(), ".rela.xdp", null, "SHT_RELA");
    }

    @Test
    void symbolProblems() {
        ElfWriter w = good();
        w.symbol("nowhere", ElfFile.STT_OBJECT, ElfFile.STB_GLOBAL, 99, 0, 4);
        refused(w.build(), ".symtab", "nowhere", "defined in section #99, which does not exist");

        w = good();
        w.rel("xdp", 0, 50, Relocations.R_BPF_64_64);
        w.rels.remove(0);
        refused(w.build(), "xdp", null, "refers to symbol #50, which does not exist");
    }

    @Test
    void relocationProblems() {
        ElfWriter w = good();
        w.rels.set(0, new ElfWriter.Rel("xdp", 24, 2, Relocations.R_BPF_64_64));
        refused(w.build(), "xdp", "counts", "lies outside the section");

        w = good();
        w.rels.set(0, new ElfWriter.Rel("xdp", 0, 2, 7));
        refused(w.build(), "xdp", "counts", "unknown type 7");

        w = good();
        w.rels.set(0, new ElfWriter.Rel("xdp", 16, 2, Relocations.R_BPF_64_64));
        refused(w.build(), "xdp", "counts", "is not on a ld_imm64 or a bpf-to-bpf call");

        w = good();
        w.rels.set(0, new ElfWriter.Rel("xdp", 4, 2, Relocations.R_BPF_64_64));
        refused(w.build(), "xdp", "counts", "not at an instruction boundary");

        w = good();
        w.rels.set(0, new ElfWriter.Rel("xdp", 0, 2, Relocations.R_BPF_64_32));
        refused(w.build(), "xdp", "counts", "R_BPF_64_32 is on a 64-bit load");

        w = good();
        int ext = w.symbol("LINUX_KERNEL_VERSION", ElfFile.STT_NOTYPE, ElfFile.STB_GLOBAL, 0, 0, 0);
        w.rels.set(0, new ElfWriter.Rel("xdp", 0, ext, Relocations.R_BPF_64_64));
        refused(w.build(), null, "LINUX_KERNEL_VERSION", "extern symbol, but the object has no .BTF");

        w = good();
        int lic = w.symbol("LICENSE", ElfFile.STT_OBJECT, ElfFile.STB_GLOBAL, 3, 0, 4);
        w.rels.set(0, new ElfWriter.Rel("xdp", 0, lic, Relocations.R_BPF_64_64));
        refused(w.build(), "xdp", "LICENSE", "neither a map nor global data");

        w = good();
        int notMap = w.symbol("", ElfFile.STT_SECTION, ElfFile.STB_LOCAL, 2, 8, 0);
        w.rels.set(0, new ElfWriter.Rel("xdp", 0, notMap, Relocations.R_BPF_64_64));
        refused(w.build(), "xdp", "", "refers to offset 8 of 'maps', where no map is defined");
    }

    @Test
    void callProblems() {
        ElfWriter w = new ElfWriter();
        int xdp = w.code("xdp", call(-1), MOV_R0_2, EXIT);
        w.function("prog", xdp, 0, 3);
        int kfunc = w.symbol("bpf_kfunc", ElfFile.STT_FUNC, ElfFile.STB_GLOBAL, 0, 0, 0);
        w.rel("xdp", 0, kfunc, Relocations.R_BPF_64_32);
        refused(w.build(), null, "bpf_kfunc", "extern symbol, but the object has no .BTF");

        w = new ElfWriter();
        xdp = w.code("xdp", call(40), MOV_R0_2, EXIT);
        w.function("prog", xdp, 0, 3);
        refused(w.build(), "xdp", "prog", "is in no function");

        w = new ElfWriter();
        xdp = w.code("xdp", call(-1), MOV_R0_2, EXIT);
        int data = w.data(".data", new byte[8]);
        w.function("prog", xdp, 0, 3);
        int v = w.symbol("v", ElfFile.STT_OBJECT, ElfFile.STB_GLOBAL, data, 0, 8);
        w.rel("xdp", 0, v, Relocations.R_BPF_64_32);
        refused(w.build(), "xdp", "v", "which is not code");

        w = new ElfWriter();
        xdp = w.code("xdp", LD_R1, MOV_R0_2, EXIT);
        w.function("prog", xdp, 0, 1);
        refused(w.build(), "xdp", "prog", "has no second half");
    }

    @Test
    void unsupportedSectionsSayWhy() {
        for (String n : new String[] {".struct_ops", ".struct_ops.link"}) {
            ElfWriter w = good();
            w.data(n, new byte[16]);
            refused(w.build(), n, null, "unsupported: struct_ops maps");
        }
        ElfWriter w = good();
        w.data(".addr_space.1", new byte[16]);
        refused(w.build(), ".addr_space.1", null, "unsupported: arena variables");
    }

    @Test
    void mapProblems() {
        ElfWriter w = new ElfWriter();
        int prog = w.code("xdp", MOV_R0_2, EXIT);
        w.function("prog", prog, 0, 2);
        byte[] two = new byte[40];
        System.arraycopy(ElfWriter.mapDef(2, 4, 8, 1, 0), 0, two, 0, 20);
        System.arraycopy(ElfWriter.mapDef(1, 4, 8, 1, 0), 0, two, 20, 20);
        int m2 = w.data("maps", two);
        w.symbol("counts", ElfFile.STT_OBJECT, ElfFile.STB_LOCAL, m2, 0, 20);
        w.symbol("counts", ElfFile.STT_OBJECT, ElfFile.STB_LOCAL, m2, 20, 20);
        refused(w.build(), "maps", "counts", "a second map of this name");

        w = new ElfWriter();
        int xdp = w.code("xdp", MOV_R0_2, EXIT);
        w.function("prog", xdp, 0, 2);
        int maps = w.data("maps", ElfWriter.mapDef(99, 4, 8, 1, 0));
        w.symbol("m", ElfFile.STT_OBJECT, ElfFile.STB_GLOBAL, maps, 0, 20);
        refused(w.build(), "maps", "m", "unknown map type 99");

        w = new ElfWriter();
        xdp = w.code("xdp", MOV_R0_2, EXIT);
        w.function("prog", xdp, 0, 2);
        byte[] def = Arrays.copyOf(ElfWriter.mapDef(2, 4, 8, 1, 0), 24);
        def[22] = 1;
        maps = w.data("maps", def);
        w.symbol("m", ElfFile.STT_OBJECT, ElfFile.STB_GLOBAL, maps, 0, 24);
        refused(w.build(), "maps", "m", "non-zero bytes past");

        w = new ElfWriter();
        xdp = w.code("xdp", MOV_R0_2, EXIT);
        w.function("prog", xdp, 0, 2);
        maps = w.data("maps", new byte[30]);
        w.symbol("a", ElfFile.STT_OBJECT, ElfFile.STB_GLOBAL, maps, 0, 15);
        w.symbol("b", ElfFile.STT_OBJECT, ElfFile.STB_GLOBAL, maps, 15, 15);
        refused(w.build(), "maps", null, "does not divide into 2 definitions of at least 16 bytes");

        w = new ElfWriter();
        xdp = w.code("xdp", LD_R1, LD_HI, MOV_R0_2, EXIT);
        w.function("prog", xdp, 0, 4);
        int data = w.data(".data", new byte[8]);
        int sec = w.symbol("", ElfFile.STT_SECTION, ElfFile.STB_LOCAL, data, 0, 0);
        w.rel("xdp", 0, sec, Relocations.R_BPF_64_64);
        byte[] elf = w.build();
        assertEquals(".data", ObjectSpec.parse("ok.o", elf).program("prog").maps().get(0), "offset 0 of .data is fine");
        w.sections.set(0, new ElfWriter.Sec("xdp", ElfFile.SHT_PROGBITS, ElfFile.SHF_ALLOC | ElfFile.SHF_EXECINSTR,
                codeBytes(new Instruction(Opcodes.LD_IMM64, 1, 0, 0, 8).encode(), LD_HI, MOV_R0_2, EXIT), 0, 0, 0, 0));
        refused(w.build(), "xdp", "", "refers to offset 8 of '.data', which has 8 bytes");
    }

    private static byte[] codeBytes(long... insns) {
        ByteBuffer b = ByteBuffer.allocate(insns.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long i : insns) b.putLong(i);
        return b.array();
    }
}
