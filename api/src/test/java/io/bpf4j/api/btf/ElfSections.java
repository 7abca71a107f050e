package io.bpf4j.api.btf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The bytes of a named section of a little-endian ELF64 file (the layout of {@code Elf64_Ehdr}
 * and {@code Elf64_Shdr} in {@code elf.h}): just enough to take {@code .BTF} and {@code .BTF.ext}
 * out of a compiled BPF object in tests.
 */
final class ElfSections {
    private ElfSections() {
    }

    static byte[] section(byte[] elf, String name) {
        ByteBuffer b = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt(0) != 0x464c457f || elf[4] != 2 || elf[5] != 1) throw new IllegalArgumentException("not a little-endian ELF64 file");
        long shoff = b.getLong(0x28);
        int shentsize = b.getShort(0x3a) & 0xffff;
        int shnum = b.getShort(0x3c) & 0xffff;
        int shstrndx = b.getShort(0x3e) & 0xffff;
        long strOff = b.getLong((int) (shoff + (long) shstrndx * shentsize + 0x18));
        for (int i = 0; i < shnum; i++) {
            int h = (int) (shoff + (long) i * shentsize);
            int nameOff = b.getInt(h);
            int end = (int) strOff + nameOff;
            while (elf[end] != 0) end++;
            String n = new String(elf, (int) strOff + nameOff, end - (int) strOff - nameOff, StandardCharsets.UTF_8);
            if (n.equals(name)) {
                long off = b.getLong(h + 0x18);
                long size = b.getLong(h + 0x20);
                return Arrays.copyOfRange(elf, (int) off, (int) (off + size));
            }
        }
        throw new IllegalArgumentException("no section " + name);
    }
}
