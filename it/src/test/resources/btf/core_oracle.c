/*
 * core_oracle: what libbpf makes of an object's CO-RE relocations against a target BTF, for
 * CoreOracleTest to compare with bpf4j's.
 *
 *     core_oracle OBJECT TARGET_BTF
 *
 * TARGET_BTF is a raw BTF file or an ELF object with a .BTF section (libbpf's btf__parse reads
 * both). The object is loaded once with every program, then once per program with only that one,
 * each time with btf_custom_path = TARGET_BTF, so that libbpf relocates against it alone. A
 * program handler registered for the object's sections sees the instructions after relocation,
 * just before the kernel would get them, prints every program libbpf relocated, and cancels the
 * load. Output, one item a line:
 *
 *     version V             libbpf's version, first
 *     run NAME              (or "run *" for the run with every program)
 *     prog NAME COUNT       then COUNT instructions, each a 64-bit word in hex
 *     log MESSAGE           libbpf's warnings (and its debug lines with CORE_ORACLE_DEBUG set)
 *     result ok | result error ERRNO
 *
 * Needs libbpf 1.0 or later (libbpf_register_prog_handler) and the rights to load programs,
 * since libbpf probes the kernel and loads the object's BTF before it relocates.
 */
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct bpf_object *current;
static int dumped;

static int print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char buf[8192];
	char *line, *save;

	if (level == LIBBPF_DEBUG && !getenv("CORE_ORACLE_DEBUG"))
		return 0;
	vsnprintf(buf, sizeof(buf), fmt, ap);
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		printf("log %s\n", line);
	return 0;
}

/* Called for the first program libbpf loads: relocation of all of them is done by then. */
static int prepare(struct bpf_program *prog, struct bpf_prog_load_opts *opts, long cookie)
{
	struct bpf_program *p;

	if (dumped)
		return -ECANCELED;
	bpf_object__for_each_program(p, current) {
		const struct bpf_insn *insns = bpf_program__insns(p);
		size_t n = bpf_program__insn_cnt(p);

		if (!bpf_program__autoload(p))
			continue;
		printf("prog %s %zu\n", bpf_program__name(p), n);
		for (size_t i = 0; i < n; i++) {
			unsigned long long w;

			memcpy(&w, &insns[i], sizeof(w));
			printf("%016llx\n", w);
		}
	}
	dumped = 1;
	return -ECANCELED;
}

static int run(const char *object, const char *target, const char *only)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .btf_custom_path = target);
	struct bpf_program *p;
	int err;

	printf("run %s\n", only ? only : "*");
	current = bpf_object__open_file(object, &opts);
	err = libbpf_get_error(current);
	if (err) {
		printf("result error %d\n", err);
		return 1;
	}
	if (only) {
		bpf_object__for_each_program(p, current)
			bpf_program__set_autoload(p, strcmp(bpf_program__name(p), only) == 0);
	}
	dumped = 0;
	err = bpf_object__load(current);
	if (dumped)
		printf("result ok\n");
	else
		printf("result error %d\n", err);
	bpf_object__close(current);
	current = NULL;
	return 0;
}

int main(int argc, char **argv)
{
	static const char *const sections[] = {"syscall", "socket"};
	static const enum bpf_prog_type types[] = {BPF_PROG_TYPE_SYSCALL, BPF_PROG_TYPE_SOCKET_FILTER};
	LIBBPF_OPTS(libbpf_prog_handler_opts, handler, .prog_prepare_load_fn = prepare);
	struct bpf_object *obj;
	struct bpf_program *p;
	char names[64][128];
	int n = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: %s OBJECT TARGET_BTF\n", argv[0]);
		return 2;
	}
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	printf("version %s\n", libbpf_version_string());
	libbpf_set_print(print);
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		if (libbpf_register_prog_handler(sections[i], types[i], 0, &handler) < 0) {
			fprintf(stderr, "cannot register a handler for section %s\n", sections[i]);
			return 1;
		}
	}
	obj = bpf_object__open(argv[1]);
	if (libbpf_get_error(obj)) {
		fprintf(stderr, "cannot open %s\n", argv[1]);
		return 1;
	}
	bpf_object__for_each_program(p, obj) {
		if (n == 64) {
			fprintf(stderr, "more than 64 programs in %s\n", argv[1]);
			return 1;
		}
		snprintf(names[n++], sizeof(names[0]), "%s", bpf_program__name(p));
	}
	bpf_object__close(obj);
	run(argv[1], argv[2], NULL);
	for (int i = 0; i < n; i++)
		run(argv[1], argv[2], names[i]);
	return 0;
}
