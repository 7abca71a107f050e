package io.bpf4j.api.object;

import io.bpf4j.api.btf.Btf;
import io.bpf4j.api.btf.BtfDump;
import io.bpf4j.api.btf.BtfType;
import io.bpf4j.api.btf.BtfVarSecinfo;
import java.util.Map;

/** What the object's BTF adds to its global variables: their types, checked against the ELF symbols. */
final class BtfInfo {
    private BtfInfo() {
    }

    /**
     * Gives each variable its BTF type from its section's DATASEC, checking that BTF and the ELF
     * symbol agree on its size.
     */
    static void variables(ElfFile elf, Btf btf, Map<String, ObjectVariable> vars) {
        if (btf == null || vars.isEmpty()) return;
        // Only the sections that hold variables: not .maps, whose DATASEC lists every map.
        java.util.Set<String> sections = new java.util.HashSet<>();
        for (ObjectVariable v : vars.values()) sections.add(v.map());
        try {
            for (BtfType.Datasec ds : datasecs(btf)) {
                if (sections.contains(ds.name())) datasec(elf, btf, ds, vars);
            }
        } catch (ObjectFormatException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw elf.error(".BTF", null, "malformed BTF for the global variables: " + e.getMessage());
        }
    }

    /**
     * The DATASECs as the kernel wants them: clang leaves their sizes and variable offsets 0 in
     * an object, for the linker to fill in, so they are taken from the ELF section and its
     * symbols, as libbpf's {@code btf_fixup_datasec()} does. DATASECs with no section are left.
     */
    static java.util.List<BtfType.Datasec> fixedDatasecs(ElfFile elf, Btf btf) {
        java.util.List<BtfType.Datasec> out = new java.util.ArrayList<>();
        if (btf == null) return out;
        Map<String, ElfFile.Section> byName = new java.util.HashMap<>();
        for (ElfFile.Section s : elf.sections()) byName.putIfAbsent(s.name(), s);
        try {
            for (BtfType.Datasec ds : datasecs(btf)) {
                ElfFile.Section s = byName.get(ds.name());
                if (s == null || s.size() > Integer.MAX_VALUE) continue;
                Map<String, Long> offsets = new java.util.HashMap<>();
                for (ElfFile.Symbol sym : elf.symbolsIn(s)) offsets.putIfAbsent(sym.name(), sym.value());
                java.util.List<BtfVarSecinfo> vars = new java.util.ArrayList<>();
                for (BtfVarSecinfo v : ds.vars()) {
                    // By kind and name: decoding each VAR whole only to read its name cost more.
                    Long off = btf.kind(v.typeId()) == io.bpf4j.api.btf.BtfKind.VAR ? offsets.get(btf.name(v.typeId())) : null;
                    vars.add(off == null || off < 0 || off > Integer.MAX_VALUE ? v : new BtfVarSecinfo(v.typeId(), off.intValue(), v.size()));
                }
                out.add(new BtfType.Datasec(ds.id(), ds.name(), (int) s.size(), vars));
            }
        } catch (IllegalArgumentException e) {
            throw elf.error(".BTF", null, "malformed DATASEC: " + e.getMessage());
        }
        return out;
    }

    /** The DATASECs, found by kind so that only they are decoded (not every struct with its members). */
    private static java.util.List<BtfType.Datasec> datasecs(Btf btf) {
        java.util.List<BtfType.Datasec> out = new java.util.ArrayList<>();
        for (int id = btf.firstId(); id < btf.typeCount(); id++) {
            if (btf.kind(id) == io.bpf4j.api.btf.BtfKind.DATASEC) out.add(btf.type(id, BtfType.Datasec.class));
        }
        return out;
    }

    private static void datasec(ElfFile elf, Btf btf, BtfType.Datasec ds, Map<String, ObjectVariable> vars) {
        for (BtfVarSecinfo vsi : ds.vars()) {
            if (!(btf.type(vsi.typeId()) instanceof BtfType.Var v)) continue;
            ObjectVariable o = vars.get(v.name());
            if (o == null || !o.map().equals(ds.name())) continue;
            if (vsi.size() != 0 && vsi.size() != o.size()) {
                throw elf.error(ds.name(), v.name(), "BTF says " + Integer.toUnsignedString(vsi.size())
                        + " bytes, the symbol " + o.size());
            }
            BtfType resolved = btf.type(btf.resolve(v.typeId()));
            boolean integer = resolved instanceof BtfType.Int || resolved instanceof BtfType.EnumType;
            vars.put(v.name(), new ObjectVariable(o.name(), o.map(), o.offset(), o.size(), v.typeId(),
                    BtfDump.declaration(btf, v.typeId(), ""), o.constant(), integer));
        }
    }
}
