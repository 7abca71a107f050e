/*
 * CO-RE candidates: which target types a local type may relocate to. Flavors (a "___suffix" that
 * is dropped, libbpf's rule for where it starts), local flavors of one type, candidates narrowed
 * by earlier relocations of the same type, enumerators by name (with flavors) and their values,
 * roots that are typedefs and unions, and field types that are compatible or not.
 */
#include "common.h"
#include <bpf/bpf_core_read.h>

typedef unsigned long long u64;
typedef long core_long_t;

#define CORE __attribute__((preserve_access_index))

struct core_flav {
	int a;
	int b;
} CORE;

/* A local flavor: the same kernel type as an older kernel had it. */
struct core_flav___old {
	int a;
	int old_only;
} CORE;

struct core_narrow {
	int shared;
	int only_new;
} CORE;

/* Four underscores are no flavor separator; of two separators, the last counts; "___" at the end is none. */
struct core_nm____x {
	int a;
} CORE;

struct core_aa___b___c {
	int a;
} CORE;

struct core_trail___ {
	int a;
} CORE;

enum core_e { CE_A = 1, CE_B = 2, CE_C___old = 3, CE_NEG = -1 };

typedef struct {
	int a;
	int b;
} CORE core_td_t;

union core_un {
	int a;
	long b;
} CORE;

struct core_kinds {
	enum core_e e;
	int i;
	struct core_flav *p;
	struct core_flav s;
	long l;
	int arr[4];
	union core_un u;
} CORE;

SEC("syscall")
int flav_fields(struct core_flav *p)
{
	int v = p->a + p->b;

	if (bpf_core_field_exists(((struct core_flav___old *)p)->old_only))
		v += ((struct core_flav___old *)p)->old_only;
	return v;
}

/* The first read finds only the candidate that has only_new; the second then looks nowhere else. */
SEC("syscall")
int narrowing(struct core_narrow *p)
{
	return p->only_new + p->shared;
}

/* The same two reads in the other order: which candidates remain depends on what came first. */
SEC("syscall")
int narrowing_late(struct core_narrow *p)
{
	return p->shared + p->only_new;
}

SEC("syscall")
int names(struct core_nm____x *p)
{
	return p->a + ((struct core_aa___b___c *)p)->a + ((struct core_trail___ *)p)->a;
}

SEC("syscall")
int enums(void *ctx)
{
	u64 v = bpf_core_enum_value(enum core_e, CE_A);

	v += bpf_core_enum_value(enum core_e, CE_B);
	v += bpf_core_enum_value(enum core_e, CE_C___old);
	v += bpf_core_enum_value(enum core_e, CE_NEG);
	v += bpf_core_enum_value_exists(enum core_e, CE_B);
	v += bpf_core_type_size(enum core_e);
	return v;
}

SEC("syscall")
int kinds(struct core_kinds *p)
{
	long v = p->e + p->i + (long)p->p + p->s.a + p->l + p->arr[2] + p->u.b;

	v += ((core_td_t *)p)->b;
	v += ((union core_un *)p)->b;
	v += bpf_core_field_exists(p->s) + bpf_core_field_exists(p->arr) + bpf_core_field_exists(p->u);
	return v;
}

SEC("syscall")
int types(void *ctx)
{
	u64 v = bpf_core_type_exists(struct core_flav);

	v += bpf_core_type_size(struct core_flav);
	v += bpf_core_type_id_kernel(struct core_flav);
	v += bpf_core_type_exists(core_td_t);
	v += bpf_core_type_size(core_td_t);
	v += bpf_core_type_id_kernel(core_td_t);
	v += bpf_core_type_exists(union core_un);
	v += bpf_core_type_size(union core_un);
	v += bpf_core_type_exists(struct core_kinds);
	v += bpf_core_type_size(struct core_kinds);
	v += bpf_core_type_id_kernel(struct core_kinds);
	v += bpf_core_type_id_local(struct core_kinds);
	v += bpf_core_type_size(core_long_t);
	v += bpf_core_type_id_kernel(core_long_t);
	return v;
}

char LICENSE[] SEC("license") = "GPL";
