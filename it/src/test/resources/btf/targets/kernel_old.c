/*
 * A target for core_kernel.o: an imagined older kernel whose task_struct has no real_parent and a
 * shorter comm, and whose enum pid_type has no PIDTYPE_TGID.
 */
struct task_struct {
	int pid;
	int tgid;
	char comm[8];
};

enum pid_type { PIDTYPE_PID, PIDTYPE_SID };

struct task_struct g_task;
enum pid_type g_pid_type;
