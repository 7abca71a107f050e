package io.bpf4j.sim.internal.cmd;

import io.bpf4j.api.BtfInfo;
import io.bpf4j.api.Errno;
import io.bpf4j.api.LinkInfo;
import io.bpf4j.api.LoadResult;
import io.bpf4j.api.MapFlags;
import io.bpf4j.api.MapInfo;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.Operation;
import io.bpf4j.api.ProgramInfo;
import io.bpf4j.api.StatsType;
import io.bpf4j.api.VerifierException;
import io.bpf4j.internal.rules.ObjRules;
import io.bpf4j.sim.internal.attach.SimLink;
import io.bpf4j.sim.internal.kernel.Bpffs;
import io.bpf4j.sim.internal.kernel.FdTable;
import io.bpf4j.sim.internal.kernel.KErr;
import io.bpf4j.sim.internal.kernel.KObject;
import io.bpf4j.sim.internal.kernel.Kernel;
import io.bpf4j.sim.internal.kernel.ObjKind;
import io.bpf4j.sim.internal.kernel.SimBtf;
import io.bpf4j.sim.internal.kernel.StatsHandle;
import io.bpf4j.sim.internal.kernel.Uapi;
import io.bpf4j.sim.internal.maps.SimMap;
import io.bpf4j.sim.internal.prog.SimProgram;

/** Descriptors, pins, ids, object info, BTF and statistics. */
public final class ObjCmds {
    private final Kernel k;

    /**
     * Creates the commands.
     *
     * @param k the kernel
     */
    public ObjCmds(Kernel k) {
        this.k = k;
    }

    /** The simulated process has no standard streams to close or duplicate. */
    private static void std(int fd) {
        ObjRules.fd(fd, "fd");
        if (fd <= 2) throw new IllegalArgumentException("fd: " + fd + " is a standard stream, not a BPF object");
    }

    /**
     * {@code close(2)}. It works after the backend is closed, as on Linux, so that handles
     * closed later still release their descriptors.
     *
     * @param fd the descriptor
     */
    public void close(int fd) {
        std(fd);
        synchronized (k) {
            try {
                k.fds().close(fd);
            } catch (KErr e) {
                // close() is not a bpf() command; failures are reported as an object lookup would.
                throw e.toBpf(Operation.OBJ_GET_INFO_BY_FD);
            }
        }
    }

    /**
     * {@code dup(2)}.
     *
     * @param fd the descriptor
     * @return the copy
     */
    public int dup(int fd) {
        std(fd);
        return k.run(Operation.OBJ_GET_INFO_BY_FD, () -> {
            FdTable.Entry e = k.fd(fd);
            return k.fds().open(e.obj(), e.mode());
        });
    }

    /**
     * {@code BPF_OBJ_PIN}.
     *
     * @param fd the object
     * @param path where
     */
    public void pin(int fd, String path) {
        ObjRules.pin(fd, path);
        k.exec(Operation.OBJ_PIN, () -> {
            // bpf_fd_probe_obj() tries map, program and link; anything else is EINVAL, even a bad fd.
            FdTable.Entry e = k.fds().find(fd);
            if (e == null || !pinnable(e.obj())) throw KErr.of(Errno.EINVAL, "fd " + fd + " is not a map, program or link");
            k.faults().check(Operation.OBJ_PIN, e.obj());
            k.bpffs().pin(path, e.obj());
        });
    }

    private static boolean pinnable(KObject o) {
        return o.kind() == ObjKind.MAP || o.kind() == ObjKind.PROG || o.kind() == ObjKind.LINK;
    }

    /**
     * {@code BPF_OBJ_GET}.
     *
     * @param path where
     * @param fileFlags RDONLY, WRONLY or 0
     * @return a new descriptor
     */
    public int get(String path, int fileFlags) {
        ObjRules.get(path, fileFlags);
        return k.run(Operation.OBJ_GET, () -> {
            KObject o = k.bpffs().get(path);
            int mode = (fileFlags & MapFlags.RDONLY) != 0 ? FdTable.READ : (fileFlags & MapFlags.WRONLY) != 0 ? FdTable.WRITE : FdTable.RDWR;
            if (o.kind() == ObjKind.LINK && mode != FdTable.RDWR) throw KErr.of(Errno.EINVAL, "links open read-write only");
            k.faults().check(Operation.OBJ_GET, o);
            // Programs ignore the flags (bpf_prog_new_fd opens them read-write).
            return k.fds().open(o, o.kind() == ObjKind.MAP ? mode : FdTable.RDWR);
        });
    }

    /**
     * Removes a pin of the virtual bpffs (a directory is EISDIR, as {@code unlink(2)} answers).
     *
     * @param path where
     */
    public void unpin(String path) {
        ObjRules.unpin(path);
        // As the Linux backend: unlink(2) of a path on another file system would remove an
        // ordinary file, so it is refused; the simulator's only bpffs is its mount.
        String p = Bpffs.normalize(path);
        if (p == null || !k.bpffs().inside(p)) {
            throw new IllegalArgumentException("path: " + path + " is not on bpffs (the simulator's is mounted at "
                    + k.bpffs().mount() + "); refusing to unlink it");
        }
        k.exec(Operation.OBJ_PIN, () -> k.bpffs().unlink(path));
    }

    /**
     * Makes a directory on the virtual bpffs.
     *
     * @param path where
     */
    public void mkdir(String path) {
        k.exec(Operation.OBJ_PIN, () -> k.bpffs().mkdir(path));
    }

    /**
     * Removes an empty directory of the virtual bpffs.
     *
     * @param path where
     */
    public void rmdir(String path) {
        k.exec(Operation.OBJ_PIN, () -> k.bpffs().rmdir(path));
    }

    /**
     * {@code BPF_*_GET_NEXT_ID}.
     *
     * @param op the command
     * @param kind the kind
     * @param start the previous id
     * @return the next id, or 0
     */
    public int nextId(Operation op, ObjKind kind, int start) {
        ObjRules.startId(start);
        return k.run(op, () -> {
            k.faults().check(op, null);
            return k.nextId(kind, start);
        });
    }

    /**
     * {@code BPF_*_GET_FD_BY_ID}.
     *
     * @param op the command
     * @param kind the kind
     * @param id the id
     * @return a new descriptor
     */
    public int fdById(Operation op, ObjKind kind, int id) {
        ObjRules.id(id);
        return k.run(op, () -> {
            KObject o = k.byId(kind, id);
            k.faults().check(op, o);
            return k.fds().open(o, FdTable.RDWR);
        });
    }

    private KObject of(int fd, ObjKind kind) {
        KObject o = k.fd(fd).obj();
        if (o.kind() != kind) throw KErr.of(Errno.EINVAL, "fd " + fd + " is not a " + kind.name().toLowerCase(java.util.Locale.ROOT));
        k.faults().check(Operation.OBJ_GET_INFO_BY_FD, o);
        return o;
    }

    /**
     * Map info.
     *
     * @param fd the map
     * @return its info
     */
    public MapInfo mapInfo(int fd) {
        return k.run(Operation.OBJ_GET_INFO_BY_FD, () -> {
            SimMap m = (SimMap) of(fd, ObjKind.MAP);
            MapSpec s = m.spec();
            return new MapInfo(s.type(), Uapi.mapType(s.type()), m.id(), s.keySize(), s.valueSize(), m.maxEntries(),
                    m.flags(), s.name(), 0, m.btfId(), s.btfKeyTypeId(), s.btfValueTypeId(), s.mapExtra());
        });
    }

    /**
     * Program info.
     *
     * @param fd the program
     * @return its info
     */
    public ProgramInfo progInfo(int fd) {
        return k.run(Operation.OBJ_GET_INFO_BY_FD, () -> {
            SimProgram p = (SimProgram) of(fd, ObjKind.PROG);
            int[] mapIds = p.maps().stream().mapToInt(SimMap::id).toArray();
            return new ProgramInfo(p.type(), Uapi.programType(p.type()), p.id(), p.tag(), 0, p.length() * 8,
                    p.loadTimeNs(), p.uid(), mapIds, p.name(), p.gpl(), p.btfId(), p.runTimeNs(), p.runCount(), p.verified(), 0, 0);
        });
    }

    /**
     * Link info.
     *
     * @param fd the link
     * @return its info
     */
    public LinkInfo linkInfo(int fd) {
        return k.run(Operation.OBJ_GET_INFO_BY_FD, () -> ((SimLink) of(fd, ObjKind.LINK)).info());
    }

    /**
     * BTF info.
     *
     * @param fd the BTF object
     * @return its info
     */
    public BtfInfo btfInfo(int fd) {
        return k.run(Operation.OBJ_GET_INFO_BY_FD, () -> {
            SimBtf b = (SimBtf) of(fd, ObjKind.BTF);
            return new BtfInfo(b.id(), "", b.size(), false);
        });
    }

    /**
     * BTF info with the raw bytes, as Linux's {@code bpf_btf_info.btf} gives them.
     *
     * @param fd the BTF object
     * @return the blob as loaded
     */
    public byte[] btfData(int fd) {
        return k.run(Operation.OBJ_GET_INFO_BY_FD, () -> ((SimBtf) of(fd, ObjKind.BTF)).data());
    }

    /**
     * {@code BPF_BTF_LOAD}.
     *
     * @param raw the blob
     * @param logLevel the log level
     * @return the descriptor and log
     */
    public LoadResult btfLoad(byte[] raw, int logLevel) {
        ObjRules.btfLoad(raw, logLevel);
        return k.run(Operation.BTF_LOAD, () -> {
            k.faults().check(Operation.BTF_LOAD, null);
            SimBtf b;
            try {
                b = SimBtf.parse(k, raw);
            } catch (KErr e) {
                throw new VerifierException(Kernel.BACKEND, Operation.BTF_LOAD, null, e.errno(), e.errno().linux(),
                        e.getMessage() + "\n");
            }
            k.register(b);
            return new LoadResult(k.fds().open(b, FdTable.RDWR), logLevel == 0 ? "" : b.log());
        });
    }

    /**
     * {@code BPF_ENABLE_STATS}.
     *
     * @param type what to enable
     * @return the descriptor keeping it on
     */
    public int enableStats(StatsType type) {
        ObjRules.enableStats(type);
        return k.run(Operation.ENABLE_STATS, () -> {
            if (type != StatsType.RUN_TIME) throw KErr.of(Errno.EINVAL, "stats type");
            k.faults().check(Operation.ENABLE_STATS, null);
            return k.fds().open(new StatsHandle(k), FdTable.READ);
        });
    }

    /**
     * {@code read(2)} on a descriptor; the simulator has no readable BPF descriptors.
     *
     * @param fd the descriptor
     * @param buf the buffer
     * @param off where in it
     * @param len at most this many bytes
     * @return never
     */
    public int read(int fd, byte[] buf, int off, int len) {
        ObjRules.read(fd, buf, off, len);
        return k.run(Operation.ITER_CREATE, () -> {
            k.fd(fd);
            throw KErr.of(Errno.EINVAL, "not readable");
        });
    }
}
