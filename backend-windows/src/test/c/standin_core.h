/*
 * The ebpfapi.dll stand-in: shared declarations.
 *
 * The stand-in exports the symbols of eBPF for Windows' ebpfapi.dll with its conventions
 * (Windows enum numbers, Windows UCRT errno numbers, -errno returns, ebpf_result_t returns,
 * the Windows info structs, BPF:\ pin paths) and serves them from the real Linux kernel: it
 * translates Windows numbers to Linux ones, calls bpf(2), and translates the results back.
 * Each behaviour follows eBPF for Windows' source (microsoft/ebpf-for-windows), cited as
 * path@tag:line where it is imitated. Where a release differs, STANDIN_RELEASE chooses:
 * 21 for 0.21.x, 150 (the default) for 1.5.0. Where efW would end the process (the C runtime's
 * invalid-parameter handler, a kernel divide by zero), the stand-in counts the event instead,
 * so a test can fail on it; standin_invalid_parameters() returns the count.
 *
 * Configuration, each an environment variable or else a -D macro of the same name given at build
 * time (tests build the library with their directories compiled in, since a JVM cannot set its
 * own environment):
 *   BPF4J_STANDIN_PIN_DIR  a directory on bpffs that holds the global pin table (required for pins)
 *   BPF4J_STANDIN_CGROUP   a cgroup v2 directory standing in for "all compartments" (sock_addr/sock_ops attach)
 *
 * Build: gcc -shared -fPIC -O2 -o libebpfapi-standin.so standin_*.c
 *        add -DSTANDIN_RELEASE=21 for 0.21.x: the exports of ebpfapi/Source.def@Release-v0.21.0 (no
 *        ebpf_canonicalize_pin_path, none of the later release markers) and 0.21's behaviour;
 *        add -DSTANDIN_NATIVE_ONLY for a NativeOnly build, which cannot JIT-load programs.
 */
#ifndef STANDIN_CORE_H
#define STANDIN_CORE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define EXPORT __attribute__((visibility("default")))

#ifndef STANDIN_RELEASE
#define STANDIN_RELEASE 150
#endif
/* 1.0.0-rc1 changed the log, the PROG_LOAD struct and pin paths (see standin_prog.c, standin_pins.c). */
#define AT_LEAST_1_0 (STANDIN_RELEASE >= 100)

/* ebpf_result_t values used here (include/ebpf_result.h). */
enum {
    EBPF_SUCCESS = 0, EBPF_VERIFICATION_FAILED = 1, EBPF_INVALID_FD = 4, EBPF_INVALID_OBJECT = 5,
    EBPF_INVALID_ARGUMENT = 6, EBPF_OBJECT_NOT_FOUND = 7, EBPF_OBJECT_ALREADY_EXISTS = 8,
    EBPF_FILE_NOT_FOUND = 9, EBPF_NO_MEMORY = 12, EBPF_FAILED = 17, EBPF_OPERATION_NOT_SUPPORTED = 18,
    EBPF_KEY_NOT_FOUND = 19, EBPF_ACCESS_DENIED = 20, EBPF_INSUFFICIENT_BUFFER = 24, EBPF_NO_MORE_KEYS = 25,
    EBPF_INVALID_POINTER = 31,
};

/* Windows UCRT errno numbers that differ from Linux or that the stand-in returns itself. */
enum { W_EPERM = 1, W_ENOENT = 2, W_EBADF = 9, W_ENOMEM = 12, W_EACCES = 13, W_EFAULT = 14, W_EEXIST = 17,
       W_EINVAL = 22, W_ENOSPC = 28, W_ENOBUFS = 119, W_ENOTSUP = 129, W_EOTHER = 131 };

/* ebpf_object_type_t */
enum { OBJ_UNKNOWN = 0, OBJ_MAP = 1, OBJ_LINK = 2, OBJ_PROGRAM = 3 };

typedef struct { uint32_t d1; uint16_t d2, d3; uint8_t d4[8]; } win_guid;

/* Little helpers over raw little-endian buffers. */
static inline uint32_t get32(const void *b, size_t off) { uint32_t v; memcpy(&v, (const char *)b + off, 4); return v; }
static inline uint64_t get64(const void *b, size_t off) { uint64_t v; memcpy(&v, (const char *)b + off, 8); return v; }
static inline void put32(void *b, size_t off, uint32_t v) { memcpy((char *)b + off, &v, 4); }
static inline void put64(void *b, size_t off, uint64_t v) { memcpy((char *)b + off, &v, 8); }

/* standin_core.c */
const char *standin_pin_dir(void);                    /* or NULL */
const char *standin_cgroup(void);                     /* or NULL */
long linux_bpf(int cmd, void *attr, unsigned size);   /* raw bpf(2): result or -linux_errno */
int win_errno(int linux_errno);                       /* Linux errno -> Windows UCRT errno */
int win_ret(long linux_result);                       /* result, or -win_errno */
int errno_to_result(int win_errno);                   /* for ebpf_* functions */
int win_errno_of_result(int result);                  /* ebpf_result_to_errno */
void set_last_error(unsigned e);
void invalid_parameter(const char *why);              /* where efW would end the process */
int map_type_to_linux(uint32_t w);
uint32_t map_type_to_win(uint32_t l);
int prog_type_to_linux(uint32_t w);
uint32_t prog_type_to_win(uint32_t l);
int attach_type_to_linux(uint32_t w);
uint32_t attach_type_to_win(uint32_t l);
uint32_t link_type_to_win(uint32_t l);
const win_guid *prog_guid(uint32_t w);
const win_guid *attach_guid(uint32_t w);
int fd_kind(int fd);                                  /* OBJ_* from /proc/self/fd */
int possible_cpus(void);
int win_bpf(int cmd, void *attr, unsigned size);      /* the emulated bpf() */

/* standin_prog.c */
int prog_load(unsigned char *v, void *attr, unsigned size);          /* bpf(BPF_PROG_LOAD) on its view */
int test_run(unsigned char *v);
int sock_addr_twin(int prog_fd, int linux_hook);                     /* a descriptor, or -linux_errno */
uint32_t program_origin(uint32_t linux_prog_id);                     /* a twin's original program */
uint32_t program_win_type(uint32_t linux_prog_id, uint32_t linux_type); /* the Windows type it was loaded as */

/* standin_links.c */
int attach_prog(int cmd, unsigned char *v);                          /* bpf(BPF_PROG_ATTACH / DETACH) */
int link_attach_data(uint32_t link_id, uint64_t *data);              /* 1 when the stand-in made the link */
int link_detached(uint32_t link_id);
void link_forget(uint32_t link_id);                                  /* marks it detached */

/* standin_pins.c */
int canonicalize(const char *in, char *out, size_t out_size);   /* 0, or an ebpf_result_t */
int stored_path(const char *in, char *out, size_t out_size);    /* the pin table's key: 0 or -W_EINVAL */
int pin_file(const char *stored, char *file, size_t size);       /* 0 or -W_EINVAL */
int pin_count(uint32_t id, int kind);

/* standin_info.c */
int win_info(int fd, void *info, uint32_t *len, int *kind);     /* 0 or -win_errno */
int linux_info(int fd, void *buf, uint32_t len);                /* Linux info, 0 or -linux_errno */

/* exports the stand-in calls itself */
int bpf_obj_get_info_by_fd(int fd, void *info, uint32_t *info_len);
int bpf_prog_load(int type, const char *name, const char *license, const void *insns, size_t cnt, const void *opts);
int ebpf_get_bpf_attach_type(const win_guid *g);

#endif
