/* Shared by the test objects: the kernel's uapi and libbpf's helper declarations. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

/*
 * libbpf's struct bpf_map_def (libbpf 0.x, tools/lib/bpf/libbpf_legacy.h), for definitions in
 * the legacy "maps" section: libbpf 1.x no longer declares it.
 */
struct bpf_map_def {
	unsigned int type;
	unsigned int key_size;
	unsigned int value_size;
	unsigned int max_entries;
	unsigned int map_flags;
};
