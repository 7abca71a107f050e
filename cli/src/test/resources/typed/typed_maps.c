// SPDX-License-Identifier: GPL-2.0
/*
 * Maps whose keys and values have BTF types of every kind bpftool formats: signed and unsigned
 * integers of each size, char, bool, a char array holding a string, arrays, nested structs, a
 * union, bitfields and an enum; a per-CPU map with a typed value; a struct key. The program only
 * makes the maps part of the object.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

enum color { RED = 0, GREEN = 7, BLUE = -3 };

struct flow {
	__u32 addr;
	__u16 port;
	__u8 proto;
	__u8 pad;
};

struct stats {
	__s8 s8;
	__u8 u8;
	__s16 s16;
	__u16 u16;
	__s32 s32;
	__u64 u64;
	__s64 s64;
	char c;
	_Bool ok;
	char name[12];
	__u16 ports[3];
	struct {
		__u32 hi : 4;
		__u32 lo : 12;
		__s32 neg : 8;
	} bits;
	union {
		__u32 as_u32;
		__u8 as_bytes[4];
	} u;
	enum color color;
	struct flow last;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8);
	__type(key, struct flow);
	__type(value, struct stats);
} by_flow SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, struct flow);
} per_cpu_flows SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 3);
	__type(key, __u32);
	__type(value, enum color);
} colors SEC(".maps");

SEC("xdp")
int touch_typed_maps(struct xdp_md *ctx)
{
	struct flow f = {};
	__u32 zero = 0;
	struct stats *s = bpf_map_lookup_elem(&by_flow, &f);
	struct flow *p = bpf_map_lookup_elem(&per_cpu_flows, &zero);
	enum color *c = bpf_map_lookup_elem(&colors, &zero);

	if (s && p && c)
		return XDP_DROP;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
