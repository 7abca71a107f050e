// SPDX-License-Identifier: GPL-2.0
/* Global data in every kind of section, read and written by an XDP program and from Java. */
#include "common.h"

/* .rodata: configured from Java before load; volatile so the compiler reads them from the map */
volatile const __u32 verdict = XDP_PASS;
volatile const __u8 factor = 3;
/* .rodata.greeting: a custom read-only section */
volatile const char greeting[8] SEC(".rodata.greeting") = "hello";
/* .data: starts at 100 */
__u64 total = 100;
/* .data.counters: a custom data section */
__u32 runs SEC(".data.counters") = 5;
/* .bss: zero at load */
__u64 calls;
__u32 last_len;

SEC("xdp")
int use_globals(struct xdp_md *ctx)
{
	last_len = ctx->data_end - ctx->data;
	calls++;
	total += (__u64)last_len * factor;
	runs += 2;
	if (greeting[0] != 'h')
		return XDP_ABORTED;
	return verdict;
}

char LICENSE[] SEC("license") = "GPL";
