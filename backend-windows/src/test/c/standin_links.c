/*
 * The ebpfapi.dll stand-in: links. ebpf_program_attach_by_fds, BPF_PROG_ATTACH / DETACH and the
 * libbpf XDP functions all make efW links; those made without a link output are links the library
 * keeps until detached ("legacy mode", libs/api/ebpf_api.cpp@v1.5.0:2012-2018), held here. Each
 * link remembers the attach parameters it was made with, which efW reports in bpf_link_info's
 * attach_data union (libs/execution_context/ebpf_link.c@v1.5.0:595-599).
 *
 * The hooks are Linux's: XDP on the interface, and the sock_addr / sock_ops hooks on the cgroup
 * standing in for every compartment, whatever compartment id is given.
 */
#define _GNU_SOURCE
#include "standin_core.h"

#include <fcntl.h>
#include <unistd.h>

#define W_XDP_FLAGS_REPLACE 0x01   /* include/ebpf_structs.h@v1.5.0:276 (Linux's is 1 << 4) */

static struct { uint32_t id; uint64_t data; int detached; } link_data[256];
static unsigned link_data_next;
static int held[256];

static uint32_t linux_id(int fd)
{
    unsigned char li[64] = {0};
    return linux_info(fd, li, sizeof li) ? 0 : get32(li, 4);
}

static void remember(int fd, const void *params, size_t size)
{
    uint64_t data = 0;
    memcpy(&data, params, size < 8 ? size : 8);
    link_data[link_data_next % 256].id = linux_id(fd);
    link_data[link_data_next % 256].data = data;
    link_data[link_data_next % 256].detached = 0;
    link_data_next++;
}

int link_attach_data(uint32_t id, uint64_t *data)
{
    for (unsigned i = 0; i < 256; i++) {
        if (link_data[i].id == id && id) { *data = link_data[i].detached ? 0 : link_data[i].data; return 1; }
    }
    *data = 0;
    return 0;
}

int link_detached(uint32_t id)
{
    for (unsigned i = 0; i < 256; i++) if (link_data[i].id == id && id) return link_data[i].detached;
    return 0;
}

/* A detached link keeps its type but loses its program and attach data
 * (ebpf_link_detach_program, libs/execution_context/ebpf_link.c@v1.5.0:473-479). */
void link_forget(uint32_t id)
{
    for (unsigned i = 0; i < 256; i++) if (link_data[i].id == id && id) link_data[i].detached = 1;
}

static int hold(int fd)
{
    for (int i = 0; i < 256; i++) if (held[i] <= 0) { held[i] = fd; return 0; }
    close(fd);
    return -W_ENOMEM;
}

/* Detaches the link with this id, and lets go of it when the stand-in holds it. */
static int detach_id(uint32_t id)
{
    unsigned char a[16] = {0};
    put32(a, 0, id);
    long fd = linux_bpf(30, a, 12);
    if (fd < 0) return (int)fd;
    unsigned char d[16] = {0};
    put32(d, 0, (uint32_t)fd);
    long r = linux_bpf(34, d, 4);
    close((int)fd);
    if (r == 0) link_forget(id);
    for (int i = 0; i < 256; i++) {
        if (held[i] > 0 && linux_id(held[i]) == id) { close(held[i]); held[i] = 0; }
    }
    return (int)r;
}

static int linux_link(int prog, uint32_t target, int ltype)
{
    unsigned char la[64] = {0};
    put32(la, 0, (uint32_t)prog);
    put32(la, 4, target);
    put32(la, 8, (uint32_t)ltype);
    return (int)linux_bpf(28, la, 64);
}

/* _ebpf_program_attach with an attach type: an ebpf_result_t; *link_out, or held when NULL. */
static int attach_core(int prog, uint32_t wattach, const void *params, size_t size, int *link_out)
{
    int ltype = attach_type_to_linux(wattach);
    if (ltype < 0) return EBPF_OPERATION_NOT_SUPPORTED;
    int l;
    if (ltype == 37) {
        /* XDP's parameter is the interface index (xdp-for-windows' rule; efW's own XDP_TEST hook
         * took the same, netebpfext/net_ebpf_ext_xdp.c@Release-v0.21.0). */
        if (!params || size != 4) return EBPF_INVALID_ARGUMENT;
        l = linux_link(prog, get32(params, 0), 37);
    } else {
        /* No parameter, or a u32 compartment id; any other size is refused
         * (netebpfext/net_ebpf_ext_sock_addr.c@v1.5.0:772-788, net_ebpf_ext_sock_ops.c@v1.5.0:257-269). */
        if (size != 0 && (size != 4 || !params)) return EBPF_INVALID_ARGUMENT;
        const char *cg = standin_cgroup();
        if (!cg) return EBPF_OPERATION_NOT_SUPPORTED;
        int cgfd = open(cg, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (cgfd < 0) return EBPF_INVALID_ARGUMENT;
        int twin = -1;
        if (ltype >= 8 && ltype <= 11 && ltype != 10) {
            twin = sock_addr_twin(prog, ltype);
            if (twin < 0) { close(cgfd); return errno_to_result(win_errno(-twin)); }
        }
        l = linux_link(twin >= 0 ? twin : prog, (uint32_t)cgfd, ltype);
        if (twin >= 0) close(twin);   /* the link holds it */
        close(cgfd);
    }
    if (l < 0) return errno_to_result(win_errno(-l));
    remember(l, params, size);
    if (link_out) *link_out = l;
    else if (hold(l)) return EBPF_NO_MEMORY;
    return EBPF_SUCCESS;
}

EXPORT int ebpf_program_attach_by_fds(int prog, const win_guid *attach, void *params, size_t params_size, int *link)
{
    if (fd_kind(prog) != OBJ_PROGRAM) return EBPF_INVALID_FD;   /* ebpf_api.cpp@v1.5.0:2092-2095 */
    /* Without an attach type efW looks the program up in its bpf_object table, and a program
     * loaded through bpf() is never there (ebpf_api.cpp@v1.5.0:1997-2001, :2097-2100): every
     * program of the stand-in is one. */
    if (!attach) return EBPF_INVALID_ARGUMENT;
    uint32_t wattach = (uint32_t)ebpf_get_bpf_attach_type(attach);
    if (!wattach) return EBPF_INVALID_ARGUMENT;
    return attach_core(prog, wattach, params, params_size, link);
}

/* The hooks bpf_prog_attach takes (libbpf_program.cpp@Release-v0.21.0:235-253; @v1.3.0:237-259 adds 12 to 17). */
static int attachable(uint32_t w)
{
    if (w >= 3 && w <= 7) return 1;
    return STANDIN_RELEASE >= 130 && w >= 12 && w <= 17;
}

/* BPF_PROG_ATTACH / BPF_PROG_DETACH on their 16-byte view: target_fd is the compartment id. */
int attach_prog(int cmd, unsigned char *v)
{
    uint32_t compartment = get32(v, 0), prog = get32(v, 4), wtype = get32(v, 8), flags = get32(v, 12);
    if (cmd == 8) {
        /* bpf_prog_attach: libbpf_program.cpp@v1.5.0:263-280. */
        if (!attachable(wtype) || flags) return -W_ENOTSUP;
        if (!attach_guid(wtype)) return -W_EINVAL;   /* no GUID: attach_by_fd without a type, as above */
        int r = attach_core((int)prog, wtype, &compartment, 4, NULL);
        return r == EBPF_SUCCESS ? 0 : -win_errno_of_result(r);
    }
    /* bpf_prog_detach -> bpf_prog_detach2 with no program (libbpf_program.cpp@v1.5.0:282-307): every
     * link of the hook whose attach data starts with the compartment id is detached, and finding
     * none is success (libs/execution_context/ebpf_core.c@v1.5.0:1553-1577, :1461-1535). */
    if (!attach_guid(wtype)) return -W_EINVAL;
    if (!attachable(wtype)) return -W_ENOTSUP;
    uint32_t id = 0;
    for (;;) {
        unsigned char a[16] = {0};
        put32(a, 0, id);
        if (linux_bpf(31, a, 12) < 0) break;
        id = get32(a, 4);
        unsigned char b[16] = {0};
        put32(b, 0, id);
        long fd = linux_bpf(30, b, 12);
        if (fd < 0) continue;
        unsigned char w[128] = {0};
        uint32_t len = 0;
        int kind;
        int r = win_info((int)fd, w, &len, &kind);
        close((int)fd);
        uint64_t data;
        /* Only the stand-in's own links: another process's are not this library's to detach. */
        if (r || get32(w, 12) != wtype || !link_attach_data(id, &data) || (uint32_t)data != compartment) continue;
        detach_id(id);
    }
    return 0;
}

/* ---------------------------------------------------------------- libbpf XDP functions */

/* bpf_xdp_query_id: the first link of an XDP program on the interface; -ENOENT, from the id walk,
 * when there is none (libs/api/libbpf_program.cpp@v1.5.0:673-702). */
EXPORT int bpf_xdp_query_id(int ifindex, int flags, uint32_t *prog_id)
{
    (void)flags;
    *prog_id = 0;
    for (uint32_t id = 0;;) {
        unsigned char a[144] = {0};
        put32(a, 0, id);
        int r = win_bpf(31, a, sizeof a);
        if (r < 0) return r;
        id = get32(a, 4);
        unsigned char b[144] = {0};
        put32(b, 0, id);
        int fd = win_bpf(30, b, sizeof b);
        if (fd < 0) return -W_ENOENT;
        unsigned char w[128] = {0};
        uint32_t len = sizeof w;
        r = bpf_obj_get_info_by_fd(fd, w, &len);
        close(fd);
        if (r) return r;
        if (!memcmp(w + 32, prog_guid(1), 16) && get32(w, 48) == (uint32_t)ifindex && get32(w, 4)) {
            *prog_id = get32(w, 4);
            return 0;
        }
    }
}

/* __bpf_set_link_xdp_fd_replace (libbpf_program.cpp@v1.5.0:578-644): with REPLACE or no program,
 * every link of the attached program on the interface is detached first; a program is then
 * attached with no link output. Nothing attached is not an error. */
static int xdp_set(int ifindex, int prog, int old, uint32_t flags)
{
    if ((flags & W_XDP_FLAGS_REPLACE) || prog == -1) {
        uint32_t pid = 0;
        if (old == 0 || old == -1) {
            int r = bpf_xdp_query_id(ifindex, 0, &pid);
            if (r < 0 && r != -W_ENOENT) return r;
        } else {
            unsigned char w[128] = {0};
            uint32_t len = sizeof w;
            int r = bpf_obj_get_info_by_fd(old, w, &len);
            if (r < 0) return r;
            if (get32(w, 4) != 1) return -W_EINVAL;
            pid = get32(w, 0);
        }
        if (pid) {
            for (uint32_t id = 0;;) {
                unsigned char a[16] = {0};
                put32(a, 0, id);
                if (linux_bpf(31, a, 12) < 0) break;
                id = get32(a, 4);
                unsigned char b[16] = {0};
                put32(b, 0, id);
                long fd = linux_bpf(30, b, 12);
                if (fd < 0) continue;
                unsigned char w[128] = {0};
                uint32_t len = 0;
                int kind;
                int r = win_info((int)fd, w, &len, &kind);
                close((int)fd);
                uint64_t data;
                if (!r && get32(w, 4) == pid && get32(w, 48) == (uint32_t)ifindex && link_attach_data(id, &data)) detach_id(id);
            }
        }
    }
    if (prog != -1) {
        uint32_t idx = (uint32_t)ifindex;
        int r = attach_core(prog, 1, &idx, 4, NULL);
        if (r != EBPF_SUCCESS) return -win_errno_of_result(r);
    }
    return 0;
}

EXPORT int bpf_xdp_attach(int ifindex, int prog, uint32_t flags, const void *opts)
{
    return xdp_set(ifindex, prog, opts ? (int)get32(opts, 8) : -1, flags);
}

EXPORT int bpf_xdp_detach(int ifindex, uint32_t flags, const void *opts)
{
    return bpf_xdp_attach(ifindex, -1, flags, opts);   /* libbpf_program.cpp@v1.5.0:657-661 */
}
