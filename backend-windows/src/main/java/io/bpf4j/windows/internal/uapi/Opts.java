package io.bpf4j.windows.internal.uapi;

import java.nio.ByteBuffer;

/**
 * The libbpf 1.0 option structs that eBPF for Windows' {@code bpf_*} exports take (Windows x64).
 * Their definitions are libbpf's own, which efW includes from its libbpf dependency
 * (include/bpf/bpf.h@v1.5.0:457) and does not carry in its tree, so the offsets here are
 * libbpf 1.0's; what efW reads of them is cited in efW: {@code bpf_map_create} reads
 * {@code map_flags}, {@code numa_node}, {@code map_ifindex} (all must be 0) and
 * {@code inner_map_fd} (libs/api/ebpf_api.cpp@v1.5.0:380-395); {@code bpf_prog_load} only
 * {@code log_buf} and {@code log_size} (libs/api/libbpf_program.cpp@v1.5.0:91-92);
 * {@code bpf_prog_test_run_opts} the fields of libbpf_program.cpp@v1.5.0:727-751, without a
 * null check; the batch functions {@code flags} and {@code elem_flags}, again dereferencing the
 * struct unchecked (libs/api/libbpf_map.cpp@v1.5.0:274-340); {@code bpf_xdp_attach}
 * {@code old_prog_fd} (libbpf_program.cpp@v1.5.0:651); {@code bpf_prog_bind_map} nothing (:573).
 * None reads {@code sz}; the backend fills it honestly and always passes a struct.
 */
public final class Opts {
    /** {@code sizeof(struct bpf_map_create_opts)}. */
    public static final int MAP_CREATE_SIZE = 48;
    /** {@code bpf_map_create_opts.inner_map_fd}. */
    public static final int MAP_CREATE_INNER_MAP_FD = 24;
    /** {@code bpf_map_create_opts.map_flags}, must be 0. */
    public static final int MAP_CREATE_MAP_FLAGS = 28;
    /** {@code bpf_map_create_opts.numa_node}, must be 0. */
    public static final int MAP_CREATE_NUMA_NODE = 40;
    /** {@code bpf_map_create_opts.map_ifindex}, must be 0. */
    public static final int MAP_CREATE_MAP_IFINDEX = 44;

    /** {@code sizeof(struct bpf_prog_load_opts)} in libbpf 1.0 (1.2 appends {@code log_true_size}). */
    public static final int PROG_LOAD_SIZE = 104;
    /** {@code bpf_prog_load_opts.expected_attach_type}. */
    public static final int PROG_LOAD_EXPECTED_ATTACH_TYPE = 12;
    /** {@code bpf_prog_load_opts.fd_array}. */
    public static final int PROG_LOAD_FD_ARRAY = 48;
    /** {@code bpf_prog_load_opts.log_level}. */
    public static final int PROG_LOAD_LOG_LEVEL = 88;
    /** {@code bpf_prog_load_opts.log_size}, read by efW. */
    public static final int PROG_LOAD_LOG_SIZE = 92;
    /** {@code bpf_prog_load_opts.log_buf}, read by efW. */
    public static final int PROG_LOAD_LOG_BUF = 96;

    /** {@code sizeof(struct bpf_test_run_opts)}. */
    public static final int TEST_RUN_SIZE = 80;
    /** {@code data_in}. */
    public static final int TR_DATA_IN = 8;
    /** {@code data_out}. */
    public static final int TR_DATA_OUT = 16;
    /** {@code data_size_in}. */
    public static final int TR_DATA_SIZE_IN = 24;
    /** {@code data_size_out}, in-out. */
    public static final int TR_DATA_SIZE_OUT = 28;
    /** {@code ctx_in}. */
    public static final int TR_CTX_IN = 32;
    /** {@code ctx_out}. */
    public static final int TR_CTX_OUT = 40;
    /** {@code ctx_size_in}. */
    public static final int TR_CTX_SIZE_IN = 48;
    /** {@code ctx_size_out}, in-out. */
    public static final int TR_CTX_SIZE_OUT = 52;
    /** {@code retval}, out. */
    public static final int TR_RETVAL = 56;
    /** {@code repeat}. */
    public static final int TR_REPEAT = 60;
    /** {@code duration}, out: mean ns, 100 ns resolution. */
    public static final int TR_DURATION = 64;
    /** {@code flags}. */
    public static final int TR_FLAGS = 68;
    /** {@code cpu}. */
    public static final int TR_CPU = 72;
    /** {@code batch_size}. */
    public static final int TR_BATCH_SIZE = 76;

    /** {@code sizeof(struct bpf_map_batch_opts)}. */
    public static final int BATCH_SIZE = 24;
    /** {@code bpf_map_batch_opts.elem_flags} (u64). */
    public static final int BATCH_ELEM_FLAGS = 8;
    /** {@code bpf_map_batch_opts.flags} (u64). */
    public static final int BATCH_FLAGS = 16;

    /** {@code sizeof(struct bpf_prog_bind_opts)}. */
    public static final int PROG_BIND_SIZE = 16;
    /** {@code bpf_prog_bind_opts.flags}, ignored by efW. */
    public static final int PROG_BIND_FLAGS = 8;

    /** {@code sizeof(struct bpf_xdp_attach_opts)}: {@code sz}, {@code old_prog_fd}, padding. */
    public static final int XDP_ATTACH_SIZE = 16;
    /** {@code bpf_xdp_attach_opts.old_prog_fd}. */
    public static final int XDP_ATTACH_OLD_PROG_FD = 8;

    private Opts() {
    }

    /**
     * Zeroes {@code size} bytes and writes {@code sz}.
     *
     * @param b the buffer
     * @param size the struct's size
     */
    public static void begin(ByteBuffer b, int size) {
        for (int i = 0; i < size; i += 8) b.putLong(i, 0L);
        b.putLong(0, size);
    }

    /**
     * {@code bpf_map_create_opts} with only the inner map set (flags, NUMA node and ifindex must
     * be zero on Windows, the BTF fields are ignored).
     *
     * @param b the buffer
     * @param innerMapFd the inner map template, or 0
     */
    public static void mapCreate(ByteBuffer b, int innerMapFd) {
        begin(b, MAP_CREATE_SIZE);
        b.putInt(MAP_CREATE_INNER_MAP_FD, innerMapFd);
    }

    /**
     * {@code bpf_prog_load_opts}: efW reads only the log buffer and its size.
     *
     * @param b the buffer
     * @param logLevel the level, kept for libbpf's sake
     * @param logBuf address of the log buffer, or 0
     * @param logSize its size
     */
    public static void progLoad(ByteBuffer b, int logLevel, long logBuf, int logSize) {
        begin(b, PROG_LOAD_SIZE);
        b.putInt(PROG_LOAD_LOG_LEVEL, logLevel);
        b.putInt(PROG_LOAD_LOG_SIZE, logSize);
        b.putLong(PROG_LOAD_LOG_BUF, logBuf);
    }

    /**
     * {@code bpf_map_batch_opts}.
     *
     * @param b the buffer
     * @param elemFlags element flags
     * @param flags command flags (for lookup-and-delete, efW uses them as element flags)
     */
    public static void batch(ByteBuffer b, long elemFlags, long flags) {
        begin(b, BATCH_SIZE);
        b.putLong(BATCH_ELEM_FLAGS, elemFlags);
        b.putLong(BATCH_FLAGS, flags);
    }
}
