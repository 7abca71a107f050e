/*
 * CO-RE against the running kernel: task_fields reads the current task's pid, tgid, parent's tgid
 * and name through struct task_struct fields whose offsets only the kernel's BTF knows, the value
 * of PIDTYPE_SID in enum pid_type, and guards a read of a field no kernel has. The kernel test
 * runs it from a test thread and compares with what /proc says of that thread.
 */
#include "common.h"
#include <bpf/bpf_core_read.h>

typedef unsigned int u32;
typedef unsigned long long u64;

/* Only what the program reads, in an order and with offsets no kernel uses. */
struct task_struct {
	char comm[16];
	struct task_struct *real_parent;
	int tgid;
	int pid;
	unsigned int bpf4j_absent;
} __attribute__((preserve_access_index));

enum pid_type { PIDTYPE_SID = 100, PIDTYPE_TGID = 101 };

/* The syscall program's context: which answer to return (bits 0-3: the answer, bit 4: its upper half). */
struct core_io {
	u32 sel;
};

SEC("syscall")
int task_fields(struct core_io *io)
{
	struct task_struct *t = (void *)bpf_get_current_task();
	u64 out[16] = {};

	out[0] = BPF_CORE_READ(t, pid);
	out[1] = BPF_CORE_READ(t, tgid);
	out[2] = BPF_CORE_READ(t, real_parent, tgid);
	bpf_core_read_str(&out[3], 16, &t->comm);
	out[5] = bpf_core_enum_value(enum pid_type, PIDTYPE_SID);
	out[6] = bpf_core_enum_value(enum pid_type, PIDTYPE_TGID);
	out[7] = bpf_core_field_exists(t->bpf4j_absent) ? BPF_CORE_READ(t, bpf4j_absent) : 0xdead;
	out[8] = bpf_core_field_size(t->comm);
	out[9] = bpf_core_type_exists(struct task_struct);
	return out[io->sel & 15] >> (io->sel & 16 ? 32 : 0);
}

char LICENSE[] SEC("license") = "GPL";
