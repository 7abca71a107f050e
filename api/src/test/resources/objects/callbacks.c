// SPDX-License-Identifier: GPL-2.0
/* A static function passed as a callback (bpf_loop): a ld_imm64 of a function's address. */
#include "common.h"

__u64 sum;

static int add_index(__u32 index, void *ctx)
{
	sum += index;
	return 0;
}

SEC("xdp")
int loop_sum(struct xdp_md *ctx)
{
	bpf_loop(10, add_index, NULL, 0);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
