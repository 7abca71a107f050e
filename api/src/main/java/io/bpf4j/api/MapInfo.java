package io.bpf4j.api;

/**
 * A map's info ({@code struct bpf_map_info}).
 *
 * @param type the map type, or {@link MapType#UNSPEC} when the platform's number is unknown
 * @param rawType the platform's own number for the type
 * @param id the map's id
 * @param keySize key size
 * @param valueSize value size (one CPU's for per-CPU maps)
 * @param maxEntries capacity
 * @param flags {@link MapFlags} bits
 * @param name the name
 * @param ifindex offload device, or 0
 * @param btfId the BTF object's id, or 0
 * @param btfKeyTypeId key type id, or 0
 * @param btfValueTypeId value type id, or 0
 * @param mapExtra the type-specific extra
 */
public record MapInfo(MapType type, int rawType, int id, int keySize, int valueSize, int maxEntries, int flags,
        String name, int ifindex, int btfId, int btfKeyTypeId, int btfValueTypeId, long mapExtra) {
}
