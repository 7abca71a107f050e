/*
 * The ebpfapi.dll stand-in: translation tables and the emulated bpf() (reference §1).
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

/* The Win32 last error bpf() leaves: 120 for an unimplemented command. Windows has it in kernel32. */
EXPORT unsigned GetLastError(void) { return last_error; }
void set_last_error(unsigned e) { last_error = e; }

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

/* bpf_map_type: Windows index -> Linux value; -1 for none (SAMPLE_HASH_MAP 15). */
static const int MAP_W2L[] = {0, 1, 2, 3, 5, 6, 13, 12, 9, 11, 22, 10, 23, 27, 4, -1, 17};
int map_type_to_linux(uint32_t w) { return w < sizeof MAP_W2L / sizeof *MAP_W2L ? MAP_W2L[w] : -1; }
uint32_t map_type_to_win(uint32_t l)
{
    for (uint32_t w = 0; w < sizeof MAP_W2L / sizeof *MAP_W2L; w++) if (MAP_W2L[w] == (int)l) return w;
    return 0;
}

/* bpf_prog_type: the stand-in's registered extensions are XDP, CGROUP_SOCK_ADDR and SOCK_OPS.
 * BIND has no Linux counterpart, so it is unregistered here, as without NetEbpfExt. */
int prog_type_to_linux(uint32_t w)
{
    switch (w) { case 1: return 6; case 3: return 18; case 4: return 13; default: return -1; }
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

const win_guid *prog_guid(uint32_t w)
{
    switch (w) { case 1: return &GUID_PROG_XDP; case 3: return &GUID_PROG_SOCK_ADDR; case 4: return &GUID_PROG_SOCK_OPS; default: return NULL; }
}
const win_guid *attach_guid(uint32_t w)
{
    /* The attach types of the registered program types; BIND's (2) is unregistered with BIND. */
    if (w >= 18 || w == 2 || GUID_ATTACH[w].d1 == 0) return NULL;
    return &GUID_ATTACH[w];
}
uint32_t default_attach(uint32_t p) { return p == 1 ? 1 : p == 4 ? 7 : 0; }

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

/* With size >= view, the bytes past the view must be zero; the view is read with missing bytes as zero. */
static int view(const void *attr, unsigned size, unsigned view_size, unsigned char *out)
{
    memset(out, 0, 168);
    for (unsigned i = view_size; i < size; i++) if (((const unsigned char *)attr)[i]) return -1;
    memcpy(out, attr, size < view_size ? size : view_size);
    return 0;
}

static void write_back(void *attr, unsigned size, const unsigned char *v, unsigned off, unsigned len)
{
    if (off + len <= size) memcpy((char *)attr + off, v + off, len);
}

static int name_ok(const unsigned char *v, unsigned off) { return strnlen((const char *)v + off, 16) < 16; }

static int check_zero(const unsigned char *v, unsigned from, unsigned to)
{
    for (unsigned i = from; i < to; i++) if (v[i]) return 0;
    return 1;
}

/* Windows helper id -> Linux helper id (reference §3); -1 for Windows-only helpers. */
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

static void log_line(uint64_t buf, uint32_t size, const char *msg)
{
    if (buf && size) snprintf((char *)(uintptr_t)buf, size, "%s", msg);
}

static int prog_load(unsigned char *v, void *attr, unsigned size)
{
    uint32_t type = get32(v, 0), cnt = get32(v, 4), level = get32(v, 24), log_size = get32(v, 28);
    uint64_t insns = get64(v, 8), log_buf = get64(v, 32);
    if (!cnt || !insns || level > 1 || (log_buf != 0) != (level != 0) || get32(v, 44) || !name_ok(v, 48)
        || !check_zero(v, 64, 140))
        return -W_EINVAL;
    int ltype = prog_type_to_linux(type);
    if (ltype < 0) return -W_EINVAL;   /* no registered GUID for this type */
    unsigned char *code = malloc((size_t)cnt * 8);
    if (!code) return -W_ENOMEM;
    memcpy(code, (void *)(uintptr_t)insns, (size_t)cnt * 8);
    for (uint32_t i = 0; i < cnt; i++) {
        unsigned char *in = code + i * 8;
        int src = in[1] >> 4;
        if (in[0] == 0x85 && src == 0) {
            int l = helper_to_linux((int32_t)get32(in, 4));
            if (l < 0) {
                log_line(log_buf, log_size, "stand-in: helper id has no Linux counterpart\n");
                free(code);
                return -W_EACCES;
            }
            put32(in, 4, (uint32_t)l);
        } else if (in[0] == 0x18) {
            if (src > 1) { free(code); return -W_EINVAL; }   /* only map fds are resolved */
            i++;
        }
    }
    unsigned char la[168] = {0};
    static const char gpl[] = "GPL";   /* Windows ignores the license; Linux needs one for some helpers */
    put32(la, 0, (uint32_t)ltype);
    put32(la, 4, cnt);
    put64(la, 8, (uint64_t)(uintptr_t)code);
    put64(la, 16, (uint64_t)(uintptr_t)gpl);
    put32(la, 24, level);
    put32(la, 28, log_size);
    put64(la, 32, log_buf);
    memcpy(la + 48, v + 48, 16);
    if (ltype == 18) put32(la, 68, 10);   /* Linux verifies sock_addr per hook: INET4_CONNECT */
    long r = linux_bpf(5, la, 144);
    free(code);
    memcpy(v + 140, la + 140, 4);
    write_back(attr, size, v, 140, 4);
    return win_ret(r);
}

static int test_run(unsigned char *v)
{
    if (get32(v, 76)) return -W_EINVAL;
    if (get32(v, 32) == 0) return -W_EINVAL;   /* Windows: repeat 0 is EINVAL */
    unsigned char la[168] = {0};
    memcpy(la, v, 80);
    long r = linux_bpf(10, la, 80);
    if (r == -28) return -W_ENOBUFS;          /* data_out too small */
    memcpy(v, la, 80);
    return win_ret(r);
}

static int attach_prog(int cmd, unsigned char *v)
{
    uint32_t wtype = get32(v, 8);
    int ltype = attach_type_to_linux(wtype);
    if (get32(v, 12) || ltype < 0 || ltype == 37) return -W_ENOTSUP;   /* sock_addr and sock_ops only */
    const char *cg = standin_cgroup();
    if (!cg) return -W_ENOTSUP;
    int cgfd = open(cg, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (cgfd < 0) return -W_EINVAL;
    unsigned char la[168] = {0};
    put32(la, 0, (uint32_t)cgfd);
    put32(la, 4, get32(v, 4));
    put32(la, 8, (uint32_t)ltype);
    long r = linux_bpf(cmd, la, 20);
    close(cgfd);
    return win_ret(r);
}

static int obj_pin_get(int cmd, unsigned char *v)
{
    char canonical[260], file[4096];
    if (get32(v, 12) || (cmd == 7 && get32(v, 8))) return -W_EINVAL;
    const char *path = (const char *)(uintptr_t)get64(v, 0);
    if (!path || canonicalize(path, canonical, sizeof canonical) || pin_file(canonical, file, sizeof file))
        return -W_EINVAL;
    unsigned char la[168] = {0};
    put64(la, 0, (uint64_t)(uintptr_t)file);
    put32(la, 8, get32(v, 8));
    return win_ret(linux_bpf(cmd, la, 16));
}

/* OBJ_GET_INFO_BY_FD through bpf(): Linux-prefix views of the Windows structs (reference §1.3). */
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

int win_bpf(int cmd, void *attr, unsigned size)
{
    unsigned char v[168];
    set_last_error(0);
    if (!attr) return -W_EINVAL;
    switch (cmd) {
    case 0: {   /* MAP_CREATE */
        if (view(attr, size, 48, v) || get32(v, 16) || get32(v, 24) || get32(v, 44) || !name_ok(v, 28)) return -W_EINVAL;
        int lt = map_type_to_linux(get32(v, 0));
        if (lt <= 0) return -W_EINVAL;
        uint32_t key = get32(v, 4), val = get32(v, 8);
        if ((lt == 22 || lt == 23 || lt == 27 || lt == 4) && key) return -W_EINVAL;
        if ((lt == 27 || lt == 4) && val) return -W_EINVAL;
        unsigned char la[168] = {0};
        memcpy(la, v, 48);
        put32(la, 0, (uint32_t)lt);
        if (lt == 11) put32(la, 16, 1);               /* Linux LPM tries must be BPF_F_NO_PREALLOC */
        if (lt == 4) { put32(la, 4, 4); put32(la, 8, 4); }
        return win_ret(linux_bpf(0, la, 72));
    }
    case 1: case 21: case 2: case 3: case 4: {
        if (view(attr, size, cmd == 3 ? 16 : cmd == 4 ? 24 : 32, v)) return -W_EINVAL;
        uint64_t flags = get64(v, 24);
        if ((cmd == 1 || cmd == 21) && flags) return -W_EINVAL;
        if (cmd == 2 && flags > 2) return -W_EINVAL;
        unsigned char la[168] = {0};
        memcpy(la, v, 32);
        long r = linux_bpf(cmd, la, 32);
        return win_ret(r);
    }
    case 5:
        if (view(attr, size, 144, v)) return -W_EINVAL;
        return prog_load(v, attr, size);
    case 6: case 7:
        if (view(attr, size, 16, v)) return -W_EINVAL;
        return obj_pin_get(cmd, v);
    case 8: case 9:
        if (view(attr, size, 16, v)) return -W_EINVAL;
        return attach_prog(cmd, v);
    case 10: {
        if (view(attr, size, 80, v)) return -W_EINVAL;
        int r = test_run(v);
        unsigned n = size < 80 ? size : 80;
        memcpy(attr, v, n);
        return r;
    }
    case 11: case 12: case 31: {
        if (view(attr, size, 8, v) || get32(v, 8)) return -W_EINVAL;
        unsigned char la[168] = {0};
        put32(la, 0, get32(v, 0));
        long r = linux_bpf(cmd, la, 12);
        put32(v, 4, get32(la, 4));
        write_back(attr, size, v, 4, 4);
        return win_ret(r);
    }
    case 13: case 14: case 30: {
        if (view(attr, size, 4, v)) return -W_EINVAL;
        unsigned char la[168] = {0};
        put32(la, 0, get32(v, 0));
        return win_ret(linux_bpf(cmd, la, 12));
    }
    case 15:
        if (view(attr, size, 16, v)) return -W_EINVAL;
        return info_view(v);
    case 34: case 35: {
        if (view(attr, size, cmd == 34 ? 4 : 12, v)) return -W_EINVAL;
        unsigned char la[168] = {0};
        memcpy(la, v, 8);   /* PROG_BIND_MAP ignores flags */
        return win_ret(linux_bpf(cmd, la, cmd == 34 ? 4 : 12));
    }
    default:
        set_last_error(120);   /* ERROR_CALL_NOT_IMPLEMENTED */
        return -W_EINVAL;
    }
}

EXPORT int bpf(int cmd, void *attr, unsigned int size) { return win_bpf(cmd, attr, size); }
