/*
 * The ebpfapi.dll stand-in: the ebpf_* functions (ebpf_result_t returns) and the libbpf-style
 * bpf_* functions (-errno returns, Windows numbers), all served through the emulated bpf(). Program
 * load is in standin_prog.c, links and XDP in standin_links.c, pins in standin_pins.c.
 */
#define _GNU_SOURCE
#include "standin_core.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* ---------------------------------------------------------------- the seed bpf.h functions */

static int cmd_id(int cmd, uint32_t id)
{
    unsigned char a[144] = {0};
    put32(a, 0, id);
    return win_bpf(cmd, a, sizeof a);
}

static int cmd_next_id(int cmd, uint32_t start, uint32_t *next)
{
    unsigned char a[144] = {0};
    put32(a, 0, start);
    int r = win_bpf(cmd, a, sizeof a);
    if (r == 0 && next) *next = get32(a, 4);
    return r;
}

static int cmd_elem(int cmd, int fd, const void *key, void *value, uint64_t flags)
{
    unsigned char a[144] = {0};
    put32(a, 0, (uint32_t)fd);
    put64(a, 8, (uint64_t)(uintptr_t)key);
    put64(a, 16, (uint64_t)(uintptr_t)value);
    put64(a, 24, flags);
    return win_bpf(cmd, a, sizeof a);
}

EXPORT int bpf_link_detach(int fd) { unsigned char a[144] = {0}; put32(a, 0, (uint32_t)fd); return win_bpf(34, a, sizeof a); }
EXPORT int bpf_link_get_fd_by_id(uint32_t id) { return cmd_id(30, id); }
EXPORT int bpf_link_get_next_id(uint32_t start, uint32_t *next) { return cmd_next_id(31, start, next); }
EXPORT int bpf_map_get_fd_by_id(uint32_t id) { return cmd_id(14, id); }
EXPORT int bpf_map_get_next_id(uint32_t start, uint32_t *next) { return cmd_next_id(12, start, next); }
EXPORT int bpf_prog_get_fd_by_id(uint32_t id) { return cmd_id(13, id); }
EXPORT int bpf_prog_get_next_id(uint32_t start, uint32_t *next) { return cmd_next_id(11, start, next); }
EXPORT int bpf_map_lookup_elem(int fd, const void *key, void *value) { return cmd_elem(1, fd, key, value, 0); }
EXPORT int bpf_map_update_elem(int fd, const void *key, const void *value, uint64_t flags) { return cmd_elem(2, fd, key, (void *)value, flags); }
EXPORT int bpf_map_delete_elem(int fd, const void *key) { return cmd_elem(3, fd, key, NULL, 0); }
EXPORT int bpf_map_get_next_key(int fd, const void *key, void *next) { return cmd_elem(4, fd, key, next, 0); }

EXPORT int bpf_map_create(int type, const char *name, uint32_t key, uint32_t value, uint32_t max, const void *opts)
{
    unsigned char a[144] = {0};
    put32(a, 0, (uint32_t)type);
    put32(a, 4, key);
    put32(a, 8, value);
    put32(a, 12, max);
    if (opts) {
        if (get32(opts, 28) || get32(opts, 40) || get32(opts, 44)) return -W_EINVAL;   /* flags, numa, ifindex */
        put32(a, 20, get32(opts, 24));
    }
    if (name) { if (strnlen(name, 16) >= 16) return -W_EINVAL; strcpy((char *)a + 28, name); }
    return win_bpf(0, a, sizeof a);
}

EXPORT int bpf_obj_pin(int fd, const char *path)
{
    unsigned char a[144] = {0};
    put64(a, 0, (uint64_t)(uintptr_t)path);
    put32(a, 8, (uint32_t)fd);
    return win_bpf(6, a, sizeof a);
}

EXPORT int bpf_obj_get(const char *path)
{
    unsigned char a[144] = {0};
    put64(a, 0, (uint64_t)(uintptr_t)path);
    return win_bpf(7, a, sizeof a);
}

EXPORT int bpf_prog_bind_map(int prog, int map, const void *opts)
{
    (void)opts;   /* flags are ignored */
    unsigned char a[144] = {0};
    put32(a, 0, (uint32_t)prog);
    put32(a, 4, (uint32_t)map);
    return win_bpf(35, a, sizeof a);
}

/* ---------------------------------------------------------------- batches
 * opts are dereferenced without a check and flags must be 0 (libs/api/libbpf_map.cpp@v1.5.0:274-340);
 * the cursor is the last key, and a final short batch succeeds with a short count
 * (_ebpf_map_lookup_element_batch_helper, libs/api/ebpf_api.cpp@v1.5.0:580-792). */

static int map_sizes(int fd, uint32_t *key, uint32_t *value, uint32_t *wtype)
{
    unsigned char w[128] = {0};
    uint32_t len = 0;
    int kind;
    int r = win_info(fd, w, &len, &kind);
    if (r) return r;
    if (kind != OBJ_MAP) return -W_EINVAL;
    *key = get32(w, 8);
    *value = get32(w, 12);
    *wtype = get32(w, 4);
    if (*wtype == 4 || *wtype == 5 || *wtype == 11) *value = ((*value + 7) & ~7u) * (uint32_t)possible_cpus();
    return (*key && *value) ? 0 : -W_EINVAL;
}

/* Windows' batch cursor is the last key: walk with get_next_key from it. */
static int lookup_batch(int fd, const void *in, void *out, void *keys, void *values, uint32_t *count, const void *opts, int del)
{
    if (!opts || !count) return -W_EINVAL;
    uint64_t elem = get64(opts, 8), flags = get64(opts, 16);
    if (del) { elem = flags; flags = 0; }
    if (flags || elem) return -W_EINVAL;
    uint32_t ks, vs, t;
    int r = map_sizes(fd, &ks, &vs, &t);
    if (r) return r;
    unsigned char *cur = malloc(ks), *next = malloc(ks);
    int have = in != NULL;
    if (have) memcpy(cur, in, ks);
    uint32_t n = 0;
    while (n < *count) {
        r = cmd_elem(4, fd, have ? cur : NULL, next, 0);
        if (r) break;
        memcpy((char *)keys + (size_t)n * ks, next, ks);
        r = cmd_elem(1, fd, next, (char *)values + (size_t)n * vs, 0);
        if (r) break;
        memcpy(cur, next, ks);
        have = 1;
        n++;
    }
    if (r && r != -W_ENOENT) { free(cur); free(next); return r; }
    if (n == 0) { free(cur); free(next); return -W_ENOENT; }   /* count stays unchanged */
    if (del) for (uint32_t i = 0; i < n; i++) cmd_elem(3, fd, (char *)keys + (size_t)i * ks, NULL, 0);
    /* out_batch is zeroed, and holds the last key only when nothing was deleted (ebpf_api.cpp@v1.5.0:781-785). */
    if (del) memset(out, 0, ks); else memcpy(out, cur, ks);
    *count = n;
    free(cur);
    free(next);
    return 0;
}

EXPORT int bpf_map_lookup_batch(int fd, void *in, void *out, void *keys, void *values, uint32_t *count, const void *opts)
{
    return lookup_batch(fd, in, out, keys, values, count, opts, 0);
}

EXPORT int bpf_map_lookup_and_delete_batch(int fd, void *in, void *out, void *keys, void *values, uint32_t *count, const void *opts)
{
    return lookup_batch(fd, in, out, keys, values, count, opts, 1);
}

EXPORT int bpf_map_update_batch(int fd, const void *keys, const void *values, uint32_t *count, const void *opts)
{
    if (!opts || !count || get64(opts, 16)) return -W_EINVAL;
    uint32_t ks, vs, t;
    int r = map_sizes(fd, &ks, &vs, &t);
    if (r) return r;
    for (uint32_t i = 0; i < *count; i++) {
        r = cmd_elem(2, fd, (const char *)keys + (size_t)i * ks, (char *)values + (size_t)i * vs, get64(opts, 8));
        if (r) return r;
    }
    return 0;
}

EXPORT int bpf_map_delete_batch(int fd, const void *keys, uint32_t *count, const void *opts)
{
    if (!opts || !count || get64(opts, 16) || get64(opts, 8)) return -W_EINVAL;
    uint32_t ks, vs, t;
    int r = map_sizes(fd, &ks, &vs, &t);
    if (r) return r;
    for (uint32_t i = 0; i < *count; i++) {
        r = cmd_elem(3, fd, (const char *)keys + (size_t)i * ks, NULL, 0);
        if (r) return r;
    }
    return 0;
}

/* ---------------------------------------------------------------- test run, CPUs */

EXPORT int bpf_prog_test_run_opts(int fd, void *opts)
{
    if (!opts) return -W_EINVAL;
    unsigned char a[144] = {0};
    put32(a, 0, (uint32_t)fd);
    put32(a, 8, get32(opts, 24));
    put32(a, 12, get32(opts, 28));
    put64(a, 16, get64(opts, 8));
    put64(a, 24, get64(opts, 16));
    put32(a, 32, get32(opts, 60));
    put32(a, 40, get32(opts, 48));
    put32(a, 44, get32(opts, 52));
    put64(a, 48, get64(opts, 32));
    put64(a, 56, get64(opts, 40));
    put32(a, 64, get32(opts, 68));
    put32(a, 68, get32(opts, 72));
    put32(a, 72, get32(opts, 76));
    int r = win_bpf(10, a, 80);
    if (r) return r;
    put32(opts, 56, get32(a, 4));
    put32(opts, 64, get32(a, 36));
    put32(opts, 28, get32(a, 12));
    put32(opts, 52, get32(a, 44));
    return 0;
}

EXPORT int libbpf_num_possible_cpus(void) { return possible_cpus(); }

/* ---------------------------------------------------------------- ebpf_* */


/* A descriptor that is not open: the CRT's EBADF (9) read as a Win32 code, which maps to EBPF_FAILED
 * (libs/api/ebpf_api.cpp@v1.5.0:2235-2262, include/ebpf_utilities.h@v1.5.0:161-163). */
EXPORT int ebpf_close_fd(int fd) { return close(fd) == 0 ? EBPF_SUCCESS : EBPF_FAILED; }

EXPORT int ebpf_duplicate_fd(int fd, int *out)
{
    int n = fcntl(fd, F_DUPFD_CLOEXEC, 3);
    *out = n;
    return n < 0 ? EBPF_FAILED : EBPF_SUCCESS;
}

EXPORT const win_guid *ebpf_get_ebpf_program_type(int type) { return prog_guid((uint32_t)type); }

/* Unregistered: EBPF_INVALID_ARGUMENT and the zero GUID (windows_platform_common.cpp@v1.5.0:443-454). */
EXPORT int ebpf_get_ebpf_attach_type(int type, win_guid *out)
{
    const win_guid *g = attach_guid((uint32_t)type);
    if (!g) { memset(out, 0, sizeof *out); return EBPF_INVALID_ARGUMENT; }
    *out = *g;
    return EBPF_SUCCESS;
}

EXPORT int ebpf_get_bpf_program_type(const win_guid *g)
{
    for (uint32_t t = 1; g && t < 8; t++) if (prog_guid(t) && !memcmp(prog_guid(t), g, 16)) return (int)t;
    return 0;
}

EXPORT int ebpf_get_bpf_attach_type(const win_guid *g)
{
    for (uint32_t t = 1; g && t < 18; t++) if (attach_guid(t) && !memcmp(attach_guid(t), g, 16)) return (int)t;
    return 0;
}

/* The stand-in's "native image": a text file of Windows-numbered maps and programs, one per line:
 *   map <type> <key_size> <value_size> <max_entries> <name>
 *   prog <type> <name> <hex instructions>
 * It stands in for a bpf2c .sys driver so that the count and capacity protocol is exercised. */
EXPORT int ebpf_object_load_native_by_fds(const char *file, size_t *n_maps, int *maps, size_t *n_progs, int *progs)
{
    if (!file || !n_maps || !n_progs) return EBPF_INVALID_ARGUMENT;
    FILE *f = fopen(file, "r");
    if (!f) return EBPF_FILE_NOT_FOUND;
    char line[65536];
    size_t nm = 0, np = 0;
    while (fgets(line, sizeof line, f)) {
        if (!strncmp(line, "map ", 4)) nm++;
        else if (!strncmp(line, "prog ", 5)) np++;
    }
    if (nm > *n_maps || np > *n_progs) {
        fclose(f);
        *n_maps = nm;
        *n_progs = np;
        return EBPF_NO_MEMORY;
    }
    rewind(f);
    size_t im = 0, ip = 0;
    int result = EBPF_SUCCESS;
    while (result == EBPF_SUCCESS && fgets(line, sizeof line, f)) {
        char name[64] = {0}, hex[65536];
        int type;
        unsigned k, v, m;
        if (sscanf(line, "map %d %u %u %u %63s", &type, &k, &v, &m, name) >= 4) {
            int fd = bpf_map_create(type, name, k, v, m, NULL);
            if (fd < 0) result = errno_to_result(-fd); else maps[im++] = fd;
        } else if (sscanf(line, "prog %d %63s %65535s", &type, name, hex) == 3) {
            size_t len = strlen(hex) / 2;
            unsigned char *code = malloc(len + 8);
            for (size_t i = 0; i < len; i++) sscanf(hex + 2 * i, "%2hhx", &code[i]);
            int fd = bpf_prog_load(type, name, "", code, len / 8, NULL);
            free(code);
            if (fd < 0) result = errno_to_result(-fd); else progs[ip++] = fd;
        }
    }
    fclose(f);
    if (result != EBPF_SUCCESS) {
        while (im) close(maps[--im]);
        while (ip) close(progs[--ip]);
        return result;
    }
    *n_maps = im;
    *n_progs = ip;
    return EBPF_SUCCESS;
}
