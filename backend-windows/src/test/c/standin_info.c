/*
 * The ebpfapi.dll stand-in: the Windows info structs (include/ebpf_structs.h@v1.5.0:415-485) built
 * from Linux info.
 */
#define _GNU_SOURCE
#include "standin_core.h"

#include <stdlib.h>
#include <unistd.h>

int linux_info(int fd, void *buf, uint32_t len)
{
    unsigned char la[16] = {0};
    put32(la, 0, (uint32_t)fd);
    put32(la, 4, len);
    put64(la, 8, (uint64_t)(uintptr_t)buf);
    long r = linux_bpf(15, la, 16);
    return r < 0 ? (int)r : 0;
}

/* Links of a program: Windows reports link_count. */
static uint32_t link_count(uint32_t prog_id)
{
    uint32_t id = 0, count = 0;
    for (;;) {
        unsigned char a[16] = {0};
        put32(a, 0, id);
        if (linux_bpf(31, a, 12) < 0) break;
        id = get32(a, 4);
        unsigned char b[16] = {0};
        put32(b, 0, id);
        long fd = linux_bpf(30, b, 12);
        if (fd < 0) continue;
        unsigned char li[64] = {0};
        if (!linux_info((int)fd, li, sizeof li) && program_origin(get32(li, 8)) == prog_id) count++;
        close((int)fd);
    }
    return count;
}

/* Fills the Windows struct for fd into w (128 bytes, caller-zeroed except the program map_ids
 * inputs at 8 and 16), and reports how many bytes the struct has. Returns 0, -W_EFAULT when
 * map_ids was too small (the ids that fit are written), or -errno. */
int win_info(int fd, void *wv, uint32_t *len, int *kind)
{
    unsigned char *w = wv;
    unsigned char l[256] = {0};
    *kind = fd_kind(fd);
    if (*kind <= 0) return -W_EBADF;
    if (*kind == OBJ_MAP) {
        int r = linux_info(fd, l, sizeof l);
        if (r) return -win_errno(-r);
        put32(w, 0, get32(l, 4));
        put32(w, 4, map_type_to_win(get32(l, 0)));
        memcpy(w + 8, l + 8, 12);
        memcpy(w + 20, l + 24, 16);
        put32(w, 84, 0);   /* Windows maps have no flags (the LPM NO_PREALLOC is the stand-in's own) */
        put32(w, 92, (uint32_t)pin_count(get32(l, 4), OBJ_MAP));
        *len = 96;
        return 0;
    }
    if (*kind == OBJ_PROGRAM) {
        uint32_t cap = get32(w, 8);
        uint64_t ids = get64(w, 16);
        put32(l, 52, ids ? cap : 0);
        put64(l, 56, ids);
        int r = linux_info(fd, l, sizeof l);
        if (r) return -win_errno(-r);
        uint32_t id = get32(l, 4), nr = get32(l, 52);
        uint32_t wtype = program_win_type(id, get32(l, 0));
        memset(w, 0, 128);
        put32(w, 0, id);
        put32(w, 4, wtype);
        put32(w, 8, nr);
        put64(w, 16, ids);
        memcpy(w + 24, l + 64, 16);
        /* attach_type_uuid is the expected attach type the program was created with, which a load
         * through bpf() or bpf_prog_load never sets (libs/api/ebpf_api.cpp@v1.5.0:1493-1560,
         * ebpf_program.c@v1.5.0:1554-1560): zero. */
        const win_guid *pg = prog_guid(wtype);
        if (pg) memcpy(w + 88, pg, 16);
        put32(w, 120, (uint32_t)pin_count(id, OBJ_PROGRAM));
        put32(w, 124, link_count(id));
        *len = 128;
        return ids && nr > cap ? -W_EFAULT : 0;
    }
    int r = linux_info(fd, l, sizeof l);
    if (r) return -win_errno(-r);
    uint32_t ltype = get32(l, 0);
    put32(w, 0, get32(l, 4));
    put32(w, 4, link_detached(get32(l, 4)) ? 0 : program_origin(get32(l, 8)));
    put32(w, 8, link_type_to_win(ltype));
    uint32_t wattach = ltype == 6 ? 1 : ltype == 3 ? attach_type_to_win(get32(l, 24)) : 0;
    put32(w, 12, wattach);
    const win_guid *ag = attach_guid(wattach);
    if (ag) memcpy(w + 16, ag, 16);
    uint32_t ptype = wattach == 1 ? 1 : wattach == 7 ? 4 : wattach ? 3 : 0;
    const win_guid *pg = prog_guid(ptype);
    if (pg) memcpy(w + 32, pg, 16);
    /* The union holds the attach parameters the link was made with (ebpf_link.c@v1.5.0:595-599).
     * Links this stand-in did not make (another process's) show Linux's interface or cgroup id. */
    uint64_t data;
    if (!link_attach_data(get32(l, 4), &data)) data = ltype == 6 ? get32(l, 16) : ltype == 3 ? get64(l, 16) : 0;
    put64(w, 48, data);
    *len = 56;
    return 0;
}

EXPORT int bpf_obj_get_info_by_fd(int fd, void *info, uint32_t *info_len)
{
    /* A zero length is EBPF_INVALID_ARGUMENT (libs/api_common/api_common.cpp@v1.5.0:95-97). */
    if (!info || !info_len || *info_len == 0) return -W_EINVAL;
    unsigned char w[128] = {0};
    uint32_t size = 0;
    int kind = fd_kind(fd);
    if (kind == OBJ_PROGRAM) {
        /* The input must reach the name: ebpf_program.c@v1.5.0:2965-2973. */
        if (*info_len < 24) return -W_EINVAL;
        memcpy(w, info, 24);   /* nr_map_ids and map_ids are inputs */
    }
    int r = win_info(fd, w, &size, &kind);
    if (r && r != -W_EFAULT) return r;
    uint32_t n = *info_len < size ? *info_len : size;
    memcpy(info, w, n);
    *info_len = n;
    return r;
}

EXPORT int ebpf_object_get_info_by_fd(int fd, void *info, uint32_t *info_size, int *type)
{
    unsigned char w[128] = {0};
    uint32_t size = 0;
    int kind = fd_kind(fd);
    if (kind <= 0) return EBPF_INVALID_FD;
    if (info && (!info_size || *info_size == 0)) return EBPF_INVALID_ARGUMENT;   /* api_common.cpp@v1.5.0:95-97 */
    if (info && info_size) {
        if (kind == OBJ_PROGRAM) memcpy(w, info, *info_size < 24 ? *info_size : 24);
        int r = win_info(fd, w, &size, &kind);
        if (r && r != -W_EFAULT) return errno_to_result(-r);
        uint32_t n = *info_size < size ? *info_size : size;
        memcpy(info, w, n);
        *info_size = n;
    }
    if (type) *type = kind;
    return EBPF_SUCCESS;
}
