package io.bpf4j.api.object;

import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import java.util.Arrays;
import java.util.Objects;

/**
 * A map an object file defines: its name in the object, the name it gets in the kernel, and the
 * attributes it is created with. Immutable; {@link ObjectSpec}'s {@code with*} methods make
 * edited copies.
 *
 * @param name the name in the object: the variable's for defined maps, the section's for global
 *     data ({@code .data}, {@code .rodata.consts}, ...)
 * @param kernelName the name it is created with, at most 15 characters (global data maps are
 *     named as libbpf names them, e.g. {@code counter.rodata})
 * @param kind where it comes from
 * @param type the map type
 * @param keySize the key size
 * @param valueSize the value size
 * @param maxEntries the capacity
 * @param flags {@code map_flags}
 * @param numaNode the NUMA node, meaningful with {@code BPF_F_NUMA_NODE}
 * @param mapExtra {@code map_extra}
 * @param pinning how it is pinned
 * @param pinPath an explicit pin path that overrides {@link Pinning#BY_NAME}'s, or null
 * @param section the ELF section it is defined in
 * @param initialValue for global data, the value written at load (empty for {@code .bss}: zeros)
 * @param btfKeyTypeId the key's BTF type id in the object's BTF, or 0
 * @param btfValueTypeId the value's BTF type id in the object's BTF, or 0
 * @param innerMap for maps of maps, the definition inner maps must follow (from {@code values}
 *     in {@code .maps}), or null
 * @param slots for maps of maps and program arrays, the elements the object initialises
 *     ({@code .values = { [1] = &prog }}): written once the maps and programs are loaded
 */
public record ObjectMap(String name, String kernelName, MapKind kind, MapType type, int keySize, int valueSize,
        int maxEntries, int flags, int numaNode, long mapExtra, Pinning pinning, String pinPath, String section,
        byte[] initialValue, int btfKeyTypeId, int btfValueTypeId, ObjectMap innerMap, java.util.List<Slot> slots) {

    /**
     * An element of a map of maps or a program array that the object initialises.
     *
     * @param index the element's index
     * @param name the map or program it holds, by its name in the object
     * @param program true for a program (program arrays), false for a map (maps of maps)
     */
    public record Slot(int index, String name, boolean program) {
    }

    /**
     * Copies the initial value.
     *
     * @throws NullPointerException if a name, kind, type, pinning or section is null
     */
    public ObjectMap {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kernelName, "kernelName");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(pinning, "pinning");
        Objects.requireNonNull(section, "section");
        initialValue = initialValue == null ? new byte[0] : initialValue.clone();
        slots = slots == null ? java.util.List.of() : java.util.List.copyOf(slots);
    }

    /**
     * The value written at load: for global data the section's bytes, as edited.
     *
     * @return a copy; empty when nothing is written (the map starts zeroed)
     */
    @Override
    public byte[] initialValue() {
        return initialValue.clone();
    }

    /** Reads the initial value without copying it, for the loader. */
    byte[] initialValueShared() {
        return initialValue;
    }

    /**
     * Whether the map is frozen after its initial value is written, so user space cannot change
     * it: {@code .rodata} and {@code .kconfig} maps.
     *
     * @return true for {@link MapKind#RODATA} and {@link MapKind#KCONFIG}
     */
    public boolean frozen() {
        return kind == MapKind.RODATA || kind == MapKind.KCONFIG;
    }

    /**
     * The {@code BPF_MAP_CREATE} attributes, without BTF and inner map.
     *
     * @return the spec
     */
    public MapSpec toMapSpec() {
        return new MapSpec(type, keySize, valueSize, maxEntries, flags, kernelName, 0, numaNode, 0, 0, 0, 0, 0,
                mapExtra, 0);
    }


    ObjectMap withMaxEntries(int n) {
        return new ObjectMap(name, kernelName, kind, type, keySize, valueSize, n, flags, numaNode, mapExtra, pinning,
                pinPath, section, initialValue, btfKeyTypeId, btfValueTypeId, innerMap, slots);
    }

    ObjectMap withPin(Pinning p, String path) {
        return new ObjectMap(name, kernelName, kind, type, keySize, valueSize, maxEntries, flags, numaNode, mapExtra, p,
                path, section, initialValue, btfKeyTypeId, btfValueTypeId, innerMap, slots);
    }

    ObjectMap withInnerMap(ObjectMap inner) {
        return new ObjectMap(name, kernelName, kind, type, keySize, valueSize, maxEntries, flags, numaNode, mapExtra,
                pinning, pinPath, section, initialValue, btfKeyTypeId, btfValueTypeId, inner, slots);
    }

    ObjectMap withSlots(java.util.List<Slot> s) {
        return new ObjectMap(name, kernelName, kind, type, keySize, valueSize, maxEntries, flags, numaNode, mapExtra,
                pinning, pinPath, section, initialValue, btfKeyTypeId, btfValueTypeId, innerMap, s);
    }

    ObjectMap withInitialValue(byte[] v) {
        return new ObjectMap(name, kernelName, kind, type, keySize, valueSize, maxEntries, flags, numaNode, mapExtra,
                pinning, pinPath, section, v, btfKeyTypeId, btfValueTypeId, innerMap, slots);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ObjectMap m && name.equals(m.name) && kernelName.equals(m.kernelName) && kind == m.kind
                && type == m.type && keySize == m.keySize && valueSize == m.valueSize && maxEntries == m.maxEntries
                && flags == m.flags && numaNode == m.numaNode && mapExtra == m.mapExtra && pinning == m.pinning
                && Objects.equals(pinPath, m.pinPath) && section.equals(m.section)
                && Arrays.equals(initialValue, m.initialValue) && btfKeyTypeId == m.btfKeyTypeId
                && btfValueTypeId == m.btfValueTypeId && Objects.equals(innerMap, m.innerMap) && slots.equals(m.slots);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, kind, type, keySize, valueSize, maxEntries, flags, Arrays.hashCode(initialValue));
    }

    @Override
    public String toString() {
        return "ObjectMap[" + name + " (" + kernelName + "): " + kind + " " + type + " key " + keySize + " value "
                + valueSize + " max " + maxEntries + " flags 0x" + Integer.toHexString(flags)
                + (pinning == Pinning.NONE ? "" : " pinned " + pinning) + "]";
    }
}
