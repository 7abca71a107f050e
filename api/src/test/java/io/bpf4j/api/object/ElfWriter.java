package io.bpf4j.api.object;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes small ELF64 BPF objects for tests, the way clang lays them out: header, section bytes,
 * then the section header table. Sections, symbols and relocations are whatever the test says,
 * so malformed objects are as easy to make as good ones.
 */
final class ElfWriter {
    record Sec(String name, int type, long flags, byte[] bytes, long nobitsSize, int link, int info, long entsize) {
    }

    record Sym(String name, int type, int bind, int shndx, long value, long size) {
    }

    record Rel(String target, long offset, int sym, int type) {
    }

    final List<Sec> sections = new ArrayList<>();
    final List<Sym> symbols = new ArrayList<>();
    final List<Rel> rels = new ArrayList<>();
    int machine = ElfFile.EM_BPF;

    ElfWriter() {
        symbols.add(new Sym("", 0, 0, 0, 0, 0));
    }

    /** Adds a section; returns its index (the null section is 0, so the first is 1). */
    int section(String name, int type, long flags, byte[] bytes) {
        sections.add(new Sec(name, type, flags, bytes, 0, 0, 0, 0));
        return sections.size();
    }

    int code(String name, long... insns) {
        ByteBuffer b = ByteBuffer.allocate(insns.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long w : insns) b.putLong(w);
        return section(name, ElfFile.SHT_PROGBITS, ElfFile.SHF_ALLOC | ElfFile.SHF_EXECINSTR, b.array());
    }

    int data(String name, byte[] bytes) {
        return section(name, ElfFile.SHT_PROGBITS, ElfFile.SHF_ALLOC | ElfFile.SHF_WRITE, bytes);
    }

    int symbol(String name, int type, int bind, int shndx, long value, long size) {
        symbols.add(new Sym(name, type, bind, shndx, value, size));
        return symbols.size() - 1;
    }

    int function(String name, int shndx, long value, int insns) {
        return symbol(name, ElfFile.STT_FUNC, ElfFile.STB_GLOBAL, shndx, value, insns * 8L);
    }

    void rel(String target, long offset, int sym, int type) {
        rels.add(new Rel(target, offset, sym, type));
    }

    static byte[] license() {
        return "GPL\0".getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] mapDef(int type, int key, int value, int max, int flags) {
        return ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN).putInt(type).putInt(key).putInt(value)
                .putInt(max).putInt(flags).array();
    }

    byte[] build() {
        List<Sec> all = new ArrayList<>(sections);
        // symbol string table, symbol table, relocation sections, then the section name table
        Strings strs = new Strings();
        ByteBuffer syms = ByteBuffer.allocate(symbols.size() * 24).order(ByteOrder.LITTLE_ENDIAN);
        for (Sym s : symbols) {
            syms.putInt(strs.add(s.name())).put((byte) (s.bind() << 4 | s.type())).put((byte) 0)
                    .putShort((short) s.shndx()).putLong(s.value()).putLong(s.size());
        }
        int strtabIndex = all.size() + 1;
        all.add(new Sec(".strtab", ElfFile.SHT_STRTAB, 0, strs.bytes(), 0, 0, 0, 0));
        int symtabIndex = all.size() + 1;
        all.add(new Sec(".symtab", ElfFile.SHT_SYMTAB, 0, syms.array(), 0, strtabIndex, 1, 24));
        List<String> targets = new ArrayList<>();
        for (Rel r : rels) if (!targets.contains(r.target())) targets.add(r.target());
        for (String t : targets) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (Rel r : rels) {
                if (!r.target().equals(t)) continue;
                out.writeBytes(ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(r.offset())
                        .putLong((long) r.sym() << 32 | (r.type() & 0xffffffffL)).array());
            }
            all.add(new Sec(".rel" + t, ElfFile.SHT_REL, 0, out.toByteArray(), 0, symtabIndex, indexOf(t) + 1, 16));
        }
        Strings names = new Strings();
        int[] nameOff = new int[all.size() + 1];
        for (int i = 0; i < all.size(); i++) nameOff[i + 1] = names.add(all.get(i).name());
        int shstrtabNameOff = names.add(".shstrtab");
        byte[] shstr = names.bytes();
        all.add(new Sec(".shstrtab", ElfFile.SHT_STRTAB, 0, shstr, 0, 0, 0, 0));
        int n = all.size() + 1;
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[64]);
        long[] offsets = new long[n];
        for (int i = 0; i < all.size(); i++) {
            while (body.size() % 8 != 0) body.write(0);
            offsets[i + 1] = body.size();
            if (all.get(i).type() != ElfFile.SHT_NOBITS) body.writeBytes(all.get(i).bytes());
        }
        while (body.size() % 8 != 0) body.write(0);
        long shoff = body.size();
        ByteBuffer sh = ByteBuffer.allocate(n * 64).order(ByteOrder.LITTLE_ENDIAN);
        sh.put(new byte[64]);
        for (int i = 0; i < all.size(); i++) {
            Sec s = all.get(i);
            int no = i == all.size() - 1 ? shstrtabNameOff : nameOff[i + 1];
            long size = s.type() == ElfFile.SHT_NOBITS ? s.nobitsSize() : s.bytes().length;
            sh.putInt(no).putInt(s.type()).putLong(s.flags()).putLong(0).putLong(offsets[i + 1]).putLong(size)
                    .putInt(s.link()).putInt(s.info()).putLong(8).putLong(s.entsize());
        }
        body.writeBytes(sh.array());
        byte[] out = body.toByteArray();
        ByteBuffer h = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        h.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0});
        h.position(16);
        h.putShort((short) ElfFile.ET_REL).putShort((short) machine).putInt(1).putLong(0).putLong(0).putLong(shoff)
                .putInt(0).putShort((short) 64).putShort((short) 0).putShort((short) 0).putShort((short) 64)
                .putShort((short) n).putShort((short) (n - 1));
        return out;
    }

    private int indexOf(String name) {
        for (int i = 0; i < sections.size(); i++) if (sections.get(i).name().equals(name)) return i;
        throw new IllegalArgumentException("no section " + name);
    }

    private static final class Strings {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Strings() {
            out.write(0);
        }

        int add(String s) {
            if (s.isEmpty()) return 0;
            int at = out.size();
            out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            out.write(0);
            return at;
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
