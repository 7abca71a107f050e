// SPDX-License-Identifier: GPL-2.0
/*
 * bpf-to-bpf calls: a static and a global function in .text, calling each other, called from
 * two program sections, with a global variable read in a subprogram.
 */
#include "common.h"

__u32 results[4];

static __noinline __u32 mix(__u32 x)
{
	return x * 31 + 7;
}

__noinline __u32 twice_mixed(__u32 x)
{
	return mix(mix(x)) ^ results[3];
}

SEC("xdp")
int sub_xdp(struct xdp_md *ctx)
{
	results[0] = twice_mixed(ctx->data_end - ctx->data);
	return XDP_PASS;
}

SEC("socket")
int sub_socket(struct __sk_buff *skb)
{
	results[1] = mix(skb->len) + twice_mixed(1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
