package io.bpf4j.it.btf;

import io.bpf4j.api.btf.Btf;
import io.bpf4j.api.btf.BtfExt;
import io.bpf4j.api.btf.CoreReloKind;
import io.bpf4j.api.btf.CoreRelocationException;
import io.bpf4j.api.btf.CoreRelocator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A compiled BPF object as the CO-RE tests need it, read straight from its ELF file (the layouts
 * of {@code Elf64_Ehdr}, {@code Elf64_Shdr} and {@code Elf64_Sym} in {@code elf.h}): its
 * {@code .BTF} and {@code .BTF.ext}, the instructions of its executable sections, and its programs
 * (global functions in those sections). {@link #relocate} applies CO-RE relocations with bpf4j's
 * engine the way libbpf's {@code bpf_object__relocate_core()} drives its own: one engine for the
 * object, sections in {@code .BTF.ext} order, relocations of programs not being loaded skipped,
 * the first failure ending it all.
 */
final class CoreObject {
    /** A program: a function symbol's instructions in its section. */
    record Program(String name, String section, int start, int length) {
    }

    /** One relocation bpf4j applied: which program, its index in the section's records, the outcome. */
    record Applied(String program, int index, CoreRelocator.Result result) {
    }

    /**
     * What a relocation run gives: each selected program's instructions, or the relocation that
     * failed (its program and its index among its section's records, libbpf's "relo #N").
     */
    record Outcome(Map<String, long[]> programs, List<Applied> applied, String failedProgram, int failedIndex,
            String failure) {
        boolean ok() {
            return failure == null;
        }
    }

    final String name;
    final byte[] elf;
    final Btf btf;
    final BtfExt ext;
    final List<Program> programs;
    private final Map<String, long[]> sections;

    private CoreObject(String name, byte[] elf) {
        this.name = name;
        this.elf = elf;
        this.btf = Btf.parse(section(elf, ".BTF"));
        this.ext = BtfExt.parse(section(elf, ".BTF.ext"), btf);
        this.sections = new LinkedHashMap<>();
        this.programs = new ArrayList<>();
        read();
    }

    static CoreObject parse(String name, byte[] elf) {
        return new CoreObject(name, elf);
    }

    /** An object of the corpus (api/src/test/resources/objects, on this module's test class path). */
    static CoreObject corpus(String name) {
        try (InputStream in = CoreObject.class.getResourceAsStream("/objects/" + name)) {
            if (in == null) throw new IllegalStateException("test object " + name + " is not on the class path");
            return new CoreObject(name, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Program program(String name) {
        return programs.stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no program " + name + " in " + this.name));
    }

    /** The program's instructions as compiled. */
    long[] instructions(String program) {
        Program p = program(program);
        long[] out = new long[p.length()];
        System.arraycopy(sections.get(p.section()), p.start(), out, 0, p.length());
        return out;
    }

    /**
     * Relocates the selected programs against a target with bpf4j's engine, in libbpf's order.
     *
     * @param target the target BTF
     * @param selected the programs being loaded
     * @return their instructions, or where relocation failed
     */
    Outcome relocate(Btf target, Set<String> selected) {
        CoreRelocator engine = new CoreRelocator(btf, target);
        Map<String, long[]> patched = new LinkedHashMap<>();
        sections.forEach((k, v) -> patched.put(k, v.clone()));
        List<Applied> applied = new ArrayList<>();
        for (BtfExt.Section<BtfExt.CoreRelo> sec : ext.coreRelos()) {
            long[] insns = patched.get(sec.name());
            if (insns == null) throw new IllegalStateException(name + ": .BTF.ext names section " + sec.name() + ", which has no code");
            for (int i = 0; i < sec.records().size(); i++) {
                BtfExt.CoreRelo r = sec.records().get(i);
                Program p = programAt(sec.name(), r.insnIndex());
                if (p == null || !selected.contains(p.name())) continue;
                try {
                    CoreRelocator.Result res = engine.resolve(r);
                    CoreRelocator.patch(insns, res);
                    applied.add(new Applied(p.name(), i, res));
                } catch (CoreRelocationException e) {
                    return new Outcome(Map.of(), applied, p.name(), i, e.getMessage());
                }
            }
        }
        Map<String, long[]> out = new LinkedHashMap<>();
        for (Program p : programs) {
            if (!selected.contains(p.name())) continue;
            long[] code = new long[p.length()];
            System.arraycopy(patched.get(p.section()), p.start(), code, 0, p.length());
            out.put(p.name(), code);
        }
        return new Outcome(out, applied, null, -1, null);
    }

    private Program programAt(String section, int insn) {
        for (Program p : programs) {
            if (p.section().equals(section) && insn >= p.start() && insn < p.start() + p.length()) return p;
        }
        return null;
    }

    /**
     * The same object with every CO-RE relocation of one kind turned into another, the rest of the
     * file unchanged ({@code struct btf_ext_header} and {@code struct bpf_core_relo} of
     * {@code include/uapi/linux/btf.h} and libbpf's {@code btf.h}, Linux 6.18).
     */
    CoreObject withKind(CoreReloKind from, CoreReloKind to, String newName) {
        byte[] copy = elf.clone();
        ByteBuffer b = ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN);
        int ext = (int) sectionHeader(copy, ".BTF.ext")[0];
        int hdrLen = b.getInt(ext + 4);
        int reloOff = ext + hdrLen + b.getInt(ext + 24);
        int reloLen = b.getInt(ext + 28);
        int recSize = b.getInt(reloOff);
        int changed = 0;
        for (int p = reloOff + 4; p < reloOff + reloLen;) {
            int n = b.getInt(p + 4);
            for (int i = 0; i < n; i++) {
                int kindAt = p + 8 + i * recSize + 12;
                if (b.getInt(kindAt) == from.number()) {
                    b.putInt(kindAt, to.number());
                    changed++;
                }
            }
            p += 8 + n * recSize;
        }
        if (changed == 0) throw new IllegalStateException(name + " has no " + from + " relocation to turn into " + to);
        return new CoreObject(newName, copy);
    }

    // ---------------------------------------------------------------- ELF

    private void read() {
        ByteBuffer b = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
        long shoff = b.getLong(0x28);
        int shentsize = b.getShort(0x3a) & 0xffff;
        int shnum = b.getShort(0x3c) & 0xffff;
        String[] names = new String[shnum];
        int symtab = -1;
        for (int i = 0; i < shnum; i++) {
            int h = (int) (shoff + (long) i * shentsize);
            names[i] = sectionName(elf, i);
            int type = b.getInt(h + 4);
            long flags = b.getLong(h + 8);
            long off = b.getLong(h + 0x18);
            long size = b.getLong(h + 0x20);
            if (type == 2) symtab = i; // SHT_SYMTAB
            if (type == 1 && (flags & 4) != 0 && size > 0) { // SHT_PROGBITS, SHF_EXECINSTR
                long[] insns = new long[(int) (size / 8)];
                for (int k = 0; k < insns.length; k++) insns[k] = b.getLong((int) off + k * 8);
                sections.put(names[i], insns);
            }
        }
        if (symtab < 0) throw new IllegalArgumentException(name + " has no symbol table");
        int h = (int) (shoff + (long) symtab * shentsize);
        long off = b.getLong(h + 0x18);
        long size = b.getLong(h + 0x20);
        int strtab = b.getInt(h + 0x28);
        long strOff = b.getLong((int) (shoff + (long) strtab * shentsize + 0x18));
        for (long s = off; s < off + size; s += 24) {
            int info = elf[(int) s + 4] & 0xff;
            int shndx = b.getShort((int) s + 6) & 0xffff;
            long value = b.getLong((int) s + 8);
            long symSize = b.getLong((int) s + 16);
            // global functions with code: libbpf's programs (static ones live in .text as subprograms)
            if ((info & 0xf) != 2 || (info >> 4) != 1 || symSize == 0 || shndx >= shnum) continue;
            if (!sections.containsKey(names[shndx])) continue;
            String sym = cString(elf, (int) (strOff + b.getInt((int) s)));
            programs.add(new Program(sym, names[shndx], (int) (value / 8), (int) (symSize / 8)));
        }
        programs.sort(java.util.Comparator.comparing(Program::section).thenComparingInt(Program::start));
    }

    /** The bytes of a named section of a little-endian ELF64 file. */
    static byte[] section(byte[] elf, String name) {
        long[] h = sectionHeader(elf, name);
        byte[] out = new byte[(int) h[1]];
        System.arraycopy(elf, (int) h[0], out, 0, out.length);
        return out;
    }

    /** A named section's file offset and size. */
    private static long[] sectionHeader(byte[] elf, String name) {
        ByteBuffer b = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt(0) != 0x464c457f || elf[4] != 2 || elf[5] != 1) throw new IllegalArgumentException("not a little-endian ELF64 file");
        long shoff = b.getLong(0x28);
        int shentsize = b.getShort(0x3a) & 0xffff;
        int shnum = b.getShort(0x3c) & 0xffff;
        for (int i = 0; i < shnum; i++) {
            if (sectionName(elf, i).equals(name)) {
                int h = (int) (shoff + (long) i * shentsize);
                return new long[] {b.getLong(h + 0x18), b.getLong(h + 0x20)};
            }
        }
        throw new IllegalArgumentException("no section " + name);
    }

    private static String sectionName(byte[] elf, int index) {
        ByteBuffer b = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
        long shoff = b.getLong(0x28);
        int shentsize = b.getShort(0x3a) & 0xffff;
        int shstrndx = b.getShort(0x3e) & 0xffff;
        long strOff = b.getLong((int) (shoff + (long) shstrndx * shentsize + 0x18));
        int nameOff = b.getInt((int) (shoff + (long) index * shentsize));
        return cString(elf, (int) (strOff + nameOff));
    }

    private static String cString(byte[] b, int from) {
        int end = from;
        while (b[end] != 0) end++;
        return new String(b, from, end - from, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return name;
    }
}
