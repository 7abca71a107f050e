/*
 * CO-RE relocations libbpf refuses whatever the target: one program each, so that each refusal is
 * checked on its own. A signedness relocation of an array element has no meaning. An unsigned
 * 32-bit enumerator with the top bit set is read by libbpf as a negative number widened to 64 bits,
 * which is not what the compiler put in the instruction, so libbpf refuses to patch it.
 */
#include "common.h"
#include <bpf/bpf_core_read.h>

struct core_err {
	int arr[4];
} __attribute__((preserve_access_index));

enum core_u { CU_TOP = 0x80000000u };

SEC("syscall")
int array_signed(struct core_err *p)
{
	return __builtin_preserve_field_info(p->arr[1], BPF_FIELD_SIGNED);
}

SEC("syscall")
int enum_top_bit(void *ctx)
{
	return bpf_core_enum_value(enum core_u, CU_TOP) != 0;
}

char LICENSE[] SEC("license") = "GPL";
