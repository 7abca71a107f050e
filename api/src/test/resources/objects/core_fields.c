/*
 * CO-RE field relocations on layouts the program defines. ctx_fields reads struct core_ctx from a
 * copy of its syscall context: the kernel test fills the context as a hand-built target BTF lays
 * the struct out, relocates against that BTF and checks what the program reads. The other
 * programs are relocated only (by bpf4j and by libbpf, compared): anonymous members, nested and
 * flexible arrays, an indexed root, loads whose field changes size, bitfields.
 */
#include "common.h"
#include <bpf/bpf_core_read.h>

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef int s32;
typedef unsigned long long u64;

struct core_inner {
	u32 c;
	u32 d;
} __attribute__((preserve_access_index));

enum core_mode { CORE_MODE_A = 1, CORE_MODE_B = 2, CORE_MODE_GONE = 3 };

struct core_ctx {
	u32 a;
	u32 b;
	struct core_inner in;
	u32 arr[4];
	u32 x : 3;
	s32 y : 5;
	u32 gone;
	u16 half;
} __attribute__((preserve_access_index));

struct core_missing {
	int z;
} __attribute__((preserve_access_index));

/*
 * The syscall program's context: the bytes of a struct core_ctx as the target lays it out, and
 * which answer to return (bits 0-3: the answer, bit 4: its upper half), since a test run returns
 * only the 32-bit return value.
 */
struct core_io {
	u64 in[16];
	u32 sel;
};

SEC("syscall")
int ctx_fields(struct core_io *io)
{
	u64 buf[16], out[16];
	struct core_ctx *c = (void *)buf;

	/* The verifier allows no loads through a moved context pointer: read a copy on the stack. */
#pragma unroll
	for (int i = 0; i < 16; i++)
		buf[i] = io->in[i];
	out[0] = c->a;
	out[1] = c->b;
	out[2] = c->in.d;
	out[3] = c->arr[2];
	out[4] = BPF_CORE_READ_BITFIELD(c, x);
	out[5] = BPF_CORE_READ_BITFIELD(c, y);
	out[6] = BPF_CORE_READ_BITFIELD_PROBED(c, y);
	out[7] = bpf_core_field_exists(c->gone) ? c->gone : 0xdead;
	out[8] = c->half;
	out[9] = bpf_core_field_size(c->b);
	out[10] = bpf_core_field_offset(c->in.d);
	out[11] = bpf_core_type_size(struct core_ctx);
	out[12] = bpf_core_enum_value(enum core_mode, CORE_MODE_B);
	out[13] = bpf_core_enum_value_exists(enum core_mode, CORE_MODE_GONE);
	out[14] = bpf_core_type_exists(struct core_missing);
	out[15] = bpf_core_type_id_kernel(struct core_ctx) << 32 | bpf_core_type_id_local(struct core_ctx);
	return out[io->sel & 15] >> (io->sel & 16 ? 32 : 0);
}

struct core_anon {
	int first;
	union {
		u32 u_a;
		u64 u_b;
	};
	struct {
		u32 s_a;
		struct {
			u32 deep;
		};
	};
} __attribute__((preserve_access_index));

struct core_arrays {
	u32 m[2][3];
	struct core_inner items[3];
	u32 count;
	u32 tail[];
} __attribute__((preserve_access_index));

struct core_sizes {
	s32 sgn;
	enum core_mode mode;
	u8 small;
	u64 big;
	void *ptr;
	struct core_inner *inner_ptr;
	char name[8];
	u16 plain;
	u32 bits : 7;
} __attribute__((preserve_access_index));

SEC("syscall")
int anon_members(struct core_anon *p)
{
	return p->first + p->u_a + p->u_b + p->s_a + p->deep;
}

SEC("syscall")
int arrays(struct core_arrays *p)
{
	u64 v = p->m[1][2] + p->items[2].d + p->tail[5] + p[1].count;

	v += bpf_core_field_size(p->items);
	v += bpf_core_field_size(p->items[1]);
	v += bpf_core_field_offset(p->items[1]);
	v += bpf_core_field_exists(p->m[1][1]);
	v += bpf_core_field_size(p->m[1]);
	return v;
}

SEC("syscall")
int sizes(struct core_sizes *p)
{
	u64 v = p->sgn + p->mode + p->small + p->big + (u64)p->ptr + (u64)p->inner_ptr + p->name[3] + p->plain;

	v += __builtin_preserve_field_info(p->sgn, BPF_FIELD_SIGNED);
	v += __builtin_preserve_field_info(p->mode, BPF_FIELD_SIGNED);
	v += __builtin_preserve_field_info(p->small, BPF_FIELD_SIGNED);
	v += __builtin_preserve_field_info(p->bits, BPF_FIELD_SIGNED);
	v += __builtin_preserve_field_info(p->plain, BPF_FIELD_LSHIFT_U64);
	v += __builtin_preserve_field_info(p->plain, BPF_FIELD_RSHIFT_U64);
	p->plain = 7;
	p->big = v;
	return v;
}

SEC("syscall")
int bitfields(struct core_sizes *s)
{
	return BPF_CORE_READ_BITFIELD(s, bits) + BPF_CORE_READ_BITFIELD_PROBED(s, bits) + BPF_CORE_READ_BITFIELD(s, plain);
}

char LICENSE[] SEC("license") = "GPL";
