// SPDX-License-Identifier: GPL-2.0
/*
 * A large object for the ObjectLoad benchmark: 48 BTF-defined maps, 48 XDP programs that each
 * use two of them, a static subprogram, and .data, .rodata and .bss. Rebuild with ./build.sh and
 * commit load_many.o with it.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

volatile const __u32 verdict = XDP_PASS;
__u64 runs = 1;
__u64 hits[8];

static __noinline __u32 key_of(struct xdp_md *ctx)
{
	return (ctx->data_end - ctx->data) & 63;
}

#define MAP(i)                                                       \
	struct {                                                     \
		__uint(type, BPF_MAP_TYPE_HASH);                     \
		__uint(max_entries, 64);                             \
		__type(key, __u32);                                  \
		__type(value, __u64);                                \
	} map_##i SEC(".maps");

#define PROG(i, j)                                                   \
	SEC("xdp") int prog_##i(struct xdp_md *ctx)                  \
	{                                                            \
		__u32 k = key_of(ctx);                               \
		__u64 one = 1, *v = bpf_map_lookup_elem(&map_##i, &k); \
		if (v)                                               \
			__sync_fetch_and_add(v, 1);                  \
		else                                                 \
			bpf_map_update_elem(&map_##j, &k, &one, BPF_ANY); \
		hits[i & 7]++;                                       \
		runs++;                                              \
		return verdict;                                      \
	}

#define EIGHT(F, a) F(a##0) F(a##1) F(a##2) F(a##3) F(a##4) F(a##5) F(a##6) F(a##7)
EIGHT(MAP, 1) EIGHT(MAP, 2) EIGHT(MAP, 3) EIGHT(MAP, 4) EIGHT(MAP, 5) EIGHT(MAP, 6)

#define P2(a, b) PROG(a, b)
P2(10, 11) P2(11, 12) P2(12, 13) P2(13, 14) P2(14, 15) P2(15, 16) P2(16, 17) P2(17, 20)
P2(20, 21) P2(21, 22) P2(22, 23) P2(23, 24) P2(24, 25) P2(25, 26) P2(26, 27) P2(27, 30)
P2(30, 31) P2(31, 32) P2(32, 33) P2(33, 34) P2(34, 35) P2(35, 36) P2(36, 37) P2(37, 40)
P2(40, 41) P2(41, 42) P2(42, 43) P2(43, 44) P2(44, 45) P2(45, 46) P2(46, 47) P2(47, 50)
P2(50, 51) P2(51, 52) P2(52, 53) P2(53, 54) P2(54, 55) P2(55, 56) P2(56, 57) P2(57, 60)
P2(60, 61) P2(61, 62) P2(62, 63) P2(63, 64) P2(64, 65) P2(65, 66) P2(66, 67) P2(67, 10)

char LICENSE[] SEC("license") = "GPL";
