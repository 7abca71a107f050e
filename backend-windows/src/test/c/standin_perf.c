/*
 * The stand-in's perf buffers: eBPF for Windows' asynchronous perf callbacks.
 *
 * efW keeps one ring of max_entries bytes per CPU in a perf event array; a record that does not
 * fit is dropped and counted in the ring's lost_records
 * (libs/execution_context/ebpf_maps.c@Release-v0.21.0:2703-2720). A subscriber's callbacks run on
 * efW's thread when a query per CPU completes: first the lost callback with the growth of that
 * count, then the sample callback for each record, its data valid during the call only
 * (libs/api/ebpf_api.cpp@Release-v0.21.0:4443, :4485-4493, :4527-4536). Unsubscribing waits for
 * callbacks in flight (:4816-4820). Which export subscribes, per release:
 *   0.21   perf_buffer__new, page_cnt 0 and opts NULL only (libs/api/libbpf_map.cpp@Release-v0.21.0:433-490)
 *   1.0    ebpf_perf_buffer__new with EBPF_PERFBUF_FLAG_AUTO_CALLBACK; without it (and so
 *          perf_buffer__new) EBPF_OPERATION_NOT_SUPPORTED (libs/api/libbpf_map.cpp@Release-v1.0.0-rc1:476-520)
 *   1.1+   the same flag subscribes (libs/api/ebpf_api.cpp@v1.5.0:6407-6430); without it the rings are
 *          mapped for perf_buffer__poll, which the stand-in does not serve (it returns NULL, ENOTSUP)
 *
 * The stand-in holds the per-CPU rings as queues with efW's capacity (a record takes an 8-byte
 * header and its data padded to 8, libs/shared/ebpf_ring_buffer_record.h@v1.5.0:10-25) and a
 * thread per subscription that plays efW's completions. Records come from
 * ebpf_perf_event_array_map_write (the calling thread's CPU, EBPF_OUT_OF_SPACE when full,
 * libs/api/ebpf_api.cpp@Release-v0.21.0:4829), for tests from standin_perf_output (a chosen CPU),
 * and from programs the kernel runs: while a subscriber exists, the stand-in stores a Linux
 * PERF_COUNT_SW_BPF_OUTPUT event per CPU in the kernel's array and a pump thread moves what
 * bpf_perf_event_output writes there (and what the kernel reports lost) into the efW rings.
 */
#define _GNU_SOURCE
#include "standin_core.h"
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <linux/perf_event.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MAX_PERF_MAPS 256
#define EBPF_OUT_OF_SPACE 29
#define AUTO_CALLBACK 1ull

typedef void (*sample_fn)(void *ctx, int cpu, void *data, uint32_t size);
typedef void (*lost_fn)(void *ctx, int cpu, uint64_t cnt);

struct rec { struct rec *next; uint32_t len; unsigned char data[]; };

struct cpu_ring {
    struct rec *head, *tail;
    uint64_t bytes;          /* what efW's ring would hold */
    uint64_t lost;           /* lost_records */
    uint64_t lost_reported;  /* the subscriber's lost_count_total */
};

struct perf_map {
    uint32_t id;             /* descriptors are reused, ids are not */
    uint32_t capacity;       /* max_entries: each ring's bytes */
    int cpus;
    struct cpu_ring *ring;
    struct perf_buffer *sub;
};

#define KERNEL_PAGES 8

struct kernel_ring { int fd; void *base; };

struct perf_buffer {
    struct perf_map *map;
    sample_fn sample;
    lost_fn lost;
    void *ctx;
    int stop;
    pthread_t thread;
    int array_fd;                 /* a dup of the subscriber's descriptor, for the kernel's array */
    struct kernel_ring *kernel;   /* per CPU; fd -1 where perf_event_open failed */
    pthread_t pump;
    int pumping;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pending = PTHREAD_COND_INITIALIZER;
static struct perf_map maps[MAX_PERF_MAPS];

/* The map behind a descriptor, created on first use; NULL with *result set when it is not a perf event array. */
static struct perf_map *perf_map(int fd, int *result)
{
    unsigned char li[96] = {0};
    if (linux_info(fd, li, sizeof li)) { *result = EBPF_INVALID_FD; return NULL; }
    if (get32(li, 0) != 4) { *result = EBPF_INVALID_ARGUMENT; return NULL; }   /* BPF_MAP_TYPE_PERF_EVENT_ARRAY */
    uint32_t id = get32(li, 4);
    struct perf_map *free_slot = NULL;
    for (int i = 0; i < MAX_PERF_MAPS; i++) {
        if (maps[i].id == id) return &maps[i];
        if (!maps[i].id && !free_slot) free_slot = &maps[i];
    }
    if (!free_slot) { *result = EBPF_NO_MEMORY; return NULL; }
    free_slot->id = id;
    free_slot->capacity = get32(li, 16);
    free_slot->cpus = possible_cpus();
    free_slot->ring = calloc((size_t)free_slot->cpus, sizeof *free_slot->ring);
    free_slot->sub = NULL;
    return free_slot;
}

/* ebpf_perf_event_array_map_output's reserve: drop and count when the ring is full. Called locked. */
static int output(struct perf_map *m, int cpu, const void *data, uint32_t len)
{
    struct cpu_ring *r = &m->ring[cpu];
    uint64_t need = 8 + (((uint64_t)len + 7) & ~7ull);
    if (r->bytes + need > m->capacity) { r->lost++; pthread_cond_broadcast(&pending); return EBPF_OUT_OF_SPACE; }
    struct rec *e = malloc(sizeof *e + len);
    if (!e) return EBPF_NO_MEMORY;
    e->next = NULL;
    e->len = len;
    memcpy(e->data, data, len);
    if (r->tail) r->tail->next = e; else r->head = e;
    r->tail = e;
    r->bytes += need;
    pthread_cond_broadcast(&pending);
    return EBPF_SUCCESS;
}

static int has_work(struct perf_map *m)
{
    for (int c = 0; c < m->cpus; c++) if (m->ring[c].head || m->ring[c].lost != m->ring[c].lost_reported) return 1;
    return 0;
}

/* efW's completions: per CPU, the lost delta, then the records, each callback without the lock. */
static void *deliver(void *arg)
{
    struct perf_buffer *pb = arg;
    struct perf_map *m = pb->map;
    pthread_mutex_lock(&lock);
    for (;;) {
        while (!pb->stop && !has_work(m)) pthread_cond_wait(&pending, &lock);
        if (pb->stop) break;
        for (int c = 0; c < m->cpus && !pb->stop; c++) {
            struct cpu_ring *r = &m->ring[c];
            uint64_t delta = r->lost - r->lost_reported;
            r->lost_reported = r->lost;
            if (delta) {
                pthread_mutex_unlock(&lock);
                pb->lost(pb->ctx, c, delta);
                pthread_mutex_lock(&lock);
            }
            while (r->head && !pb->stop) {
                struct rec *e = r->head;
                pthread_mutex_unlock(&lock);
                pb->sample(pb->ctx, c, e->data, e->len);
                pthread_mutex_lock(&lock);
                /* The consumer advances after the callback, freeing the space. */
                r->head = e->next;
                if (!r->head) r->tail = NULL;
                r->bytes -= 8 + (((uint64_t)e->len + 7) & ~7ull);
                free(e);
            }
        }
    }
    pthread_mutex_unlock(&lock);
    return NULL;
}

/* Linux's perf ring (include/uapi/linux/perf_event.h): records after the metadata page, data_head
 * read with acquire, data_tail written with release; PERF_RECORD_SAMPLE carries u32 size then the
 * raw bytes (the program's, padded by the kernel), PERF_RECORD_LOST u64 id, u64 lost. */
static void pump_ring(struct perf_buffer *pb, int cpu)
{
    struct perf_event_mmap_page *meta = pb->kernel[cpu].base;
    unsigned char *data = (unsigned char *)meta + 4096;
    uint64_t size = (uint64_t)KERNEL_PAGES * 4096;
    uint64_t head = __atomic_load_n(&meta->data_head, __ATOMIC_ACQUIRE), tail = meta->data_tail;
    static __thread unsigned char rec[65536];
    while (tail < head) {
        struct perf_event_header h;
        for (unsigned i = 0; i < sizeof h; i++) ((unsigned char *)&h)[i] = data[(tail + i) % size];
        if (h.size < sizeof h) break;
        for (unsigned i = 0; i < h.size; i++) rec[i] = data[(tail + i) % size];
        pthread_mutex_lock(&lock);
        if (h.type == PERF_RECORD_SAMPLE && h.size >= 12) {
            uint32_t len = get32(rec, 8);
            if (12 + (uint64_t)len <= h.size) output(pb->map, cpu, rec + 12, len);
        } else if (h.type == PERF_RECORD_LOST && h.size >= 24) {
            pb->map->ring[cpu].lost += get64(rec, 16);
            pthread_cond_broadcast(&pending);
        }
        pthread_mutex_unlock(&lock);
        tail += h.size;
    }
    __atomic_store_n(&meta->data_tail, tail, __ATOMIC_RELEASE);
}

static void *pump(void *arg)
{
    struct perf_buffer *pb = arg;
    int cpus = pb->map->cpus;
    struct pollfd *fds = calloc((size_t)cpus, sizeof *fds);
    for (int c = 0; c < cpus; c++) { fds[c].fd = pb->kernel[c].fd; fds[c].events = POLLIN; }
    while (!__atomic_load_n(&pb->stop, __ATOMIC_ACQUIRE)) {
        poll(fds, (nfds_t)cpus, 20);
        for (int c = 0; c < cpus; c++) if (pb->kernel[c].fd >= 0) pump_ring(pb, c);
    }
    free(fds);
    return NULL;
}

/* A BPF_OUTPUT event per CPU, stored in the kernel's array at the CPU's index (as libbpf's perf_buffer__new does). */
static void kernel_attach(struct perf_buffer *pb, int fd)
{
    int cpus = pb->map->cpus;
    pb->array_fd = dup(fd);
    pb->kernel = calloc((size_t)cpus, sizeof *pb->kernel);
    for (int c = 0; c < cpus; c++) {
        struct perf_event_attr a = {0};
        a.size = sizeof a;
        a.type = PERF_TYPE_SOFTWARE;
        a.config = PERF_COUNT_SW_BPF_OUTPUT;
        a.sample_type = PERF_SAMPLE_RAW;
        a.sample_period = 1;
        a.wakeup_events = 1;
        pb->kernel[c].fd = (int)syscall(SYS_perf_event_open, &a, -1, c, -1, PERF_FLAG_FD_CLOEXEC);
        if (pb->kernel[c].fd < 0) continue;
        pb->kernel[c].base = mmap(NULL, (size_t)(1 + KERNEL_PAGES) * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, pb->kernel[c].fd, 0);
        uint32_t key = (uint32_t)c, val = (uint32_t)pb->kernel[c].fd;
        unsigned char attr[32] = {0};
        put32(attr, 0, (uint32_t)pb->array_fd);
        put64(attr, 8, (uint64_t)(uintptr_t)&key);
        put64(attr, 16, (uint64_t)(uintptr_t)&val);
        if (pb->kernel[c].base == MAP_FAILED || linux_bpf(2, attr, sizeof attr) < 0) {   /* BPF_MAP_UPDATE_ELEM */
            if (pb->kernel[c].base != MAP_FAILED) munmap(pb->kernel[c].base, (size_t)(1 + KERNEL_PAGES) * 4096);
            close(pb->kernel[c].fd);
            pb->kernel[c].fd = -1;
        }
    }
    pb->pumping = !pthread_create(&pb->pump, NULL, pump, pb);
}

static void kernel_detach(struct perf_buffer *pb)
{
    if (pb->pumping) pthread_join(pb->pump, NULL);
    for (int c = 0; c < pb->map->cpus; c++) {
        if (pb->kernel[c].fd < 0) continue;
        uint32_t key = (uint32_t)c;
        unsigned char attr[32] = {0};
        put32(attr, 0, (uint32_t)pb->array_fd);
        put64(attr, 8, (uint64_t)(uintptr_t)&key);
        linux_bpf(3, attr, sizeof attr);                                                  /* BPF_MAP_DELETE_ELEM */
        munmap(pb->kernel[c].base, (size_t)(1 + KERNEL_PAGES) * 4096);
        close(pb->kernel[c].fd);
    }
    free(pb->kernel);
    close(pb->array_fd);
}

static struct perf_buffer *subscribe(int fd, sample_fn sample, lost_fn lost, void *ctx)
{
    int result = EBPF_SUCCESS;
    pthread_mutex_lock(&lock);
    struct perf_map *m = perf_map(fd, &result);
    /* One outstanding query per CPU: a second subscriber fails (ebpf_maps.c@Release-v0.21.0:2149-2153). */
    if (m && m->sub) { m = NULL; result = EBPF_INVALID_ARGUMENT; }
    struct perf_buffer *pb = m ? calloc(1, sizeof *pb) : NULL;
    if (pb) {
        pb->map = m; pb->sample = sample; pb->lost = lost; pb->ctx = ctx;
        m->sub = pb;
        if (pthread_create(&pb->thread, NULL, deliver, pb)) { m->sub = NULL; free(pb); pb = NULL; result = EBPF_NO_MEMORY; }
    }
    pthread_mutex_unlock(&lock);
    if (!pb) errno = win_errno_of_result(result);
    else kernel_attach(pb, fd);
    return pb;
}

EXPORT struct perf_buffer *perf_buffer__new(int fd, size_t page_cnt, sample_fn sample, lost_fn lost, void *ctx, const void *opts)
{
    if (!sample || !lost || page_cnt) { errno = W_EINVAL; return NULL; }
#if STANDIN_RELEASE < 100
    if (opts) { errno = W_EINVAL; return NULL; }
    return subscribe(fd, sample, lost, ctx);
#else
    (void)fd; (void)ctx; (void)opts;
    /* 1.0.0-rc1: flags 0 is not supported; 1.1+: polling mode, not served by the stand-in. */
    errno = W_ENOTSUP;
    return NULL;
#endif
}

#if STANDIN_RELEASE >= 100
EXPORT struct perf_buffer *ebpf_perf_buffer__new(int fd, size_t page_cnt, sample_fn sample, lost_fn lost, void *ctx, const void *opts)
{
    if (!sample || !lost || page_cnt) { errno = W_EINVAL; return NULL; }
    /* struct ebpf_perf_buffer_opts { size_t sz; uint64_t flags; } (include/ebpf_api.h@v1.5.0:910-914) */
    if (!opts || !(get64(opts, 8) & AUTO_CALLBACK)) { errno = W_ENOTSUP; return NULL; }
    return subscribe(fd, sample, lost, ctx);
}
#endif

EXPORT void perf_buffer__free(struct perf_buffer *pb)
{
    if (!pb) return;
    pthread_mutex_lock(&lock);
    __atomic_store_n(&pb->stop, 1, __ATOMIC_RELEASE);
    pthread_cond_broadcast(&pending);
    pthread_mutex_unlock(&lock);
    kernel_detach(pb);
    /* The delivering thread finishes the callback in flight, then ends: nothing calls back after this. */
    pthread_join(pb->thread, NULL);
    pthread_mutex_lock(&lock);
    pb->map->sub = NULL;
    pthread_mutex_unlock(&lock);
    free(pb);
}

EXPORT int ebpf_perf_event_array_map_write(int fd, const void *data, size_t len)
{
    if (!data || !len) return EBPF_INVALID_ARGUMENT;
    int result = EBPF_SUCCESS, cpu = sched_getcpu();
    pthread_mutex_lock(&lock);
    struct perf_map *m = perf_map(fd, &result);
    if (m) result = output(m, cpu < 0 ? 0 : cpu % m->cpus, data, (uint32_t)len);
    pthread_mutex_unlock(&lock);
    return result;
}

/* Not an ebpfapi.dll export: a record as a program on that CPU would write it. */
EXPORT int standin_perf_output(int fd, int cpu, const void *data, uint32_t len)
{
    int result = EBPF_SUCCESS;
    pthread_mutex_lock(&lock);
    struct perf_map *m = perf_map(fd, &result);
    if (m && (cpu < 0 || cpu >= m->cpus)) { m = NULL; result = EBPF_INVALID_ARGUMENT; }
    if (m) result = output(m, cpu, data, len);
    pthread_mutex_unlock(&lock);
    return result;
}

/* Not an ebpfapi.dll export: records of the map not yet handed to a callback that returned. */
EXPORT int standin_perf_pending(int fd)
{
    int result = EBPF_SUCCESS, n = 0;
    pthread_mutex_lock(&lock);
    struct perf_map *m = perf_map(fd, &result);
    for (int c = 0; m && c < m->cpus; c++) {
        for (struct rec *e = m->ring[c].head; e; e = e->next) n++;
        if (m->ring[c].lost != m->ring[c].lost_reported && m->sub) n++;
    }
    pthread_mutex_unlock(&lock);
    return m ? n : -1;
}
