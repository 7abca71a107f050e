package io.bpf4j.api.symbols;

import java.util.ArrayList;
import java.util.List;

/** USDT probe sites from an executable's {@code stapsdt} notes. */
final class Usdt {
    private Usdt() {
    }

    /**
     * The probes, with addresses made file offsets. A file linked with a {@code .stapsdt.base}
     * section and moved since (prelink) has its probe addresses shifted by how far that section
     * moved from where the note recorded it; semaphores are data and taken as written.
     */
    static List<UsdtProbe> probes(HostElf elf) throws java.io.IOException {
        List<HostElf.Note> notes = elf.stapsdtNotes();
        if (notes.isEmpty()) return List.of();
        HostElf.Section base = elf.section(".stapsdt.base");
        List<UsdtProbe> out = new ArrayList<>(notes.size());
        for (HostElf.Note n : notes) {
            long pc = n.pc();
            if (base != null && n.base() != 0) pc += base.addr() - n.base();
            long off = HostElf.fileOffset(elf.segments, pc, true);
            if (off < 0) {
                throw new IllegalArgumentException(elf.path + ": USDT probe " + n.provider() + ":" + n.name() + " is at 0x"
                        + Long.toHexString(pc) + ", which no executable segment holds");
            }
            long sema = n.semaphore() == 0 ? 0 : HostElf.fileOffset(elf.segments, n.semaphore(), false);
            out.add(new UsdtProbe(n.provider(), n.name(), off, sema, n.args()));
        }
        return List.copyOf(out);
    }
}
