package io.bpf4j.api.symbols;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The parts of an executable or shared library that probes need: program headers (address to
 * file offset), {@code .symtab}/{@code .dynsym} with their string tables and symbol versions
 * ({@code .gnu.version}, {@code .gnu.version_d}), and {@code .note.stapsdt} notes. ELF32 and
 * ELF64 in either byte order, laid out as {@code <elf.h>} (glibc 2.36) defines {@code Elf32_*}
 * and {@code Elf64_*}; the version sections as that header's {@code Elf*_Verdef}/{@code Verdaux}.
 *
 * <p>The file is read in pieces: the headers, then only the sections named above, each checked
 * to lie within the file before it is read, so a large binary is not read whole and a corrupt one
 * cannot make the reader allocate more than the file holds.
 */
final class HostElf {
    static final int ET_EXEC = 2;
    static final int ET_DYN = 3;
    static final int PT_LOAD = 1;
    static final int PF_X = 1;
    static final int SHT_SYMTAB = 2;
    static final int SHT_NOTE = 7;
    static final int SHT_DYNSYM = 11;
    static final int SHT_GNU_VERDEF = 0x6ffffffd;
    static final int SHT_GNU_VERSYM = 0x6fffffff;
    static final int STT_OBJECT = 1;
    static final int STT_FUNC = 2;
    static final int STT_GNU_IFUNC = 10;
    static final int SHN_UNDEF = 0;
    static final int SHN_XINDEX = 0xffff;
    /** A section larger than this is refused even when the file is that large: no symbol table is. */
    private static final long MAX_SECTION = 1L << 30;

    /** A loadable segment. */
    record Segment(long offset, long vaddr, long filesz, long memsz, int flags) {
    }

    /** A section header. */
    record Section(String name, int type, long addr, long offset, long size, int link, int info, long entsize) {
    }

    /**
     * A defined symbol.
     *
     * @param name its name, without a version
     * @param version its version, or null when unversioned
     * @param hidden whether the version is a non-default one ({@code name@V} rather than {@code name@@V})
     * @param dynamic from {@code .dynsym} rather than {@code .symtab}
     */
    record Symbol(String name, String version, boolean hidden, int type, long value, long size, boolean dynamic) {
    }

    /** A {@code stapsdt} note: addresses as the linker wrote them. */
    record Note(long pc, long base, long semaphore, String provider, String name, String args) {
    }

    final Path path;
    final boolean is64;
    final ByteOrder order;
    final int type;
    final int machine;
    final List<Segment> segments = new ArrayList<>();
    final List<Section> sections = new ArrayList<>();
    private final FileChannel ch;
    private final long size;

    private HostElf(Path path, FileChannel ch) throws IOException {
        this.path = path;
        this.ch = ch;
        this.size = ch.size();
        ByteBuffer id = read(0, 16, "the ELF identification");
        if (id.getInt(0) != 0x464c457f) throw bad("not an ELF file (no \\x7fELF magic)");
        int cls = id.get(4);
        int data = id.get(5);
        if (cls != 1 && cls != 2) throw bad("unknown ELF class " + cls);
        if (data != 1 && data != 2) throw bad("unknown ELF data encoding " + data);
        is64 = cls == 2;
        order = data == 1 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        ByteBuffer h = read(0, is64 ? 64 : 52, "the ELF header");
        type = u16(h, 16);
        machine = u16(h, 18);
        if (type != ET_EXEC && type != ET_DYN) {
            throw bad("an ELF file of type " + type + ", not an executable (2) or shared object (3)");
        }
        long phoff = word(h, is64 ? 32 : 28);
        long shoff = word(h, is64 ? 40 : 32);
        int phentsize = u16(h, is64 ? 54 : 42);
        int phnum = u16(h, is64 ? 56 : 44);
        int shentsize = u16(h, is64 ? 58 : 46);
        int shnum = u16(h, is64 ? 60 : 48);
        int shstrndx = u16(h, is64 ? 62 : 50);
        int wantSh = is64 ? 64 : 40;
        if (shoff != 0 && shentsize != wantSh) throw bad("section header size " + shentsize + ", not " + wantSh);
        if (shoff != 0 && (shnum == 0 || shstrndx == SHN_XINDEX)) {
            // Extended numbering: the real counts are in section 0.
            Section zero = sectionAt(shoff, 0);
            if (shnum == 0) shnum = checkCount(zero.size(), "section count");
            if (shstrndx == SHN_XINDEX) shstrndx = zero.link();
        }
        if (phnum == 0xffff && shoff != 0) phnum = sectionAt(shoff, 0).info();
        readSegments(phoff, phentsize, phnum);
        if (shoff != 0) readSections(shoff, shnum, shstrndx);
    }

    /**
     * Opens and reads the headers of an ELF executable or shared library.
     *
     * @param path the file
     * @return the reader, which keeps the file open until {@link #close()}
     * @throws IllegalArgumentException when the file is no well-formed ELF executable or library
     * @throws IOException when it cannot be read
     */
    static HostElf open(Path path) throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
        try {
            return new HostElf(path, ch);
        } catch (RuntimeException | IOException e) {
            ch.close();
            throw e;
        }
    }

    void close() throws IOException {
        ch.close();
    }

    private IllegalArgumentException bad(String why) {
        return new IllegalArgumentException(path + ": " + why);
    }

    private int checkCount(long n, String what) {
        if (n < 0 || n > 65536 * 16) throw bad(what + " " + n + " is not plausible");
        return (int) n;
    }

    private ByteBuffer read(long off, long len, String what) throws IOException {
        if (off < 0 || len < 0 || len > MAX_SECTION || off > size || len > size - off) {
            throw bad(what + " (" + len + " bytes at " + off + ") runs past the end of the " + size + "-byte file");
        }
        ByteBuffer b = ByteBuffer.allocate((int) len).order(order == null ? ByteOrder.LITTLE_ENDIAN : order);
        while (b.hasRemaining()) {
            if (ch.read(b, off + b.position()) < 0) throw bad(what + " is cut short");
        }
        return b.flip();
    }

    private long word(ByteBuffer b, int at) {
        return is64 ? b.getLong(at) : Integer.toUnsignedLong(b.getInt(at));
    }

    private static int u16(ByteBuffer b, int at) {
        return Short.toUnsignedInt(b.getShort(at));
    }

    private void readSegments(long phoff, int entsize, int n) throws IOException {
        if (n == 0 || phoff == 0) return;
        int want = is64 ? 56 : 32;
        if (entsize != want) throw bad("program header size " + entsize + ", not " + want);
        ByteBuffer b = read(phoff, (long) n * want, "the program headers");
        for (int i = 0; i < n; i++) {
            int o = i * want;
            if (b.getInt(o) != PT_LOAD) continue;
            Segment s = is64
                    ? new Segment(b.getLong(o + 8), b.getLong(o + 16), b.getLong(o + 32), b.getLong(o + 40), b.getInt(o + 4))
                    : new Segment(word(b, o + 4), word(b, o + 8), word(b, o + 16), word(b, o + 20), b.getInt(o + 24));
            segments.add(s);
        }
    }

    private Section sectionAt(long shoff, int i) throws IOException {
        int es = is64 ? 64 : 40;
        ByteBuffer b = read(shoff + (long) i * es, es, "section header " + i);
        return header(b, 0, "");
    }

    private Section header(ByteBuffer b, int o, String name) {
        if (is64) {
            return new Section(name, b.getInt(o + 4), b.getLong(o + 16), b.getLong(o + 24), b.getLong(o + 32), b.getInt(o + 40),
                    b.getInt(o + 44), b.getLong(o + 56));
        }
        return new Section(name, b.getInt(o + 4), word(b, o + 12), word(b, o + 16), word(b, o + 20), b.getInt(o + 24),
                b.getInt(o + 28), word(b, o + 36));
    }

    private void readSections(long shoff, int n, int shstrndx) throws IOException {
        int es = is64 ? 64 : 40;
        ByteBuffer b = read(shoff, (long) n * es, "the section headers");
        if (shstrndx >= n) throw bad("the section name table's index " + shstrndx + " is not below the " + n + " sections");
        Section names = header(b, shstrndx * es, "");
        ByteBuffer strs = names.type() == 8 ? ByteBuffer.allocate(0) : read(names.offset(), names.size(), "the section names");
        for (int i = 0; i < n; i++) {
            int nameOff = b.getInt(i * es);
            sections.add(header(b, i * es, string(strs, nameOff)));
        }
    }

    /** A NUL-terminated string in a table; empty for an offset outside it. */
    static String string(ByteBuffer table, int off) {
        if (off < 0 || off >= table.limit()) return "";
        int end = off;
        while (end < table.limit() && table.get(end) != 0) end++;
        byte[] s = new byte[end - off];
        table.get(off, s);
        return new String(s, StandardCharsets.UTF_8);
    }

    Section section(String name) {
        for (Section s : sections) {
            if (s.name().equals(name)) return s;
        }
        return null;
    }

    private ByteBuffer contents(Section s) throws IOException {
        if (s.type() == 8) return ByteBuffer.allocate(0).order(order); // SHT_NOBITS
        return read(s.offset(), s.size(), "section " + s.name());
    }

    private Section linked(Section s) {
        if (s.link() <= 0 || s.link() >= sections.size()) throw bad("section " + s.name() + " links to no section (" + s.link() + ")");
        return sections.get(s.link());
    }

    /** Every defined symbol of {@code .symtab} and {@code .dynsym}, versioned where the file says. */
    List<Symbol> symbols() throws IOException {
        List<Symbol> out = new ArrayList<>();
        for (int i = 0; i < sections.size(); i++) {
            Section s = sections.get(i);
            if (s.type() != SHT_SYMTAB && s.type() != SHT_DYNSYM) continue;
            boolean dyn = s.type() == SHT_DYNSYM;
            int es = is64 ? 24 : 16;
            if (s.entsize() != es) throw bad("section " + s.name() + " has entries of " + s.entsize() + " bytes, not " + es);
            ByteBuffer syms = contents(s);
            ByteBuffer strs = contents(linked(s));
            ByteBuffer versym = null;
            List<String> versions = List.of();
            if (dyn) {
                for (Section v : sections) {
                    if (v.type() == SHT_GNU_VERSYM && v.link() == i) versym = contents(v);
                }
                versions = versionNames();
            }
            int count = syms.limit() / es;
            for (int k = 1; k < count; k++) {
                int o = k * es;
                int nameOff = syms.getInt(o);
                int info = Byte.toUnsignedInt(syms.get(o + (is64 ? 4 : 12)));
                int shndx = u16(syms, o + (is64 ? 6 : 14));
                long value = is64 ? syms.getLong(o + 8) : word(syms, o + 4);
                long sz = is64 ? syms.getLong(o + 16) : word(syms, o + 8);
                if (shndx == SHN_UNDEF) continue;
                String name = string(strs, nameOff);
                if (name.isEmpty()) continue;
                String version = null;
                boolean hidden = false;
                int at = name.indexOf('@');
                if (at > 0) {
                    // A .symtab name may carry its version itself: "memcpy@@GLIBC_2.14", "memcpy@GLIBC_2.2.5".
                    boolean def = name.startsWith("@@", at);
                    version = name.substring(at + (def ? 2 : 1));
                    hidden = !def;
                    name = name.substring(0, at);
                } else if (versym != null && 2 * k + 1 < versym.limit()) {
                    int v = u16(versym, 2 * k);
                    int idx = v & 0x7fff;
                    if (idx >= 2 && idx < versions.size() && versions.get(idx) != null) {
                        version = versions.get(idx);
                        hidden = (v & 0x8000) != 0;
                    }
                }
                out.add(new Symbol(name, version, hidden, info & 0xf, value, sz, dyn));
            }
        }
        return out;
    }

    /** Version names by index, from {@code .gnu.version_d}: the versions this file defines. */
    private List<String> versionNames() throws IOException {
        List<String> names = new ArrayList<>();
        for (Section s : sections) {
            if (s.type() != SHT_GNU_VERDEF) continue;
            ByteBuffer d = contents(s);
            ByteBuffer strs = contents(linked(s));
            int off = 0;
            for (int n = 0; n < Math.max(s.info(), 0) && n < 65536; n++) {
                if (off < 0 || off + 20 > d.limit()) throw bad("version definition " + n + " runs past section " + s.name());
                int ndx = u16(d, off + 4);
                int aux = d.getInt(off + 12);
                int next = d.getInt(off + 16);
                long auxAt = (long) off + aux;
                if (auxAt < 0 || auxAt + 8 > d.limit()) throw bad("version definition " + n + "'s name runs past section " + s.name());
                String name = string(strs, d.getInt((int) auxAt));
                while (names.size() <= (ndx & 0x7fff)) names.add(null);
                names.set(ndx & 0x7fff, name);
                if (next == 0) break;
                off += next;
            }
        }
        return names;
    }

    /** The {@code stapsdt} notes of every {@code .note.stapsdt} section. */
    List<Note> stapsdtNotes() throws IOException {
        List<Note> out = new ArrayList<>();
        int w = is64 ? 8 : 4;
        for (Section s : sections) {
            if (s.type() != SHT_NOTE || !s.name().equals(".note.stapsdt")) continue;
            ByteBuffer b = contents(s);
            int off = 0;
            while (off + 12 <= b.limit()) {
                long namesz = Integer.toUnsignedLong(b.getInt(off));
                long descsz = Integer.toUnsignedLong(b.getInt(off + 4));
                int ntype = b.getInt(off + 8);
                long nameAt = off + 12L;
                long descAt = nameAt + align4(namesz);
                long end = descAt + align4(descsz);
                if (end > b.limit()) throw bad("a note in " + s.name() + " at " + off + " runs past the section");
                String owner = string(b.slice((int) nameAt, (int) namesz).order(order), 0);
                if (ntype == 3 && owner.equals("stapsdt")) {
                    if (descsz < 3L * w + 3) throw bad("a stapsdt note in " + s.name() + " at " + off + " is too short");
                    ByteBuffer d = b.slice((int) descAt, (int) descsz).order(order);
                    long pc = word(d, 0);
                    long base = word(d, w);
                    long sema = word(d, 2 * w);
                    int p = 3 * w;
                    String provider = string(d, p);
                    p += provider.getBytes(StandardCharsets.UTF_8).length + 1;
                    String name = string(d, p);
                    p += name.getBytes(StandardCharsets.UTF_8).length + 1;
                    String args = string(d, p);
                    if (provider.isEmpty() || name.isEmpty()) throw bad("a stapsdt note in " + s.name() + " at " + off + " has no provider or name");
                    out.add(new Note(pc, base, sema, provider, name, args));
                }
                off = (int) end;
            }
        }
        return out;
    }

    private static long align4(long n) {
        return (n + 3) & ~3L;
    }

    /**
     * The file offset of a virtual address, through the loadable segment holding it in the file.
     *
     * @param segments the file's loadable segments
     * @param addr the address
     * @param executable only an executable segment will do (code); else any (data: semaphores)
     * @return the offset, or -1 when no segment holds it
     */
    static long fileOffset(List<Segment> segments, long addr, boolean executable) {
        for (Segment s : segments) {
            if (executable && (s.flags() & PF_X) == 0) continue;
            if (Long.compareUnsigned(addr, s.vaddr()) >= 0 && Long.compareUnsigned(addr - s.vaddr(), s.filesz()) < 0) {
                return addr - s.vaddr() + s.offset();
            }
        }
        return -1;
    }
}
