// SPDX-License-Identifier: GPL-2.0
/* A tracepoint program attached by its section name: counts getpid() calls of one thread. */
#include "common.h"

volatile const __u32 target_tid;
__u64 hits;

SEC("tracepoint/syscalls/sys_enter_getpid")
int count_getpid(void *ctx)
{
	if ((__u32)bpf_get_current_pid_tgid() == target_tid)
		__sync_fetch_and_add(&hits, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
