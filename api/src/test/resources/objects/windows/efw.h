/* What eBPF for Windows' headers give a program, declared from the facts (not copied):
 * struct _ebpf_map_definition_in_file (include/ebpf_structs.h@v1.5.0:125-145), its map type
 * numbers (@v1.5.0:19-36), LIBBPF_PIN_BY_NAME (@v1.5.0:95-99), SEC() and the BTF map macros
 * (include/bpf_helpers.h@v1.5.0:22-40) and the helper numbers 1 and 2 (map lookup, update). */
#ifndef EFW_H
#define EFW_H
typedef unsigned int uint32_t;
typedef unsigned long long uint64_t;

struct _ebpf_map_definition_in_file {
	uint32_t type;
	uint32_t key_size;
	uint32_t value_size;
	uint32_t max_entries;
	uint32_t inner_map_idx;
	uint32_t pinning;
	uint32_t id;
	uint32_t inner_id;
};
#define bpf_map_def _ebpf_map_definition_in_file

#define EFW_MAP_TYPE_HASH 1
#define EFW_MAP_TYPE_ARRAY 2
#define EFW_MAP_TYPE_PERCPU_ARRAY 5
#define EFW_MAP_TYPE_RINGBUF 13
#define EFW_MAP_TYPE_SAMPLE_HASH_MAP 15
#define EFW_PIN_BY_NAME 1

#define SEC(NAME) __attribute__((section(NAME), used))
#define __uint(name, val) int(*name)[val]
#define __type(name, val) typeof(val) *name

static void *(*bpf_map_lookup_elem)(void *map, const void *key) = (void *)1;
static long (*bpf_map_update_elem)(void *map, const void *key, const void *value, uint64_t flags) = (void *)2;
#endif
