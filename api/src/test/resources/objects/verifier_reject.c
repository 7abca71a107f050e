// SPDX-License-Identifier: GPL-2.0
/* An XDP program the verifier refuses: it reads the packet without checking data_end. */
#include "common.h"

SEC("xdp")
int unchecked_read(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	return data[20] == 7 ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
