// SPDX-License-Identifier: GPL-2.0
/* BTF-defined maps in .maps: typed and sized keys and values, flags, pinning, a map of maps, a ring buffer. */
#include "common.h"

struct pair {
	__u64 bytes;
	__u32 frames;
	__u32 last_verdict;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
	__uint(map_flags, BPF_F_NO_PREALLOC);
} by_length SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u64));
} per_cpu SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, struct pair);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} totals SEC(".maps");

struct inner {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
};

/* outer[0], when set from user space, holds the verdict to return in its inner map's element 0 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 2);
	__type(key, __u32);
	__array(values, struct inner);
} verdicts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} events SEC(".maps");

SEC("xdp")
int use_btf_maps(struct xdp_md *ctx)
{
	__u32 len = ctx->data_end - ctx->data;
	__u32 zero = 0;
	__u32 verdict = XDP_PASS;
	__u64 one = 1, *v;
	struct pair *p;
	void *inner = bpf_map_lookup_elem(&verdicts, &zero);

	if (inner) {
		__u32 *iv = bpf_map_lookup_elem(inner, &zero);
		if (iv && *iv)
			verdict = *iv;
	}
	v = bpf_map_lookup_elem(&by_length, &len);
	if (v)
		__sync_fetch_and_add(v, 1);
	else
		bpf_map_update_elem(&by_length, &len, &one, BPF_ANY);
	v = bpf_map_lookup_elem(&per_cpu, &zero);
	if (v)
		*v += len;
	p = bpf_map_lookup_elem(&totals, &zero);
	if (p) {
		p->bytes += len;
		p->frames++;
		p->last_verdict = verdict;
	}
	bpf_ringbuf_output(&events, &len, sizeof(len), 0);
	return verdict;
}

char LICENSE[] SEC("license") = "GPL";
