// SPDX-License-Identifier: GPL-2.0
/*
 * Loads an object with libbpf and prints what the kernel says of each map and program it made,
 * in the format LibbpfParityTest prints bpf4j's: libbpf is the reference for what an object
 * loader creates. Usage: libbpf_object_info OBJECT.o PIN_ROOT
 */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <stdio.h>

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: %s OBJECT.o PIN_ROOT\n", argv[0]);
		return 2;
	}
	LIBBPF_OPTS(bpf_object_open_opts, opts, .pin_root_path = argv[2]);
	struct bpf_object *obj = bpf_object__open_file(argv[1], &opts);
	if (!obj) {
		fprintf(stderr, "open %s failed\n", argv[1]);
		return 3;
	}
	int err = bpf_object__load(obj);
	if (err) {
		fprintf(stderr, "load %s failed: %d\n", argv[1], err);
		return 4;
	}
	struct bpf_map *m;
	bpf_object__for_each_map(m, obj) {
		struct bpf_map_info info = {};
		__u32 len = sizeof(info);
		if (bpf_obj_get_info_by_fd(bpf_map__fd(m), &info, &len))
			return 5;
		printf("map %s type=%u key=%u value=%u max=%u flags=0x%x btf_key=%u btf_value=%u extra=%llu\n", info.name,
		       info.type, info.key_size, info.value_size, info.max_entries, info.map_flags, info.btf_key_type_id,
		       info.btf_value_type_id, (unsigned long long)info.map_extra);
	}
	struct bpf_program *p;
	bpf_object__for_each_program(p, obj) {
		struct bpf_prog_info info = {};
		__u32 len = sizeof(info);
		if (bpf_obj_get_info_by_fd(bpf_program__fd(p), &info, &len))
			return 6;
		printf("prog %s type=%u tag=", info.name, info.type);
		for (int i = 0; i < 8; i++)
			printf("%02x", info.tag[i]);
		printf(" xlated=%u\n", info.xlated_prog_len);
	}
	bpf_object__close(obj);
	return 0;
}
