// SPDX-License-Identifier: GPL-2.0
/*
 * CO-RE: local views of kernel types (the ___local flavor) whose layout differs from the
 * kernel's. The loader relocates each access against the target's BTF: the kernel's own, or one
 * given at load.
 */
#include "common.h"
#include <bpf/bpf_core_read.h>

/* The kernel's struct ethhdr has h_proto at 12 and is 14 bytes; here h_proto comes first. */
struct ethhdr___local {
	__be16 h_proto;
	unsigned char h_source[6];
	unsigned char h_nonexistent;
} __attribute__((preserve_access_index));

/* The kernel's XDP_REDIRECT is 4. */
enum xdp_action___local {
	XDP_REDIRECT___local = 99,
};

__u64 proto;
__u64 eth_size;
__u64 source_at;
__u64 has_source;
__u64 has_nonexistent;
__u64 redirect;

/* A subprogram: its relocation moves with it to where linking places it in the program. */
static __attribute__((noinline)) __u64 source_offset(void)
{
	return bpf_core_field_offset(struct ethhdr___local, h_source);
}

SEC("xdp")
int core_eth(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr___local *eth = data;
	__u64 size = bpf_core_type_size(struct ethhdr___local);

	if (size > 64 || data + size > end)
		return XDP_ABORTED;
	proto = eth->h_proto;
	eth_size = size;
	source_at = source_offset();
	has_source = bpf_core_field_exists(eth->h_source);
	has_nonexistent = bpf_core_field_exists(eth->h_nonexistent);
	redirect = bpf_core_enum_value(enum xdp_action___local, XDP_REDIRECT___local);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
