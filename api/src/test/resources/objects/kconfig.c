// SPDX-License-Identifier: GPL-2.0
/*
 * .kconfig externs of each kind libbpf fills: the kernel's version, a bool, a tristate, a char,
 * integers, a string, and a __weak one no configuration sets. The program copies them into
 * globals so a test can see what the loader put in the .kconfig map.
 */
#include "common.h"
#include <stdbool.h>

extern unsigned int LINUX_KERNEL_VERSION __kconfig;
extern bool CONFIG_BPF_JIT __kconfig;
extern enum libbpf_tristate CONFIG_NET_SCH_INGRESS __kconfig;
extern char CONFIG_BPF_LSM __kconfig;
extern int CONFIG_HZ __kconfig;
extern unsigned long long CONFIG_NR_CPUS __kconfig;
extern char CONFIG_DEFAULT_HOSTNAME[8] __kconfig;
extern int CONFIG_BPF4J_NEVER_SET __kconfig __weak;

__u64 version, jit, ingress, lsm, hz, nr_cpus, never_set;
char hostname[8];

SEC("xdp")
int read_kconfig(struct xdp_md *ctx)
{
	int i;

	version = LINUX_KERNEL_VERSION;
	jit = CONFIG_BPF_JIT;
	ingress = CONFIG_NET_SCH_INGRESS;
	lsm = CONFIG_BPF_LSM;
	hz = CONFIG_HZ;
	nr_cpus = CONFIG_NR_CPUS;
	never_set = CONFIG_BPF4J_NEVER_SET;
	for (i = 0; i < 8; i++)
		hostname[i] = CONFIG_DEFAULT_HOSTNAME[i];
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
