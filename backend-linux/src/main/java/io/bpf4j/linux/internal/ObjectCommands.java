package io.bpf4j.linux.internal;

import io.bpf4j.api.Errno;
import io.bpf4j.api.LoadResult;
import io.bpf4j.api.Operation;
import io.bpf4j.api.StatsType;
import io.bpf4j.api.TaskFdQueryResult;
import io.bpf4j.api.VerifierException;
import io.bpf4j.internal.rules.ObjRules;
import io.bpf4j.linux.internal.uapi.BpfAttr;
import io.bpf4j.linux.internal.uapi.ObjAttrs;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The object commands: pin and get, ids and fd by id, BTF load, task fd query, enable stats,
 * token create; and the plain descriptor calls {@code close}, {@code dup} and {@code read}.
 */
public final class ObjectCommands {
    private static final int ENOENT = 2;
    private static final int EACCES = 13;
    private static final int EINVAL = 22;
    private static final int ENOSPC = 28;
    private static final int TFQ_NAME_ROOM = 4096;

    private final Kernel k;

    /**
     * Creates the family.
     *
     * @param k the shared context
     */
    public ObjectCommands(Kernel k) {
        this.k = k;
    }

    /** Writes a path the rules accepted as a C string. */
    private static long putPath(Scratch s, int slot, String path) {
        byte[] b = path.getBytes(StandardCharsets.UTF_8);
        long a = s.reserve(slot, b.length + 1);
        s.buf(slot).put(0, b);
        return a;
    }

    /**
     * {@code BPF_OBJ_PIN}.
     *
     * @param fd the object
     * @param path the bpffs path
     */
    public void pin(int fd, String path) {
        ObjRules.pin(fd, path);
        Operation op = Operation.OBJ_PIN;
        k.gate.require(op);
        Scratch s = k.scratch();
        long p = putPath(s, Scratch.AUX, path);
        ObjAttrs.path(s.attr(), p, fd, 0);
        long rc = k.bpf(op, s);
        if (rc < 0) throw Kernel.error(op, "fd " + fd, rc, path);
    }

    /**
     * {@code BPF_OBJ_GET}.
     *
     * @param path the bpffs path
     * @param fileFlags RDONLY, WRONLY or 0
     * @return the descriptor
     */
    public int get(String path, int fileFlags) {
        ObjRules.get(path, fileFlags);
        Operation op = Operation.OBJ_GET;
        k.gate.require(op);
        Scratch s = k.scratch();
        long p = putPath(s, Scratch.AUX, path);
        ObjAttrs.path(s.attr(), p, 0, fileFlags);
        long rc = k.bpfFd(op, s);
        if (rc < 0) throw Kernel.error(op, null, rc, path);
        return (int) rc;
    }

    /**
     * One of the {@code *_GET_NEXT_ID} commands.
     *
     * @param op which
     * @param startId 0 to start
     * @return the next id, 0 at the end
     */
    public int nextId(Operation op, int startId) {
        ObjRules.startId(startId);
        k.gate.require(op);
        Scratch s = k.scratch();
        ObjAttrs.id(s.attr(), startId, 0);
        long rc = k.bpf(op, s);
        if (rc == -ENOENT) return 0;
        if (rc < 0) throw Kernel.error(op, null, rc, "after id " + startId);
        return s.attrOut().getInt(ObjAttrs.NEXT_ID);
    }

    /**
     * One of the {@code *_GET_FD_BY_ID} commands.
     *
     * @param op which
     * @param id the id
     * @return a new descriptor
     */
    public int fdById(Operation op, int id) {
        ObjRules.id(id);
        k.gate.require(op);
        Scratch s = k.scratch();
        ObjAttrs.id(s.attr(), id, 0);
        long rc = k.bpfFd(op, s);
        if (rc < 0) throw Kernel.error(op, "id " + id, rc, null);
        return (int) rc;
    }

    /**
     * {@code BPF_BTF_LOAD}, with a log on failure that grows on ENOSPC.
     *
     * @param btf the raw blob
     * @param logLevel 0 for a log only on failure
     * @return descriptor and log
     */
    public LoadResult btfLoad(byte[] btf, int logLevel) {
        ObjRules.btfLoad(btf, logLevel);
        Operation op = Operation.BTF_LOAD;
        k.gate.require(op);
        Scratch s = k.scratch();
        try {
            long a = s.put(Scratch.DATA, btf, 0, btf.length);
            long rc;
            String log = "";
            if (logLevel == 0) {
                rc = btfAttempt(s, a, btf.length, null, 0);
                if (rc >= 0) return new LoadResult((int) rc, "");
            }
            int level = logLevel == 0 ? 1 : logLevel;
            int size = ProgCommands.LOG_START;
            while (true) {
                ByteBuffer lb = BpfAttr.allocateDirect(size);
                rc = btfAttempt(s, a, btf.length, lb, level);
                int trueSize = s.attrOut().getInt(ObjAttrs.BTF_LOG_TRUE_SIZE);
                log = BpfAttr.getString(lb, 0, size);
                if (rc == -ENOSPC && size < ProgCommands.LOG_MAX) {
                    size = (int) Math.min(trueSize > size ? trueSize : (long) size * 4, ProgCommands.LOG_MAX);
                    continue;
                }
                break;
            }
            if (rc >= 0) return new LoadResult((int) rc, log);
            int errno = (int) -rc;
            if ((rc == -EINVAL || rc == -EACCES) && !log.isBlank()) {
                throw new VerifierException(Kernel.BACKEND, op, "BTF blob", Errno.fromLinux(errno), errno, log);
            }
            throw Kernel.error(op, "BTF blob", rc, log.isBlank() ? null : log.strip());
        } finally {
            s.trim();
        }
    }

    private long btfAttempt(Scratch s, long btf, int size, ByteBuffer log, int level) {
        ObjAttrs.btfLoad(s.attr(), btf, size, log == null ? 0 : k.sys.address(log), log == null ? 0 : log.capacity(),
                log == null ? 0 : level);
        return k.bpfFd(Operation.BTF_LOAD, s);
    }

    /**
     * {@code BPF_TASK_FD_QUERY}.
     *
     * @param pid the process
     * @param fd its descriptor
     * @param flags 0
     * @return the answer
     */
    public TaskFdQueryResult taskFdQuery(int pid, int fd, int flags) {
        ObjRules.taskFdQuery(pid, fd, flags);
        Operation op = Operation.TASK_FD_QUERY;
        k.gate.require(op);
        Scratch s = k.scratch();
        long buf = s.reserve(Scratch.AUX, TFQ_NAME_ROOM);
        ObjAttrs.taskFdQuery(s.attr(), pid, fd, flags, buf, TFQ_NAME_ROOM);
        long rc = k.bpf(op, s);
        if (rc < 0) throw Kernel.error(op, "pid " + pid + " fd " + fd, rc, null);
        ByteBuffer a = s.attrOut();
        return new TaskFdQueryResult(a.getInt(ObjAttrs.TFQ_PROG_ID), a.getInt(ObjAttrs.TFQ_FD_TYPE),
                BpfAttr.getString(s.buf(Scratch.AUX), 0, TFQ_NAME_ROOM), a.getLong(ObjAttrs.TFQ_PROBE_OFFSET),
                a.getLong(ObjAttrs.TFQ_PROBE_ADDR));
    }

    /**
     * {@code BPF_ENABLE_STATS}.
     *
     * @param type what to enable
     * @return a descriptor
     */
    public int enableStats(StatsType type) {
        ObjRules.enableStats(type);
        Operation op = Operation.ENABLE_STATS;
        k.gate.require(op);
        Scratch s = k.scratch();
        ObjAttrs.enableStats(s.attr(), type.ordinal()); // BPF_STATS_RUN_TIME = 0
        long rc = k.bpfFd(op, s);
        if (rc < 0) throw Kernel.error(op, null, rc, type.toString());
        return (int) rc;
    }

    /**
     * {@code BPF_TOKEN_CREATE}.
     *
     * @param bpffsFd the bpffs root
     * @param flags 0
     * @return the token
     */
    public int tokenCreate(int bpffsFd, int flags) {
        ObjRules.tokenCreate(bpffsFd, flags);
        Operation op = Operation.TOKEN_CREATE;
        k.gate.require(op);
        Scratch s = k.scratch();
        ObjAttrs.tokenCreate(s.attr(), flags, bpffsFd);
        long rc = k.bpfFd(op, s);
        if (rc < 0) throw Kernel.error(op, "bpffs fd " + bpffsFd, rc, null);
        return (int) rc;
    }

    /**
     * {@code close(fd)}.
     *
     * @param fd the descriptor
     */
    public void close(int fd) {
        ObjRules.fd(fd, "fd");
        int rc = k.sys.close(fd);
        if (rc < 0) throw SysError.of("close", "fd " + fd, rc, null);
    }

    /**
     * {@code fcntl(fd, F_DUPFD_CLOEXEC)}.
     *
     * @param fd the descriptor
     * @return the new descriptor
     */
    public int dup(int fd) {
        ObjRules.fd(fd, "fd");
        int rc = k.sys.dupCloexec(fd);
        if (rc < 0) throw SysError.of("fcntl", "fd " + fd, rc, "F_DUPFD_CLOEXEC");
        return rc;
    }

    /**
     * {@code read(fd, buf, len)}.
     *
     * @param fd the descriptor
     * @param buf the buffer
     * @param off offset
     * @param len at most
     * @return bytes read
     */
    public int read(int fd, byte[] buf, int off, int len) {
        ObjRules.read(fd, buf, off, len);
        Scratch s = k.scratch();
        try {
            long a = s.slot(Scratch.DATA, len);
            long rc = k.sys.read(fd, a, len);
            if (rc < 0) throw SysError.of("read", "fd " + fd, rc, null);
            int n = (int) Math.min(rc, len);
            s.get(Scratch.DATA, buf, off, n);
            return n;
        } finally {
            s.trim();
        }
    }
}
