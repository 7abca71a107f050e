/*
 * The ebpfapi.dll stand-in: BPF:\ pin paths (reference §7) over a bpffs directory.
 *
 * Windows keeps pins in one flat, case-sensitive table; the stand-in keeps each pin as one file in
 * $BPF4J_STANDIN_PIN_DIR whose name is the canonical path after "BPF:" with '%' and '\' escaped,
 * so "directories" need not exist, as on Windows, and listing is a sort of decoded names.
 */
#define _GNU_SOURCE
#include "standin_core.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int canonicalize(const char *in, char *out, size_t out_size)
{
    char buf[1024];
    size_t n = strlen(in);
    if (n == 0 || n > 256) return -W_EINVAL;
    if (n >= 4 && strncasecmp(in, "BPF:", 4) == 0) in += 4;
    if (strchr(in, ':')) return -W_EINVAL;
    /* components, with / as \, . dropped and .. popping */
    char comps[64][257];
    int depth = 0;
    const char *p = in;
    while (*p) {
        while (*p == '/' || *p == '\\') p++;
        if (!*p) break;
        const char *s = p;
        while (*p && *p != '/' && *p != '\\') p++;
        size_t len = (size_t)(p - s);
        if (len == 1 && s[0] == '.') continue;
        if (len == 2 && s[0] == '.' && s[1] == '.') {
            if (depth == 0) return -W_EINVAL;
            depth--;
            continue;
        }
        if (depth == 64 || len > 256) return -W_EINVAL;
        memcpy(comps[depth], s, len);
        comps[depth++][len] = 0;
    }
    int from = 0;
    if (depth >= 2 && strcmp(comps[0], "ebpf") == 0 && strcmp(comps[1], "global") == 0) from = 2;   /* legacy prefix */
    size_t o = (size_t)snprintf(buf, sizeof buf, "BPF:");
    for (int i = from; i < depth && o < sizeof buf; i++) o += (size_t)snprintf(buf + o, sizeof buf - o, "\\%s", comps[i]);
    if (from == depth) o += (size_t)snprintf(buf + o, sizeof buf - o, "\\");
    if (o + 1 > 260 || o + 1 > out_size) return -W_EINVAL;
    memcpy(out, buf, o + 1);
    return 0;
}

int pin_file(const char *canonical, char *file, size_t size)
{
    const char *dir = standin_pin_dir();
    if (!dir) return -W_EINVAL;
    size_t o = (size_t)snprintf(file, size, "%s/", dir);
    for (const char *c = canonical + 4; *c && o + 4 < size; c++) {
        if (*c == '\\') o += (size_t)snprintf(file + o, size - o, "%%5C");
        else if (*c == '%') o += (size_t)snprintf(file + o, size - o, "%%25");
        else file[o++] = *c;
    }
    file[o] = 0;
    return 0;
}

#ifndef STANDIN_MINIMAL
static void decode(const char *name, char *out, size_t size)
{
    size_t o = (size_t)snprintf(out, size, "BPF:");
    for (const char *c = name; *c && o + 1 < size; c++) {
        if (c[0] == '%' && c[1] == '5' && c[2] == 'C') { out[o++] = '\\'; c += 2; }
        else if (c[0] == '%' && c[1] == '2' && c[2] == '5') { out[o++] = '%'; c += 2; }
        else out[o++] = *c;
    }
    out[o] = 0;
}
#endif

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

#ifndef STANDIN_MINIMAL
EXPORT int ebpf_canonicalize_pin_path(char *out, size_t out_size, const char *in)
{
    if (!out || !in) return EBPF_INVALID_ARGUMENT;
    char buf[260];
    if (canonicalize(in, buf, sizeof buf)) return EBPF_INVALID_ARGUMENT;
    if (strlen(buf) + 1 > out_size) return EBPF_INSUFFICIENT_BUFFER;
    strcpy(out, buf);
    return EBPF_SUCCESS;
}

#endif

EXPORT int ebpf_object_unpin(const char *path)
{
    char canonical[260], file[4096];
    if (!path || canonicalize(path, canonical, sizeof canonical) || pin_file(canonical, file, sizeof file))
        return EBPF_INVALID_ARGUMENT;
    if (unlink(file) == 0) return EBPF_SUCCESS;
    return errno == ENOENT ? EBPF_KEY_NOT_FOUND : EBPF_FAILED;
}

#ifndef STANDIN_MINIMAL
EXPORT int ebpf_get_next_pinned_object_path(const char *start, char *next, size_t next_size, int *type)
{
    if (!start || !next || !type) return EBPF_INVALID_ARGUMENT;
    const char *dir = standin_pin_dir();
    DIR *d = dir ? opendir(dir) : NULL;
    if (!d) return EBPF_NO_MORE_KEYS;
    char best[260] = {0}, path[260];
    int best_type = 0, filter = *type;
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.') continue;
        decode(e->d_name, path, sizeof path);
        if (strcmp(path, start) <= 0 || (best[0] && strcmp(path, best) >= 0)) continue;
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
#endif
