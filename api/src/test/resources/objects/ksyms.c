// SPDX-License-Identifier: GPL-2.0
/*
 * .ksyms externs: kfuncs (the open-coded number iterator, which every program type may call), a
 * __weak kfunc no kernel has, a __weak kfunc's address (a typed ksym of a function), a typeless kernel
 * symbol's address, a typed kernel variable (a per-CPU struct), and a kfunc declared with the
 * wrong prototype.
 */
#include "common.h"

/* The kernel's struct bpf_iter_num: one opaque u64 on the stack. */
struct bpf_iter_num {
	__u64 __opaque[1];
} __attribute__((aligned(8)));

extern int bpf_iter_num_new(struct bpf_iter_num *it, int start, int end) __ksym;
extern int *bpf_iter_num_next(struct bpf_iter_num *it) __ksym;
/* __weak, but this kernel has it: its address is taken through its BTF id. */
extern void bpf_iter_num_destroy(struct bpf_iter_num *it) __ksym __weak;
extern void bpf4j_no_such_kfunc(void) __ksym __weak;
extern const void _stext __ksym;

struct rq {
	int cpu;
} __attribute__((preserve_access_index));
extern const struct rq runqueues __ksym;

__u64 sum, has_destroy, missing_called, missing_exists, stext;
__u64 rq_cpu_ok;

SEC("xdp")
int kfunc_sum(struct xdp_md *ctx)
{
	struct bpf_iter_num it;
	int *v;

	bpf_iter_num_new(&it, 0, 10);
	while ((v = bpf_iter_num_next(&it)))
		sum += *v;
	bpf_iter_num_destroy(&it);
	has_destroy = !!&bpf_iter_num_destroy;
	missing_exists = !!&bpf4j_no_such_kfunc;
	if (&bpf4j_no_such_kfunc) {
		missing_called = 1;
		bpf4j_no_such_kfunc();
	}
	return XDP_PASS;
}

SEC("xdp")
int symbol_addr(struct xdp_md *ctx)
{
	stext = (__u64)&_stext;
	return XDP_PASS;
}

/* Declared with a parameter too many: the kernel's prototype does not match, and the loader says so. */
extern void *bpf_cast_to_kern_ctx(void *obj, int extra) __ksym;

SEC("xdp")
int bad_proto(struct xdp_md *ctx)
{
	return bpf_cast_to_kern_ctx(ctx, 0) ? XDP_PASS : XDP_DROP;
}

SEC("xdp")
int typed_var(struct xdp_md *ctx)
{
	struct rq *rq = bpf_this_cpu_ptr(&runqueues);

	rq_cpu_ok = rq->cpu == bpf_get_smp_processor_id();
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
