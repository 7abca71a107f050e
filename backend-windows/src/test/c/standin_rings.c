/*
 * The stand-in's ring buffers and Win32 events.
 *
 * eBPF for Windows 1.0.0-rc1 and later map a RINGBUF map's memory into the process with
 * ebpf_ring_buffer_map_map_buffer (ebpfapi/Source.def@Release-v1.0.0-rc1:141): a read-write
 * consumer page whose first 8 bytes are consumer_offset, a read-only producer page whose first
 * 8 bytes are producer_offset, and the data mapped twice back to back
 * (include/ebpf_api.h@v1.5.0:768-785; libs/api/ebpf_api.cpp@v1.5.0:5933-5948 MapViewOfFile
 * FILE_MAP_READ|FILE_MAP_WRITE for the consumer, FILE_MAP_READ for the producer, a double view of
 * the data; libs/runtime/kernel/ebpf_platform_kernel.c@Release-v1.1.0:87-122,215 for the
 * releases that map it in the kernel). Records are Linux's: a 32-bit length with bit 31 "locked"
 * and bit 30 "discarded", 32 bits of page offset, the data, padded to 8 bytes
 * (libs/shared/ebpf_ring_buffer_record.h@v1.5.0:10-25; libs/runtime/ebpf_ring_buffer.c@v1.5.0:266-269).
 *
 * The Linux kernel behind the stand-in cannot be the producer of memory the stand-in owns, so the
 * stand-in keeps its own ring per map (sized by the map's max_entries) and produces records with
 * ebpf_ring_buffer_map_write (ebpfapi/Source.def@Release-v1.0.0-rc1:143), as user-mode code can
 * on efW, plus two test-only exports that leave a record locked and then submit or discard it.
 * After a submit the map's wait handle is signalled when records are waiting, as
 * libs/runtime/ebpf_ring_buffer.c@Release-v1.0.0-rc1:341-359 does with KeSetEvent.
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

struct ring {
    int used, mfd;          /* mfd: the memory, which each user mapping maps again */
    uint32_t id;            /* the map's id: descriptors are reused, ids are not */
    uint8_t *base;          /* the owner's read-write mapping: consumer page, producer page, data twice */
    size_t size, page;
    event *wait;
    int maps;               /* user mappings handed out */
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
    for (int i = 0; i < MAX_RINGS; i++) if (rings[i].used && rings[i].wait == e) rings[i].wait = NULL;
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

/* The map's Linux type and max_entries, from bpf(BPF_OBJ_GET_INFO_BY_FD). */
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

/* The ring of a RINGBUF map (Linux type 27), made on first use and kept for the process (the stand-in
 * does not see maps go away); NULL for anything else. Called locked. */
static struct ring *ring_of(int fd, int create)
{
    uint32_t type, id, max;
    if (map_info(fd, &type, &id, &max) != 0 || type != 27) return NULL;
    for (int i = 0; i < MAX_RINGS; i++) if (rings[i].used && rings[i].id == id) return &rings[i];
    if (!create) return NULL;
    for (int i = 0; i < MAX_RINGS; i++) {
        if (rings[i].used) continue;
        size_t page = (size_t)sysconf(_SC_PAGESIZE);
        int mfd = memfd_create("standin-ring", 0);
        if (mfd < 0 || ftruncate(mfd, (off_t)(2 * page + max)) != 0) { if (mfd >= 0) close(mfd); return NULL; }
        uint8_t *base = mmap(NULL, 2 * page + 2 * (size_t)max, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (base == MAP_FAILED
                || mmap(base, 2 * page + max, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, mfd, 0) == MAP_FAILED
                || mmap(base + 2 * page + max, max, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, mfd, (off_t)(2 * page)) == MAP_FAILED) {
            close(mfd);
            return NULL;
        }
        rings[i] = (struct ring){1, mfd, id, base, max, page, NULL, 0};
        return &rings[i];
    }
    return NULL;
}

static volatile uint64_t *consumer_pos(struct ring *r) { return (volatile uint64_t *)r->base; }
static volatile uint64_t *producer_pos(struct ring *r) { return (volatile uint64_t *)(r->base + r->page); }
static uint8_t *ring_data(struct ring *r) { return r->base + 2 * r->page; }

#if AT_LEAST_1_0
EXPORT int ebpf_ring_buffer_map_map_buffer(int fd, void **consumer, const void **producer, const uint8_t **data, size_t *size)
{
    if (!consumer || !producer || !data || !size) return EBPF_INVALID_ARGUMENT;
    pthread_mutex_lock(&lock);
    struct ring *r = ring_of(fd, 1);
    pthread_mutex_unlock(&lock);
    if (!r) return fd_kind(fd) == OBJ_MAP ? EBPF_INVALID_ARGUMENT : EBPF_INVALID_FD;
    /* The user's own views: the consumer page read-write, the producer page and the data twice read-only. */
    size_t page = r->page, n = r->size;
    uint8_t *c = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, r->mfd, 0);
    uint8_t *p = mmap(NULL, page + 2 * n, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (c == MAP_FAILED || p == MAP_FAILED
            || mmap(p, page + n, PROT_READ, MAP_SHARED | MAP_FIXED, r->mfd, (off_t)page) == MAP_FAILED
            || mmap(p + page + n, n, PROT_READ, MAP_SHARED | MAP_FIXED, r->mfd, (off_t)(2 * page)) == MAP_FAILED) {
        if (c != MAP_FAILED) munmap(c, page);
        if (p != MAP_FAILED) munmap(p, page + 2 * n);
        return EBPF_NO_MEMORY;
    }
    pthread_mutex_lock(&lock);
    r->maps++;
    pthread_mutex_unlock(&lock);
    *consumer = c;
    *producer = p;
    *data = p + page;
    *size = n;
    return EBPF_SUCCESS;
}

EXPORT int ebpf_ring_buffer_map_unmap_buffer(int fd, void *consumer, const void *producer, const void *data)
{
    (void)data;
    pthread_mutex_lock(&lock);
    struct ring *r = ring_of(fd, 0);
    int ok = r && r->maps > 0 && consumer && producer;
    if (ok) r->maps--;
    pthread_mutex_unlock(&lock);
    if (!ok) return EBPF_INVALID_ARGUMENT;
    munmap(consumer, r->page);
    munmap((void *)producer, r->page + 2 * r->size);
    return EBPF_SUCCESS;
}

EXPORT int ebpf_map_set_wait_handle(int fd, uint64_t index, void *handle)
{
    /* "For ring buffer maps the index must be zero": include/ebpf_api.h@v1.5.0:676. */
    if (index != 0) return EBPF_INVALID_ARGUMENT;
    pthread_mutex_lock(&lock);
    struct ring *r = ring_of(fd, 1);
    if (r) {
        r->wait = handle;
        if (handle && *producer_pos(r) != __atomic_load_n(consumer_pos(r), __ATOMIC_ACQUIRE)) signal_locked(handle);
    }
    pthread_mutex_unlock(&lock);
    return r ? EBPF_SUCCESS : (fd_kind(fd) == OBJ_MAP ? EBPF_INVALID_ARGUMENT : EBPF_INVALID_FD);
}
#endif

/* Reserves a record, left locked; returns its position, or -1 when it does not fit. Called locked. */
static int64_t reserve(struct ring *r, size_t len)
{
    size_t total = (8 + len + 7) & ~(size_t)7;
    uint64_t p = *producer_pos(r), c = __atomic_load_n(consumer_pos(r), __ATOMIC_ACQUIRE);
    if (len > (LOCK_BIT >> 2) || total > r->size - (p - c)) return -1;
    uint8_t *rec = ring_data(r) + (p & (r->size - 1));
    uint32_t hdr = (uint32_t)len | LOCK_BIT;
    uint32_t pg = (uint32_t)((p & (r->size - 1)) / r->page);
    __atomic_store_n((uint32_t *)rec, hdr, __ATOMIC_RELAXED);
    memcpy(rec + 4, &pg, 4);
    __atomic_store_n(producer_pos(r), p + total, __ATOMIC_RELEASE);
    return (int64_t)p;
}

static void submit(struct ring *r, uint64_t pos, int discard)
{
    uint32_t *hdr = (uint32_t *)(ring_data(r) + (pos & (r->size - 1)));
    uint32_t v = __atomic_load_n(hdr, __ATOMIC_RELAXED) & ~LOCK_BIT;
    if (discard) v |= DISCARD_BIT;
    __atomic_store_n(hdr, v, __ATOMIC_RELEASE);
    if (r->wait && *producer_pos(r) != __atomic_load_n(consumer_pos(r), __ATOMIC_ACQUIRE)) signal_locked(r->wait);
}

/* libs/api/ebpf_api.cpp@Release-v1.0.0-rc1:4963: copies one record into the ring; EBPF_OUT_OF_SPACE (29) when full. */
EXPORT int ebpf_ring_buffer_map_write(int fd, const void *data, size_t len)
{
    pthread_mutex_lock(&lock);
    struct ring *r = ring_of(fd, 1);
    int result = EBPF_SUCCESS;
    if (!r) result = EBPF_INVALID_ARGUMENT;
    else {
        int64_t p = reserve(r, len);
        if (p < 0) result = 29;
        else {
            size_t off = ((uint64_t)p & (r->size - 1)) + 8;
            for (size_t i = 0; i < len; i++) ring_data(r)[(off + i) & (r->size - 1)] = ((const uint8_t *)data)[i];
            submit(r, (uint64_t)p, 0);
        }
    }
    pthread_mutex_unlock(&lock);
    return result;
}

/* Test-only: reserve a record of len bytes filled with fill and leave it locked; its position or -1. */
EXPORT int64_t standin_ring_reserve(int fd, size_t len, int fill)
{
    pthread_mutex_lock(&lock);
    struct ring *r = ring_of(fd, 1);
    int64_t p = r ? reserve(r, len) : -1;
    if (p >= 0) {
        size_t off = ((uint64_t)p & (r->size - 1)) + 8;
        for (size_t i = 0; i < len; i++) ring_data(r)[(off + i) & (r->size - 1)] = (uint8_t)fill;
    }
    pthread_mutex_unlock(&lock);
    return p;
}

/* Test-only: unlock a reserved record, discarding it when asked (ebpf_ring_buffer.c@v1.5.0:823). */
EXPORT int standin_ring_submit(int fd, int64_t pos, int discard)
{
    pthread_mutex_lock(&lock);
    struct ring *r = ring_of(fd, 0);
    if (r) submit(r, (uint64_t)pos, discard);
    pthread_mutex_unlock(&lock);
    return r ? 0 : -1;
}
