// SPDX-License-Identifier: GPL-2.0
/* Legacy map definitions in the "maps" section, read and written by an XDP program and from Java. */
#include "common.h"

/* [0] packets seen, [1] bytes seen, [3] the verdict to return when non-zero (set from Java) */
struct bpf_map_def SEC("maps") stats = {
	.type = BPF_MAP_TYPE_ARRAY,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u64),
	.max_entries = 4,
};

/* frame length -> how many frames had it */
struct bpf_map_def SEC("maps") lengths = {
	.type = BPF_MAP_TYPE_HASH,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u64),
	.max_entries = 64,
	.map_flags = BPF_F_NO_PREALLOC,
};

SEC("xdp")
int count_frames(struct xdp_md *ctx)
{
	__u32 len = ctx->data_end - ctx->data;
	__u32 key = 0;
	__u64 *v = bpf_map_lookup_elem(&stats, &key);
	if (v)
		__sync_fetch_and_add(v, 1);
	key = 1;
	v = bpf_map_lookup_elem(&stats, &key);
	if (v)
		__sync_fetch_and_add(v, len);
	v = bpf_map_lookup_elem(&lengths, &len);
	if (v) {
		__sync_fetch_and_add(v, 1);
	} else {
		__u64 one = 1;
		bpf_map_update_elem(&lengths, &len, &one, BPF_NOEXIST);
	}
	key = 3;
	v = bpf_map_lookup_elem(&stats, &key);
	if (v && *v)
		return *v;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
