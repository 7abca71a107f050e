// SPDX-License-Identifier: GPL-2.0
/*
 * Maps whose elements the object initialises: an array of maps holding two inner maps, and a
 * program array holding a tail-call target; the XDP entry program uses both.
 */
#include "common.h"

struct inner_map {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} inner_a SEC(".maps"), inner_b SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 2);
	__type(key, __u32);
	__array(values, struct inner_map);
} outer SEC(".maps") = {
	.values = { [0] = &inner_a, [1] = &inner_b },
};

int tail_drop(struct xdp_md *ctx);

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 4);
	__uint(key_size, sizeof(__u32));
	__array(values, int(void *));
} jumps SEC(".maps") = {
	.values = { [1] = (void *)&tail_drop },
};

__u32 jump_to;   /* the tail call's index, set from user space */
__u32 pick;      /* which inner map to read */
__u32 seen;      /* what the program read there */
__u32 tail_runs; /* 1 per tail_drop run, 100 per tail_tx run */

SEC("xdp")
int tail_drop(struct xdp_md *ctx)
{
	tail_runs += 1;
	return XDP_DROP;
}

SEC("xdp")
int tail_tx(struct xdp_md *ctx)
{
	tail_runs += 100;
	return XDP_TX;
}

SEC("xdp")
int entry(struct xdp_md *ctx)
{
	__u32 zero = 0;
	void *inner = bpf_map_lookup_elem(&outer, &pick);

	if (inner) {
		__u32 *v = bpf_map_lookup_elem(inner, &zero);
		if (v)
			seen = *v;
	}
	bpf_tail_call(ctx, &jumps, jump_to);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
