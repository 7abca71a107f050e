/* eBPF for Windows legacy maps of maps (32-byte "maps" definitions): the inner map template named
 * by inner_map_idx (the record's index in the section) and by inner_id (another record's id), as
 * libs/api/windows_platform.cpp@v1.5.0:49-50, :66-98 resolves them, and programs of the
 * Windows-only types bind and sample_ext that reach an inner map through them. */
#include "efw.h"

#define EFW_MAP_TYPE_HASH_OF_MAPS 6	/* include/ebpf_structs.h@v1.5.0:26 */
#define EFW_MAP_TYPE_ARRAY_OF_MAPS 7	/* @v1.5.0:27 */

/* Record 0: the template both outer maps name, and the map the tests put into them. */
struct bpf_map_def SEC("maps") inner = {
	.type = EFW_MAP_TYPE_ARRAY,
	.key_size = sizeof(uint32_t),
	.value_size = sizeof(uint64_t),
	.max_entries = 1,
	.id = 42,
};

/* Record 1: its template by index. */
struct bpf_map_def SEC("maps") outer_by_idx = {
	.type = EFW_MAP_TYPE_ARRAY_OF_MAPS,
	.key_size = sizeof(uint32_t),
	.value_size = sizeof(uint32_t),
	.max_entries = 2,
	.inner_map_idx = 0,
};

/* Record 2: its template by id; inner_map_idx is ignored when inner_id is set. */
struct bpf_map_def SEC("maps") outer_by_id = {
	.type = EFW_MAP_TYPE_HASH_OF_MAPS,
	.key_size = sizeof(uint32_t),
	.value_size = sizeof(uint32_t),
	.max_entries = 4,
	.inner_map_idx = 7,
	.inner_id = 42,
};

static uint64_t through(void *outer)
{
	uint32_t key = 0;
	void *map = bpf_map_lookup_elem(outer, &key);
	if (!map)
		return 100;
	uint64_t *v = bpf_map_lookup_elem(map, &key);
	if (!v)
		return 200;
	return *v;
}

/* bind_md_t (include/ebpf_nethooks.h@v1.5.0:24-33): operation at 44. Returns the inner value plus
 * the operation, so a test sees both the map of maps and the context. */
SEC("bind")
int bind_through_idx(void *ctx)
{
	uint32_t op = *(uint32_t *)((char *)ctx + 44);
	return (int)(through(&outer_by_idx) + op);
}

SEC("sample_ext")
int sample_through_id(void *ctx)
{
	return (int)through(&outer_by_id);
}

char _license[] SEC("license") = "MIT";
