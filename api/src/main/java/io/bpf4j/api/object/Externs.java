package io.bpf4j.api.object;

import io.bpf4j.api.btf.Btf;
import io.bpf4j.api.btf.BtfBuilder;
import io.bpf4j.api.btf.BtfLinkage;
import io.bpf4j.api.btf.BtfParam;
import io.bpf4j.api.btf.BtfType;
import io.bpf4j.api.btf.BtfVarSecinfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The object's extern symbols, as libbpf's {@code bpf_object__collect_externs()} finds them:
 * undefined ELF symbols described by a BTF {@code VAR} or {@code FUNC} in the {@code .kconfig}
 * or {@code .ksyms} DATASEC. {@code .kconfig} externs get their place in the {@code .kconfig}
 * map (sorted by descending alignment, then ascending size, then name, as libbpf lays them
 * out); {@code .ksyms} externs are resolved against the kernel's BTF at load.
 */
final class Externs {
    /** The DATASEC of kernel configuration externs. */
    static final String KCONFIG = ".kconfig";
    /** The DATASEC of kernel symbol externs. */
    static final String KSYMS = ".ksyms";
    /** libbpf's name for the variable that stands in for functions in {@code .ksyms}. */
    private static final String DUMMY_KSYM = "dummy_ksym";

    /** libbpf's {@code enum kcfg_type}: how a configuration value is stored. */
    enum KcfgType {
        /** {@code bool}: y or n. */
        BOOL,
        /** {@code enum libbpf_tristate}: y, n or m. */
        TRISTATE,
        /** A one-byte integer or {@code char}: the letter, or a number. */
        CHAR,
        /** An integer of 2, 4 or 8 bytes (or 1, as CHAR). */
        INT,
        /** A {@code char} array: a quoted string. */
        CHAR_ARR
    }

    /**
     * One extern.
     *
     * @param name the symbol
     * @param kconfig true for {@code .kconfig}, false for {@code .ksyms}
     * @param func true for a function (a kfunc)
     * @param weak whether it may stay unresolved ({@code __weak})
     * @param btfId the VAR or FUNC in the object's BTF
     * @param typeId its type with modifiers and typedefs skipped (a FUNC_PROTO for a function),
     *     0 for a typeless {@code .ksyms} variable ({@code extern const void x __ksym})
     * @param kcfg for {@code .kconfig}: how the value is stored
     * @param signed for a {@code .kconfig} integer: whether it is signed
     * @param size for {@code .kconfig}: the value's size
     * @param align for {@code .kconfig}: its alignment
     * @param offset for {@code .kconfig}: its offset in the map's value
     */
    record Extern(String name, boolean kconfig, boolean func, boolean weak, int btfId, int typeId, KcfgType kcfg,
            boolean signed, int size, int align, int offset) {
        Extern at(int off) {
            return new Extern(name, kconfig, func, weak, btfId, typeId, kcfg, signed, size, align, off);
        }
    }

    private final Map<String, Extern> byName;
    private final int kconfigSize;
    private final int kconfigSecId;
    private final int ksymsSecId;

    private Externs(Map<String, Extern> byName, int kconfigSize, int kconfigSecId, int ksymsSecId) {
        this.byName = byName;
        this.kconfigSize = kconfigSize;
        this.kconfigSecId = kconfigSecId;
        this.ksymsSecId = ksymsSecId;
    }

    static Externs none() {
        return new Externs(Map.of(), 0, 0, 0);
    }

    static Externs collect(ElfFile elf, Btf btf) {
        List<ElfFile.Symbol> undef = new ArrayList<>();
        for (ElfFile.Symbol s : elf.symbols()) {
            if (s.index() == 0 || s.shndx() != ElfFile.SHN_UNDEF || s.name().isEmpty()) continue;
            if (s.bind() != ElfFile.STB_GLOBAL && s.bind() != ElfFile.STB_WEAK) continue;
            undef.add(s);
        }
        if (undef.isEmpty()) return none();
        if (btf == null) {
            throw elf.error(null, undef.get(0).name(), "extern symbol, but the object has no .BTF to say what it is"
                    + " (compile with -g)");
        }
        try {
            return collect(elf, btf, undef);
        } catch (ObjectFormatException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw elf.error(".BTF", null, "malformed BTF for the externs: " + e.getMessage());
        }
    }

    private static Externs collect(ElfFile elf, Btf btf, List<ElfFile.Symbol> undef) {
        BtfType.Datasec kcfgSec = btf.find(KCONFIG, BtfType.Datasec.class).orElse(null);
        BtfType.Datasec ksymSec = btf.find(KSYMS, BtfType.Datasec.class).orElse(null);
        List<Extern> kcfg = new ArrayList<>();
        Map<String, Extern> out = new LinkedHashMap<>();
        for (ElfFile.Symbol s : undef) {
            boolean weak = s.bind() == ElfFile.STB_WEAK;
            int id = secinfo(btf, kcfgSec, s.name());
            if (id != 0) {
                if (!(btf.type(id) instanceof BtfType.Var v)) {
                    throw elf.error(KCONFIG, s.name(), "is a " + btf.kind(id) + "; .kconfig externs are variables");
                }
                int t = btf.resolve(v.typeId());
                KcfgType k = kcfgType(btf, t);
                if (k == null) {
                    throw elf.error(KCONFIG, s.name(), "type " + btf.kind(t) + " '" + btf.name(t) + "' is not one a"
                            + " configuration value is read into (bool, enum libbpf_tristate, char, an integer, a char array)");
                }
                boolean signed = btf.type(t) instanceof BtfType.Int i && i.signed();
                kcfg.add(new Extern(s.name(), true, false, weak, id, t, k, signed, (int) btf.sizeOf(t), btf.alignOf(t), 0));
                continue;
            }
            id = secinfo(btf, ksymSec, s.name());
            if (id == 0) {
                throw elf.error(null, s.name(), "extern symbol is neither in the BTF's .kconfig nor its .ksyms"
                        + " (declare it with __kconfig or __ksym)");
            }
            BtfType t = btf.type(id);
            if (t instanceof BtfType.Func f) {
                out.put(s.name(), new Extern(s.name(), false, true, weak, id, f.typeId(), null, false, 0, 0, 0));
            } else if (t instanceof BtfType.Var v) {
                int r = btf.resolve(v.typeId());
                out.put(s.name(), new Extern(s.name(), false, false, weak, id, r, null, false, 0, 0, 0));
            } else {
                throw elf.error(KSYMS, s.name(), "is a " + t.kind() + "; .ksyms externs are variables or functions");
            }
        }
        // libbpf's cmp_externs(): by alignment (largest first), then size (smallest first), then name.
        kcfg.sort(Comparator.comparingInt((Extern e) -> -e.align()).thenComparingInt(Extern::size)
                .thenComparing(Extern::name));
        int off = 0;
        Map<String, Extern> all = new LinkedHashMap<>();
        for (Extern e : kcfg) {
            off = (off + e.align() - 1) / e.align() * e.align();
            all.put(e.name(), e.at(off));
            off += e.size();
        }
        // libbpf numbers externs .kconfig first, then .ksyms by name (its poisoned kfunc calls carry that number).
        out.keySet().stream().sorted().forEach(n -> all.put(n, out.get(n)));
        return new Externs(all, off, kcfgSec == null ? 0 : kcfgSec.id(), ksymSec == null ? 0 : ksymSec.id());
    }

    /** The VAR or FUNC of a DATASEC with a name, or 0. */
    private static int secinfo(Btf btf, BtfType.Datasec sec, String name) {
        if (sec == null) return 0;
        for (BtfVarSecinfo v : sec.vars()) {
            if (btf.name(v.typeId()).equals(name)) return v.typeId();
        }
        return 0;
    }

    /** libbpf's {@code find_kcfg_type()}. */
    private static KcfgType kcfgType(Btf btf, int id) {
        BtfType t = btf.type(id);
        if (t instanceof BtfType.Int i) {
            if ((i.encoding() & BtfType.Int.BOOL) != 0) return i.size() == 1 ? KcfgType.BOOL : null;
            if (i.size() == 1) return KcfgType.CHAR;
            return i.size() == 2 || i.size() == 4 || i.size() == 8 ? KcfgType.INT : null;
        }
        if (t instanceof BtfType.EnumType e) {
            return e.name().equals("libbpf_tristate") && (t instanceof BtfType.Enum64 || e.size() == 4) ? KcfgType.TRISTATE : null;
        }
        if (t instanceof BtfType.Array a) {
            return a.length() > 0 && kcfgType(btf, btf.resolve(a.elemTypeId())) == KcfgType.CHAR ? KcfgType.CHAR_ARR : null;
        }
        return null;
    }

    boolean isEmpty() {
        return byName.isEmpty();
    }

    Extern get(String name) {
        return byName.get(name);
    }

    /** The {@code .kconfig} externs, in their order in the map. */
    List<Extern> kconfig() {
        return byName.values().stream().filter(Extern::kconfig).toList();
    }

    /** The {@code .ksyms} externs. */
    List<Extern> ksyms() {
        return byName.values().stream().filter(e -> !e.kconfig()).toList();
    }

    /** The {@code .kconfig} map's value size: where the last extern ends. */
    int kconfigSize() {
        return kconfigSize;
    }

    /** The {@code .kconfig} DATASEC's id, or 0. */
    int kconfigSecId() {
        return kconfigSecId;
    }

    /**
     * Makes the externs' BTF loadable, as libbpf does before loading an object's BTF: the kernel
     * takes no extern variables or functions, so {@code .kconfig} variables become allocated
     * ones at their offsets in the map, and {@code .ksyms} entries become 4-byte allocated
     * variables ({@code int}), functions standing behind a dummy variable and made global with
     * their unnamed parameters named.
     */
    void fixBtf(BtfBuilder b) {
        if (kconfigSecId != 0) {
            BtfType.Datasec sec = (BtfType.Datasec) b.type(kconfigSecId);
            List<BtfVarSecinfo> vars = new ArrayList<>();
            for (BtfVarSecinfo v : sec.vars()) {
                BtfType t = b.type(v.typeId());
                Extern e = byName.get(t.name());
                if (t instanceof BtfType.Var var) b.replace(var.id(), new BtfType.Var(var.id(), var.name(), var.typeId(), BtfLinkage.GLOBAL));
                vars.add(e == null ? v : new BtfVarSecinfo(v.typeId(), e.offset(), e.size()));
            }
            vars.sort(Comparator.comparingInt(BtfVarSecinfo::offset));
            b.replace(sec.id(), new BtfType.Datasec(sec.id(), sec.name(), kconfigSize, vars));
        }
        if (ksymsSecId != 0) {
            BtfType.Datasec sec = (BtfType.Datasec) b.type(ksymsSecId);
            int intId = 0;
            for (BtfType t : b.types()) {
                if (t instanceof BtfType.Int i && i.size() == 4 && i.bitOffset() == 0 && i.bits() == 32) {
                    intId = t.id();
                    break;
                }
            }
            if (intId == 0) intId = b.addInt("int", 4, BtfType.Int.SIGNED);
            int dummy = 0;
            List<BtfVarSecinfo> vars = new ArrayList<>();
            int off = 0;
            for (BtfVarSecinfo v : sec.vars()) {
                BtfType t = b.type(v.typeId());
                int varId = v.typeId();
                if (t instanceof BtfType.Func f) {
                    if (dummy == 0) dummy = b.addVar(DUMMY_KSYM, intId, BtfLinkage.GLOBAL);
                    varId = dummy;
                    b.replace(f.id(), new BtfType.Func(f.id(), f.name(), f.typeId(), BtfLinkage.GLOBAL));
                    if (b.type(f.typeId()) instanceof BtfType.FuncProto p) {
                        List<BtfParam> ps = new ArrayList<>();
                        for (BtfParam q : p.params()) ps.add(q.typeId() != 0 && q.name().isEmpty() ? new BtfParam(DUMMY_KSYM, q.typeId()) : q);
                        b.replace(p.id(), new BtfType.FuncProto(p.id(), p.name(), p.returnTypeId(), ps));
                    }
                } else if (t instanceof BtfType.Var var) {
                    b.replace(var.id(), new BtfType.Var(var.id(), var.name(), intId, BtfLinkage.GLOBAL));
                }
                vars.add(new BtfVarSecinfo(varId, off, 4));
                off += 4;
            }
            b.replace(sec.id(), new BtfType.Datasec(sec.id(), sec.name(), off, vars));
        }
    }
}
