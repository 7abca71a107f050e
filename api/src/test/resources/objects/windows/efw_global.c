/* Global data, which eBPF for Windows loads only from native images (refused through bpf()). */
#include "efw.h"

uint64_t packets;
const volatile uint32_t verdict = 1;

SEC("xdp")
int count_global(void *ctx)
{
	packets++;
	return verdict;
}

char _license[] SEC("license") = "MIT";
