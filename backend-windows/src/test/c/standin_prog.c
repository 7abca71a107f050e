/*
 * The ebpfapi.dll stand-in: program load (bpf() and bpf_prog_load) and test run.
 *
 * Both load paths end in ebpf_program_load_bytes, whose verifier log handling differs by release:
 *   0.21.x  strcpy_s(log_buffer, log_buffer_size, log) with no size check
 *           (libs/api/ebpf_api.cpp@Release-v0.21.0:3302-3307): a longer log goes to the C runtime's
 *           invalid-parameter handler, which ends the process; counted here.
 *   1.0+    strncpy_s(..., _TRUNCATE), then EBPF_OUT_OF_SPACE when the log did not fit, whatever the
 *           load's result, and the true size (strlen + 1) handed back
 *           (libs/api/ebpf_api.cpp@v1.5.0:3821-3836, allocate_string in api_common.cpp@v1.5.0:32-47).
 * The log is the verifier's report of a failed load; a load that succeeds has none
 * (libs/service/verifier_service.cpp@Release-v0.21.0:26-41).
 */
#define _GNU_SOURCE
#include "standin_core.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* Windows helper id -> Linux helper id (include/ebpf_structs.h@v1.5.0:147-184); -1 for Windows-only helpers. */
static int helper_to_linux(int w)
{
    switch (w) {
    case 1: case 2: case 3: case 8: return w;
    case 5: return 12; case 6: return 7; case 7: return 125; case 9: return 5; case 10: return 28;
    case 11: return 130; case 12: case 13: case 14: case 15: return 6;
    case 16: return 87; case 17: return 88; case 18: return 89; case 19: return 14; case 26: return 46;
    case 32: return 25; case 35: return 51;
    default: return -1;
    }
}

static long linux_load_as(int ltype, int expected, const unsigned char *code, uint32_t cnt, const char *name,
                          char *log, uint32_t log_size);

static long linux_load(int ltype, const unsigned char *code, uint32_t cnt, const char *name, char *log, uint32_t log_size)
{
    return linux_load_as(ltype, ltype == 18 ? 10 : 0, code, cnt, name, log, log_size);
}

/* Linux verifies a sock_addr program for one hook, chosen at load; Windows chooses at attach. The
 * stand-in loads sock_addr programs for INET4_CONNECT and, for another hook, attaches a twin
 * loaded for it, reporting the original's id wherever efW would report the program. */
static struct { uint32_t id; uint32_t cnt; unsigned char *code; char name[16]; } sock_addr_code[64];
static struct { uint32_t twin; uint32_t origin; } twins[256];
static unsigned twins_next;

static uint32_t prog_id_of(int fd)
{
    unsigned char li[256] = {0};
    return linux_info(fd, li, sizeof li) ? 0 : get32(li, 4);
}

static void keep_code(int fd, const unsigned char *code, uint32_t cnt, const char *name)
{
    uint32_t id = prog_id_of(fd);
    unsigned slot = id % 64;
    free(sock_addr_code[slot].code);
    sock_addr_code[slot].id = id;
    sock_addr_code[slot].cnt = cnt;
    sock_addr_code[slot].code = malloc((size_t)cnt * 8);
    if (sock_addr_code[slot].code) memcpy(sock_addr_code[slot].code, code, (size_t)cnt * 8);
    snprintf(sock_addr_code[slot].name, 16, "%s", name ? name : "");
}

int sock_addr_twin(int prog_fd, int linux_hook)
{
    uint32_t id = prog_id_of(prog_fd);
    unsigned slot = id % 64;
    if (sock_addr_code[slot].id != id || !sock_addr_code[slot].code) return -22;
    long fd = linux_load_as(18, linux_hook, sock_addr_code[slot].code, sock_addr_code[slot].cnt,
                            sock_addr_code[slot].name, NULL, 0);
    if (fd < 0) return (int)fd;
    twins[twins_next % 256].twin = prog_id_of((int)fd);
    twins[twins_next % 256].origin = id;
    twins_next++;
    return (int)fd;
}

/* Programs the kernel runs as SYSCALL: Linux program id -> Windows type. */
static struct { uint32_t id, wtype; } win_types[256];

uint32_t program_win_type(uint32_t linux_prog_id, uint32_t linux_type)
{
    for (unsigned i = 0; i < 256; i++) if (win_types[i].id == linux_prog_id && linux_prog_id) return win_types[i].wtype;
    return prog_type_to_win(linux_type);
}

uint32_t program_origin(uint32_t linux_prog_id)
{
    for (unsigned i = 0; i < 256; i++) if (twins[i].twin == linux_prog_id && linux_prog_id) return twins[i].origin;
    return linux_prog_id;
}

static long linux_load_as(int ltype, int expected, const unsigned char *code, uint32_t cnt, const char *name,
                          char *log, uint32_t log_size)
{
    unsigned char la[168] = {0};
    static const char gpl[] = "GPL";   /* Windows ignores the license; Linux needs one for some helpers */
    put32(la, 0, (uint32_t)ltype);
    put32(la, 4, cnt);
    put64(la, 8, (uint64_t)(uintptr_t)code);
    put64(la, 16, (uint64_t)(uintptr_t)gpl);
    if (log) {
        put32(la, 24, 1);
        put32(la, 28, log_size);
        put64(la, 32, (uint64_t)(uintptr_t)log);
    }
    if (name) snprintf((char *)la + 48, 16, "%s", name);   /* Linux keeps 15 characters of Windows' 63 */
    put32(la, 68, (uint32_t)expected);
    if (ltype == 31) put32(la, 44, 1u << 4);   /* Linux loads SYSCALL programs only as BPF_F_SLEEPABLE */
    return linux_bpf(5, la, 144);
}

/* The verifier's report of a failed load, as efW builds it: loaded again for the detailed message. */
static char *failure_report(int ltype, const unsigned char *code, uint32_t cnt, const char *name)
{
    for (uint32_t size = 64 * 1024; size <= 64u * 1024 * 1024; size *= 4) {
        char *log = calloc(1, size);
        if (!log) return NULL;
        long r = linux_load(ltype, code, cnt, name, log, size);
        if (r >= 0) { close((int)r); free(log); return NULL; }
        if (r != -28) return log;   /* not ENOSPC: this is the whole report */
        free(log);
    }
    return NULL;
}

static char *own_report(const char *msg)
{
    char *s = malloc(strlen(msg) + 1);
    if (s) strcpy(s, msg);
    return s;
}

/* ebpf_program_load_bytes: 0 and *fd, or -errno; *true_size as efW reports it (1.0+). */
static int load_bytes(uint32_t wtype, const char *name, const void *insns, uint32_t cnt, char *log_buf,
                      size_t log_size, int *fd, uint32_t *true_size)
{
    *fd = -1;
    if (true_size) *true_size = 0;
    if ((log_buf != NULL) != (log_size > 0)) return -W_EINVAL;       /* ebpf_api.cpp@v1.5.0:3723-3725 */
    if (AT_LEAST_1_0 && cnt == 0) return -W_EINVAL;                 /* ebpf_api.cpp@v1.5.0:3727-3729 */
    int ltype = prog_type_to_linux(wtype);
    unsigned char *code = malloc((size_t)cnt * 8 + 8);
    if (!code) return -W_ENOMEM;
    memcpy(code, insns, (size_t)cnt * 8);
    char *report = NULL;
    int result = 0;
    for (uint32_t i = 0; i < cnt && !report; i++) {
        unsigned char *in = code + i * 8;
        int src = in[1] >> 4;
        if (in[0] == 0x85 && src == 0) {
            int l = helper_to_linux((int32_t)get32(in, 4));
            if (l < 0) { report = own_report("stand-in: this helper id has no Linux counterpart\n"); result = -W_EACCES; }
            else put32(in, 4, (uint32_t)l);
        } else if (in[0] == 0x18) {
            /* Only src 1 (a map descriptor) is resolved; others reach the verifier as they are
             * (ebpf_api.cpp@v1.5.0:3769-3783), which the stand-in reports as its failure. */
            if (i + 1 >= cnt) { free(code); return -W_EINVAL; }          /* ebpf_api.cpp@v1.5.0:3774-3777 */
            if (src > 1) { report = own_report("stand-in: a 64-bit load with this src_reg is not resolved\n"); result = -W_EACCES; }
            i++;
        }
    }
    if (!report) {
        long r = linux_load(ltype, code, cnt, name, NULL, 0);
        if (r >= 0) {
            *fd = (int)r;
            if (ltype == 18) keep_code(*fd, code, cnt, name);
            if (ltype == 31) {
                uint32_t id = prog_id_of(*fd);
                win_types[id % 256].id = id;
                win_types[id % 256].wtype = wtype;
            }
        }
        else {
            result = win_ret(r);
            if (r == -13 || r == -22) report = failure_report(ltype, code, cnt, name);
        }
    }
    free(code);
    if (log_buf) {
        log_buf[0] = 0;
        if (report) {
            size_t need = strlen(report) + 1;
            if (AT_LEAST_1_0) {
                size_t n = need <= log_size ? need - 1 : log_size - 1;
                memcpy(log_buf, report, n);
                log_buf[n] = 0;
                if (true_size) *true_size = (uint32_t)need;
                if (need > log_size) result = -W_ENOSPC;
            } else if (need > log_size) {
                invalid_parameter("strcpy_s: the verifier log is longer than the caller's buffer (0.21.x ebpf_program_load_bytes)");
            } else {
                memcpy(log_buf, report, need);
            }
        }
    }
    free(report);
    if (result < 0 && *fd >= 0) { close(*fd); *fd = -1; }
    return result < 0 ? result : 0;
}

#ifdef STANDIN_NATIVE_ONLY
#define JIT 0
#else
#define JIT 1
#endif

static int valid_name(const unsigned char *v, unsigned off) { return strnlen((const char *)v + off, 16) < 16; }

int prog_load(unsigned char *v, void *attr, unsigned size)
{
    (void)attr; (void)size;
    uint32_t type = get32(v, 0), cnt = get32(v, 4), level = get32(v, 24), log_size = get32(v, 28);
    uint64_t insns = get64(v, 8), log_buf = get64(v, 32);
    if (AT_LEAST_1_0) {
        if (!JIT) { set_last_error(50); return -W_EINVAL; }         /* bpf_syscall.cpp@v1.5.0:363-367 */
        for (unsigned i = 64; i < 140; i++) if (v[i]) return -W_EINVAL;   /* bpf_syscall.cpp@v1.5.0:310-313 */
        if (get32(v, 44)) return -W_EINVAL;                            /* prog_flags */
        if (level > 1 || (level != 0) != (log_buf != 0)) return -W_EINVAL;   /* @v1.5.0:319-328 */
        if (!prog_guid(type)) return -W_EINVAL;                        /* @v1.5.0:330-333 */
        if (!valid_name(v, 48)) return -W_EINVAL;
        int fd;
        uint32_t true_size = 0;
        int r = load_bytes(type, (const char *)v + 48, (const void *)(uintptr_t)insns, cnt,
                           (char *)(uintptr_t)log_buf, log_size, &fd, &true_size);
        put32(v, 140, true_size);                                     /* @v1.5.0:358 */
        return r < 0 ? r : fd;
    }
    /* 0.21.x: the struct ends at prog_name and log_level is not read; bpf_prog_load does the rest
     * (bpf_syscall.cpp@Release-v0.21.0:306-337, libbpf_program.cpp@Release-v0.21.0:70-113). */
    if (get32(v, 44) || !valid_name(v, 48)) return -W_EINVAL;
    if (!prog_guid(type)) return -W_EINVAL;
    if (cnt == 0) return -W_EINVAL;
    if (!JIT) return -W_ENOTSUP;
    int fd;
    int r = load_bytes(type, (const char *)v + 48, (const void *)(uintptr_t)insns, cnt,
                       (char *)(uintptr_t)log_buf, log_size, &fd, NULL);
    return r < 0 ? r : fd;
}

/* bpf_prog_load: only log_buf and log_size of the opts are read, log_level is not
 * (libs/api/libbpf_program.cpp@v1.5.0:71-115, @Release-v0.21.0:70-113). */
EXPORT int bpf_prog_load(int type, const char *name, const char *license, const void *insns, size_t cnt, const void *opts)
{
    (void)license;
    if (!prog_guid((uint32_t)type)) return -W_EINVAL;
    if (AT_LEAST_1_0 ? insns == NULL : (cnt == 0 || cnt > UINT32_MAX / 8)) return -W_EINVAL;
    if (!JIT) return -W_ENOTSUP;
    char *log_buf = opts ? (char *)(uintptr_t)get64(opts, 96) : NULL;
    size_t log_size = opts ? get32(opts, 92) : 0;
    int fd;
    int r = load_bytes((uint32_t)type, name, insns, (uint32_t)cnt, log_buf, log_size, &fd, NULL);
    return r < 0 ? r : fd;
}

/* A Windows-only program type the kernel runs as SYSCALL: Linux takes the context alone (no data,
 * repeat, duration or ctx_out) and writes it back over ctx_in, so the stand-in passes a copy of
 * ctx_in and returns the result in ctx_out, as efW's hooks return their context; data_in is not
 * passed (the kernel's syscall programs have no packet). */
static int syscall_test_run(unsigned char *v, unsigned char *la)
{
    uint32_t in_size = get32(v, 40), out_size = get32(v, 44);
    uint64_t ctx_in = get64(v, 48), ctx_out = get64(v, 56);
    unsigned char *ctx = in_size ? calloc(1, in_size) : NULL;
    if (in_size && !ctx) return -W_ENOMEM;
    if (ctx) memcpy(ctx, (void *)(uintptr_t)ctx_in, in_size);
    memset(la + 8, 0, 72);
    put32(la, 40, in_size);
    put64(la, 48, (uint64_t)(uintptr_t)ctx);
    long r = linux_bpf(10, la, 80);
    if (r >= 0) {
        put32(v, 4, get32(la, 4));                                    /* retval */
        put32(v, 36, 0);                                              /* duration */
        put32(v, 12, 0);                                              /* nothing in data_out */
        if (ctx_out) {
            if (out_size < in_size) { free(ctx); return -W_ENOBUFS; }
            memcpy((void *)(uintptr_t)ctx_out, ctx, in_size);
            put32(v, 44, in_size);
        }
    }
    free(ctx);
    return win_ret(r);
}

/* BPF_PROG_TEST_RUN on its 80-byte view. */
int test_run(unsigned char *v)
{
    if (get32(v, 76)) return -W_EINVAL;                       /* _pad0, bpf_syscall.cpp@Release-v0.21.0:341-343 */
    if (get32(v, 32) == 0) {
        /* From 1.3.0 repeat 0 is EINVAL (libs/execution_context/ebpf_program.c@v1.3.0, "repeat_count == 0");
         * before, the kernel divides the duration by it (ebpf_program.c@Release-v0.21.0:2541). */
        if (STANDIN_RELEASE < 130) invalid_parameter("test run with repeat 0: the kernel divides by zero before 1.3.0");
        return -W_EINVAL;
    }
    unsigned char la[168] = {0};
    memcpy(la, v, 80);
    unsigned char li[256] = {0};
    if (!linux_info((int)get32(v, 0), li, sizeof li) && get32(li, 0) == 31) return syscall_test_run(v, la);
    long r = linux_bpf(10, la, 80);
    if (r == -28) return -W_ENOBUFS;   /* data_out too small: EBPF_INSUFFICIENT_BUFFER, ebpf_api.cpp@v1.5.0:5701-5702 */
    memcpy(v, la, 80);
    return win_ret(r);
}
