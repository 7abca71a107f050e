package io.bpf4j.api;

import java.util.Objects;

/**
 * The blueprint of a map, for {@link Bpf#mapCreate(MapSpec)}: every attribute the kernel's
 * {@code BPF_MAP_CREATE} takes. Immutable; change a copy with the {@code with*} methods.
 *
 * {@snippet :
 * MapSpec spec = MapSpec.of(MapType.HASH, 4, 8, 1024).withName("counts").withFlags(MapFlags.NO_PREALLOC);
 * }
 *
 * @param type the map type
 * @param keySize key size in bytes (0 for queue, stack, bloom filter and ring buffers)
 * @param valueSize value size in bytes; for per-CPU maps the size of one CPU's value
 * @param maxEntries capacity; for ring buffers the size in bytes (a power of two pages)
 * @param flags {@link MapFlags} bits
 * @param name the map's name, at most 15 characters of {@code [A-Za-z0-9_.]}, or empty
 * @param innerMapFd for array and hash of maps: a map whose shape inner maps must have; else 0
 * @param numaNode the NUMA node, used only with {@link MapFlags#NUMA_NODE}
 * @param ifindex the device to offload to, or 0
 * @param btfFd a BTF object describing key and value, or 0
 * @param btfKeyTypeId the key's type id in {@code btfFd}, or 0
 * @param btfValueTypeId the value's type id in {@code btfFd}, or 0
 * @param btfVmlinuxValueTypeId for struct_ops maps: the kernel type id, or 0
 * @param mapExtra type-specific extra: the bloom filter's hash count, the arena's address
 * @param tokenFd a BPF token granting the right to create the map, or 0
 */
public record MapSpec(MapType type, int keySize, int valueSize, int maxEntries, int flags, String name,
        int innerMapFd, int numaNode, int ifindex, int btfFd, int btfKeyTypeId, int btfValueTypeId,
        int btfVmlinuxValueTypeId, long mapExtra, int tokenFd) {

    /** The longest name the kernel keeps ({@code BPF_OBJ_NAME_LEN} - 1). */
    public static final int MAX_NAME_LENGTH = 15;

    /**
     * Checks the attributes that are wrong on every platform.
     *
     * @throws IllegalArgumentException naming the bad attribute
     */
    public MapSpec {
        Objects.requireNonNull(type, "type");
        if (type == MapType.UNSPEC) throw new IllegalArgumentException("type: UNSPEC is not a map type");
        if (keySize < 0) throw new IllegalArgumentException("keySize: negative (" + keySize + ")");
        if (valueSize < 0) throw new IllegalArgumentException("valueSize: negative (" + valueSize + ")");
        if (maxEntries < 0) throw new IllegalArgumentException("maxEntries: negative (" + maxEntries + ")");
        name = Names.check(name, "name");
    }

    /**
     * A map with the given shape and every other attribute zero.
     *
     * @param type the map type
     * @param keySize key size in bytes
     * @param valueSize value size in bytes
     * @param maxEntries capacity
     * @return the spec
     */
    public static MapSpec of(MapType type, int keySize, int valueSize, int maxEntries) {
        return new MapSpec(type, keySize, valueSize, maxEntries, 0, "", 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    /**
     * A copy with another name.
     *
     * @param name at most 15 characters of {@code [A-Za-z0-9_.]}
     * @return the copy
     */
    public MapSpec withName(String name) {
        return new MapSpec(type, keySize, valueSize, maxEntries, flags, name, innerMapFd, numaNode, ifindex,
                btfFd, btfKeyTypeId, btfValueTypeId, btfVmlinuxValueTypeId, mapExtra, tokenFd);
    }

    /**
     * A copy with other flags.
     *
     * @param flags {@link MapFlags} bits
     * @return the copy
     */
    public MapSpec withFlags(int flags) {
        return new MapSpec(type, keySize, valueSize, maxEntries, flags, name, innerMapFd, numaNode, ifindex,
                btfFd, btfKeyTypeId, btfValueTypeId, btfVmlinuxValueTypeId, mapExtra, tokenFd);
    }

    /**
     * A copy with an inner map template, for array and hash of maps.
     *
     * @param innerMapFd a map of the shape inner maps must have
     * @return the copy
     */
    public MapSpec withInnerMapFd(int innerMapFd) {
        return new MapSpec(type, keySize, valueSize, maxEntries, flags, name, innerMapFd, numaNode, ifindex,
                btfFd, btfKeyTypeId, btfValueTypeId, btfVmlinuxValueTypeId, mapExtra, tokenFd);
    }

    /**
     * A copy placed on a NUMA node; sets {@link MapFlags#NUMA_NODE}.
     *
     * @param numaNode the node
     * @return the copy
     */
    public MapSpec withNumaNode(int numaNode) {
        return new MapSpec(type, keySize, valueSize, maxEntries, flags | MapFlags.NUMA_NODE, name, innerMapFd,
                numaNode, ifindex, btfFd, btfKeyTypeId, btfValueTypeId, btfVmlinuxValueTypeId, mapExtra, tokenFd);
    }

    /**
     * A copy whose key and value are described by BTF.
     *
     * @param btfFd the BTF object
     * @param keyTypeId the key's type id
     * @param valueTypeId the value's type id
     * @return the copy
     */
    public MapSpec withBtf(int btfFd, int keyTypeId, int valueTypeId) {
        return new MapSpec(type, keySize, valueSize, maxEntries, flags, name, innerMapFd, numaNode, ifindex,
                btfFd, keyTypeId, valueTypeId, btfVmlinuxValueTypeId, mapExtra, tokenFd);
    }

    /**
     * A copy with a type-specific extra value (the bloom filter's hash count in its low 4 bits,
     * the arena's user address).
     *
     * @param mapExtra the value
     * @return the copy
     */
    public MapSpec withMapExtra(long mapExtra) {
        return new MapSpec(type, keySize, valueSize, maxEntries, flags, name, innerMapFd, numaNode, ifindex,
                btfFd, btfKeyTypeId, btfValueTypeId, btfVmlinuxValueTypeId, mapExtra, tokenFd);
    }

    /**
     * A copy created with the right granted by a BPF token; sets {@link MapFlags#TOKEN_FD}.
     *
     * @param tokenFd the token
     * @return the copy
     */
    public MapSpec withToken(int tokenFd) {
        return new MapSpec(type, keySize, valueSize, maxEntries, flags | MapFlags.TOKEN_FD, name, innerMapFd,
                numaNode, ifindex, btfFd, btfKeyTypeId, btfValueTypeId, btfVmlinuxValueTypeId, mapExtra, tokenFd);
    }
}
