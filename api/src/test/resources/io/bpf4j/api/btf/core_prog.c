/*
 * A BPF object with func_info, line_info and CO-RE relocations of several kinds, for BtfObjectTest.
 * Rebuild (from this directory): clang-14 -target bpf -O2 -g -c core_prog.c -o core_prog.o
 */
typedef unsigned int u32;

struct task {
	int pid;
	int tgid;
	struct {
		u32 flags: 3;
		u32 state: 5;
	} bits;
	char comm[16];
} __attribute__((preserve_access_index));

enum colour { RED = 1, GREEN = 2 };

#define SEC(name) __attribute__((section(name), used))

static __attribute__((noinline)) int helper(struct task *t)
{
	return t->tgid + 1;
}

int counter = 0;

SEC("tp/sched/sched_switch")
int on_switch(struct task *t)
{
	int pid = t->pid;
	counter += pid;
	if (__builtin_preserve_field_info(t->bits.state, 2))
		counter++;
	counter += __builtin_preserve_type_info(*(struct task *)0, 1);
	return helper(t) + __builtin_preserve_enum_value(*(enum colour *)GREEN, 1);
}

char LICENSE[] SEC("license") = "GPL";
