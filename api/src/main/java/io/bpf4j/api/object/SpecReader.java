package io.bpf4j.api.object;

import io.bpf4j.api.MapFlags;
import io.bpf4j.api.MapType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns an {@link ElfFile} into an {@link ObjectSpec}: sections sorted into code, maps, global
 * data, license and version; programs found from their functions and linked; maps and global
 * variables collected.
 */
final class SpecReader {
    /** libbpf's {@code struct bpf_map_def}: type, key_size, value_size, max_entries, map_flags. */
    private static final int LEGACY_DEF_SIZE = 20;

    private final ElfFile elf;
    private final String objName;
    private io.bpf4j.api.btf.Btf btf;
    private io.bpf4j.api.btf.BtfExt btfExt;
    private Externs externs = Externs.none();
    private final Map<String, ObjectMap> maps = new LinkedHashMap<>();
    private final Map<String, ObjectVariable> variables = new LinkedHashMap<>();
    /**
     * Map sections ({@code maps}, {@code .maps}): symbol offset to map name, per section index.
     * Sorted maps: offsets are multiples of the definition size, which a hash table spreads so
     * badly that its buckets turned into trees.
     */
    private final Map<Long, String>[] mapSymbols;
    /** Global-data sections: their maps by section index (arrays: every map reference looks here). */
    private final ObjectMap[] dataSections;

    private final ObjectFlavor flavor;

    private SpecReader(ElfFile elf, ObjectFlavor flavor) {
        this.elf = elf;
        this.objName = objectName(elf.file());
        this.flavor = flavor;
        @SuppressWarnings({"unchecked", "rawtypes"})
        Map<Long, String>[] bySection = new Map[elf.sections().size()];
        this.mapSymbols = bySection;
        this.dataSections = new ObjectMap[elf.sections().size()];
    }

    static ObjectSpec read(String file, byte[] data) {
        return read(file, data, ObjectFlavor.LIBBPF);
    }

    static ObjectSpec read(String file, byte[] data, ObjectFlavor flavor) {
        return new SpecReader(ElfFile.read(file, data), flavor).read();
    }

    private boolean efw() {
        return flavor == ObjectFlavor.EBPF_FOR_WINDOWS;
    }

    /** The convention of a program section under the object's flavor. */
    private Sections.Convention convention(String section) {
        return efw() ? EfwConventions.of(section) : Sections.of(section);
    }

    private ObjectSpec read() {
        btf = readBtf();
        btfExt = readBtfExt();
        externs = Externs.collect(elf, btf);
        String license = "";
        int version = 0;
        List<ElfFile.Section> codeSections = new ArrayList<>();
        for (ElfFile.Section s : elf.sections()) {
            String n = s.name();
            if (n.equals("license")) {
                license = cString(s);
            } else if (n.equals("version")) {
                version = version(s);
            } else if (n.equals("maps")) {
                legacyMaps(s);
            } else if (n.equals(".maps")) {
                btfMaps(s);
            } else if (n.equals(".struct_ops") || n.equals(".struct_ops.link")) {
                throw elf.error(n, null, "unsupported: struct_ops maps (a kernel struct_ops type filled with the"
                        + " object's programs and registered as one) are not loaded by this loader yet");
            } else if (n.startsWith(".addr_space.")) {
                throw elf.error(n, null, "unsupported: arena variables (__arena, in an address space of their own) live"
                        + " in the arena map's pages, mapped into both the program and this process, which the loader does"
                        + " not do yet");
            } else if (dataKind(s) != null) {
                dataMap(s, dataKind(s));
            } else if (s.type() == ElfFile.SHT_PROGBITS && s.executable() && s.size() > 0) {
                codeSections.add(s);
            }
        }
        BtfInfo.variables(elf, btf, variables);
        kconfigMap();
        Linker linker = new Linker(elf, new Linker.MapResolver() {
            @Override
            public ObjectProgram.MapRef resolve(ElfFile.Symbol sym, int imm, String section, int insn) {
                return SpecReader.this.resolve(sym, imm, section, insn);
            }

            @Override
            public ObjectProgram.MapRef extern(ElfFile.Symbol sym, boolean call, String section, int insn) {
                return SpecReader.this.extern(sym, call, section, insn);
            }
        }, coreRelocations());
        List<Linker.Function> entries = new ArrayList<>();
        // Per section index, its convention: found once, not once per program.
        Sections.Convention[] conventions = new Sections.Convention[elf.sections().size()];
        for (ElfFile.Section s : codeSections) {
            List<Linker.Function> fs = linker.addSection(s);
            if (s.name().equals(".text")) continue;
            conventions[s.index()] = convention(s.name());
            if (conventions[s.index()] == null) {
                String hint = !efw() && EfwConventions.of(s.name()) != null
                        ? "; it is an eBPF for Windows section: open the object with ObjectFlavor.EBPF_FOR_WINDOWS" : "";
                throw elf.error(s.name(), null, "unknown section: no program type follows from its name (known: "
                        + (efw() ? EfwConventions.examples() : Sections.examples()) + ")" + hint);
            }
            if (fs.isEmpty()) throw elf.error(s.name(), null, "code with no function symbol");
            for (Linker.Function f : fs) {
                if (!f.global()) {
                    throw elf.error(s.name(), f.name(), "static function in a program section; programs must be global"
                            + " (static subprograms belong in .text, with no SEC())");
                }
                entries.add(f);
            }
        }
        Map<String, ObjectProgram> programs = new LinkedHashMap<>();
        for (Linker.Function f : entries) {
            ObjectProgram p = linker.link(f, conventions[f.section().index()]);
            if (programs.put(p.name(), p) != null) throw elf.error(f.section().name(), f.name(), "a second program of this name");
        }
        for (ObjectMap m : maps.values()) {
            for (ObjectMap.Slot s : m.slots()) {
                if (s.program() && !programs.containsKey(s.name())) {
                    throw elf.error(m.section(), m.name(), "element " + s.index() + " is '" + s.name() + "', which is not a program");
                }
            }
        }
        return new ObjectSpec(elf.file(), objName, license, version, List.copyOf(programs.values()),
                List.copyOf(maps.values()), List.copyOf(variables.values()), null, btf, BtfInfo.fixedDatasecs(elf, btf),
                btfExt, externs, flavor);
    }

    // ------------------------------------------------------------------ maps

    private void legacyMaps(ElfFile.Section s) {
        List<ElfFile.Symbol> syms = new ArrayList<>();
        for (ElfFile.Symbol sym : elf.symbolsIn(s)) {
            if (sym.type() != ElfFile.STT_SECTION && !sym.name().isEmpty()) syms.add(sym);
        }
        if (syms.isEmpty()) {
            if (s.size() == 0) return;
            throw elf.error(s.name(), null, "map definitions with no symbols naming them");
        }
        if (s.type() != ElfFile.SHT_PROGBITS) throw elf.error(s.name(), null, "map definitions have no bytes (not SHT_PROGBITS)");
        long defSize = s.size() / syms.size();
        if (s.size() % syms.size() != 0 || defSize < 16) {
            throw elf.error(s.name(), null, "size " + s.size() + " does not divide into " + syms.size()
                    + " definitions of at least 16 bytes");
        }
        byte[] b = elf.bytes(s);
        Map<Long, String> byOffset = new java.util.TreeMap<>();
        for (ElfFile.Symbol sym : syms) {
            if (sym.value() < 0 || sym.value() > s.size() - defSize) {
                throw elf.error(s.name(), sym.name(), "definition at " + sym.value() + " of " + defSize
                        + " bytes runs past the section (" + s.size() + " bytes)");
            }
            int at = (int) sym.value();
            int known = efw() ? EfwConventions.DEF_SIZE : LEGACY_DEF_SIZE;
            for (int i = known; i < defSize; i++) {
                if (b[at + i] != 0) {
                    throw elf.error(s.name(), sym.name(), "definition of " + defSize + " bytes has non-zero bytes past"
                            + (efw() ? " eBPF for Windows' struct _ebpf_map_definition_in_file" : " libbpf's struct bpf_map_def")
                            + " (" + known + " bytes), which are not understood"
                            + (!efw() && defSize == EfwConventions.DEF_SIZE ? "; eBPF for Windows' definitions are "
                                    + EfwConventions.DEF_SIZE + " bytes: open the object with ObjectFlavor.EBPF_FOR_WINDOWS" : ""));
                }
            }
            if (efw()) {
                ObjectMap m = EfwConventions.legacyMap(elf, s.name(), sym.name(), b, at, defSize);
                checkSizes(s.name(), m);
                add(s.name(), m);
                if (byOffset.put(sym.value(), sym.name()) != null) {
                    throw elf.error(s.name(), sym.name(), "two symbols name the definition at " + sym.value());
                }
                continue;
            }
            int rawType = u32(b, at);
            MapType type = MapTypes.of(rawType);
            if (type == null) throw elf.error(s.name(), sym.name(), "unknown map type " + rawType);
            int flags = defSize >= LEGACY_DEF_SIZE ? u32(b, at + 16) : 0;
            ObjectMap m = new ObjectMap(sym.name(), kernelName(sym.name()), MapKind.LEGACY, type, u32(b, at + 4),
                    u32(b, at + 8), u32(b, at + 12), flags, 0, 0, Pinning.NONE, null, s.name(), null, 0, 0, null, null);
            checkSizes(s.name(), m);
            add(s.name(), m);
            if (byOffset.put(sym.value(), sym.name()) != null) {
                throw elf.error(s.name(), sym.name(), "two symbols name the definition at " + sym.value());
            }
        }
        if (efw()) EfwConventions.resolveInnerMaps(elf, s.name(), b, defSize, byOffset, maps);
        mapSymbols[s.index()] = byOffset;
    }

    private void btfMaps(ElfFile.Section s) {
        Map<Long, ObjectMap> defs;
        try {
            defs = efw() ? BtfMaps.read(elf, s, btf, EfwConventions::mapType, EfwConventions::unknownMapType)
                    : BtfMaps.read(elf, s, btf);
        } catch (ObjectFormatException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw elf.error(s.name(), null, "BTF of the map definitions is malformed: " + e.getMessage());
        }
        Map<Long, String> byOffset = new java.util.TreeMap<>();
        for (Map.Entry<Long, ObjectMap> e : defs.entrySet()) {
            add(s.name(), e.getValue());
            byOffset.put(e.getKey(), e.getValue().name());
        }
        mapSymbols[s.index()] = byOffset;
    }

    private int btfId(String datasec) {
        try {
            return btf.find(datasec, io.bpf4j.api.btf.BtfType.Datasec.class).map(io.bpf4j.api.btf.BtfType::id).orElse(0);
        } catch (IllegalArgumentException e) {
            throw elf.error(".BTF", null, "malformed BTF: " + e.getMessage());
        }
    }

    private io.bpf4j.api.btf.Btf readBtf() {
        for (ElfFile.Section s : elf.sections()) {
            if (!s.name().equals(".BTF")) continue;
            if (s.type() != ElfFile.SHT_PROGBITS) throw elf.error(s.name(), null, "has no bytes (not SHT_PROGBITS)");
            try {
                return io.bpf4j.api.btf.Btf.parse(elf.bytes(s));
            } catch (IllegalArgumentException e) {
                throw elf.error(s.name(), null, "malformed BTF: " + e.getMessage());
            }
        }
        return null;
    }

    private io.bpf4j.api.btf.BtfExt readBtfExt() {
        if (btf == null) return null;
        for (ElfFile.Section s : elf.sections()) {
            if (!s.name().equals(".BTF.ext")) continue;
            try {
                return io.bpf4j.api.btf.BtfExt.parse(elf.bytes(s), btf);
            } catch (IllegalArgumentException e) {
                throw elf.error(s.name(), null, "malformed .BTF.ext: " + e.getMessage());
            }
        }
        return null;
    }

    /** The instructions with CO-RE relocations, per code section, from .BTF.ext. */
    private Map<String, int[]> coreRelocations() {
        Map<String, int[]> out = new HashMap<>();
        if (btfExt == null) return out;
        for (var sec : btfExt.coreRelos()) {
            out.put(sec.name(), sec.records().stream().mapToInt(r -> r.insnOff() / 8).sorted().toArray());
        }
        return out;
    }

    /**
     * The {@code .kconfig} map, as libbpf makes it: a one-element array named like global data,
     * read-only for programs, holding each extern at its offset; its externs are variables of it.
     */
    private void kconfigMap() {
        List<Externs.Extern> kc = externs.kconfig();
        if (kc.isEmpty()) return;
        ObjectMap m = new ObjectMap(Externs.KCONFIG, dataMapName(objName, Externs.KCONFIG), MapKind.KCONFIG, MapType.ARRAY, 4,
                externs.kconfigSize(), 1, MapFlags.MMAPABLE | MapFlags.RDONLY_PROG, 0, 0, Pinning.NONE, null, Externs.KCONFIG,
                null, 0, externs.kconfigSecId(), null, null);
        add(Externs.KCONFIG, m);
        for (Externs.Extern e : kc) {
            boolean integer = e.kcfg() != Externs.KcfgType.CHAR_ARR;
            int type = btf.type(e.btfId(), io.bpf4j.api.btf.BtfType.Var.class).typeId();
            ObjectVariable v = new ObjectVariable(e.name(), Externs.KCONFIG, e.offset(), e.size(), type,
                    io.bpf4j.api.btf.BtfDump.declaration(btf, type, ""), true, integer);
            ObjectVariable old = variables.put(v.name(), v);
            if (old != null) throw elf.error(Externs.KCONFIG, e.name(), "a second variable of this name (the first is in '" + old.map() + "')");
        }
    }

    private ObjectProgram.MapRef extern(ElfFile.Symbol sym, boolean call, String section, int insn) {
        Externs.Extern e = externs.get(sym.name());
        if (e == null) throw elf.error(section, sym.name(), "refers to an extern the object's BTF does not describe");
        if (e.kconfig()) {
            if (call) throw elf.error(section, sym.name(), "calls a .kconfig extern, which is a variable");
            return new ObjectProgram.MapRef(insn, Externs.KCONFIG, true, e.offset());
        }
        if (call && !e.func()) throw elf.error(section, sym.name(), "calls a .ksyms extern that is a variable, not a function");
        return null;
    }

    private void checkSizes(String section, ObjectMap m) {
        if (m.keySize() < 0 || m.valueSize() < 0 || m.maxEntries() < 0) {
            throw elf.error(section, m.name(), "negative key size, value size or max entries");
        }
    }

    private void add(String section, ObjectMap m) {
        if (maps.containsKey(m.name())) {
            throw elf.error(section, m.name(), "a second map of this name (the first is in '" + maps.get(m.name()).section() + "')");
        }
        maps.put(m.name(), m);
    }

    private static MapKind dataKind(ElfFile.Section s) {
        if (s.type() != ElfFile.SHT_PROGBITS && s.type() != ElfFile.SHT_NOBITS) return null;
        if ((s.flags() & ElfFile.SHF_ALLOC) == 0 || s.executable()) return null;
        String n = s.name();
        if (n.equals(".data") || n.startsWith(".data.")) return MapKind.DATA;
        if (n.equals(".rodata") || n.startsWith(".rodata.")) return MapKind.RODATA;
        if (n.equals(".bss") || n.startsWith(".bss.")) return MapKind.BSS;
        return null;
    }

    private void dataMap(ElfFile.Section s, MapKind kind) {
        if (s.size() == 0) return;
        if (s.size() > Integer.MAX_VALUE - 8) throw elf.error(s.name(), null, "size " + s.size() + " is too large for a map value");
        // .rodata is read-only for programs too; global data is mmap()able where the kernel allows it
        // (the loader drops BPF_F_MMAPABLE again where it does not).
        int flags = MapFlags.MMAPABLE | (kind == MapKind.RODATA ? MapFlags.RDONLY_PROG : 0);
        byte[] init = kind == MapKind.BSS || s.type() == ElfFile.SHT_NOBITS ? null : elf.bytes(s);
        // libbpf gives global-data maps the section's DATASEC as their value type.
        int datasec = btf == null ? 0 : btfId(s.name());
        ObjectMap m = new ObjectMap(s.name(), dataMapName(objName, s.name()), kind, MapType.ARRAY, 4, (int) s.size(), 1,
                flags, 0, 0, Pinning.NONE, null, s.name(), init, 0, datasec, null, null);
        add(s.name(), m);
        dataSections[s.index()] = m;
        for (ElfFile.Symbol sym : elf.symbolsIn(s)) {
            if (sym.type() != ElfFile.STT_OBJECT || sym.name().isEmpty()
                    || sym.name().startsWith(".")) {
                continue;
            }
            if (sym.value() < 0 || sym.size() < 0 || sym.value() > s.size() - sym.size()) {
                throw elf.error(s.name(), sym.name(), "variable at " + sym.value() + " of " + sym.size()
                        + " bytes runs past the section (" + s.size() + " bytes)");
            }
            ObjectVariable v = new ObjectVariable(sym.name(), s.name(), (int) sym.value(), (int) sym.size(), 0, "",
                    kind == MapKind.RODATA, sym.size() == 1 || sym.size() == 2 || sym.size() == 4 || sym.size() == 8);
            ObjectVariable old = variables.put(v.name(), v);
            if (old != null) throw elf.error(s.name(), sym.name(), "a second variable of this name (the first is in '" + old.map() + "')");
        }
    }

    // ------------------------------------------------------------------ relocations

    private ObjectProgram.MapRef resolve(ElfFile.Symbol sym, int imm, String section, int insn) {
        ElfFile.Section ss = elf.sectionOf(sym);
        ObjectMap data = dataSections[ss.index()];
        if (data != null) {
            long off = sym.value() + imm;
            if (off < 0 || off >= data.valueSize()) {
                throw elf.error(section, sym.name(), "refers to offset " + off + " of '" + ss.name() + "', which has "
                        + data.valueSize() + " bytes");
            }
            return new ObjectProgram.MapRef(insn, data.name(), true, (int) off);
        }
        Map<Long, String> bySym = mapSymbols[ss.index()];
        if (bySym != null) {
            String name = bySym.get(sym.value());
            if (name == null) {
                throw elf.error(section, sym.name(), "refers to offset " + sym.value() + " of '" + ss.name()
                        + "', where no map is defined");
            }
            return new ObjectProgram.MapRef(insn, name, false, 0);
        }
        if (ss.size() == 0 && dataKind(ss) != null) {
            throw elf.error(section, sym.name(), "refers to the empty section '" + ss.name() + "'");
        }
        throw elf.error(section, sym.name(), "refers to '" + ss.name() + "', which is neither a map nor global data");
    }

    // ------------------------------------------------------------------ names and fields

    /** libbpf's object name: the file's base name up to its first dot, at most 15 characters. */
    static String objectName(String file) {
        String base = file.substring(file.lastIndexOf('/') + 1);
        if (base.length() > 15) base = base.substring(0, 15);
        int dot = base.indexOf('.');
        return dot >= 0 ? base.substring(0, dot) : base;
    }

    /**
     * libbpf's name for a global-data map ({@code internal_map_name()}): as much of the object
     * name as fits before the section name, which gets at least 7 characters; custom sections
     * ({@code .data.x}, {@code .rodata.x}) are named by the section alone; characters the kernel
     * refuses become {@code _}.
     */
    static String dataMapName(String objName, String section) {
        int sfx = Math.min(Math.max(section.length(), 7), 15);
        int pfx = section.indexOf('.', 1) >= 0 ? 0 : Math.min(15 - sfx, objName.length());
        String n = objName.substring(0, pfx) + section.substring(0, Math.min(section.length(), sfx));
        StringBuilder sb = new StringBuilder(n.length());
        for (char c : n.toCharArray()) sb.append(Character.isLetterOrDigit(c) && c < 128 || c == '_' || c == '.' ? c : '_');
        return sb.toString();
    }

    static String kernelName(String name) {
        if (kernelSafe(name)) return name;
        String n = name.length() > 15 ? name.substring(0, 15) : name;
        StringBuilder sb = new StringBuilder(n.length());
        for (char c : n.toCharArray()) sb.append(Character.isLetterOrDigit(c) && c < 128 || c == '_' || c == '.' ? c : '_');
        return sb.toString();
    }

    /** Whether a name is already one the kernel takes: at most 15 characters, each kept by {@link #kernelName}. */
    private static boolean kernelSafe(String name) {
        if (name.length() > 15) return false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.')) return false;
        }
        return true;
    }

    private String cString(ElfFile.Section s) {
        byte[] b = elf.bytes(s);
        int end = 0;
        while (end < b.length && b[end] != 0) end++;
        if (end == b.length && b.length > 0) throw elf.error(s.name(), null, "not NUL-terminated");
        return new String(b, 0, end, StandardCharsets.UTF_8);
    }

    private int version(ElfFile.Section s) {
        if (s.size() != 4 || s.type() != ElfFile.SHT_PROGBITS) throw elf.error(s.name(), null, "size " + s.size() + " is not 4");
        return u32(elf.bytes(s), 0);
    }

    static int u32(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
    }
}
