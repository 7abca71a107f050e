/*
 * The ebpfapi.dll stand-in: shared declarations.
 *
 * The stand-in exports the symbols of eBPF for Windows' ebpfapi.dll with its conventions
 * (Windows enum numbers, Windows UCRT errno numbers, -errno returns, ebpf_result_t returns,
 * the Windows info structs, BPF:\ pin paths) and serves them from the real Linux kernel: it
 * translates Windows numbers to Linux ones, calls bpf(2), and translates the results back.
 * Facts come from bpf4j's reference for eBPF for Windows (microsoft/ebpf-for-windows 0be2d1c).
 *
 * Configuration, each an environment variable or else a -D macro of the same name given at build
 * time (tests build the library with their directories compiled in, since a JVM cannot set its
 * own environment):
 *   BPF4J_STANDIN_PIN_DIR  a directory on bpffs that holds the global pin table (required for pins)
 *   BPF4J_STANDIN_CGROUP   a cgroup v2 directory standing in for "all compartments" (sock_addr/sock_ops attach)
 *
 * Build: gcc -shared -fPIC -O2 -o libebpfapi-standin.so standin_*.c
 *        add -DSTANDIN_MINIMAL for an older ebpfapi.dll: no batch functions, no pin listing or canonicalization,
 *        no attach by fds, no native load, so the backend must report those unsupported.
 */
#ifndef STANDIN_CORE_H
#define STANDIN_CORE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define EXPORT __attribute__((visibility("default")))

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
void set_last_error(unsigned e);
int map_type_to_linux(uint32_t w);
uint32_t map_type_to_win(uint32_t l);
int prog_type_to_linux(uint32_t w);
uint32_t prog_type_to_win(uint32_t l);
int attach_type_to_linux(uint32_t w);
uint32_t attach_type_to_win(uint32_t l);
uint32_t link_type_to_win(uint32_t l);
const win_guid *prog_guid(uint32_t w);
const win_guid *attach_guid(uint32_t w);
uint32_t default_attach(uint32_t win_prog_type);
int fd_kind(int fd);                                  /* OBJ_* from /proc/self/fd */
int possible_cpus(void);
int win_bpf(int cmd, void *attr, unsigned size);      /* the emulated bpf() */

/* standin_pins.c */
int canonicalize(const char *in, char *out, size_t out_size);   /* 0 or -W_EINVAL */
int pin_file(const char *canonical, char *file, size_t size);    /* 0 or -W_EINVAL */
int pin_count(uint32_t id, int kind);

/* standin_info.c */
int win_info(int fd, void *info, uint32_t *len, int *kind);     /* 0 or -win_errno */
int linux_info(int fd, void *buf, uint32_t len);                /* Linux info, 0 or -linux_errno */

#endif
