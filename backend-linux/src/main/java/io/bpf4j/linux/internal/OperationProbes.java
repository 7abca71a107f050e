package io.bpf4j.linux.internal;

import io.bpf4j.api.AttachType;
import io.bpf4j.api.Errno;
import io.bpf4j.api.LinkOptions;
import io.bpf4j.api.LinkSpec;
import io.bpf4j.api.LinkType;
import io.bpf4j.api.MapFlags;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.Operation;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.Support;
import io.bpf4j.linux.internal.uapi.BpfAttr;
import io.bpf4j.linux.internal.uapi.LinkAttrs;
import io.bpf4j.linux.internal.uapi.LinuxUapi;
import io.bpf4j.linux.internal.uapi.MapAttrs;
import io.bpf4j.linux.internal.uapi.ObjAttrs;
import io.bpf4j.linux.internal.uapi.PerfEventAttrs;
import io.bpf4j.linux.internal.uapi.ProgAttrs;
import io.bpf4j.linux.internal.uapi.RingLayouts;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
/**
 * Probes each {@code bpf()} command with the smallest call that tells "the kernel has it" from
 * "the input was wrong", by the errno the kernel documents for the case; and the ring primitives
 * of the event readers by making what a reader makes, once.
 */
final class OperationProbes extends ProbeKit {
    OperationProbes(Kernel k) {
        super(k);
    }

    // ------------------------------------------------------------------ operations

    Support operation(Operation op) {
        Scratch s = k.scratch();
        long rc;
        switch (op) {
            case MAP_CREATE:
            case MAP_LOOKUP_ELEM:
            case MAP_UPDATE_ELEM:
            case MAP_DELETE_ELEM:
            case MAP_GET_NEXT_KEY:
            case MAP_LOOKUP_AND_DELETE_ELEM:
            case OBJ_GET_INFO_BY_FD: {
                int m = hash();
                long key = s.reserve(Scratch.KEY, 4);
                long val = s.reserve(Scratch.VALUE, 4);
                if (op == Operation.MAP_CREATE) return Support.YES;
                if (op == Operation.OBJ_GET_INFO_BY_FD) {
                    long info = s.reserve(Scratch.AUX, io.bpf4j.linux.internal.uapi.Infos.MAP_INFO_SIZE);
                    ObjAttrs.info(s.attr(), m, info, io.bpf4j.linux.internal.uapi.Infos.MAP_INFO_SIZE);
                } else {
                    MapAttrs.elem(s.attr(), m, key, op == Operation.MAP_DELETE_ELEM ? 0 : val, 0);
                }
                rc = bpf(op, s);
                return rc >= 0 || rc == -ENOENT ? Support.YES : no(op, rc, "");
            }
            case MAP_FREEZE: {
                long fd = createMap(MapSpec.of(MapType.ARRAY, 4, 4, 1));
                if (fd < 0) return no(op, fd, " (creating the array to freeze)");
                own(fd);
                MapAttrs.elem(s.attr(), (int) fd, 0, 0, 0);
                rc = bpf(op, s);
                return rc >= 0 ? Support.YES : no(op, rc, "");
            }
            case MAP_LOOKUP_BATCH:
            case MAP_LOOKUP_AND_DELETE_BATCH:
            case MAP_UPDATE_BATCH:
            case MAP_DELETE_BATCH: {
                int m = hash();
                long keys = s.reserve(Scratch.DATA, 16);
                long vals = s.reserve(Scratch.DATA2, 16);
                long out = s.reserve(Scratch.AUX2, 8);
                boolean write = op == Operation.MAP_UPDATE_BATCH;
                MapAttrs.batch(s.attr(), m, 0, write || op == Operation.MAP_DELETE_BATCH ? 0 : out, keys,
                        op == Operation.MAP_DELETE_BATCH ? 0 : vals, 1, 0, 0);
                rc = bpf(op, s);
                // An empty map answers ENOENT (walk over / key missing): the command exists.
                return rc >= 0 || rc == -ENOENT ? Support.YES : no(op, rc, "");
            }
            case PROG_LOAD:
            case PROG_TEST_RUN:
            case PROG_STREAM_READ_BY_FD: {
                rc = loadTrivial(ProgramType.SOCKET_FILTER, null);
                if (rc < 0) return no(op, rc, logTail());
                int p = own(rc);
                if (op == Operation.PROG_LOAD) return Support.YES;
                if (op == Operation.PROG_TEST_RUN) {
                    long data = s.reserve(Scratch.DATA, 64);
                    ProgAttrs.testRun(s.attr(), p, data, 64, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0);
                } else {
                    long buf = s.reserve(Scratch.DATA, 64);
                    ProgAttrs.streamRead(s.attr(), buf, 64, 2, p);
                }
                rc = bpf(op, s);
                return rc >= 0 ? Support.YES : no(op, rc, "");
            }
            case OBJ_PIN:
            case OBJ_GET: {
                // A path that cannot exist: ENOENT from the lookup proves the command exists.
                long p = s.reserve(Scratch.AUX, 64);
                BpfAttr.putCString(s.buf(Scratch.AUX), "/sys/fs/bpf/.bpf4j-probe-absent/x");
                ObjAttrs.path(s.attr(), p, op == Operation.OBJ_PIN ? hash() : 0, 0);
                rc = bpf(op, s);
                return rc >= 0 || rc == -ENOENT || rc == -EPERM ? Support.YES : no(op, rc, "");
            }
            case PROG_DETACH: {
                // On a fresh sockmap nothing can be detached by accident; the program fd -1 is
                // resolved first, so EBADF proves the command exists.
                long sm = createMap(MapSpec.of(MapType.SOCKMAP, 4, 4, 1));
                if (sm < 0) return no(sm, "creating a sockmap", SOCKMAP, "probing BPF_PROG_DETACH needs a sockmap: " + errno(sm));
                own(sm);
                LinkAttrs.attach(s.attr(), (int) sm, -1, LinuxUapi.attachType(AttachType.SK_MSG_VERDICT), 0, 0, 0, 0);
                rc = bpf(op, s);
                return rc == -EBADF || rc == -ENOENT ? Support.YES : no(op, rc, "");
            }
            case PROG_ATTACH:
            case PROG_QUERY: {
                String root = cgroup2Root();
                if (root == null) return Support.no(op + " needs a cgroup v2 mount to probe; none in /proc/self/mounts");
                int cg = openPath(root);
                if (cg < 0) return Support.no("cannot open cgroup v2 root " + root + ": " + errno(cg));
                own(cg);
                int at = LinuxUapi.attachType(AttachType.CGROUP_INET_INGRESS);
                if (op == Operation.PROG_QUERY) {
                    LinkAttrs.query(s.attr(), cg, at, 0, 0, 0, 0, 0, 0);
                } else {
                    LinkAttrs.attach(s.attr(), cg, -1, at, 0, 0, 0, 0); // fd -1: EBADF, nothing attached
                }
                rc = bpf(op, s);
                return rc >= 0 || rc == -EBADF ? Support.YES : no(op, rc, "");
            }
            case PROG_GET_NEXT_ID:
            case MAP_GET_NEXT_ID:
            case BTF_GET_NEXT_ID:
            case LINK_GET_NEXT_ID:
                ObjAttrs.id(s.attr(), 0, 0);
                rc = bpf(op, s);
                return rc >= 0 || rc == -ENOENT ? Support.YES : no(op, rc, "");
            case PROG_GET_FD_BY_ID:
            case MAP_GET_FD_BY_ID:
            case BTF_GET_FD_BY_ID:
            case LINK_GET_FD_BY_ID:
                ObjAttrs.id(s.attr(), Integer.MAX_VALUE, 0);
                rc = bpfFd(op, s);
                if (rc >= 0) {
                    own(rc);
                    return Support.YES;
                }
                return rc == -ENOENT ? Support.YES : no(op, rc, "");
            case RAW_TRACEPOINT_OPEN:
            case LINK_CREATE:
            case LINK_UPDATE:
            case LINK_DETACH:
            case ITER_CREATE:
            case PROG_BIND_MAP:
                // Every one of these first resolves a descriptor: EBADF for -1 proves the command
                // exists (an unknown command is EINVAL).
                ByteBuffer a = s.attr();
                a.putInt(op == Operation.RAW_TRACEPOINT_OPEN ? 8 : 0, -1);
                if (op == Operation.LINK_CREATE) a.putInt(4, -1);
                rc = bpf(op, s);
                return rc == -EBADF || rc >= 0 ? Support.YES : no(op, rc, "");
            case BTF_LOAD:
                return btf() >= 0 ? Support.YES : Support.no(btfFailure);
            case TASK_FD_QUERY: {
                ObjAttrs.taskFdQuery(s.attr(), (int) ProcessHandle.current().pid(), hash(), 0, 0, 0);
                rc = bpf(op, s);
                // A map is no perf event: the kernel answers ENOTSUPP once it found the file.
                return rc == -ENOTSUPP || rc == -EOPNOTSUPP || rc >= 0 ? Support.YES : no(op, rc, "");
            }
            case ENABLE_STATS:
                ObjAttrs.enableStats(s.attr(), 0);
                rc = bpf(op, s);
                if (rc >= 0) {
                    k.sys.close((int) rc);
                    return Support.YES;
                }
                return no(op, rc, "");
            case TOKEN_CREATE:
                return tokenCreate(s);
            case RINGBUF_MAP:
                return ringbufMap();
            case PERF_BUFFER_OPEN:
                return perfBufferOpen(s);
            case RING_WAIT:
                return ringWait();
            case MAP_MMAP:
                return mapMmap();
            case PROG_XLATED:
            case PROG_JITED:
                return progImage(s, op);
            case INTERFACE_INDEX:
                // libc's if_nametoindex, bound when the backend was made: nothing about the kernel
                // to probe, and a failed lookup (no such name, no descriptor left for its socket) is
                // that call's error, not a lack of support.
                return Support.YES;
            default:
                return Support.no("no probe for " + op);
        }
    }

    /** What a command asks of the caller beyond its objects (kernel/bpf/syscall.c, Linux 6.18). */
    static ProcessCaps.Need[] needs(Operation op) {
        switch (op) {
            case PROG_GET_NEXT_ID:
            case MAP_GET_NEXT_ID:
            case BTF_GET_NEXT_ID:
            case LINK_GET_NEXT_ID:
            case PROG_GET_FD_BY_ID:
            case MAP_GET_FD_BY_ID:
            case BTF_GET_FD_BY_ID:
            case LINK_GET_FD_BY_ID:
            case ENABLE_STATS:
            case TASK_FD_QUERY:
                return new ProcessCaps.Need[] {ProcessCaps.Need.SYS_ADMIN};
            case PROG_ATTACH:
            case PROG_DETACH:
            case PROG_QUERY:
                return new ProcessCaps.Need[] {ProcessCaps.Need.NET_ADMIN};
            case RAW_TRACEPOINT_OPEN:
                return new ProcessCaps.Need[] {ProcessCaps.Need.BPF, ProcessCaps.Need.PERFMON};
            case INTERFACE_INDEX:
                return new ProcessCaps.Need[0]; // a libc lookup, no privilege
            case PERF_BUFFER_OPEN:
                // A CPU-wide event (pid -1) is perfmon_capable() or perf_event_paranoid <= 0.
                return new ProcessCaps.Need[] {ProcessCaps.Need.PERFMON};
            default:
                return new ProcessCaps.Need[] {ProcessCaps.Need.BPF};
        }
    }

    private Support no(Operation op, long rc, String more) {
        if (rc == -EPERM) return Support.no(caps.eperm("BPF_" + op, needs(op)) + more);
        if (rc == -EINVAL) return Support.no("kernel does not know BPF_" + op + " (EINVAL)" + more);
        return Support.no("BPF_" + op + " probe failed: " + errno(rc) + more);
    }

    /** Maps the consumer page of a one-page ring buffer read-write, as a reader does. */
    private Support ringbufMap() {
        int page = k.sys.pageSize();
        long m = createMap(MapSpec.of(MapType.RINGBUF, 0, 0, page));
        if (m < 0) return no(m, "creating a RINGBUF map", NEEDS_BPF, "mapping ring buffers needs RINGBUF maps (Linux 5.8),"
                + " and creating one failed: " + errno(m));
        own(m);
        long a = check(k.sys.mmap(page, RingLayouts.PROT_READ | RingLayouts.PROT_WRITE, (int) m, 0), "mmap");
        if (a < 0) return Support.no("mmap of a ring buffer's consumer page failed: " + errno(a));
        k.sys.munmap(a, page);
        return Support.YES;
    }

    /**
     * Reads a trivial program's image as a dump does: the kernel has the fields since Linux 4.13,
     * and copies nothing (zeroing the pointer) for a process {@code bpf_dump_raw_ok()} refuses.
     * A kernel that does not JIT (bpf_jit_enable=0) reports a JIT image of 0 bytes, which is an
     * answer: the program has none.
     */
    private Support progImage(Scratch s, Operation op) {
        long rc = loadTrivial(ProgramType.SOCKET_FILTER, null);
        if (rc < 0) return no(Operation.PROG_LOAD, rc, " (loading a program to read its image)" + logTail());
        int p = own(rc);
        boolean xlated = op == Operation.PROG_XLATED;
        int lenAt = xlated ? io.bpf4j.linux.internal.uapi.Infos.PROG_XLATED_LEN : io.bpf4j.linux.internal.uapi.Infos.PROG_JITED_LEN;
        int ptrAt = xlated ? io.bpf4j.linux.internal.uapi.Infos.PROG_XLATED_INSNS : io.bpf4j.linux.internal.uapi.Infos.PROG_JITED_INSNS;
        int size = io.bpf4j.linux.internal.uapi.Infos.PROG_INFO_SIZE;
        long info = s.reserve(Scratch.AUX, size);
        long room = s.reserve(Scratch.AUX2, 4096);
        s.buf(Scratch.AUX).putInt(lenAt, 4096).putLong(ptrAt, room);
        ObjAttrs.info(s.attr(), p, info, size);
        rc = bpf(Operation.OBJ_GET_INFO_BY_FD, s);
        if (rc < 0) return no(Operation.OBJ_GET_INFO_BY_FD, rc, "");
        ByteBuffer b = s.buf(Scratch.AUX);
        if (b.getInt(lenAt) != 0 && b.getLong(ptrAt) == 0) {
            return Support.no("the kernel withholds program images from this process (bpf_dump_raw_ok: kernel.kptr_restrict"
                    + " and CAP_SYSLOG decide)");
        }
        if (xlated && b.getInt(lenAt) == 0) return Support.no("the kernel reports no translated instructions (xlated_prog_len 0)");
        return Support.YES;
    }

    /** Maps a one-element mmapable array, as the global data of a loaded object is mapped. */
    private Support mapMmap() {
        int page = k.sys.pageSize();
        long m = createMap(MapSpec.of(MapType.ARRAY, 4, 8, 1).withFlags(io.bpf4j.api.MapFlags.MMAPABLE));
        if (m < 0) return no(m, "creating an mmapable ARRAY map", NEEDS_BPF, "mapping maps needs BPF_F_MMAPABLE (Linux 5.5),"
                + " and creating such a map failed: " + errno(m));
        own(m);
        long a = check(k.sys.mmap(page, RingLayouts.PROT_READ | RingLayouts.PROT_WRITE, (int) m, 0), "mmap");
        if (a < 0) return Support.no("mmap of an mmapable array failed: " + errno(a));
        k.sys.munmap(a, page);
        return Support.YES;
    }

    /** Opens a BPF output event with its ring on the first online CPU, as a perf buffer reader does. */
    private Support perfBufferOpen(Scratch s) {
        long a = s.reserve(Scratch.AUX, PerfEventAttrs.SIZE);
        PerfEventAttrs.bpfOutput(s.buf(Scratch.AUX), 1, false);
        long fd = -19;
        for (int cpu = 0; cpu < k.cpus && fd == -19; cpu++) {
            fd = check(k.fd(k.sys.perfEventOpen(a, -1, cpu, -1, PerfEventAttrs.FLAG_FD_CLOEXEC)), "perf_event_open");
        }
        if (fd == -EACCES || fd == -EPERM) {
            return Support.no(caps.eperm("perf_event_open of a BPF output event", needs(Operation.PERF_BUFFER_OPEN))
                    + " (or lower /proc/sys/kernel/perf_event_paranoid)");
        }
        if (fd < 0) return Support.no("perf_event_open of a BPF output event (PERF_COUNT_SW_BPF_OUTPUT) failed: " + errno(fd));
        own(fd);
        int page = k.sys.pageSize();
        long m = check(k.sys.mmap(2L * page, RingLayouts.PROT_READ | RingLayouts.PROT_WRITE, (int) fd, 0), "mmap");
        if (m < 0) return Support.no("mmap of a BPF output event's ring failed: " + errno(m));
        k.sys.munmap(m, 2L * page);
        return Support.YES;
    }

    private Support ringWait() {
        long ep = check(k.fd(k.sys.epollCreate1(RingLayouts.EPOLL_CLOEXEC)), "epoll_create1");
        if (ep < 0) return Support.no("epoll_create1 failed: " + errno(ep));
        own(ep);
        long ev = check(k.fd(k.sys.eventfd(0, RingLayouts.EFD_CLOEXEC | RingLayouts.EFD_NONBLOCK)), "eventfd");
        if (ev < 0) return Support.no("eventfd failed: " + errno(ev));
        own(ev);
        return Support.YES;
    }

    private static final ProcessCaps.Need[] NEEDS_BPF = {ProcessCaps.Need.BPF};
    private static final int EACCES = 13;

    private Support tokenCreate(Scratch s) {
        ObjAttrs.tokenCreate(s.attr(), 0, -1);
        long rc = bpf(Operation.TOKEN_CREATE, s);
        if (rc != -EBADF) return no(Operation.TOKEN_CREATE, rc, "");
        // The command exists. The kernel refuses tokens in the initial user namespace
        // (kernel/bpf/token.c: EOPNOTSUPP), so from there no token can ever be made.
        String ns = null;
        try {
            ns = Files.readSymbolicLink(Path.of("/proc/self/ns/user")).toString();
        } catch (java.io.IOException | UnsupportedOperationException e) {
            ns = null;
        }
        if ("user:[4026531837]".equals(ns)) {
            return Support.no("BPF_TOKEN_CREATE exists, but the kernel refuses tokens in the initial user namespace"
                    + " (EOPNOTSUPP): run in a user namespace with a bpffs mounted there with delegate_* options");
        }
        return Support.YES;
    }
}
