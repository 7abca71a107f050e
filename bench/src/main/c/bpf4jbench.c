// SPDX-License-Identifier: Apache-2.0
/*
 * The C baselines of bpf4j's map benchmarks: the same work as the Java benchmarks, done by
 * (a) a raw syscall(__NR_bpf, ...) loop and (b) libbpf's bpf_map_* wrappers.
 *
 * Each measured function runs a loop of n operations per call, so the one FFM downcall that
 * starts it is amortised and the Java side's per-op time is the per-op cost in C. They work on
 * a map descriptor that the Java side created (descriptors are per process, and the JVM and
 * this library share one), and they use the same keys in the same order as the Java loops:
 * u32 keys start, start+1, ... wrapping at size; u64 values.
 *
 * Return values: the count of operations that did what they should (found, updated, deleted,
 * stepped, dumped), or -errno on the first unexpected failure, so the Java side can check
 * the work was real without paying for the check inside the loop.
 *
 * Built by bench/pom.xml: gcc -O2 -shared -fPIC -o target/native/libbpf4jbench.so ... -lbpf
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/bpf.h>
#include <bpf/bpf.h>

#define EXPORT __attribute__((visibility("default")))
#define ATTR_END(field) (offsetof(union bpf_attr, field) + sizeof(((union bpf_attr *)0)->field))

/* The value stored under key k by bench_fill; the Java side uses the same formula. */
static inline uint64_t value_of(uint32_t k)
{
	return (uint64_t)k * 0x9E3779B97F4A7C15ull;
}

static inline long sys_bpf(int cmd, union bpf_attr *attr, unsigned int size)
{
	return syscall(__NR_bpf, cmd, attr, size);
}

/* Where a get_next_key walk stands between calls: the last key returned, if any. */
struct cursor {
	uint32_t key;
	uint32_t valid;
};

/* ------------------------------------------------------------------ set-up (not measured) */

/* A hash map u32 -> u64, for when the Java backend cannot create one yet. */
EXPORT int bench_map_create(uint32_t max_entries)
{
	int fd = bpf_map_create(BPF_MAP_TYPE_HASH, "bench_c", 4, 8, max_entries, NULL);
	return fd < 0 ? -errno : fd;
}

EXPORT int bench_close(int fd)
{
	return close(fd) < 0 ? -errno : 0;
}

/* Stores value_of(k) under k for k in [from, from + n), in batches when the kernel can. */
EXPORT long bench_fill(int fd, uint32_t from, uint32_t n)
{
	enum { CHUNK = 4096 };
	static uint32_t keys[CHUNK];
	static uint64_t values[CHUNK];
	uint32_t done = 0;
	while (done < n) {
		uint32_t count = n - done < CHUNK ? n - done : CHUNK;
		for (uint32_t i = 0; i < count; i++) {
			keys[i] = from + done + i;
			values[i] = value_of(keys[i]);
		}
		uint32_t c = count;
		if (bpf_map_update_batch(fd, keys, values, &c, NULL) < 0) {
			for (uint32_t i = 0; i < count; i++)
				if (bpf_map_update_elem(fd, &keys[i], &values[i], BPF_ANY) < 0)
					return -errno;
		}
		done += count;
	}
	return n;
}

/* ------------------------------------------------------------------ raw syscall */

EXPORT long raw_lookup(int fd, uint32_t start, uint32_t n, uint32_t size)
{
	union bpf_attr attr;
	uint32_t key = start;
	uint64_t value;
	long ok = 0;
	for (uint32_t i = 0; i < n; i++) {
		memset(&attr, 0, ATTR_END(flags));
		attr.map_fd = fd;
		attr.key = (uint64_t)(uintptr_t)&key;
		attr.value = (uint64_t)(uintptr_t)&value;
		if (sys_bpf(BPF_MAP_LOOKUP_ELEM, &attr, ATTR_END(flags)) == 0)
			ok++;
		else if (errno != ENOENT)
			return -errno;
		if (++key == size)
			key = 0;
	}
	return ok;
}

EXPORT long raw_update(int fd, uint32_t start, uint32_t n, uint32_t size)
{
	union bpf_attr attr;
	uint32_t key = start;
	uint64_t value;
	long ok = 0;
	for (uint32_t i = 0; i < n; i++) {
		value = value_of(key);
		memset(&attr, 0, ATTR_END(flags));
		attr.map_fd = fd;
		attr.key = (uint64_t)(uintptr_t)&key;
		attr.value = (uint64_t)(uintptr_t)&value;
		attr.flags = BPF_ANY;
		if (sys_bpf(BPF_MAP_UPDATE_ELEM, &attr, ATTR_END(flags)) < 0)
			return -errno;
		ok++;
		if (++key == size)
			key = 0;
	}
	return ok;
}

EXPORT long raw_delete(int fd, uint32_t start, uint32_t n, uint32_t size)
{
	union bpf_attr attr;
	uint32_t key = start;
	long ok = 0;
	for (uint32_t i = 0; i < n; i++) {
		memset(&attr, 0, ATTR_END(key));
		attr.map_fd = fd;
		attr.key = (uint64_t)(uintptr_t)&key;
		if (sys_bpf(BPF_MAP_DELETE_ELEM, &attr, ATTR_END(key)) == 0)
			ok++;
		else if (errno != ENOENT)
			return -errno;
		if (++key == size)
			key = 0;
	}
	return ok;
}

/* n steps of a get_next_key walk; at the end of the map the next step starts again. */
EXPORT long raw_next_key(int fd, struct cursor *c, uint32_t n)
{
	union bpf_attr attr;
	uint32_t next;
	for (uint32_t i = 0; i < n; i++) {
		memset(&attr, 0, ATTR_END(next_key));
		attr.map_fd = fd;
		attr.key = c->valid ? (uint64_t)(uintptr_t)&c->key : 0;
		attr.next_key = (uint64_t)(uintptr_t)&next;
		if (sys_bpf(BPF_MAP_GET_NEXT_KEY, &attr, ATTR_END(next_key)) == 0) {
			c->key = next;
			c->valid = 1;
		} else if (errno == ENOENT) {
			c->valid = 0;
		} else {
			return -errno;
		}
	}
	return n;
}

/* The whole map, one get_next_key and one lookup per element. */
EXPORT long raw_dump_next_key(int fd)
{
	union bpf_attr attr;
	uint32_t key = 0, next;
	uint64_t value;
	int started = 0;
	long count = 0;
	for (;;) {
		memset(&attr, 0, ATTR_END(next_key));
		attr.map_fd = fd;
		attr.key = started ? (uint64_t)(uintptr_t)&key : 0;
		attr.next_key = (uint64_t)(uintptr_t)&next;
		if (sys_bpf(BPF_MAP_GET_NEXT_KEY, &attr, ATTR_END(next_key)) < 0)
			return errno == ENOENT ? count : -errno;
		key = next;
		started = 1;
		memset(&attr, 0, ATTR_END(flags));
		attr.map_fd = fd;
		attr.key = (uint64_t)(uintptr_t)&key;
		attr.value = (uint64_t)(uintptr_t)&value;
		if (sys_bpf(BPF_MAP_LOOKUP_ELEM, &attr, ATTR_END(flags)) == 0)
			count++;
		else if (errno != ENOENT)
			return -errno;
	}
}

/* The whole map by BPF_MAP_LOOKUP_BATCH, batch elements per call into keys and values. */
EXPORT long raw_dump_batch(int fd, uint32_t batch, void *keys, void *values)
{
	union bpf_attr attr;
	uint32_t in = 0, out = 0;
	int started = 0;
	long count = 0;
	for (;;) {
		memset(&attr, 0, ATTR_END(batch.flags));
		attr.batch.in_batch = started ? (uint64_t)(uintptr_t)&in : 0;
		attr.batch.out_batch = (uint64_t)(uintptr_t)&out;
		attr.batch.keys = (uint64_t)(uintptr_t)keys;
		attr.batch.values = (uint64_t)(uintptr_t)values;
		attr.batch.count = batch;
		attr.batch.map_fd = fd;
		long r = sys_bpf(BPF_MAP_LOOKUP_BATCH, &attr, ATTR_END(batch.flags));
		if (r < 0 && errno != ENOENT)
			return -errno;
		count += attr.batch.count;
		if (r < 0)
			return count; /* ENOENT: the map is exhausted */
		in = out;
		started = 1;
	}
}

/* ------------------------------------------------------------------ libbpf */

EXPORT long lbpf_lookup(int fd, uint32_t start, uint32_t n, uint32_t size)
{
	uint32_t key = start;
	uint64_t value;
	long ok = 0;
	for (uint32_t i = 0; i < n; i++) {
		if (bpf_map_lookup_elem(fd, &key, &value) == 0)
			ok++;
		else if (errno != ENOENT)
			return -errno;
		if (++key == size)
			key = 0;
	}
	return ok;
}

EXPORT long lbpf_update(int fd, uint32_t start, uint32_t n, uint32_t size)
{
	uint32_t key = start;
	uint64_t value;
	long ok = 0;
	for (uint32_t i = 0; i < n; i++) {
		value = value_of(key);
		if (bpf_map_update_elem(fd, &key, &value, BPF_ANY) < 0)
			return -errno;
		ok++;
		if (++key == size)
			key = 0;
	}
	return ok;
}

EXPORT long lbpf_delete(int fd, uint32_t start, uint32_t n, uint32_t size)
{
	uint32_t key = start;
	long ok = 0;
	for (uint32_t i = 0; i < n; i++) {
		if (bpf_map_delete_elem(fd, &key) == 0)
			ok++;
		else if (errno != ENOENT)
			return -errno;
		if (++key == size)
			key = 0;
	}
	return ok;
}

EXPORT long lbpf_next_key(int fd, struct cursor *c, uint32_t n)
{
	uint32_t next;
	for (uint32_t i = 0; i < n; i++) {
		if (bpf_map_get_next_key(fd, c->valid ? &c->key : NULL, &next) == 0) {
			c->key = next;
			c->valid = 1;
		} else if (errno == ENOENT) {
			c->valid = 0;
		} else {
			return -errno;
		}
	}
	return n;
}

EXPORT long lbpf_dump_next_key(int fd)
{
	uint32_t key = 0, next;
	uint64_t value;
	int started = 0;
	long count = 0;
	for (;;) {
		if (bpf_map_get_next_key(fd, started ? &key : NULL, &next) < 0)
			return errno == ENOENT ? count : -errno;
		key = next;
		started = 1;
		if (bpf_map_lookup_elem(fd, &key, &value) == 0)
			count++;
		else if (errno != ENOENT)
			return -errno;
	}
}

EXPORT long lbpf_dump_batch(int fd, uint32_t batch, void *keys, void *values)
{
	uint32_t in = 0, out = 0;
	int started = 0;
	long count = 0;
	for (;;) {
		uint32_t c = batch;
		int r = bpf_map_lookup_batch(fd, started ? &in : NULL, &out, keys, values, &c, NULL);
		if (r < 0 && errno != ENOENT)
			return -errno;
		count += c;
		if (r < 0)
			return count;
		in = out;
		started = 1;
	}
}

/*
 * BTF: libbpf's btf__parse beside bpf4j's Btf.read (BtfParse.java). Each parses the file n
 * times, looking one type up by name and kind after each parse, as a loader resolving a kernel
 * type does; the return value is n when every lookup found `expect_id`, else -errno or -1.
 */
#include <malloc.h>
#include <bpf/btf.h>

EXPORT long btf_parse_find(const char *path, const char *name, int kind, int expect_id, int n)
{
	for (int i = 0; i < n; i++) {
		struct btf *btf = btf__parse(path, NULL);
		if (!btf)
			return -errno;
		int id = name ? btf__find_by_name_kind(btf, name, kind) : (int)btf__type_cnt(btf) - 1;
		btf__free(btf);
		if (id != expect_id)
			return id < 0 ? id : -1;
	}
	return n;
}

/* Heap bytes a parsed BTF keeps (malloc'd and mmap'd blocks, by glibc's mallinfo2), or -errno. */
EXPORT long btf_retained(const char *path)
{
	struct mallinfo2 before = mallinfo2();
	struct btf *btf = btf__parse(path, NULL);
	if (!btf)
		return -errno;
	struct mallinfo2 after = mallinfo2();
	btf__free(btf);
	return (long)((after.uordblks + after.hblkhd) - (before.uordblks + before.hblkhd));
}

/* ------------------------------------------------------------------ event readers (libbpf) */

#include <bpf/libbpf.h>

/* What the callbacks saw: records and the sum of their first 8 bytes (so they read them). */
struct seen {
	long records;
	uint64_t sum;
	long lost;
};

static struct seen rb_seen;
static struct seen pb_seen;

static int rb_sample(void *ctx, void *data, size_t size)
{
	struct seen *s = ctx;
	uint64_t v;
	(void)size;
	memcpy(&v, data, sizeof(v));
	s->sum += v;
	s->records++;
	return 0;
}

/* A libbpf ring buffer reader on a RINGBUF map, or NULL (errno set). */
EXPORT void *rb_new(int map_fd)
{
	return ring_buffer__new(map_fd, rb_sample, &rb_seen, NULL);
}

/* ring_buffer__poll until n records arrived; returns them, or -errno. */
EXPORT long rb_read(void *rb, long n)
{
	rb_seen.records = 0;
	while (rb_seen.records < n) {
		int r = ring_buffer__poll(rb, 1000);
		if (r < 0)
			return r;
		if (r == 0)
			return -ETIMEDOUT;
	}
	return rb_seen.records;
}

EXPORT void rb_free(void *rb)
{
	ring_buffer__free(rb);
}

static void pb_sample(void *ctx, int cpu, void *data, __u32 size)
{
	struct seen *s = ctx;
	uint64_t v;
	(void)cpu;
	(void)size;
	memcpy(&v, data, sizeof(v));
	s->sum += v;
	s->records++;
}

static void pb_lost(void *ctx, int cpu, __u64 cnt)
{
	struct seen *s = ctx;
	(void)cpu;
	s->lost += cnt;
}

/* A libbpf perf buffer on a PERF_EVENT_ARRAY (its events replace what is in the array). */
EXPORT void *pb_new(int map_fd, int pages)
{
	return perf_buffer__new(map_fd, pages, pb_sample, pb_lost, &pb_seen, NULL);
}

/* perf_buffer__poll until n samples arrived; returns them, or -errno (-ENOSPC if any were lost). */
EXPORT long pb_read(void *pb, long n)
{
	pb_seen.records = 0;
	pb_seen.lost = 0;
	while (pb_seen.records < n) {
		int r = perf_buffer__poll(pb, 1000);
		if (r < 0)
			return r;
		if (r == 0)
			return -ETIMEDOUT;
	}
	return pb_seen.lost ? -ENOSPC : pb_seen.records;
}

EXPORT void pb_free(void *pb)
{
	perf_buffer__free(pb);
}

/* ------------------------------------------------------------------ object load (libbpf) */

static int quiet(enum libbpf_print_level level, const char *fmt, va_list args)
{
	(void)level;
	(void)fmt;
	(void)args;
	return 0;
}

/*
 * bpf_object__open_file + bpf_object__load + bpf_object__close of one file, n times; returns n,
 * or -errno. libbpf's messages are silenced: bpf4j's loader prints nothing either.
 */
EXPORT long obj_load(const char *path, int n)
{
	libbpf_set_print(quiet);
	for (int i = 0; i < n; i++) {
		struct bpf_object *obj = bpf_object__open_file(path, NULL);
		long err = libbpf_get_error(obj);
		if (err)
			return err < 0 ? err : -err;
		err = bpf_object__load(obj);
		bpf_object__close(obj);
		if (err)
			return err < 0 ? err : -err;
	}
	return n;
}
