package io.bpf4j.api.object;

import io.bpf4j.api.MapType;
import io.bpf4j.api.btf.Btf;
import io.bpf4j.api.btf.BtfMember;
import io.bpf4j.api.btf.BtfType;
import io.bpf4j.api.btf.BtfVarSecinfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * BTF-defined maps: each variable of the {@code .maps} section is a struct whose members say
 * the map's attributes, as libbpf's {@code bpf_helpers.h} macros write them and its
 * {@code parse_btf_map_def()} reads them. {@code __uint(name, n)} is a member {@code int
 * (*name)[n]}: a pointer to an array whose length is the value. {@code __type(name, T)} is a
 * member {@code T *name}: the key or value type. {@code __array(values, struct inner)} is a
 * member {@code struct inner *values[]}: the inner map's definition for maps of maps.
 */
final class BtfMaps {
    /** libbpf's {@code LIBBPF_PIN_BY_NAME}. */
    private static final int PIN_BY_NAME = 1;

    private final ElfFile elf;
    private final ElfFile.Section section;
    private final Btf btf;
    /** Where each map's {@code values} array starts in its definition, in bytes. */
    private final Map<String, Integer> valuesAt = new HashMap<>();
    /**
     * Types decoded so far, by id: every map's {@code __uint} and {@code __type} members point to
     * the same few pointer and array types. At most one entry per type of the BTF.
     */
    private final Map<Integer, BtfType> decoded = new HashMap<>();

    /** Map type numbers to types (null for an unknown number), and the message for an unknown one. */
    private final java.util.function.IntFunction<MapType> types;
    private final java.util.function.IntFunction<String> unknownType;

    private BtfMaps(ElfFile elf, ElfFile.Section section, Btf btf, java.util.function.IntFunction<MapType> types,
            java.util.function.IntFunction<String> unknownType) {
        this.elf = elf;
        this.section = section;
        this.btf = btf;
        this.types = types;
        this.unknownType = unknownType;
    }

    /**
     * Reads the maps of a {@code .maps} section.
     *
     * @return the maps by their offset in the section, in the order of the section's BTF, with
     *     the elements their {@code values} initialise
     */
    static Map<Long, ObjectMap> read(ElfFile elf, ElfFile.Section section, Btf btf) {
        return read(elf, section, btf, MapTypes::of, n -> "unknown map type " + n);
    }

    /** The same, with another system's map type numbers (eBPF for Windows'). */
    static Map<Long, ObjectMap> read(ElfFile elf, ElfFile.Section section, Btf btf,
            java.util.function.IntFunction<MapType> types, java.util.function.IntFunction<String> unknownType) {
        if (btf == null) throw elf.error(section.name(), null, "BTF-defined maps need the object's .BTF, which it lacks");
        BtfMaps b = new BtfMaps(elf, section, btf, types, unknownType);
        return b.slots(b.read());
    }

    private Map<Long, ObjectMap> read() {
        BtfType.Datasec ds = btf.find(section.name(), BtfType.Datasec.class).orElseThrow(() ->
                elf.error(section.name(), null, "no DATASEC of this name in .BTF"));
        Map<String, ElfFile.Symbol> syms = new HashMap<>();
        for (ElfFile.Symbol s : elf.symbolsIn(section)) {
            if (s.type() == ElfFile.STT_OBJECT && !s.name().isEmpty()) syms.put(s.name(), s);
        }
        Map<Long, ObjectMap> out = new java.util.LinkedHashMap<>();
        for (BtfVarSecinfo vsi : ds.vars()) {
            if (!(type(vsi.typeId()) instanceof BtfType.Var v)) {
                throw elf.error(section.name(), null, "DATASEC entry type " + vsi.typeId() + " is not a VAR");
            }
            ElfFile.Symbol sym = syms.get(v.name());
            if (sym == null) throw elf.error(section.name(), v.name(), "map has no ELF symbol in the section");
            long size = btf.sizeOf(v.typeId());
            if (sym.value() < 0 || sym.value() > section.size() - size) {
                throw elf.error(section.name(), v.name(), "definition at " + sym.value() + " of " + size
                        + " bytes runs past the section (" + section.size() + " bytes)");
            }
            ObjectMap m = definition(v.name(), v.typeId(), false);
            if (out.put(sym.value(), m) != null) throw elf.error(section.name(), v.name(), "two maps at offset " + sym.value());
        }
        return out;
    }

    private BtfType type(int id) {
        BtfType t = decoded.get(id);
        if (t == null) {
            t = btf.type(id);
            decoded.put(id, t);
        }
        return t;
    }

    /** One struct of map attributes; {@code inner} for the definition under {@code values}. */
    private ObjectMap definition(String name, int typeId, boolean inner) {
        if (!(type(btf.resolve(typeId)) instanceof BtfType.Struct def)) {
            throw elf.error(section.name(), name, "map definition is not a struct");
        }
        int type = -1;
        int keySize = -1;
        int valueSize = -1;
        int maxEntries = 0;
        int flags = 0;
        int numaNode = 0;
        long extra = 0;
        int pinning = 0;
        int keyType = 0;
        int valueType = 0;
        ObjectMap innerMap = null;
        boolean hasValues = false;
        for (BtfMember m : def.members()) {
            switch (m.name()) {
                case "type" -> type = intField(name, m);
                case "max_entries" -> maxEntries = intField(name, m);
                case "map_flags" -> flags = intField(name, m);
                case "numa_node" -> numaNode = intField(name, m);
                case "pinning" -> pinning = intField(name, m);
                case "map_extra" -> extra = longField(name, m);
                case "key_size" -> keySize = sized(name, "key_size", keySize, intField(name, m));
                case "value_size" -> valueSize = sized(name, "value_size", valueSize, intField(name, m));
                case "key" -> {
                    keyType = pointee(name, m);
                    keySize = sized(name, "key", keySize, size(name, keyType));
                }
                case "value" -> {
                    valueType = pointee(name, m);
                    valueSize = sized(name, "value", valueSize, size(name, valueType));
                }
                case "values" -> {
                    if (inner) throw elf.error(section.name(), name, "an inner map cannot have inner maps");
                    hasValues = true;
                    innerMap = valuesField(name, m);
                    valuesAt.put(name, m.byteOffset());
                }
                default -> throw elf.error(section.name(), name, "unknown map attribute '" + m.name() + "'");
            }
        }
        if (type < 0) throw elf.error(section.name(), name, "map definition has no type");
        MapType t = types.apply(type);
        if (t == null) throw elf.error(section.name(), name, unknownType.apply(type));
        if (hasValues) {
            boolean ofMaps = t == MapType.ARRAY_OF_MAPS || t == MapType.HASH_OF_MAPS;
            if (!ofMaps && t != MapType.PROG_ARRAY) {
                throw elf.error(section.name(), name, "'values' is only for maps of maps and program arrays, not " + t);
            }
            if (!ofMaps) innerMap = null;
            // The value of a map of maps or a program array is a descriptor (libbpf sets 4 the same way).
            valueSize = sized(name, "values", valueSize, 4);
            valueType = 0;
        }
        if (pinning != 0 && pinning != PIN_BY_NAME) {
            throw elf.error(section.name(), name, "pinning " + pinning + " is neither LIBBPF_PIN_NONE nor LIBBPF_PIN_BY_NAME");
        }
        if (inner && pinning != 0) throw elf.error(section.name(), name, "an inner map definition cannot be pinned");
        return new ObjectMap(name, SpecReader.kernelName(name), MapKind.BTF, t, Math.max(keySize, 0),
                Math.max(valueSize, 0), maxEntries, flags, numaNode, extra, pinning == PIN_BY_NAME ? Pinning.BY_NAME
                        : Pinning.NONE, null, section.name(), null, keyType, valueType, innerMap, null);
    }

    /** {@code int (*name)[n]}: n. */
    private int intField(String map, BtfMember m) {
        BtfType t = type(btf.resolve(m.typeId()));
        if (t instanceof BtfType.Ptr p && type(p.typeId()) instanceof BtfType.Array a) return a.length();
        throw elf.error(section.name(), map, "attribute '" + m.name() + "' is not __uint(" + m.name() + ", N)");
    }

    /** {@code __uint} or libbpf 1.2's {@code __ulong}: an enum whose one value is the number. */
    private long longField(String map, BtfMember m) {
        BtfType t = type(btf.resolve(m.typeId()));
        if (t instanceof BtfType.EnumType e && e.values().size() == 1) return e.values().get(0).value();
        return Integer.toUnsignedLong(intField(map, m));
    }

    /** {@code T *name}: T. */
    private int pointee(String map, BtfMember m) {
        if (type(btf.resolve(m.typeId())) instanceof BtfType.Ptr p) return p.typeId();
        throw elf.error(section.name(), map, "attribute '" + m.name() + "' is not __type(" + m.name() + ", T)");
    }

    private int size(String map, int typeId) {
        long s = btf.sizeOf(typeId);
        if (s <= 0 || s > Integer.MAX_VALUE) throw elf.error(section.name(), map, "key or value type " + typeId + " has size " + s);
        return (int) s;
    }

    private int sized(String map, String what, int before, int now) {
        if (before >= 0 && before != now) {
            throw elf.error(section.name(), map, "conflicting sizes: '" + what + "' says " + now + ", an earlier attribute " + before);
        }
        return now;
    }

    /** {@code struct inner *values[]}: the inner definition (maps of maps), or null for program arrays. */
    private ObjectMap valuesField(String map, BtfMember m) {
        BtfType t = type(btf.resolve(m.typeId()));
        if (!(t instanceof BtfType.Array a) || !(type(btf.resolve(a.elemTypeId())) instanceof BtfType.Ptr p)) {
            throw elf.error(section.name(), map, "attribute 'values' is not __array(values, ...)");
        }
        BtfType pointee = type(btf.resolve(p.typeId()));
        if (pointee instanceof BtfType.Struct) return definition(map + ".inner", p.typeId(), true);
        return null; // a program array's values point at functions
    }

    /**
     * The elements the object initialises ({@code .values = { [i] = &x }}): relocations in
     * {@code .rel.maps} at {@code values + 8 * i} of a map's definition, against an inner map
     * (maps of maps) or a program (program arrays), as libbpf's {@code init_map_in_map_slots}
     * and {@code init_prog_array_slots} read them.
     */
    private Map<Long, ObjectMap> slots(Map<Long, ObjectMap> maps) {
        if (!elf.hasRelocations(section)) return maps;
        java.util.TreeMap<Long, ObjectMap> byOffset = new java.util.TreeMap<>(maps);
        Map<String, List<ObjectMap.Slot>> slots = new HashMap<>();
        for (ElfFile.Rel r : elf.relocations(section, Relocations::dataWidth)) {
            Map.Entry<Long, ObjectMap> e = byOffset.floorEntry(r.offset());
            ObjectMap outer = e == null ? null : e.getValue();
            Integer values = outer == null ? null : valuesAt.get(outer.name());
            String sym = r.symbol().name();
            if (values == null) {
                throw elf.error(section.name(), outer == null ? sym : outer.name(), "relocation at 0x"
                        + Long.toHexString(r.offset()) + " is not in a map's 'values'");
            }
            long rel = r.offset() - e.getKey() - values;
            if (r.type() != Relocations.R_BPF_64_ABS64 || rel < 0 || rel % 8 != 0 || rel / 8 >= Integer.toUnsignedLong(outer.maxEntries())) {
                throw elf.error(section.name(), outer.name(), "'values' relocation at 0x" + Long.toHexString(r.offset())
                        + " (" + Relocations.typeName(r.type()) + ") is not an element below max_entries");
            }
            ElfFile.Section target = elf.sectionOf(r.symbol());
            boolean program = outer.type() == MapType.PROG_ARRAY;
            String name;
            if (program) {
                if (target == null || !target.executable() || r.symbol().type() != ElfFile.STT_FUNC) {
                    throw elf.error(section.name(), outer.name(), "element " + rel / 8 + " is '" + sym + "', not a program");
                }
                name = sym;
            } else {
                ObjectMap inner = target != null && target.index() == section.index() ? maps.get(r.symbol().value()) : null;
                if (inner == null) throw elf.error(section.name(), outer.name(), "element " + rel / 8 + " is '" + sym + "', not a map");
                name = inner.name();
            }
            slots.computeIfAbsent(outer.name(), k -> new ArrayList<>()).add(new ObjectMap.Slot((int) (rel / 8), name, program));
        }
        Map<Long, ObjectMap> out = new java.util.LinkedHashMap<>();
        for (Map.Entry<Long, ObjectMap> e : maps.entrySet()) {
            List<ObjectMap.Slot> s = slots.get(e.getValue().name());
            out.put(e.getKey(), s == null ? e.getValue() : e.getValue().withSlots(s));
        }
        return out;
    }
}
