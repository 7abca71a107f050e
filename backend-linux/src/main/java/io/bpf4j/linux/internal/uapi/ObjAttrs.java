package io.bpf4j.linux.internal.uapi;

import java.nio.ByteBuffer;

/**
 * Encoders of the object commands' part of {@code union bpf_attr} (Linux 6.18 uapi): pin and
 * get, next id and fd by id, info by fd, BTF load, task fd query, enable stats, token create.
 */
public final class ObjAttrs {
    /** Offset of {@code next_id} (out) in the id commands. */
    public static final int NEXT_ID = 4;
    /** Offset of {@code info.info_len} (in-out): the kernel writes how much it filled. */
    public static final int INFO_LEN = 4;
    /** Offset of {@code btf_log_true_size} (out, Linux 6.4+). */
    public static final int BTF_LOG_TRUE_SIZE = 28;
    /** Offset of {@code task_fd_query.buf_len} (in-out). */
    public static final int TFQ_BUF_LEN = 12;
    /** Offset of {@code task_fd_query.prog_id} (out). */
    public static final int TFQ_PROG_ID = 24;
    /** Offset of {@code task_fd_query.fd_type} (out). */
    public static final int TFQ_FD_TYPE = 28;
    /** Offset of {@code task_fd_query.probe_offset} (out). */
    public static final int TFQ_PROBE_OFFSET = 32;
    /** Offset of {@code task_fd_query.probe_addr} (out). */
    public static final int TFQ_PROBE_ADDR = 40;

    private ObjAttrs() {
    }

    /**
     * {@code BPF_OBJ_PIN} and {@code BPF_OBJ_GET}: {@code pathname}, {@code bpf_fd},
     * {@code file_flags} (offsets 0, 8, 12).
     *
     * @param attr the zeroed attribute buffer
     * @param path address of the NUL-terminated path
     * @param fd the object (pin) or 0 (get)
     * @param fileFlags {@code BPF_F_RDONLY} / {@code BPF_F_WRONLY} (get) or 0
     */
    public static void path(ByteBuffer attr, long path, int fd, int fileFlags) {
        attr.putLong(0, path);
        attr.putInt(8, fd);
        attr.putInt(12, fileFlags);
    }

    /**
     * The {@code *_GET_NEXT_ID} and {@code *_GET_FD_BY_ID} commands: {@code start_id} (or the
     * id) at 0, {@code open_flags} at 8.
     *
     * @param attr the zeroed attribute buffer
     * @param id the start id or the object's id
     * @param openFlags for fd by id: {@code BPF_F_RDONLY} ...; else 0
     */
    public static void id(ByteBuffer attr, int id, int openFlags) {
        attr.putInt(0, id);
        attr.putInt(8, openFlags);
    }

    /**
     * {@code BPF_OBJ_GET_INFO_BY_FD} (struct info: bpf_fd 0, info_len 4, info 8).
     *
     * @param attr the zeroed attribute buffer
     * @param fd the object
     * @param info address of the info struct
     * @param infoLen its size
     */
    public static void info(ByteBuffer attr, int fd, long info, int infoLen) {
        attr.putInt(0, fd);
        attr.putInt(INFO_LEN, infoLen);
        attr.putLong(8, info);
    }

    /**
     * {@code BPF_BTF_LOAD} (btf 0, btf_log_buf 8, btf_size 16, btf_log_size 20, btf_log_level 24).
     *
     * @param attr the zeroed attribute buffer
     * @param btf address of the raw BTF
     * @param size its size
     * @param logBuf address of the log buffer, or 0
     * @param logSize its size
     * @param logLevel the log level
     */
    public static void btfLoad(ByteBuffer attr, long btf, int size, long logBuf, int logSize, int logLevel) {
        attr.putLong(0, btf);
        attr.putLong(8, logBuf);
        attr.putInt(16, size);
        attr.putInt(20, logSize);
        attr.putInt(24, logLevel);
    }

    /**
     * {@code BPF_TASK_FD_QUERY} (struct task_fd_query).
     *
     * @param attr the zeroed attribute buffer
     * @param pid the process
     * @param fd its descriptor
     * @param flags must be 0
     * @param buf address of the name buffer
     * @param bufLen its size
     */
    public static void taskFdQuery(ByteBuffer attr, int pid, int fd, int flags, long buf, int bufLen) {
        attr.putInt(0, pid);
        attr.putInt(4, fd);
        attr.putInt(8, flags);
        attr.putInt(TFQ_BUF_LEN, bufLen);
        attr.putLong(16, buf);
    }

    /**
     * {@code BPF_ENABLE_STATS} (struct enable_stats: type).
     *
     * @param attr the zeroed attribute buffer
     * @param type {@code BPF_STATS_RUN_TIME} = 0
     */
    public static void enableStats(ByteBuffer attr, int type) {
        attr.putInt(0, type);
    }

    /**
     * {@code BPF_TOKEN_CREATE} (struct token_create: flags 0, bpffs_fd 4).
     *
     * @param attr the zeroed attribute buffer
     * @param flags must be 0
     * @param bpffsFd the delegated bpffs root
     */
    public static void tokenCreate(ByteBuffer attr, int flags, int bpffsFd) {
        attr.putInt(0, flags);
        attr.putInt(4, bpffsFd);
    }
}
