package io.bpf4j.api.object;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A relocatable ELF64 object for the BPF machine, read from bytes: the header, the section
 * headers, the symbol table and the string tables, and each section's relocations on demand.
 * Layouts are those of {@code <elf.h>} (glibc 2.36) for ELF64.
 *
 * <p>Every offset and count read from the file is checked against the file's length before it
 * is used, so a malformed file fails with {@link ObjectFormatException} and never makes the
 * reader allocate more than a small multiple of its input or loop beyond it.
 */
final class ElfFile {
    static final int EM_BPF = 247;
    static final int ET_REL = 1;
    static final int SHT_NULL = 0;
    static final int SHT_PROGBITS = 1;
    static final int SHT_SYMTAB = 2;
    static final int SHT_STRTAB = 3;
    static final int SHT_RELA = 4;
    static final int SHT_NOBITS = 8;
    static final int SHT_REL = 9;
    static final int SHT_SYMTAB_SHNDX = 18;
    static final long SHF_WRITE = 1;
    static final long SHF_ALLOC = 2;
    static final long SHF_EXECINSTR = 4;
    static final int STT_NOTYPE = 0;
    static final int STT_OBJECT = 1;
    static final int STT_FUNC = 2;
    static final int STT_SECTION = 3;
    static final int STB_LOCAL = 0;
    static final int STB_GLOBAL = 1;
    static final int STB_WEAK = 2;
    static final int SHN_UNDEF = 0;
    static final int SHN_LORESERVE = 0xff00;
    static final int SHN_ABS = 0xfff1;
    static final int SHN_COMMON = 0xfff2;
    static final int SHN_XINDEX = 0xffff;

    private static final int EHDR_SIZE = 64;
    private static final int SHDR_SIZE = 64;
    private static final int SYM_SIZE = 24;
    private static final int REL_SIZE = 16;

    /**
     * A section header.
     *
     * @param index its index in the section header table
     * @param name its name from the section name string table
     * @param type {@code sh_type}
     * @param flags {@code sh_flags}
     * @param offset where its bytes start in the file
     * @param size its size; for {@code SHT_NOBITS} the size in memory, with no bytes in the file
     * @param link {@code sh_link}
     * @param info {@code sh_info}
     * @param entsize {@code sh_entsize}
     */
    record Section(int index, String name, int type, long flags, long offset, long size, int link, int info,
            long entsize) {
        boolean executable() {
            return (flags & SHF_EXECINSTR) != 0;
        }

        boolean writable() {
            return (flags & SHF_WRITE) != 0;
        }
    }

    /**
     * A symbol.
     *
     * @param index its index in the symbol table
     * @param name its name, empty for unnamed (section) symbols
     * @param type {@code ELF64_ST_TYPE}
     * @param bind {@code ELF64_ST_BIND}
     * @param visibility {@code ELF64_ST_VISIBILITY}
     * @param shndx the section it is defined in, or a special index
     * @param value its offset in that section
     * @param size its size
     */
    record Symbol(int index, String name, int type, int bind, int visibility, int shndx, long value, long size) {
    }

    /**
     * A {@code SHT_REL} entry.
     *
     * @param offset where in the target section it applies
     * @param symbol the symbol it refers to
     * @param type the {@code R_BPF_*} type
     */
    record Rel(long offset, Symbol symbol, int type) {
    }

    private final String file;
    private final byte[] data;
    private final List<Section> sections;
    private final List<Symbol> symbols;
    /** For each section index, the index of the SHT_REL section that applies to it, or 0. */
    private final int[] relFor;

    private ElfFile(String file, byte[] data) {
        this.file = file;
        this.data = data;
        checkIdent();
        int shstrndx = u16(62);
        long shoff = u64(40);
        int shentsize = u16(58);
        long shnum = u16(60);
        if (shoff == 0) throw error(null, null, "no section header table (e_shoff is 0)");
        if (shentsize != SHDR_SIZE) throw error(null, null, "e_shentsize is " + shentsize + ", not " + SHDR_SIZE);
        checkRange(shoff, SHDR_SIZE, null, "section header table");
        if (shnum == 0) shnum = u64(shoff + 32); // extended numbering: the count is section 0's sh_size
        if (shstrndx == SHN_XINDEX) shstrndx = (int) u32(shoff + 40); // and the index its sh_link
        if (shnum <= 0 || shnum > (data.length - shoff) / SHDR_SIZE) {
            throw error(null, null, "section header table of " + shnum + " entries at 0x" + Long.toHexString(shoff)
                    + " runs past the end of the file (" + data.length + " bytes)");
        }
        int n = (int) shnum;
        if (shstrndx <= 0 || shstrndx >= n) throw error(null, null, "e_shstrndx " + shstrndx + " is not a section");
        long[] raw = new long[n];
        for (int i = 0; i < n; i++) raw[i] = shoff + (long) i * SHDR_SIZE;
        Section strtab = header(shstrndx, raw[shstrndx], "#" + shstrndx);
        if (strtab.type() != SHT_STRTAB) throw error(strtab.name(), null, "section name table is not SHT_STRTAB");
        List<Section> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long nameOff = u32(raw[i]);
            String name = i == 0 ? "" : string(strtab, nameOff, "#" + i, null);
            list.add(header(i, raw[i], name));
        }
        this.sections = Collections.unmodifiableList(list);
        this.symbols = readSymbols();
        this.relFor = new int[n];
        for (Section s : sections) {
            if (s.type() == SHT_RELA) {
                throw error(s.name(), null, "SHT_RELA relocations are not used for BPF; this is not a BPF object");
            }
            if (s.type() != SHT_REL) continue;
            if (s.info() <= 0 || s.info() >= n) throw error(s.name(), null, "sh_info " + s.info() + " is not a section");
            if (relFor[s.info()] != 0) {
                throw error(sections.get(s.info()).name(), null, "has two relocation sections ('"
                        + sections.get(relFor[s.info()]).name() + "' and '" + s.name() + "')");
            }
            relFor[s.info()] = s.index();
        }
    }

    /**
     * Reads an object file's bytes.
     *
     * @param file the file's name, for messages
     * @param data its bytes; not copied, and not to be changed while the reader is in use
     * @return the reader
     * @throws ObjectFormatException naming the file, section and symbol of what is malformed
     */
    static ElfFile read(String file, byte[] data) {
        return new ElfFile(file, data);
    }

    String file() {
        return file;
    }

    List<Section> sections() {
        return sections;
    }

    Section section(int index) {
        return sections.get(index);
    }

    List<Symbol> symbols() {
        return symbols;
    }

    /** The symbols defined in a section, in table order (indexed once, so lookups stay linear in the file). */
    List<Symbol> symbolsIn(Section s) {
        if (bySection == null) {
            List<List<Symbol>> index = new ArrayList<>(sections.size());
            for (int i = 0; i < sections.size(); i++) index.add(new ArrayList<>(0));
            for (Symbol sym : symbols) {
                if (sym.shndx() != SHN_UNDEF && sym.shndx() < sections.size()) index.get(sym.shndx()).add(sym);
            }
            bySection = index;
        }
        return Collections.unmodifiableList(bySection.get(s.index()));
    }

    private List<List<Symbol>> bySection;

    /** The section a symbol is defined in, or null for undefined, absolute and common symbols. */
    Section sectionOf(Symbol s) {
        int i = s.shndx();
        if (i == SHN_UNDEF || i >= SHN_LORESERVE) return null;
        return sections.get(i);
    }

    /**
     * The bytes of a section. {@code SHT_NOBITS} sections have none in the file and get none
     * here: their size is all there is, and nothing is allocated for it.
     */
    byte[] bytes(Section s) {
        if (s.type() == SHT_NOBITS || s.type() == SHT_NULL) return new byte[0];
        byte[] out = new byte[(int) s.size()];
        System.arraycopy(data, (int) s.offset(), out, 0, out.length);
        return out;
    }

    /**
     * The relocations that apply to a section, each checked to lie inside it.
     *
     * @param target the section relocated
     * @param width how many bytes from its offset each relocation type patches, or -1 for a type
     *     the caller does not handle (then the relocation is refused as unknown)
     */
    List<Rel> relocations(Section target, java.util.function.IntUnaryOperator width) {
        int ri = relFor[target.index()];
        if (ri == 0) return List.of();
        Section rel = sections.get(ri);
        if (rel.link() != symtabIndex) throw error(rel.name(), null, "sh_link " + rel.link() + " is not the symbol table");
        if (rel.entsize() != 0 && rel.entsize() != REL_SIZE) {
            throw error(rel.name(), null, "sh_entsize is " + rel.entsize() + ", not " + REL_SIZE);
        }
        if (rel.size() % REL_SIZE != 0) throw error(rel.name(), null, "size " + rel.size() + " is not a multiple of " + REL_SIZE);
        int count = (int) (rel.size() / REL_SIZE);
        List<Rel> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long at = rel.offset() + (long) i * REL_SIZE;
            long offset = u64(at);
            long info = u64(at + 8);
            long symIndex = info >>> 32;
            int type = (int) info;
            if (symIndex == 0 || symIndex >= symbols.size()) {
                throw error(target.name(), null, "relocation #" + i + " at 0x" + Long.toHexString(offset)
                        + " refers to symbol #" + symIndex + ", which does not exist");
            }
            Symbol sym = symbols.get((int) symIndex);
            int w = width.applyAsInt(type);
            if (w < 0) {
                throw error(target.name(), sym.name(), "relocation at 0x" + Long.toHexString(offset)
                        + " has unknown type " + type + " (" + Relocations.typeName(type) + ")");
            }
            if (offset < 0 || offset > target.size() - w) {
                throw error(target.name(), sym.name(), "relocation at 0x" + Long.toHexString(offset) + " of " + w
                        + " bytes lies outside the section (" + target.size() + " bytes)");
            }
            out.add(new Rel(offset, sym, type));
        }
        return out;
    }

    /** Whether any relocation section applies to this section. */
    boolean hasRelocations(Section target) {
        return relFor[target.index()] != 0;
    }

    ObjectFormatException error(String section, String symbol, String detail) {
        return new ObjectFormatException(file, section, symbol, detail);
    }

    // ------------------------------------------------------------------ reading

    private int symtabIndex;

    private void checkIdent() {
        if (data.length < 16 || data[0] != 0x7f || data[1] != 'E' || data[2] != 'L' || data[3] != 'F') {
            throw error(null, null, "not an ELF file (no \\x7fELF magic)");
        }
        int cls = data[4];
        if (cls == 1) throw error(null, null, "32-bit ELF (ELFCLASS32); BPF objects are ELF64");
        if (cls != 2) throw error(null, null, "unknown ELF class " + cls);
        int enc = data[5];
        if (enc == 2) {
            throw error(null, null, "big-endian object (ELFDATA2MSB): the BPF targets here are little-endian;"
                    + " compile with -target bpfel (or bpf on a little-endian host)");
        }
        if (enc != 1) throw error(null, null, "unknown ELF data encoding " + enc);
        if (data[6] != 1) throw error(null, null, "unknown ELF version " + data[6]);
        if (data.length < EHDR_SIZE) throw error(null, null, "truncated: " + data.length + " bytes, the ELF header needs " + EHDR_SIZE);
        int type = u16(16);
        if (type != ET_REL) throw error(null, null, "ELF type " + type + " is not a relocatable object (ET_REL)");
        int machine = u16(18);
        if (machine != EM_BPF) throw error(null, null, "machine " + machine + " is not BPF (EM_BPF, " + EM_BPF + ")");
    }

    private Section header(int index, long at, String label) {
        Section s = new Section(index, label, (int) u32(at + 4), u64(at + 8), u64(at + 24), u64(at + 32),
                (int) u32(at + 40), (int) u32(at + 44), u64(at + 56));
        if (s.type() != SHT_NOBITS && s.type() != SHT_NULL) {
            if (s.offset() < 0 || s.size() < 0 || s.offset() > data.length || s.size() > data.length - s.offset()) {
                throw error(label, null, "offset 0x" + Long.toHexString(s.offset()) + " + size " + s.size()
                        + " runs past the end of the file (" + data.length + " bytes)");
            }
        }
        return s;
    }

    private List<Symbol> readSymbols() {
        Section symtab = null;
        for (Section s : sections) {
            if (s.type() == SHT_SYMTAB) {
                if (symtab != null) throw error(s.name(), null, "a second symbol table (the first is '" + symtab.name() + "')");
                symtab = s;
            }
            if (s.type() == SHT_SYMTAB_SHNDX) throw error(s.name(), null, "extended symbol section indices are not supported");
        }
        if (symtab == null) throw error(null, null, "no symbol table (SHT_SYMTAB)");
        symtabIndex = symtab.index();
        if (symtab.entsize() != 0 && symtab.entsize() != SYM_SIZE) {
            throw error(symtab.name(), null, "sh_entsize is " + symtab.entsize() + ", not " + SYM_SIZE);
        }
        if (symtab.size() % SYM_SIZE != 0) throw error(symtab.name(), null, "size " + symtab.size() + " is not a multiple of " + SYM_SIZE);
        if (symtab.link() <= 0 || symtab.link() >= sections.size()) throw error(symtab.name(), null, "sh_link " + symtab.link() + " is not a section");
        Section strtab = sections.get(symtab.link());
        if (strtab.type() != SHT_STRTAB) throw error(symtab.name(), null, "its string table '" + strtab.name() + "' is not SHT_STRTAB");
        int count = (int) (symtab.size() / SYM_SIZE);
        List<Symbol> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long at = symtab.offset() + (long) i * SYM_SIZE;
            int info = data[(int) at + 4] & 0xff;
            int shndx = u16(at + 6);
            String name = string(strtab, u32(at), symtab.name(), "#" + i);
            if (shndx != SHN_UNDEF && shndx < SHN_LORESERVE && shndx >= sections.size()) {
                throw error(symtab.name(), name.isEmpty() ? "#" + i : name, "defined in section #" + shndx + ", which does not exist");
            }
            list.add(new Symbol(i, name, info & 0xf, info >>> 4, data[(int) at + 5] & 3, shndx, u64(at + 8), u64(at + 16)));
        }
        return Collections.unmodifiableList(list);
    }

    /** A NUL-terminated string at an offset of a string table, which must end inside it. */
    private String string(Section table, long off, String section, String symbol) {
        if (off < 0 || off >= table.size()) {
            throw error(section, symbol, "name offset " + off + " is outside the string table '" + table.name() + "' ("
                    + table.size() + " bytes)");
        }
        int start = (int) (table.offset() + off);
        int end = (int) (table.offset() + table.size());
        for (int i = start; i < end; i++) {
            if (data[i] == 0) return new String(data, start, i - start, StandardCharsets.UTF_8);
        }
        throw error(section, symbol, "name at offset " + off + " of '" + table.name() + "' has no terminating NUL");
    }

    private void checkRange(long at, long len, String section, String what) {
        if (at < 0 || at > data.length || len > data.length - at) {
            throw error(section, null, what + " at 0x" + Long.toHexString(at) + " (" + len
                    + " bytes) runs past the end of the file (" + data.length + " bytes)");
        }
    }

    private int u16(long at) {
        checkRange(at, 2, null, "field");
        int i = (int) at;
        return (data[i] & 0xff) | (data[i + 1] & 0xff) << 8;
    }

    private long u32(long at) {
        checkRange(at, 4, null, "field");
        int i = (int) at;
        return (data[i] & 0xffL) | (data[i + 1] & 0xffL) << 8 | (data[i + 2] & 0xffL) << 16 | (data[i + 3] & 0xffL) << 24;
    }

    private long u64(long at) {
        return u32(at) | u32(at + 4) << 32;
    }

    /** A little-endian 64-bit word of a byte array. */
    static long word(byte[] b, int at) {
        long v = 0;
        for (int i = 7; i >= 0; i--) v = v << 8 | (b[at + i] & 0xffL);
        return v;
    }
}
