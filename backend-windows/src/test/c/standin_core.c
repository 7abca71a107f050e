/*
 * The ebpfapi.dll stand-in: translation tables and the emulated bpf()
 * (libs/api/bpf_syscall.cpp@Release-v0.21.0:170-378, @v1.5.0).
 */
#define _GNU_SOURCE
#include "standin_core.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

static __thread unsigned last_error;

/* The Win32 last error, per thread, which Windows keeps in kernel32. bpf() sets it only for an
 * unimplemented command (120) and a NativeOnly load (50); every other path leaves what was there
 * (bpf_syscall.cpp@v1.5.0:363-367, :403-405). */
EXPORT unsigned GetLastError(void) { return last_error; }
EXPORT void SetLastError(unsigned e) { last_error = e; }
void set_last_error(unsigned e) { last_error = e; }

static int invalid_parameters;
static const char *last_invalid_parameter = "";

void invalid_parameter(const char *why)
{
    __atomic_add_fetch(&invalid_parameters, 1, __ATOMIC_SEQ_CST);
    last_invalid_parameter = why;
}

/* Not an ebpfapi.dll export: how often the stand-in survived what would end the process on Windows. */
EXPORT int standin_invalid_parameters(void) { return __atomic_load_n(&invalid_parameters, __ATOMIC_SEQ_CST); }
EXPORT const char *standin_last_invalid_parameter(void) { return last_invalid_parameter; }

#if STANDIN_RELEASE >= 110
/* Release markers (never called by the backend): the first exports of each release after 1.0.0-rc1. */
EXPORT int perf_buffer__buffer_cnt(void) { return 0; }
#endif
#if STANDIN_RELEASE >= 121
EXPORT int ebpf_api_get_data_section(void) { return EBPF_OPERATION_NOT_SUPPORTED; }
#endif
#if STANDIN_RELEASE >= 140
EXPORT int ebpf_get_map_annotations_from_verifier(void) { return EBPF_OPERATION_NOT_SUPPORTED; }
#endif
#if STANDIN_RELEASE >= 150
EXPORT int ebpf_get_btf_resolved_function_info_from_verifier(void) { return EBPF_OPERATION_NOT_SUPPORTED; }
#endif

#ifndef BPF4J_STANDIN_PIN_DIR
#define BPF4J_STANDIN_PIN_DIR NULL
#endif
#ifndef BPF4J_STANDIN_CGROUP
#define BPF4J_STANDIN_CGROUP NULL
#endif

const char *standin_pin_dir(void)
{
    const char *e = getenv("BPF4J_STANDIN_PIN_DIR");
    return e ? e : BPF4J_STANDIN_PIN_DIR;
}

const char *standin_cgroup(void)
{
    const char *e = getenv("BPF4J_STANDIN_CGROUP");
    return e ? e : BPF4J_STANDIN_CGROUP;
}

long linux_bpf(int cmd, void *attr, unsigned size)
{
    long r = syscall(SYS_bpf, cmd, attr, size);
    return r < 0 ? -errno : r;
}

int win_errno(int e)
{
    switch (e) {
    case 26: return 139;  /* ETXTBSY */
    case 35: return 36;   /* EDEADLK */
    case 36: return 38;   /* ENAMETOOLONG */
    case 37: return 39;   /* ENOLCK */
    case 38: return 40;   /* ENOSYS */
    case 39: return 41;   /* ENOTEMPTY */
    case 84: return 42;   /* EILSEQ */
    case 98: return 100; case 99: return 101; case 97: return 102; case 114: return 103;
    case 103: return 106; case 111: return 107; case 104: return 108; case 89: return 109;
    case 113: return 110; case 115: return 112; case 106: return 113; case 90: return 115;
    case 100: return 116; case 102: return 117; case 101: return 118; case 92: return 123;
    case 107: return 126; case 88: return 128; case 93: return 135; case 91: return 136;
    case 74: return 104; case 125: return 105; case 43: return 111; case 40: return 114;
    case 105: return 119; case 61: return 120; case 67: return 121; case 42: return 122;
    case 63: return 124; case 60: return 125; case 131: return 127; case 95: return 130;
    case 75: return 132; case 130: return 133; case 71: return 134; case 62: return 137;
    case 110: return 138; case 11: return 11;
    case 524: return W_ENOTSUP;   /* kernel-internal ENOTSUPP */
    case 116: return W_EOTHER;    /* ESTALE has no Windows number */
    default: return (e >= 1 && e <= 34 && e != 15) ? e : W_EOTHER;
    }
}

int win_ret(long r) { return r < 0 ? -win_errno((int)-r) : (int)r; }

int errno_to_result(int e)
{
    switch (e) {
    case 0: return EBPF_SUCCESS;
    case W_ENOMEM: return EBPF_NO_MEMORY;
    case W_EINVAL: return EBPF_INVALID_ARGUMENT;
    case W_EBADF: return EBPF_INVALID_FD;
    case W_ENOTSUP: return EBPF_OPERATION_NOT_SUPPORTED;
    case W_ENOBUFS: return EBPF_INSUFFICIENT_BUFFER;
    case W_ENOENT: return EBPF_OBJECT_NOT_FOUND;
    case W_EEXIST: return EBPF_OBJECT_ALREADY_EXISTS;
    case W_EACCES: return EBPF_VERIFICATION_FAILED;
    case W_EFAULT: return EBPF_INVALID_POINTER;
    case W_EPERM: return EBPF_ACCESS_DENIED;
    default: return EBPF_FAILED;
    }
}

/* ebpf_result_to_errno (libs/api_common/api_common.hpp@v1.5.0:146-211). */
int win_errno_of_result(int r)
{
    switch (r) {
    case EBPF_SUCCESS: return 0;
    case EBPF_NO_MEMORY: return W_ENOMEM;
    case 15: case EBPF_INVALID_ARGUMENT: case 23: case EBPF_INVALID_OBJECT: return W_EINVAL;
    case EBPF_INVALID_FD: return W_EBADF;
    case EBPF_OPERATION_NOT_SUPPORTED: return W_ENOTSUP;
    case EBPF_INSUFFICIENT_BUFFER: return W_ENOBUFS;
    case EBPF_FILE_NOT_FOUND: case EBPF_KEY_NOT_FOUND: case EBPF_NO_MORE_KEYS: case EBPF_OBJECT_NOT_FOUND: return W_ENOENT;
    case EBPF_OBJECT_ALREADY_EXISTS: return W_EEXIST;
    case EBPF_VERIFICATION_FAILED: return W_EACCES;
    case EBPF_INVALID_POINTER: return W_EFAULT;
    case 29: return W_ENOSPC;
    case EBPF_ACCESS_DENIED: return W_EPERM;
    default: return W_EOTHER;
    }
}

/* bpf_map_type: Windows index -> Linux value; -1 for none (SAMPLE_HASH_MAP 15). */
static const int MAP_W2L[] = {0, 1, 2, 3, 5, 6, 13, 12, 9, 11, 22, 10, 23, 27, 4, -1, 17};
int map_type_to_linux(uint32_t w) { return w < sizeof MAP_W2L / sizeof *MAP_W2L ? MAP_W2L[w] : -1; }
uint32_t map_type_to_win(uint32_t l)
{
    for (uint32_t w = 0; w < sizeof MAP_W2L / sizeof *MAP_W2L; w++) if (MAP_W2L[w] == (int)l) return w;
    return 0;
}

/* bpf_prog_type: the stand-in's registered extensions are XDP, CGROUP_SOCK_ADDR and SOCK_OPS, and
 * the Windows-only BIND (2), PROCESS (6), SAMPLE (999) and, at 0.21.x, XDP_TEST (998). Linux has
 * none of the last four, so the kernel verifies and runs them as BPF_PROG_TYPE_SYSCALL (31), whose
 * context is any buffer the test run passes; NETEVENT (5) stays unregistered, as without ntosebpfext.
 * program_win_type() keeps which Windows type each such program was loaded as. */
int prog_type_to_linux(uint32_t w)
{
    switch (w) {
    case 1: return 6; case 3: return 18; case 4: return 13;
    case 2: case 6: case 999: return 31;
    case 998: return STANDIN_RELEASE < 100 ? 31 : -1;
    default: return -1;
    }
}
uint32_t prog_type_to_win(uint32_t l)
{
    switch (l) { case 6: return 1; case 18: return 3; case 13: return 4; default: return 0; }
}

int attach_type_to_linux(uint32_t w)
{
    switch (w) {
    case 1: return 37; case 3: return 10; case 4: return 11; case 7: return 3; case 14: return 8; case 15: return 9;
    default: return -1;
    }
}
uint32_t attach_type_to_win(uint32_t l)
{
    switch (l) {
    case 37: return 1; case 10: return 3; case 11: return 4; case 3: return 7; case 8: return 14; case 9: return 15;
    default: return 0;
    }
}

uint32_t link_type_to_win(uint32_t l) { return l == 6 ? 3 : l == 3 ? 2 : l == 0 ? 0 : 1; }

#define G(a, b, c, d0, d1, d2, d3, d4, d5, d6, d7) {a, b, c, {d0, d1, d2, d3, d4, d5, d6, d7}}
static const win_guid GUID_PROG_XDP = G(0xf1832a85, 0x85d5, 0x45b0, 0x98, 0xa0, 0x70, 0x69, 0xd6, 0x30, 0x13, 0xb0);
static const win_guid GUID_PROG_SOCK_ADDR = G(0x92ec8e39, 0xaeec, 0x11ec, 0x9a, 0x30, 0x18, 0x60, 0x24, 0x89, 0xbe, 0xee);
static const win_guid GUID_PROG_SOCK_OPS = G(0x43fb224d, 0x68f8, 0x46d6, 0xaa, 0x3f, 0xc8, 0x56, 0x51, 0x8c, 0xbb, 0x32);
/* include/ebpf_program_attach_type_guids.h@v1.5.0:212 (BIND), :258 (SAMPLE), :270 (XDP_TEST). */
static const win_guid GUID_PROG_BIND = G(0x608c517c, 0x6c52, 0x4a26, 0xb6, 0x77, 0xbb, 0x1c, 0x34, 0x42, 0x5a, 0xdf);
static const win_guid GUID_PROG_SAMPLE = G(0xf788ef4a, 0x207d, 0x4dc3, 0x85, 0xcf, 0x0f, 0x2e, 0xa1, 0x07, 0x21, 0x3c);
static const win_guid GUID_PROG_XDP_TEST = G(0xce8ccef8, 0x4241, 0x4975, 0x98, 0x4d, 0xbb, 0x39, 0x21, 0xdf, 0xa7, 0x3c);
/* PROCESS's GUID is ntosebpfext's and not in efW's source: this one is the stand-in's own. */
static const win_guid GUID_PROG_PROCESS_STANDIN = G(0x5374616e, 0x6449, 0x6e50, 0x72, 0x6f, 0x63, 0x65, 0x73, 0x73, 0x00, 0x06);
static const win_guid GUID_ATTACH[18] = {
    [1] = G(0x85e0d8ef, 0x579e, 0x4931, 0xb0, 0x72, 0x8e, 0xe2, 0x26, 0xbb, 0x2e, 0x9d),
    [2] = G(0xb9707e04, 0x8127, 0x4c72, 0x83, 0x3e, 0x05, 0xb1, 0xfb, 0x43, 0x94, 0x96),
    [3] = G(0xa82e37b1, 0xaee7, 0x11ec, 0x9a, 0x30, 0x18, 0x60, 0x24, 0x89, 0xbe, 0xee),
    [4] = G(0xa82e37b2, 0xaee7, 0x11ec, 0x9a, 0x30, 0x18, 0x60, 0x24, 0x89, 0xbe, 0xee),
    [5] = G(0xa82e37b3, 0xaee7, 0x11ec, 0x9a, 0x30, 0x18, 0x60, 0x24, 0x89, 0xbe, 0xee),
    [6] = G(0xa82e37b4, 0xaee7, 0x11ec, 0x9a, 0x30, 0x18, 0x60, 0x24, 0x89, 0xbe, 0xee),
    [7] = G(0x837d02cd, 0x3251, 0x4632, 0x8d, 0x94, 0x60, 0xd3, 0xb4, 0x57, 0x69, 0xf2),
    [12] = G(0x6076c13a, 0xf04f, 0x4ff8, 0x83, 0x80, 0x90, 0x85, 0x53, 0xf2, 0x22, 0x76),
    [13] = G(0x54b0b6ed, 0x432a, 0x4674, 0x8b, 0x27, 0x8d, 0x9f, 0x5b, 0x40, 0xc6, 0x75),
    [14] = G(0x0d7ce21a, 0x7773, 0x405c, 0x93, 0xb6, 0xd5, 0xbf, 0xb9, 0x2e, 0x74, 0xbc),
    [15] = G(0x81de64c0, 0x2973, 0x468d, 0x83, 0x82, 0x67, 0x69, 0xf0, 0x33, 0xd7, 0x59),
    [16] = G(0xe1b0cb3d, 0xd70c, 0x4ee2, 0xb2, 0x3a, 0x07, 0x42, 0xbe, 0xdb, 0x06, 0xd6),
    [17] = G(0x4e72f92e, 0x5ed0, 0x4fe5, 0xb8, 0x51, 0xb1, 0x24, 0xfe, 0x14, 0x07, 0x4d),
};

static const win_guid GUID_UNSPECIFIED;

/* ebpf_get_ebpf_program_type: UNSPEC has the zero GUID (ebpf_api.cpp@v1.5.0:4941-4944); the others
 * are registered by the extensions the stand-in plays. */
const win_guid *prog_guid(uint32_t w)
{
    switch (w) {
    case 0: return &GUID_UNSPECIFIED;
    case 1: return &GUID_PROG_XDP; case 3: return &GUID_PROG_SOCK_ADDR; case 4: return &GUID_PROG_SOCK_OPS;
    case 2: return &GUID_PROG_BIND; case 999: return &GUID_PROG_SAMPLE; case 6: return &GUID_PROG_PROCESS_STANDIN;
    case 998: return STANDIN_RELEASE < 100 ? &GUID_PROG_XDP_TEST : NULL;   /* gone at Release-v1.0.0-rc1 */
    default: return NULL;
    }
}
const win_guid *attach_guid(uint32_t w)
{
    /* The attach types of the registered program types, except the Windows-only ones' (2, 8-11):
     * Linux has no hook to attach them to, so they are unregistered. And
     * the sock_addr hooks 12 to 17 arrived in 1.3.0 (include/ebpf_structs.h@v1.3.0:364-395). */
    if (w >= 18 || w == 2 || GUID_ATTACH[w].d1 == 0) return NULL;
    if (w >= 12 && STANDIN_RELEASE < 130) return NULL;
    return &GUID_ATTACH[w];
}

int fd_kind(int fd)
{
    char path[64], target[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(path, target, sizeof target - 1);
    if (n < 0) return -1;
    target[n] = 0;
    if (strstr(target, "bpf-map")) return OBJ_MAP;
    if (strstr(target, "bpf-prog")) return OBJ_PROGRAM;
    if (strstr(target, "bpf_link") || strstr(target, "bpf-link")) return OBJ_LINK;
    return OBJ_UNKNOWN;
}

int possible_cpus(void)
{
    FILE *f = fopen("/sys/devices/system/cpu/possible", "r");
    int lo = 0, hi = 0;
    if (!f) return 1;
    int n = fscanf(f, "%d-%d", &lo, &hi);
    fclose(f);
    return n == 2 ? hi + 1 : 1;
}

/* ---------------------------------------------------------------- bpf() */

/* ExtensibleStruct (bpf_syscall.cpp@Release-v0.21.0:37-52): with size >= view the bytes past the
 * view must be zero (a throw, caught as -EINVAL with the last error untouched); a shorter
 * attribute is read with the missing bytes as zero, and written back within size. */
static int view(const void *attr, unsigned size, unsigned view_size, unsigned char *out)
{
    memset(out, 0, 168);
    for (unsigned i = view_size; i < size; i++) if (((const unsigned char *)attr)[i]) return -1;
    memcpy(out, attr, size < view_size ? size : view_size);
    return 0;
}

static int name_ok(const unsigned char *v, unsigned off) { return strnlen((const char *)v + off, 16) < 16; }

static int obj_pin_get(int cmd, unsigned char *v)
{
    char stored[260], file[4096];
    /* flags must be 0; OBJ_GET also needs bpf_fd 0 (bpf_syscall.cpp@Release-v0.21.0:261-267, :284-291). */
    if (get32(v, 12) || (cmd == 7 && get32(v, 8))) return -W_EINVAL;
    const char *path = (const char *)(uintptr_t)get64(v, 0);
    if (!path) return -W_EINVAL;
    if (cmd == 6 && (int32_t)get32(v, 8) <= 0) return -W_EINVAL;   /* fd <= 0, ebpf_api.cpp@v1.5.0:1595-1597 */
    if (stored_path(path, stored, sizeof stored) || pin_file(stored, file, sizeof file)) return -W_EINVAL;
    unsigned char la[168] = {0};
    put64(la, 0, (uint64_t)(uintptr_t)file);
    put32(la, 8, get32(v, 8));
    return win_ret(linux_bpf(cmd, la, 16));
}

/* OBJ_GET_INFO_BY_FD through bpf(): Linux-prefix views of the Windows structs
 * (bpf_syscall.cpp@Release-v0.21.0:100-168, :380-446). */
static int info_view(unsigned char *v)
{
    int fd = (int)get32(v, 0);
    uint32_t len = get32(v, 4);
    unsigned char *out = (unsigned char *)(uintptr_t)get64(v, 8);
    int kind = fd_kind(fd);
    unsigned vsize = kind == OBJ_MAP ? 40 : kind == OBJ_PROGRAM ? 80 : kind == OBJ_LINK ? 12 : 0;
    if (!vsize) return -W_EBADF;
    if (!out || !len) return -W_EINVAL;
    for (uint32_t i = vsize; i < len; i++) if (out[i]) return -W_EINVAL;
    unsigned char w[128] = {0};
    uint32_t wlen = sizeof w;
    unsigned char lv[80] = {0};
    if (kind == OBJ_PROGRAM) {
        if (get32(out, 16) || get32(out, 20) || get64(out, 24) || get64(out, 32)) return -W_EINVAL;
        put32(w, 8, len >= 56 ? get32(out, 52) : 0);
        put64(w, 16, len >= 64 ? get64(out, 56) : 0);
    }
    int r = win_info(fd, w, &wlen, &kind);
    if (r && r != -W_EFAULT) return r;
    if (kind == OBJ_MAP) {
        put32(lv, 0, get32(w, 4)); put32(lv, 4, get32(w, 0)); memcpy(lv + 8, w + 8, 12);
        put32(lv, 20, get32(w, 84)); memcpy(lv + 24, w + 20, 15);
    } else if (kind == OBJ_PROGRAM) {
        put32(lv, 0, get32(w, 4)); put32(lv, 4, get32(w, 0)); put32(lv, 52, get32(w, 8));
        put64(lv, 56, get64(w, 16)); memcpy(lv + 64, w + 24, 15);
    } else {
        put32(lv, 0, get32(w, 8)); put32(lv, 4, get32(w, 0)); put32(lv, 8, get32(w, 4));
    }
    memcpy(out, lv, len < vsize ? len : vsize);   /* info_len is not written back */
    return r;
}

static int is_pow2(uint32_t x) { return (x & ~(x - 1)) == x; }

/* BPF_MAP_CREATE on its view: bpf_syscall.cpp@Release-v0.21.0:192-213 into ebpf_map_create
 * (ebpf_api.cpp@v1.5.0:363-421) and the kernel's checks (libs/execution_context/ebpf_maps.c@v1.5.0:3763-3810). */
static int map_create(unsigned char *v)
{
    if (!name_ok(v, 28)) return -W_EINVAL;
    if (get32(v, 16) || get32(v, 24) || get32(v, 44)) return -W_EINVAL;   /* map_flags, numa_node, map_ifindex */
    uint32_t wt = get32(v, 0), key = get32(v, 4), val = get32(v, 8), max = get32(v, 12);
    int lt = map_type_to_linux(wt);
    if (lt <= 0) return -W_EINVAL;
    int ring = wt == 13 || wt == 14, circular = wt == 10 || wt == 12;
    /* Only queue, stack, ring buffer and perf event array may have a zero key, only the last two a
     * zero value (the zero_length_* bits, ebpf_maps.c@v1.5.0:3578-3645); max_entries must not be 0. */
    if (key == 0 && !(circular || ring)) return -W_EINVAL;
    if (val == 0 && !ring) return -W_EINVAL;
    if (max == 0) return -W_EINVAL;
    /* Queue, stack and ring buffer refuse a key (ebpf_maps.c@v1.5.0:2348, :2376, :2976); the perf
     * event array checks neither size (:3256-3275). */
    if ((circular || wt == 13) && key) return -W_EINVAL;
    if (ring) {
        /* max_entries is each ring's size in bytes: a power of two, else EBPF_INVALID_ARGUMENT
         * (libs/runtime/ebpf_ring_buffer.c@v1.5.0:407-409), and a whole number of pages, else the
         * allocation fails as EBPF_NO_MEMORY (kernel/ebpf_platform_kernel.c@v1.5.0:222-230, :413-414). */
        if (!is_pow2(max)) return -W_EINVAL;
        if (max % 4096) return -W_ENOMEM;
    }
    unsigned char la[168] = {0};
    memcpy(la, v, 48);
    put32(la, 0, (uint32_t)lt);
    if (lt == 11) put32(la, 16, 1);               /* Linux LPM tries must be BPF_F_NO_PREALLOC */
    if (lt == 4) { put32(la, 4, 4); put32(la, 8, 4); }   /* Linux perf arrays hold 4-byte descriptors */
    if (lt == 27) put32(la, 8, 0);
    return win_ret(linux_bpf(0, la, 72));
}

int win_bpf(int cmd, void *attr, unsigned size)
{
    unsigned char v[168];
    unsigned vs;
    int r;
    if (!attr) return -W_EINVAL;
    switch (cmd) {
    case 0: vs = 48; break;                                    /* include/linux/bpf.h@Release-v0.21.0:91-102 */
    case 1: case 2: case 21: vs = 32; break;                   /* :104-111 */
    case 3: vs = 16; break;                                    /* :113-118 */
    case 4: vs = 24; break;                                    /* :120-126 */
    case 5: vs = AT_LEAST_1_0 ? 144 : 64; break;               /* :134-146; @Release-v1.0.0-rc1:134-168 */
    case 6: case 7: vs = 16; break;                            /* :176-181 */
    case 8: case 9: vs = 16; break;                            /* :148-154 */
    case 10: vs = 80; break;                                   /* :156-174 */
    case 11: case 12: case 31: vs = 8; break;                  /* :128-132 */
    case 13: case 14: case 30: vs = 4; break;                  /* a bare uint32_t */
    case 15: vs = 16; break;                                   /* :184-193 */
    case 34: vs = 4; break;                                    /* :230-233 */
    case 35: vs = 12; break;                                   /* :236-241 */
    default:
        set_last_error(120);   /* ERROR_CALL_NOT_IMPLEMENTED, bpf_syscall.cpp@v1.5.0:403-405 */
        return -W_EINVAL;
    }
    if (view(attr, size, vs, v)) return -W_EINVAL;
    switch (cmd) {
    case 0: r = map_create(v); break;
    case 1: case 21: case 2: case 3: case 4: {
        uint64_t flags = get64(v, 24);
        if ((cmd == 1 || cmd == 21) && flags) { r = -W_EINVAL; break; }   /* bpf_syscall.cpp@Release-v0.21.0:234-236 */
        if (cmd == 2 && flags > 2) { r = -W_EINVAL; break; }   /* ANY, NOEXIST, EXIST: ebpf_api.cpp@v1.5.0:1083-1090 */
        unsigned char la[168] = {0};
        memcpy(la, v, cmd == 3 ? 16 : cmd == 4 ? 24 : 32);
        r = win_ret(linux_bpf(cmd, la, 32));
        break;
    }
    case 5: r = prog_load(v, attr, size); break;
    case 6: case 7: r = obj_pin_get(cmd, v); break;
    case 8: case 9: r = attach_prog(cmd, v); break;
    case 10: r = test_run(v); break;
    case 11: case 12: case 31: {
        unsigned char la[168] = {0};
        put32(la, 0, get32(v, 0));
        r = win_ret(linux_bpf(cmd, la, 12));
        put32(v, 4, get32(la, 4));
        break;
    }
    case 13: case 14: case 30: {
        unsigned char la[168] = {0};
        put32(la, 0, get32(v, 0));
        r = win_ret(linux_bpf(cmd, la, 12));
        break;
    }
    case 15: r = info_view(v); break;
    default: {   /* 34, 35: PROG_BIND_MAP ignores flags (libbpf_program.cpp@v1.5.0:571-576) */
        unsigned char la[168] = {0};
        memcpy(la, v, 8);
        r = win_ret(linux_bpf(cmd, la, cmd == 34 ? 4 : 12));
        if (cmd == 34 && r == 0) {
            unsigned char li[64] = {0};
            if (!linux_info((int)get32(v, 0), li, sizeof li)) link_forget(get32(li, 4));
        }
        break;
    }
    }
    memcpy(attr, v, size < vs ? size : vs);   /* outputs land in the caller's struct either way */
    return r;
}

EXPORT int bpf(int cmd, void *attr, unsigned int size) { return win_bpf(cmd, attr, size); }
