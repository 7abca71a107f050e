/*
 * Type relocations on types made to compare with targets in one way each. As compiled, each is a
 * TYPE_EXISTS relocation (libbpf's bpf_core_types_are_compat). clang 14 cannot emit
 * bpf_core_type_matches (clang 15 can), so the CO-RE test also rewrites this object's TYPE_EXISTS
 * relocations into TYPE_MATCHES ones (the same instruction and local value, 1) and compares both
 * readings with libbpf's.
 */
#include "common.h"
#include <bpf/bpf_core_read.h>

typedef unsigned long long u64;

struct m_inner {
	int a;
	int b;
};

struct m_opaque;
struct m_opaque2;

struct m_same { int a; char *p; };
struct m_subset { int a; };
struct m_missing { int a; int b; };
struct m_int_size { int a; };
struct m_int_sign { unsigned int a; };
struct m_member_flavor { int a___new; };
struct m_anon_member { union { int x; }; };
struct m_ptr_fwd { struct m_opaque *p; };
struct m_ptr_kind { struct m_opaque2 *p; };
struct m_behind_ptr { struct m_inner *p; };
struct m_by_value { struct m_inner in; };
struct m_arr_len { int a[4]; };
struct m_arr_same { int a[4]; };
struct m_float { double d; };
struct m_nested_anon { struct { int q; } s; };
struct m_order { int a; long b; };
union m_union { int a; long b; };
enum m_e { M_A, M_B };
enum m_e_missing { MM_A, MM_B };
enum m_e_extra { ME_A };
struct m_enum_member { enum m_e e; };
typedef int (*m_fn)(int, char);
typedef int (*m_fn_argc)(int, char);
typedef int (*m_fn_ret)(int);
typedef struct m_same m_td;

SEC("syscall")
int matches(void *ctx)
{
	u64 v = 0;

	v |= bpf_core_type_exists(struct m_same) << 0;
	v |= bpf_core_type_exists(struct m_subset) << 1;
	v |= bpf_core_type_exists(struct m_missing) << 2;
	v |= bpf_core_type_exists(struct m_int_size) << 3;
	v |= bpf_core_type_exists(struct m_int_sign) << 4;
	v |= bpf_core_type_exists(struct m_member_flavor) << 5;
	v |= bpf_core_type_exists(struct m_anon_member) << 6;
	v |= bpf_core_type_exists(struct m_ptr_fwd) << 7;
	v |= bpf_core_type_exists(struct m_ptr_kind) << 8;
	v |= bpf_core_type_exists(struct m_behind_ptr) << 9;
	v |= bpf_core_type_exists(struct m_by_value) << 10;
	v |= bpf_core_type_exists(struct m_arr_len) << 11;
	v |= bpf_core_type_exists(struct m_arr_same) << 12;
	v |= bpf_core_type_exists(struct m_float) << 13;
	v |= bpf_core_type_exists(struct m_nested_anon) << 14;
	v |= bpf_core_type_exists(struct m_order) << 15;
	v |= bpf_core_type_exists(union m_union) << 16;
	v |= bpf_core_type_exists(enum m_e) << 17;
	v |= bpf_core_type_exists(enum m_e_missing) << 18;
	v |= bpf_core_type_exists(enum m_e_extra) << 19;
	v |= bpf_core_type_exists(struct m_enum_member) << 20;
	v |= bpf_core_type_exists(m_fn) << 21;
	v |= bpf_core_type_exists(m_fn_argc) << 22;
	v |= bpf_core_type_exists(m_fn_ret) << 23;
	v |= bpf_core_type_exists(m_td) << 24;
	return v != 0;
}

char LICENSE[] SEC("license") = "GPL";
