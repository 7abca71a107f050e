package io.bpf4j.api.object;

import static io.bpf4j.api.asm.Opcodes.CALL_OP;
import static io.bpf4j.api.asm.Opcodes.LD_IMM64;
import static io.bpf4j.api.asm.Opcodes.PSEUDO_CALL;
import static io.bpf4j.api.asm.Opcodes.PSEUDO_FUNC;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Links programs as libbpf does ({@code bpf_object__reloc_code}): a program is its function
 * followed by every function it calls, directly or through other subprograms, each appended
 * once; calls and callback addresses ({@code BPF_PSEUDO_CALL}, {@code BPF_PSEUDO_FUNC}) are
 * rewritten to the appended copies. A call with a relocation targets
 * {@code symbol / 8 + imm + 1} of the symbol's section (global functions have {@code imm -1},
 * static ones are reached through the section symbol); a call without one is relative to
 * itself in its own section.
 */
final class Linker {

    /** A function: a {@code STT_FUNC} symbol's range of its section's instructions. */
    record Function(ElfFile.Section section, String name, int start, int length, boolean global) {
    }

    /** Turns a {@code ld_imm64} relocation against data, a map or an extern into a reference. */
    interface MapResolver {
        /**
         * @param sym the relocation's symbol
         * @param imm the instruction's immediate (an offset into data for section symbols)
         * @param section the section being linked, for messages
         * @param insn where the reference goes in the linked program
         */
        ObjectProgram.MapRef resolve(ElfFile.Symbol sym, int imm, String section, int insn);

        /**
         * An undefined symbol: a {@code .kconfig} extern becomes a reference into its map, a
         * {@code .ksyms} one is resolved at load.
         *
         * @param sym the extern's symbol
         * @param call true for a call (a kfunc), false for a {@code ld_imm64}
         * @param section the section being linked, for messages
         * @param insn where the reference goes in the linked program
         * @return the reference into the {@code .kconfig} map for a {@code .kconfig} extern, null
         *     for a {@code .ksyms} one
         */
        ObjectProgram.MapRef extern(ElfFile.Symbol sym, boolean call, String section, int insn);
    }

    /**
     * The most instructions all programs may have once linked, so that an object whose many
     * programs each pull in the same large subprograms cannot make linking quadratic in its size.
     */
    static final int MAX_LINKED_TOTAL = 16_000_000;

    private final ElfFile elf;
    private final MapResolver maps;
    private long linkedTotal;
    /** Function addresses loaded by the program being linked. */
    private int callbacks;
    /** The kernel symbols the program being linked refers to. */
    private List<ObjectProgram.KsymRef> ksyms;
    private final Map<String, int[]> core;
    /**
     * Per section index: its instructions, functions and relocations by instruction (null for a
     * section not added). Arrays, not maps: every linked instruction looks here.
     */
    private final long[][] code;
    private final Function[][] functions;
    private final ElfFile.Rel[][] relocs;

    Linker(ElfFile elf, MapResolver maps, Map<String, int[]> coreRelocations) {
        this.elf = elf;
        this.maps = maps;
        this.core = coreRelocations;
        int n = elf.sections().size();
        this.code = new long[n][];
        this.functions = new Function[n][];
        this.relocs = new ElfFile.Rel[n][];
    }

    /** Adds an executable section and its functions; returns them in order. */
    List<Function> addSection(ElfFile.Section s) {
        if (s.size() % 8 != 0) throw elf.error(s.name(), null, "size " + s.size() + " is not a whole number of instructions");
        byte[] b = elf.bytes(s);
        long[] words = new long[b.length / 8];
        for (int i = 0; i < words.length; i++) words[i] = ElfFile.word(b, i * 8);
        code[s.index()] = words;
        List<Function> list = new ArrayList<>();
        for (ElfFile.Symbol sym : elf.symbolsIn(s)) {
            if (sym.type() != ElfFile.STT_FUNC) continue;
            if (sym.value() % 8 != 0 || sym.size() % 8 != 0 || sym.size() <= 0 || sym.value() < 0
                    || sym.value() > s.size() - sym.size()) {
                throw elf.error(s.name(), sym.name(), "function at 0x" + Long.toHexString(sym.value()) + " of " + sym.size()
                        + " bytes is not whole instructions inside the section (" + s.size() + " bytes)");
            }
            list.add(new Function(s, sym.name(), (int) (sym.value() / 8), (int) (sym.size() / 8),
                    sym.bind() != ElfFile.STB_LOCAL));
        }
        list.sort(Comparator.comparingInt(Function::start));
        for (int i = 1; i < list.size(); i++) {
            Function a = list.get(i - 1);
            Function f = list.get(i);
            if (f.start() < a.start() + a.length()) {
                throw elf.error(s.name(), f.name(), "overlaps function '" + a.name() + "'");
            }
        }
        functions[s.index()] = list.toArray(new Function[0]);
        // One slot per instruction: no larger than the section's own bytes.
        ElfFile.Rel[] byInsn = new ElfFile.Rel[words.length];
        for (ElfFile.Rel r : elf.relocations(s, Relocations::codeWidth)) {
            if (r.offset() % 8 != 0) {
                throw elf.error(s.name(), r.symbol().name(), "relocation at 0x" + Long.toHexString(r.offset())
                        + " is not at an instruction boundary");
            }
            int at = (int) (r.offset() / 8);
            if (byInsn[at] != null) {
                throw elf.error(s.name(), r.symbol().name(), "two relocations at 0x" + Long.toHexString(r.offset()));
            }
            byInsn[at] = r;
        }
        relocs[s.index()] = byInsn;
        return list;
    }

    /** Links one program: its function and everything it calls. */
    ObjectProgram link(Function entry, Sections.Convention c) {
        LinkedCode out = new LinkedCode(entry.length());
        callbacks = 0;
        ksyms = new ArrayList<>();
        List<ObjectProgram.MapRef> refs = new ArrayList<>();
        ArrayDeque<Function> work = new ArrayDeque<>();
        // By identity: each function is one object of its section's array, and a record's hash
        // would hash its section header and name on every call.
        Map<Function, Integer> placed = new IdentityHashMap<>();
        // Depth first, as libbpf's recursive bpf_object__reloc_code(): a subprogram is appended at
        // its first call and linked before the rest of its caller, so both lay programs out alike.
        ArrayDeque<Frame> frames = new ArrayDeque<>();
        place(entry, out, placed, work);
        frames.push(new Frame(work.poll(), 0));
        while (!frames.isEmpty()) {
            Frame fr = frames.peek();
            if (fr.i >= fr.f.length()) {
                frames.pop();
                continue;
            }
            fr.i = linkOne(fr.f, fr.base, fr.i, out, placed, work, refs);
            Function callee = work.poll();
            if (callee != null) frames.push(new Frame(callee, placed.get(callee)));
        }
        int coreCount = 0;
        List<ObjectProgram.Placement> layout = new ArrayList<>(placed.size());
        for (Map.Entry<Function, Integer> e : placed.entrySet()) {
            Function f = e.getKey();
            layout.add(new ObjectProgram.Placement(f.section().name(), f.name(), f.start(), f.length(), e.getValue()));
            int[] at = core.get(f.section().name());
            if (at == null) continue;
            for (int i : at) if (i >= f.start() && i < f.start() + f.length()) coreCount++;
        }
        layout.sort(Comparator.comparingInt(ObjectProgram.Placement::base));
        return new ObjectProgram(entry.name(), entry.section().name(), c, out.toArray(), entry.length(), refs, coreCount,
                callbacks, layout, ksyms);
    }

    /** Links the instruction at {@code i} of a placed function; returns the index of the next one. */
    private int linkOne(Function f, int base, int i, LinkedCode out, Map<Function, Integer> placed,
            ArrayDeque<Function> work, List<ObjectProgram.MapRef> refs) {
        int si = f.section().index();
        int at = f.start() + i;
        long w = code[si][at];
        int opcode = (int) w & 0xff;
        int src = (int) (w >>> 12) & 0xf;
        int imm = (int) (w >>> 32);
        ElfFile.Rel r = relocs[si][at];
        String where = f.section().name();
        if (opcode == LD_IMM64) {
            if (i + 1 >= f.length()) throw elf.error(where, f.name(), "ld_imm64 at instruction " + at + " has no second half");
            if (r != null) {
                if (r.type() != Relocations.R_BPF_64_64) throw badType(f, r, "a 64-bit load");
                loadRelocation(f, base + i, at, r, imm, out, placed, work, refs);
            }
            return i + 2;
        }
        if (opcode == CALL_OP && src == PSEUDO_CALL) {
            ElfFile.Section ts;
            long target;
            if (r != null) {
                if (r.type() != Relocations.R_BPF_64_32) throw badType(f, r, "a call");
                if (r.symbol().shndx() == ElfFile.SHN_UNDEF) {
                    // A kfunc: the loader puts its kernel BTF id here.
                    maps.extern(r.symbol(), true, where, base + i);
                    ksyms.add(new ObjectProgram.KsymRef(base + i, r.symbol().name(), true));
                    return i + 1;
                }
                ts = codeSection(f, r);
                target = r.symbol().value() / 8 + imm + 1L;
            } else {
                ts = f.section();
                target = at + imm + 1L;
            }
            int pos = placeTarget(f, ts, target, r, out, placed, work);
            out.setImm(base + i, pos - (base + i) - 1);
        } else if (r != null) {
            throw elf.error(where, r.symbol().name(), "relocation at instruction " + at + " (opcode 0x"
                    + Integer.toHexString(opcode) + ") is not on a ld_imm64 or a bpf-to-bpf call");
        }
        return i + 1;
    }

    /** A function being linked and how far. */
    private static final class Frame {
        final Function f;
        final int base;
        int i;

        Frame(Function f, int base) {
            this.f = f;
            this.base = base;
        }
    }

    private void loadRelocation(Function f, int pos, int at, ElfFile.Rel r, int imm, LinkedCode out,
            Map<Function, Integer> placed, ArrayDeque<Function> work, List<ObjectProgram.MapRef> refs) {
        ElfFile.Symbol sym = r.symbol();
        ElfFile.Section ss = elf.sectionOf(sym);
        if (ss != null && ss.executable()) {
            // A function's address, for callbacks (bpf_loop, bpf_for_each_map_elem ...).
            long byteOff = sym.value() + imm;
            if (byteOff % 8 != 0) throw elf.error(f.section().name(), sym.name(), "callback address is not an instruction");
            int target = placeTarget(f, ss, byteOff / 8, r, out, placed, work);
            out.setPseudoFunc(pos, target - pos - 1);
            callbacks++;
            return;
        }
        if (ss == null && sym.shndx() == ElfFile.SHN_UNDEF) {
            if (imm != 0) throw elf.error(f.section().name(), sym.name(), "extern referred to at offset " + imm);
            ObjectProgram.MapRef ref = maps.extern(sym, false, f.section().name(), pos);
            if (ref != null) refs.add(ref);
            else ksyms.add(new ObjectProgram.KsymRef(pos, sym.name(), false));
            return;
        }
        if (ss == null) {
            throw elf.error(f.section().name(), sym.name(), "ld_imm64 at instruction " + at
                    + " refers to a symbol with no section (index 0x" + Integer.toHexString(sym.shndx()) + ")");
        }
        refs.add(maps.resolve(sym, imm, f.section().name(), pos));
    }

    private ElfFile.Section codeSection(Function f, ElfFile.Rel r) {
        ElfFile.Section ts = elf.sectionOf(r.symbol());
        if (ts == null) {
            throw elf.error(f.section().name(), r.symbol().name(), "call target has no section");
        }
        if (code[ts.index()] == null) {
            throw elf.error(f.section().name(), r.symbol().name(), "call target is in '" + ts.name() + "', which is not code");
        }
        return ts;
    }

    private int placeTarget(Function from, ElfFile.Section ts, long target, ElfFile.Rel r, LinkedCode out,
            Map<Function, Integer> placed, ArrayDeque<Function> work) {
        Function g = functionAt(ts, target);
        if (g == null) {
            throw elf.error(from.section().name(), r == null ? from.name() : r.symbol().name(), "call target, instruction "
                    + target + " of '" + ts.name() + "', is in no function");
        }
        return place(g, out, placed, work) + (int) (target - g.start());
    }

    private int place(Function f, LinkedCode out, Map<Function, Integer> placed, ArrayDeque<Function> work) {
        Integer at = placed.get(f);
        if (at != null) return at;
        if (out.size() + (long) f.length() > io.bpf4j.api.ProgramSpec.MAX_INSTRUCTIONS) {
            throw elf.error(f.section().name(), f.name(), "linking it makes a program of more than "
                    + io.bpf4j.api.ProgramSpec.MAX_INSTRUCTIONS + " instructions, the kernel's limit");
        }
        linkedTotal += f.length();
        if (linkedTotal > MAX_LINKED_TOTAL) {
            throw elf.error(f.section().name(), f.name(), "the programs have more than " + MAX_LINKED_TOTAL
                    + " instructions once linked");
        }
        int base = out.append(code[f.section().index()], f.start(), f.length());
        placed.put(f, base);
        work.add(f);
        return base;
    }

    private Function functionAt(ElfFile.Section s, long insn) {
        Function[] fs = functions[s.index()];
        if (fs == null) return null;
        int lo = 0;
        int hi = fs.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            Function f = fs[mid];
            if (insn < f.start()) hi = mid - 1;
            else if (insn >= f.start() + f.length()) lo = mid + 1;
            else return f;
        }
        return null;
    }

    private ObjectFormatException badType(Function f, ElfFile.Rel r, String what) {
        return elf.error(f.section().name(), r.symbol().name(), "relocation at 0x" + Long.toHexString(r.offset())
                + " of type " + Relocations.typeName(r.type()) + " is on " + what);
    }

    /** The growing instruction array of one linked program. */
    private static final class LinkedCode {
        private long[] words;
        private int size;

        /** Room for the entry function and a few subprograms before the first growth. */
        LinkedCode(int entryLength) {
            words = new long[entryLength + 16];
        }

        int append(long[] src, int from, int len) {
            if (size + len > words.length) words = Arrays.copyOf(words, Math.max(words.length * 2, size + len));
            System.arraycopy(src, from, words, size, len);
            int base = size;
            size += len;
            return base;
        }

        void setImm(int at, int imm) {
            words[at] = (words[at] & 0xffffffffL) | (long) imm << 32;
        }

        void setPseudoFunc(int at, int imm) {
            words[at] = (words[at] & ~0xf000L) | (long) PSEUDO_FUNC << 12;
            setImm(at, imm);
            setImm(at + 1, 0);
        }

        int size() {
            return size;
        }

        long[] toArray() {
            return Arrays.copyOf(words, size);
        }
    }
}
