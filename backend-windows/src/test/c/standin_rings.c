/*
 * The stand-in's ring buffers and Win32 events.
 *
 * eBPF for Windows 1.0.0-rc1 and later map a RINGBUF map's memory into the process with
 * ebpf_ring_buffer_map_map_buffer (ebpfapi/Source.def@Release-v1.0.0-rc1:141): a read-write
 * consumer page whose first 8 bytes are consumer_offset, a read-only producer page whose first
 * 8 bytes are producer_offset, and the data mapped twice back to back
 * (include/ebpf_api.h@v1.5.0:768-785; libs/api/ebpf_api.cpp@v1.5.0:5933-5948 MapViewOfFile
 * FILE_MAP_READ|FILE_MAP_WRITE for the consumer, FILE_MAP_READ for the producer, a double view of
 * the data; libs/runtime/kernel/ebpf_platform_kernel.c@Release-v1.1.0:87-122, data = producer +
 * PAGE_SIZE at :215, for the releases that map it in the kernel). Records are Linux's: a 32-bit
 * length with bit 31 "locked" and bit 30 "discarded", 32 bits of page offset, the data, padded to
 * 8 bytes (libs/shared/ebpf_ring_buffer_record.h@v1.5.0:10-25; libs/runtime/ebpf_ring_buffer.c@v1.5.0:266-269).
 *
 * That is the layout of Linux's own ring buffer (kernel/bpf/ringbuf.c), so the stand-in maps the
 * real kernel map the same way: the consumer page read-write at offset 0, the producer page and
 * the double-mapped data read-only after it. Programs the kernel runs produce into it, and so does
 * ebpf_ring_buffer_map_write (ebpfapi/Source.def@Release-v1.0.0-rc1:143, libs/api/ebpf_api.cpp@Release-v1.0.0-rc1:4963),
 * which the stand-in implements as a sleepable BPF_PROG_TYPE_SYSCALL program per record size:
 * bpf_ringbuf_reserve, bpf_copy_from_user, bpf_ringbuf_submit (or discard, for a test-only export).
 * ebpf_map_set_wait_handle stores one event per map, replacing the last (include/ebpf_api.h@v1.5.0:672-676);
 * a watcher thread turns the map's epoll readiness into SetEvent, as efW's kernel sets the event
 * when a record is submitted and producer and consumer differ
 * (libs/runtime/ebpf_ring_buffer.c@Release-v1.0.0-rc1:341-359).
 *
 * Win32 events (CreateEventW, SetEvent, WaitForMultipleObjects, CloseHandle) stand in for
 * kernel32's, with one process-wide lock: enough for a waiter and a few producers.
 */
#define _GNU_SOURCE
#include "standin_core.h"
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <sys/epoll.h>
#include <unistd.h>

#define MAX_RINGS 64
#define LOCK_BIT (1u << 31)
#define DISCARD_BIT (1u << 30)
#define WAIT_TIMEOUT_W 258u
#define WAIT_FAILED_W 0xFFFFFFFFu
#define INFINITE_W 0xFFFFFFFFu

typedef struct event { int magic, manual, signalled; } event;
#define EVENT_MAGIC 0x45564e54

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;

/* Per map (by id: descriptors are reused, ids are not): its wait handle and whether a watcher runs. */
struct ring {
    uint32_t id;
    struct event *wait;
    int watching;
};
static struct ring rings[MAX_RINGS];

/* ---------------------------------------------------------------- events */

EXPORT void *CreateEventW(void *attrs, int manual, int initial, const void *name)
{
    (void)attrs; (void)name;
    event *e = calloc(1, sizeof *e);
    if (!e) return NULL;
    e->magic = EVENT_MAGIC; e->manual = manual; e->signalled = initial;
    return e;
}

static void signal_locked(event *e) { e->signalled = 1; pthread_cond_broadcast(&changed); }

EXPORT int SetEvent(void *h)
{
    event *e = h;
    if (!e || e->magic != EVENT_MAGIC) return 0;
    pthread_mutex_lock(&lock);
    signal_locked(e);
    pthread_mutex_unlock(&lock);
    return 1;
}

EXPORT int CloseHandle(void *h)
{
    event *e = h;
    if (!e || e->magic != EVENT_MAGIC) return 0;
    pthread_mutex_lock(&lock);
    for (int i = 0; i < MAX_RINGS; i++) if (rings[i].wait == e) rings[i].wait = NULL;
    e->magic = 0;
    pthread_mutex_unlock(&lock);
    free(e);
    return 1;
}

/* WaitForMultipleObjects with bWaitAll FALSE: the lowest signalled index; auto-reset events reset. */
EXPORT uint32_t WaitForMultipleObjects(uint32_t n, void *const *handles, int all, uint32_t ms)
{
    if (n == 0 || n > 64 || all) return WAIT_FAILED_W;
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += ms / 1000;
    until.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) { until.tv_sec++; until.tv_nsec -= 1000000000L; }
    pthread_mutex_lock(&lock);
    for (;;) {
        for (uint32_t i = 0; i < n; i++) {
            event *e = handles[i];
            if (!e || e->magic != EVENT_MAGIC) { pthread_mutex_unlock(&lock); return WAIT_FAILED_W; }
            if (e->signalled) {
                if (!e->manual) e->signalled = 0;
                pthread_mutex_unlock(&lock);
                return i;
            }
        }
        if (ms == 0) break;
        int r = ms == INFINITE_W ? pthread_cond_wait(&changed, &lock) : pthread_cond_timedwait(&changed, &lock, &until);
        if (r == ETIMEDOUT) break;
    }
    pthread_mutex_unlock(&lock);
    return WAIT_TIMEOUT_W;
}

/* ---------------------------------------------------------------- rings */

/* The map's Linux type, id and max_entries, from bpf(BPF_OBJ_GET_INFO_BY_FD). */
static int map_info(int fd, uint32_t *type, uint32_t *id, uint32_t *max)
{
    unsigned char info[96] = {0};
    unsigned char attr[16] = {0};
    put32(attr, 0, (uint32_t)fd);
    put32(attr, 4, sizeof info);
    put64(attr, 8, (uint64_t)(uintptr_t)info);
    if (linux_bpf(15, attr, sizeof attr) < 0) return -1;
    *type = get32(info, 0);
    *id = get32(info, 4);
    *max = get32(info, 16);
    return 0;
}


#if AT_LEAST_1_0
static struct ring *ring_of(uint32_t id)
{
    for (int i = 0; i < MAX_RINGS; i++) if (rings[i].id == id) return &rings[i];
    for (int i = 0; i < MAX_RINGS; i++) if (rings[i].id == 0) { rings[i].id = id; return &rings[i]; }
    return NULL;
}
#endif

/* 0 and the size when fd is a RINGBUF map (Linux type 27), else an ebpf_result_t. */
static int ringbuf(int fd, uint32_t *id, uint32_t *size)
{
    uint32_t type;
    if (map_info(fd, &type, id, size) != 0) return EBPF_INVALID_FD;
    return type == 27 ? EBPF_SUCCESS : EBPF_INVALID_ARGUMENT;
}

#if AT_LEAST_1_0
EXPORT int ebpf_ring_buffer_map_map_buffer(int fd, void **consumer, const void **producer, const uint8_t **data, size_t *size)
{
    if (!consumer || !producer || !data || !size) return EBPF_INVALID_ARGUMENT;
    uint32_t id, n;
    int r = ringbuf(fd, &id, &n);
    if (r != EBPF_SUCCESS) return r;
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    uint8_t *c = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    uint8_t *p = mmap(NULL, page + 2 * (size_t)n, PROT_READ, MAP_SHARED, fd, (off_t)page);
    if (c == MAP_FAILED || p == MAP_FAILED) {
        if (c != MAP_FAILED) munmap(c, page);
        if (p != MAP_FAILED) munmap(p, page + 2 * (size_t)n);
        return EBPF_NO_MEMORY;
    }
    *consumer = c;
    *producer = p;
    *data = p + page;
    *size = n;
    return EBPF_SUCCESS;
}

EXPORT int ebpf_ring_buffer_map_unmap_buffer(int fd, void *consumer, const void *producer, const void *data)
{
    (void)data;
    uint32_t id, n;
    int r = ringbuf(fd, &id, &n);
    if (r != EBPF_SUCCESS) return r;
    if (!consumer || !producer) return EBPF_INVALID_ARGUMENT;
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    munmap(consumer, page);
    munmap((void *)producer, page + 2 * (size_t)n);
    return EBPF_SUCCESS;
}

struct watch { int epfd; struct ring *ring; };

/* Signals the ring's event whenever the kernel wakes the map's waiters; ends with its event. */
static void *watcher(void *arg)
{
    struct watch *w = arg;
    struct epoll_event ev;
    for (;;) {
        int n = epoll_wait(w->epfd, &ev, 1, 50);
        pthread_mutex_lock(&lock);
        event *e = w->ring->wait;
        if (!e) { w->ring->watching = 0; pthread_mutex_unlock(&lock); break; }
        if (n > 0) signal_locked(e);
        pthread_mutex_unlock(&lock);
    }
    close(w->epfd);
    free(w);
    return NULL;
}

EXPORT int ebpf_map_set_wait_handle(int fd, uint64_t index, void *handle)
{
    /* "For ring buffer maps the index must be zero": include/ebpf_api.h@v1.5.0:676. */
    if (index != 0) return EBPF_INVALID_ARGUMENT;
    uint32_t id, n;
    int r = ringbuf(fd, &id, &n);
    if (r != EBPF_SUCCESS) return r;
    pthread_mutex_lock(&lock);
    struct ring *ring = ring_of(id);
    if (!ring) { pthread_mutex_unlock(&lock); return EBPF_NO_MEMORY; }
    if (ring->watching && ring->wait) {
        ring->wait = handle;
        pthread_mutex_unlock(&lock);
        return EBPF_SUCCESS;
    }
    while (ring->watching) {   /* an old watcher is ending */
        pthread_mutex_unlock(&lock);
        usleep(1000);
        pthread_mutex_lock(&lock);
    }
    /* Edge-triggered: the kernel wakes when a record lands in a ring the consumer had caught up with. */
    struct watch *w = malloc(sizeof *w);
    struct epoll_event ev = {.events = EPOLLIN | EPOLLET};
    int epfd = epoll_create1(EPOLL_CLOEXEC);
    pthread_t t;
    if (!w || epfd < 0 || epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) != 0) {
        if (epfd >= 0) close(epfd);
        free(w);
        pthread_mutex_unlock(&lock);
        return EBPF_NO_MEMORY;
    }
    w->epfd = epfd;
    w->ring = ring;
    ring->wait = handle;
    ring->watching = 1;
    if (pthread_create(&t, NULL, watcher, w) != 0) {
        ring->watching = 0;
        ring->wait = NULL;
        close(epfd);
        free(w);
        pthread_mutex_unlock(&lock);
        return EBPF_NO_MEMORY;
    }
    pthread_detach(t);
    pthread_mutex_unlock(&lock);
    return EBPF_SUCCESS;
}
#endif

/* A sleepable syscall program: r = reserve(map, len); copy_from_user(r, len, *(u64 *)ctx); submit or discard. */
static int producer_prog(int map, uint32_t len, int discard)
{
    struct insn { uint8_t code; uint8_t regs; int16_t off; int32_t imm; };
#define I(c, d, s, o, i) {(c), (uint8_t)((d) | ((s) << 4)), (o), (i)}
    struct insn p[] = {
        I(0x79, 6, 1, 0, 0),                    /* r6 = *(u64 *)(r1 + 0) */
        I(0x18, 1, 1, 0, map), I(0, 0, 0, 0, 0), /* r1 = map (BPF_PSEUDO_MAP_FD) */
        I(0xb7, 2, 0, 0, (int32_t)len),         /* r2 = len */
        I(0xb7, 3, 0, 0, 0),                    /* r3 = 0 */
        I(0x85, 0, 0, 0, 131),                  /* call bpf_ringbuf_reserve */
        I(0x55, 0, 0, 2, 0),                    /* if r0 != 0 goto +2 */
        I(0xb7, 0, 0, 0, 1),                    /* r0 = 1: no room */
        I(0x95, 0, 0, 0, 0),
        I(0xbf, 7, 0, 0, 0),                    /* r7 = r0 */
        I(0xbf, 1, 0, 0, 0),                    /* r1 = r0 */
        I(0xb7, 2, 0, 0, (int32_t)len),         /* r2 = len */
        I(0xbf, 3, 6, 0, 0),                    /* r3 = r6 */
        I(0x85, 0, 0, 0, 148),                  /* call bpf_copy_from_user */
        I(0xbf, 1, 7, 0, 0),                    /* r1 = r7 */
        I(0xb7, 2, 0, 0, 0),                    /* r2 = 0 */
        I(0x85, 0, 0, 0, discard ? 133 : 132),  /* call bpf_ringbuf_discard / bpf_ringbuf_submit */
        I(0xb7, 0, 0, 0, 0),
        I(0x95, 0, 0, 0, 0),
    };
#undef I
    unsigned char attr[128] = {0};
    put32(attr, 0, 31);                                   /* BPF_PROG_TYPE_SYSCALL */
    put32(attr, 4, sizeof p / sizeof p[0]);
    put64(attr, 8, (uint64_t)(uintptr_t)p);
    put64(attr, 16, (uint64_t)(uintptr_t)"GPL");
    put32(attr, 44, 1u << 4);                             /* prog_flags: BPF_F_SLEEPABLE */
    return (int)linux_bpf(5, attr, sizeof attr);
}

/* Runs the producer once: 0, 1 when the ring had no room, or -1. */
static int produce(int fd, const void *data, size_t len, int discard)
{
    if (len == 0 || len > (1u << 20)) return -1;
    int prog = producer_prog(fd, (uint32_t)len, discard);
    if (prog < 0) return -1;
    uint64_t ctx = (uint64_t)(uintptr_t)data;
    unsigned char attr[80] = {0};
    put32(attr, 0, (uint32_t)prog);
    put32(attr, 40, sizeof ctx);                          /* ctx_size_in */
    put64(attr, 48, (uint64_t)(uintptr_t)&ctx);           /* ctx_in */
    long r = linux_bpf(10, attr, sizeof attr);
    close(prog);
    return r < 0 ? -1 : (int)get32(attr, 4);              /* retval */
}

/* libs/api/ebpf_api.cpp@Release-v1.0.0-rc1:4963: copies one record into the ring; EBPF_OUT_OF_SPACE (29) when full. */
EXPORT int ebpf_ring_buffer_map_write(int fd, const void *data, size_t len)
{
    uint32_t id, n;
    int r = ringbuf(fd, &id, &n);
    if (r != EBPF_SUCCESS) return r;
    int p = produce(fd, data, len, 0);
    return p == 0 ? EBPF_SUCCESS : p == 1 ? 29 : EBPF_INVALID_ARGUMENT;
}

/* Test-only: a record reserved and then discarded, as bpf_ringbuf_discard leaves it (ebpf_ring_buffer.c@v1.5.0:823). */
EXPORT int standin_ring_discard(int fd, const void *data, size_t len)
{
    return produce(fd, data, len, 1);
}
