// SPDX-License-Identifier: GPL-2.0
/*
 * An extension (freplace/) and the program it extends: pick_verdict() is a global function of
 * the XDP program, whose BTF lets another program replace it while it runs.
 */
#include "common.h"

__attribute__((noinline)) int pick_verdict(struct xdp_md *ctx)
{
	return ctx ? XDP_PASS : XDP_ABORTED;
}

SEC("xdp")
int with_verdict(struct xdp_md *ctx)
{
	return pick_verdict(ctx);
}

SEC("freplace/pick_verdict")
int drop_instead(struct xdp_md *ctx)
{
	return XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
