// SPDX-License-Identifier: GPL-2.0
/*
 * BTF-typed programs, whose kernel targets the loader finds in vmlinux's BTF: a tp_btf program
 * counting one thread's getpid() calls (the syscall number is set from user space, since it
 * differs between architectures) and a task iterator counting tasks.
 */
#include "common.h"

/* The iterator context of Linux's bpf_iter task target (kernel/bpf/task_iter.c), stable uapi-like layout. */
struct bpf_iter_meta {
	void *seq;
	__u64 session_id;
	__u64 seq_num;
};

struct bpf_iter__task {
	struct bpf_iter_meta *meta;
	void *task;
};

volatile const __u32 target_tid;
volatile const long getpid_nr = 39; /* x86_64 */
__u64 hits;
__u64 tasks;

SEC("tp_btf/sys_enter")
int count_sys_enter(__u64 *ctx)
{
	/* ctx[0] is the struct pt_regs *, ctx[1] the syscall number */
	if ((__u32)bpf_get_current_pid_tgid() == target_tid && (long)ctx[1] == getpid_nr)
		__sync_fetch_and_add(&hits, 1);
	return 0;
}

SEC("iter/task")
int count_tasks(struct bpf_iter__task *ctx)
{
	if (ctx->task)
		__sync_fetch_and_add(&tasks, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
