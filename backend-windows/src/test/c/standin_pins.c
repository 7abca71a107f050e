/*
 * The ebpfapi.dll stand-in: pin paths over a bpffs directory.
 *
 * Windows keeps pins in one flat, case-sensitive table sorted by byte
 * (libs/runtime/ebpf_pinning_table.c@v1.5.0:363-383); the stand-in keeps each pin as one file in
 * $BPF4J_STANDIN_PIN_DIR whose name is the stored path with '%', '/', '\' and '.' escaped (bpffs
 * refuses names with a dot), so
 * "directories" need not exist, as on Windows, and listing is a sort of decoded names. From
 * 1.0.0-rc1 the stored path is the canonical form (ebpf_canonicalize_path,
 * libs/shared/shared_common.c@v1.5.0:766-879); at 0.21.x it is the path as given
 * (ebpf_object_pin, libs/api/ebpf_api.cpp@Release-v0.21.0:1269-1297). Either way the table takes
 * 1 to 255 bytes (ebpf_pinning_table.c@v1.5.0:128-130, @Release-v0.21.0:127).
 */
#define _GNU_SOURCE
#include "standin_core.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <unistd.h>

#define MAX_PATH 260
#define MAX_PIN 256

/* The previous separator at or after the root, or -1. */
static long previous_separator(const char *o, size_t i)
{
    for (size_t k = i; k > 4;) {
        k--;
        if (o[k] == '\\') return (long)k;
    }
    return -1;
}

/* ebpf_canonicalize_path's rules (shared_common.c@v1.5.0:766-879): 0 or an ebpf_result_t. */
int canonicalize(const char *in, char *out, size_t out_size)
{
    size_t len = strlen(in);
    int relative = in[0] != '/' && in[0] != '\\';
    int prefixed = strncasecmp(in, "BPF:", 4) == 0;
    size_t required = 4 + 1 + (relative ? 1 : 0) + (prefixed ? len - 4 : len);
    if (out_size < required) return EBPF_INSUFFICIENT_BUFFER;   /* the 1.1.0 check, shared_common.c@v1.5.0:770-788 */
    snprintf(out, out_size, "BPF:%s%s", relative ? "\\" : "", prefixed ? in + 4 : in);
    for (size_t i = 4; out[i]; i++) {
        if (out[i] == '/') out[i] = '\\';
        else if (out[i] == ':') return EBPF_INVALID_ARGUMENT;
    }
    if (strncasecmp(out + 4, "\\ebpf\\global\\", 13) == 0) memmove(out + 5, out + 17, strlen(out + 17) + 1);
    for (size_t i = 4; out[i];) {
        if (strncmp(out + i, "\\\\", 2) == 0) {
            memmove(out + i + 1, out + i + 2, strlen(out + i + 2) + 1);
        } else if (strncmp(out + i, "\\.\\", 3) == 0) {
            memmove(out + i + 1, out + i + 3, strlen(out + i + 3) + 1);
        } else if (strncmp(out + i, "\\..\\", 4) == 0) {
            long p = previous_separator(out, i);
            if (p < 0) return EBPF_INVALID_ARGUMENT;
            memmove(out + p + 1, out + i + 4, strlen(out + i + 4) + 1);
            i = (size_t)p;
        } else if (strcmp(out + i, "\\..") == 0) {
            long p = previous_separator(out, i);
            if (p < 0) return EBPF_INVALID_ARGUMENT;
            out[p] = 0;
            i = (size_t)p;
        } else {
            i++;
        }
    }
    return EBPF_SUCCESS;
}

int stored_path(const char *in, char *out, size_t out_size)
{
    if (AT_LEAST_1_0) {
        /* ebpf_object_pin / ebpf_object_get: any canonicalization failure is EBPF_INVALID_ARGUMENT
         * (ebpf_api.cpp@v1.5.0:1589-1593, :1753-1757), in a MAX_PATH buffer. */
        if (out_size < MAX_PATH || canonicalize(in, out, MAX_PATH)) return -W_EINVAL;
    } else {
        if (strlen(in) + 1 > out_size) return -W_EINVAL;
        strcpy(out, in);
    }
    size_t n = strlen(out);
    return n == 0 || n >= MAX_PIN ? -W_EINVAL : 0;
}

int pin_file(const char *stored, char *file, size_t size)
{
    const char *dir = standin_pin_dir();
    if (!dir) return -W_EINVAL;
    size_t o = (size_t)snprintf(file, size, "%s/", dir);
    for (const char *c = stored; *c && o + 4 < size; c++) {
        if (*c == '\\') o += (size_t)snprintf(file + o, size - o, "%%5C");
        else if (*c == '/') o += (size_t)snprintf(file + o, size - o, "%%2F");
        else if (*c == '%') o += (size_t)snprintf(file + o, size - o, "%%25");
        else if (*c == '.') o += (size_t)snprintf(file + o, size - o, "%%2E");
        else file[o++] = *c;
    }
    file[o] = 0;
    return 0;
}

static void decode(const char *name, char *out, size_t size)
{
    size_t o = 0;
    for (const char *c = name; *c && o + 1 < size; c++) {
        if (c[0] == '%' && c[1] == '5' && c[2] == 'C') { out[o++] = '\\'; c += 2; }
        else if (c[0] == '%' && c[1] == '2' && c[2] == 'F') { out[o++] = '/'; c += 2; }
        else if (c[0] == '%' && c[1] == '2' && c[2] == '5') { out[o++] = '%'; c += 2; }
        else if (c[0] == '%' && c[1] == '2' && c[2] == 'E') { out[o++] = '.'; c += 2; }
        else out[o++] = *c;
    }
    out[o] = 0;
}

static int open_pin(const char *name)
{
    char file[4096];
    snprintf(file, sizeof file, "%s/%s", standin_pin_dir(), name);
    unsigned char la[16] = {0};
    put64(la, 0, (uint64_t)(uintptr_t)file);
    return (int)linux_bpf(7, la, 16);
}

static uint32_t object_id(int fd)
{
    unsigned char info[256] = {0};
    return linux_info(fd, info, sizeof info) ? 0 : get32(info, 4);
}

/* How many pins refer to the object with this id (Windows' pinned_path_count). */
int pin_count(uint32_t id, int kind)
{
    const char *dir = standin_pin_dir();
    int count = 0;
    DIR *d = dir ? opendir(dir) : NULL;
    if (!d) return 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.') continue;
        int fd = open_pin(e->d_name);
        if (fd < 0) continue;
        if (fd_kind(fd) == kind && object_id(fd) == id) count++;
        close(fd);
    }
    closedir(d);
    return count;
}

#if AT_LEAST_1_0
/* ebpf_canonicalize_pin_path returns ebpf_canonicalize_path's result (ebpf_api.cpp@v1.5.0:4821-4827);
 * it is in ebpfapi/Source.def from Release-v1.0.0-rc1:110. */
EXPORT int ebpf_canonicalize_pin_path(char *out, size_t out_size, const char *in)
{
    return canonicalize(in, out, out_size);
}
#endif

EXPORT int ebpf_object_unpin(const char *path)
{
    char stored[MAX_PATH], file[4096];
    if (stored_path(path, stored, sizeof stored) || pin_file(stored, file, sizeof file)) return EBPF_INVALID_ARGUMENT;
    if (unlink(file) == 0) return EBPF_SUCCESS;
    return errno == ENOENT ? EBPF_KEY_NOT_FOUND : EBPF_FAILED;
}

/* The next pin after start in byte order, of the type asked (0 for any); EBPF_NO_MORE_KEYS at the
 * end; the start path is canonicalized from 1.0.0-rc1 (ebpf_api.cpp@Release-v1.0.0-rc1:4260-4266). */
EXPORT int ebpf_get_next_pinned_object_path(const char *start, char *next, size_t next_size, int *type)
{
    if (!start || !next || !type) return EBPF_INVALID_ARGUMENT;
    char from[MAX_PATH] = {0};
    if (AT_LEAST_1_0) { if (canonicalize(start, from, sizeof from)) return EBPF_INVALID_ARGUMENT; }
    else snprintf(from, sizeof from, "%s", start);
    const char *dir = standin_pin_dir();
    DIR *d = dir ? opendir(dir) : NULL;
    if (!d) return EBPF_NO_MORE_KEYS;
    char best[MAX_PATH] = {0}, path[MAX_PATH];
    int best_type = 0, filter = *type;
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.') continue;
        decode(e->d_name, path, sizeof path);
        if (strcmp(path, from) <= 0 || (best[0] && strcmp(path, best) >= 0)) continue;
        int fd = open_pin(e->d_name);
        if (fd < 0) continue;
        int kind = fd_kind(fd);
        close(fd);
        if (filter && kind != filter) continue;
        strcpy(best, path);
        best_type = kind;
    }
    closedir(d);
    if (!best[0]) return EBPF_NO_MORE_KEYS;
    if (strlen(best) + 1 > next_size) return EBPF_INSUFFICIENT_BUFFER;
    strcpy(next, best);
    *type = best_type;
    return EBPF_SUCCESS;
}
