/* eBPF for Windows legacy map definitions in "maps" (32 bytes each, Windows type numbers) and one
 * program per section its extensions register, two of them Windows-only program types. */
#include "efw.h"

struct bpf_map_def SEC("maps") counts = {
	.type = EFW_MAP_TYPE_ARRAY,
	.key_size = sizeof(uint32_t),
	.value_size = sizeof(uint64_t),
	.max_entries = 4,
	.pinning = EFW_PIN_BY_NAME,
};

struct bpf_map_def SEC("maps") ports = {
	.type = EFW_MAP_TYPE_HASH,
	.key_size = sizeof(uint32_t),
	.value_size = sizeof(uint32_t),
	.max_entries = 128,
	.id = 7,	/* a template id: read by efW only for maps of maps */
};

/* Windows' 5 is a per-CPU array, Linux's a per-CPU hash. */
struct bpf_map_def SEC("maps") per_cpu = {
	.type = EFW_MAP_TYPE_PERCPU_ARRAY,
	.key_size = sizeof(uint32_t),
	.value_size = sizeof(uint64_t),
	.max_entries = 2,
};

/* Windows' 13 is a ring buffer, Linux's a hash of maps. */
struct bpf_map_def SEC("maps") events = {
	.type = EFW_MAP_TYPE_RINGBUF,
	.max_entries = 64 * 1024,
};

SEC("xdp")
int count_xdp(void *ctx)
{
	uint32_t key = 0;
	uint64_t *v = bpf_map_lookup_elem(&counts, &key);
	if (v)
		*v += 1;
	return 1;	/* XDP_PASS on Windows */
}

SEC("cgroup/connect4")
int allow_connect4(void *ctx)
{
	uint32_t key = 1;
	uint64_t *v = bpf_map_lookup_elem(&counts, &key);
	if (v)
		*v += 1;
	return 1;	/* BPF_SOCK_ADDR_VERDICT_PROCEED_SOFT */
}

SEC("sockops")
int watch_sockops(void *ctx)
{
	return 0;
}

SEC("cgroup/recv_accept6")
int allow_accept6(void *ctx)
{
	return 1;
}

SEC("bind")
int watch_bind(void *ctx)
{
	return 0;
}

SEC("sample_ext/extra")
int sample(void *ctx)
{
	return 0;
}

char _license[] SEC("license") = "MIT";
