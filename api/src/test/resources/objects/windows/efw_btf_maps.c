/* eBPF for Windows BTF-defined maps: libbpf's syntax with Windows' type numbers. */
#include "efw.h"

struct {
	__uint(type, EFW_MAP_TYPE_PERCPU_ARRAY);
	__type(key, uint32_t);
	__type(value, uint64_t);
	__uint(max_entries, 8);
} per_cpu_counts SEC(".maps");

struct {
	__uint(type, EFW_MAP_TYPE_HASH);
	__type(key, uint64_t);
	__type(value, uint32_t);
	__uint(max_entries, 16);
	__uint(pinning, EFW_PIN_BY_NAME);
} by_id SEC(".maps");

SEC("xdp/any_target")
int count_btf(void *ctx)
{
	uint32_t key = 0;
	uint64_t *v = bpf_map_lookup_elem(&per_cpu_counts, &key);
	if (v)
		*v += 1;
	return 1;
}

char _license[] SEC("license") = "MIT";
