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
import io.bpf4j.internal.wire.BpfAttr;
import io.bpf4j.internal.wire.LinkAttrs;
import io.bpf4j.internal.wire.LinuxUapi;
import io.bpf4j.internal.wire.MapAttrs;
import io.bpf4j.internal.wire.ObjAttrs;
import io.bpf4j.internal.wire.ProgAttrs;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Asks the kernel, with the smallest real objects, what it supports. Each probe distinguishes
 * "the kernel lacks this" from "the probe's input was wrong" by the errno the kernel documents
 * for the case, and words the reason so a user can act on it. Objects made for probing are
 * closed in {@link #close()}.
 */
final class Probes implements AutoCloseable {
    private static final int EPERM = 1;
    private static final int ENOENT = 2;
    private static final int EBADF = 9;
    private static final int EINVAL = 22;
    private static final int EOPNOTSUPP = 95;
    private static final int ENOTSUPP = 524;
    private static final int O_RDONLY_CLOEXEC = 0x80000;
    /** {@code r0 = 0; exit}. */
    static final long[] RETURN_0 = {0xb7L, 0x95L};

    private final Kernel k;
    private final MapCommands maps;
    private final ProgCommands progs;
    private final LinkCommands links;
    private final java.util.List<Integer> owned = new java.util.ArrayList<>();
    private int hash = -1;
    private int btf = -2;
    private String btfFailure;

    Probes(Kernel k) {
        this.k = k;
        InfoCommands info = new InfoCommands(k);
        this.maps = new MapCommands(k, info);
        this.progs = new ProgCommands(k);
        this.links = new LinkCommands(k);
    }

    private int own(long fd) {
        owned.add((int) fd);
        return (int) fd;
    }

    @Override
    public void close() {
        for (int fd : owned) {
            k.shapes.remove(fd);
            k.sys.close(fd);
        }
        owned.clear();
        hash = -1;
        btf = -2;
    }

    private static String errno(long rc) {
        int e = (int) -rc;
        Errno n = Errno.fromLinux(e);
        return (n == Errno.UNKNOWN ? "errno" : n.name()) + " (" + e + ")";
    }

    // ------------------------------------------------------------------ shared probe objects

    private int hash() {
        if (hash < 0) {
            long rc = maps.tryCreate(MapSpec.of(MapType.HASH, 4, 4, 4));
            if (rc < 0) throw new IllegalStateException("cannot create a 4-entry hash map: " + errno(rc));
            hash = own(rc);
        }
        return hash;
    }

    /** A BTF object with {@code int} as type 1, or -1 with {@link #btfFailure} set. */
    private int btf() {
        if (btf == -2) {
            byte[] blob = MiniBtf.intType();
            Scratch s = k.scratch();
            long a = s.put(Scratch.DATA, blob, 0, blob.length);
            ObjAttrs.btfLoad(s.attr(), a, blob.length, 0, 0, 0);
            long rc = k.bpf(Operation.BTF_LOAD, s);
            if (rc < 0) {
                btf = -1;
                btfFailure = "BTF_LOAD of a one-type blob failed: " + errno(rc);
            } else {
                btf = own(rc);
            }
        }
        return btf;
    }

    private long loadTrivial(ProgramType t, AttachType expected) {
        return loadTrivial(t, expected, 0);
    }

    private long loadTrivial(ProgramType t, AttachType expected, int btfId) {
        ProgramSpec spec = ProgramSpec.of(t, RETURN_0, "GPL").withExpectedAttachType(expected).withAttachBtf(btfId, 0, 0);
        // Syscall programs must be sleepable ("Syscall programs can only be sleepable", verifier.c).
        if (t == ProgramType.SYSCALL) spec = spec.withFlags(io.bpf4j.api.ProgramFlags.SLEEPABLE);
        ProgCommands.Result r = progs.tryLoad(spec);
        lastLog = r.log;
        return r.rc;
    }

    private String lastLog = "";

    private String logTail() {
        if (lastLog == null || lastLog.isBlank()) return "";
        String[] lines = lastLog.strip().split("\n");
        return "; verifier: " + lines[lines.length - 1];
    }

    private int openPath(String path) {
        Scratch s = k.scratch();
        long a = s.reserve(Scratch.AUX2, BpfAttr.cStringSize(path));
        BpfAttr.putCString(s.buf(Scratch.AUX2), path);
        return k.sys.open(a, O_RDONLY_CLOEXEC, 0);
    }

    private static String cgroup2Root() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
                String[] f = line.split(" ");
                if (f.length > 2 && f[2].equals("cgroup2")) return f[1];
            }
        } catch (java.io.IOException e) {
            return null;
        }
        return null;
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
                    long info = s.reserve(Scratch.AUX, io.bpf4j.internal.wire.Infos.MAP_INFO_SIZE);
                    ObjAttrs.info(s.attr(), m, info, io.bpf4j.internal.wire.Infos.MAP_INFO_SIZE);
                } else {
                    MapAttrs.elem(s.attr(), m, key, op == Operation.MAP_DELETE_ELEM ? 0 : val, 0);
                }
                rc = k.bpf(op, s);
                return rc >= 0 || rc == -ENOENT ? Support.YES : no(op, rc, "");
            }
            case MAP_FREEZE: {
                long fd = maps.tryCreate(MapSpec.of(MapType.ARRAY, 4, 4, 1));
                if (fd < 0) return no(op, fd, " (creating the array to freeze)");
                own(fd);
                MapAttrs.elem(s.attr(), (int) fd, 0, 0, 0);
                rc = k.bpf(op, s);
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
                rc = k.bpf(op, s);
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
                rc = k.bpf(op, s);
                return rc >= 0 ? Support.YES : no(op, rc, "");
            }
            case OBJ_PIN:
            case OBJ_GET: {
                // A path that cannot exist: ENOENT from the lookup proves the command exists.
                long p = s.reserve(Scratch.AUX, 64);
                BpfAttr.putCString(s.buf(Scratch.AUX), "/sys/fs/bpf/.bpf4j-probe-absent/x");
                ObjAttrs.path(s.attr(), p, op == Operation.OBJ_PIN ? hash() : 0, 0);
                rc = k.bpf(op, s);
                return rc >= 0 || rc == -ENOENT || rc == -EPERM ? Support.YES : no(op, rc, "");
            }
            case PROG_DETACH: {
                // On a fresh sockmap nothing can be detached by accident; the program fd -1 is
                // resolved first, so EBADF proves the command exists.
                long sm = maps.tryCreate(MapSpec.of(MapType.SOCKMAP, 4, 4, 1));
                if (sm < 0) return Support.no("probing BPF_PROG_DETACH needs a sockmap: " + errno(sm));
                own(sm);
                LinkAttrs.attach(s.attr(), (int) sm, -1, LinuxUapi.attachType(AttachType.SK_MSG_VERDICT), 0, 0, 0, 0);
                rc = k.bpf(op, s);
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
                rc = k.bpf(op, s);
                return rc >= 0 || rc == -EBADF ? Support.YES : no(op, rc, "");
            }
            case PROG_GET_NEXT_ID:
            case MAP_GET_NEXT_ID:
            case BTF_GET_NEXT_ID:
            case LINK_GET_NEXT_ID:
                ObjAttrs.id(s.attr(), 0, 0);
                rc = k.bpf(op, s);
                return rc >= 0 || rc == -ENOENT ? Support.YES : no(op, rc, "");
            case PROG_GET_FD_BY_ID:
            case MAP_GET_FD_BY_ID:
            case BTF_GET_FD_BY_ID:
            case LINK_GET_FD_BY_ID:
                ObjAttrs.id(s.attr(), Integer.MAX_VALUE, 0);
                rc = k.bpf(op, s);
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
                rc = k.bpf(op, s);
                return rc == -EBADF || rc >= 0 ? Support.YES : no(op, rc, "");
            case BTF_LOAD:
                return btf() >= 0 ? Support.YES : Support.no(btfFailure);
            case TASK_FD_QUERY: {
                ObjAttrs.taskFdQuery(s.attr(), (int) ProcessHandle.current().pid(), hash(), 0, 0, 0);
                rc = k.bpf(op, s);
                // A map is no perf event: the kernel answers ENOTSUPP once it found the file.
                return rc == -ENOTSUPP || rc == -EOPNOTSUPP || rc >= 0 ? Support.YES : no(op, rc, "");
            }
            case ENABLE_STATS:
                ObjAttrs.enableStats(s.attr(), 0);
                rc = k.bpf(op, s);
                if (rc >= 0) {
                    k.sys.close((int) rc);
                    return Support.YES;
                }
                return no(op, rc, "");
            case TOKEN_CREATE:
                return tokenCreate(s);
            default:
                return Support.no("no probe for " + op);
        }
    }

    private static Support no(Operation op, long rc, String more) {
        if (rc == -EPERM) return Support.no("not permitted: BPF_" + op + " returned EPERM; run as root or grant CAP_BPF" + more);
        if (rc == -EINVAL) return Support.no("kernel does not know BPF_" + op + " (EINVAL)" + more);
        return Support.no("BPF_" + op + " probe failed: " + errno(rc) + more);
    }

    private Support tokenCreate(Scratch s) {
        ObjAttrs.tokenCreate(s.attr(), 0, -1);
        long rc = k.bpf(Operation.TOKEN_CREATE, s);
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

    // ------------------------------------------------------------------ map types

    Support mapType(MapType t) {
        if (t == MapType.UNSPEC) return Support.no("UNSPEC is not a map type");
        MapSpec spec;
        switch (t) {
            case STACK_TRACE:
                spec = MapSpec.of(t, 4, 8, 1);
                break;
            case LPM_TRIE: // the kernel requires NO_PREALLOC and a key of prefixlen + data
                spec = MapSpec.of(t, 8, 4, 1).withFlags(MapFlags.NO_PREALLOC);
                break;
            case ARRAY_OF_MAPS:
            case HASH_OF_MAPS:
                spec = MapSpec.of(t, 4, 4, 1).withInnerMapFd(hash());
                break;
            case CGROUP_STORAGE:
            case PERCPU_CGROUP_STORAGE: // key: u64 cgroup inode id; max_entries must be 0
                spec = MapSpec.of(t, 8, 4, 0);
                break;
            case QUEUE:
            case STACK:
            case BLOOM_FILTER:
                spec = MapSpec.of(t, 0, 4, 1);
                break;
            case SK_STORAGE:
            case INODE_STORAGE:
            case TASK_STORAGE:
            case CGRP_STORAGE: {
                int b = btf();
                if (b < 0) return Support.no(t + " maps need BTF for key and value, and " + btfFailure);
                spec = MapSpec.of(t, 4, 4, 0).withFlags(MapFlags.NO_PREALLOC).withBtf(b, 1, 1);
                break;
            }
            case STRUCT_OPS:
                // Type id 1 of vmlinux is never a struct_ops value: a kernel that has struct_ops
                // maps answers ENOTSUPP after accepting the map type (as libbpf/cilium probe it).
                spec = new MapSpec(t, 4, 4, 1, 0, "", 0, 0, 0, 0, 0, 0, 1, 0, 0);
                break;
            case RINGBUF:
            case USER_RINGBUF: // a power-of-two multiple of the page size (64 KiB suits 4K-64K pages)
                spec = MapSpec.of(t, 0, 0, 64 * 1024);
                break;
            case ARENA:
                spec = MapSpec.of(t, 0, 0, 1).withFlags(MapFlags.MMAPABLE);
                break;
            default:
                spec = MapSpec.of(t, 4, 4, 1);
        }
        long rc = maps.tryCreate(spec);
        if (rc >= 0) {
            own(rc);
            return Support.YES;
        }
        if (t == MapType.STRUCT_OPS && rc == -ENOTSUPP) return Support.YES;
        if (rc == -EPERM) return Support.no("not permitted to create " + t + " maps (EPERM); run as root or grant CAP_BPF");
        if (rc == -EINVAL) return Support.no("kernel rejects BPF_MAP_TYPE_" + t + " (EINVAL): not in this kernel");
        return Support.no("kernel cannot create BPF_MAP_TYPE_" + t + ": " + errno(rc) + " (not configured in this kernel)");
    }

    // ------------------------------------------------------------------ program types

    static AttachType expectedAttachType(ProgramType t) {
        switch (t) {
            case CGROUP_SOCK_ADDR:
                return AttachType.CGROUP_INET4_CONNECT;
            case SK_LOOKUP:
                return AttachType.SK_LOOKUP;
            case NETFILTER:
                return AttachType.NETFILTER;
            case CGROUP_SOCKOPT:
                return AttachType.CGROUP_GETSOCKOPT;
            case TRACING:
                return AttachType.TRACE_FENTRY;
            case LSM:
                return AttachType.LSM_MAC;
            default:
                return null;
        }
    }

    Support programType(ProgramType t) {
        if (t == ProgramType.UNSPEC) return Support.no("UNSPEC is not a program type");
        if (t == ProgramType.TRACING) {
            // Iterators are TRACING programs that need no trampoline: the type exists if one loads.
            Target it = target(AttachType.TRACE_ITER);
            if (it.id < 0) return Support.no(it.missing);
            long rc = loadTrivial(t, AttachType.TRACE_ITER, it.id);
            if (rc >= 0) {
                own(rc);
                return Support.YES;
            }
            return Support.no("kernel refused a TRACING iterator program on " + it.name + ": " + errno(rc) + logTail());
        }
        if (t == ProgramType.LSM) return traced(ProgramType.LSM, AttachType.LSM_MAC);
        if (t == ProgramType.EXT) {
            // freplace attaches through the same BPF trampolines as fentry; a probe of its own
            // would need a target program with BTF function info.
            Support fentry = traced(ProgramType.TRACING, AttachType.TRACE_FENTRY);
            return fentry.supported() ? Support.YES : Support.no("EXT (freplace) programs attach through BPF "
                    + "trampolines, which this kernel refuses: " + fentry.reason());
        }
        long rc = loadTrivial(t, expectedAttachType(t));
        if (rc >= 0) {
            own(rc);
            return Support.YES;
        }
        // struct_ops programs need the BTF id of a struct_ops member; a kernel that has the
        // type gets past the type check and answers ENOTSUPP for the missing id.
        if (t == ProgramType.STRUCT_OPS && rc == -ENOTSUPP) return Support.YES;
        String why;
        if (t == ProgramType.LIRC_MODE2) {
            why = "kernel has no LIRC support (CONFIG_BPF_LIRC_MODE2 off: loading LIRC_MODE2 returns " + errno(rc) + ")";
        } else if (rc == -EPERM) {
            why = "not permitted to load " + t + " programs (EPERM); run as root or grant CAP_BPF";
        } else {
            why = "kernel refused a trivial BPF_PROG_TYPE_" + t + " program: " + errno(rc) + logTail();
        }
        return Support.no(why);
    }

    /** A BTF attach target in vmlinux: its id and name, or why there is none. */
    private static final class Target {
        final int id;
        final String name;
        final String missing;

        Target(int id, String name, String missing) {
            this.id = id;
            this.name = name;
            this.missing = missing;
        }
    }

    /** The vmlinux function (or tracepoint typedef) each BTF-typed hook is probed on. */
    private Target target(AttachType t) {
        String name;
        int kind = VmlinuxBtf.KIND_FUNC;
        switch (t) {
            case TRACE_ITER:
                name = "bpf_iter_bpf_map";
                break;
            case MODIFY_RETURN:
                name = "bpf_modify_return_test";
                break;
            case TRACE_RAW_TP:
                name = "btf_trace_sys_enter";
                kind = 8; // TYPEDEF
                break;
            case LSM_MAC:
            case LSM_CGROUP:
                name = "bpf_lsm_socket_create";
                break;
            default:
                name = "bpf_fentry_test1";
        }
        if (!Files.exists(Path.of("/sys/kernel/btf/vmlinux"))) {
            return new Target(-1, name, "kernel has no BTF (/sys/kernel/btf/vmlinux missing; CONFIG_DEBUG_INFO_BTF off)"
                    + ", which BTF-typed programs need");
        }
        int id = VmlinuxBtf.find(kind, name);
        return id < 0 ? new Target(-1, name, "kernel BTF has no " + name + " to probe BPF_" + t + " on")
                : new Target(id, name, null);
    }

    /** Loads a trivial BTF-typed program for a hook: supported, or the kernel's answer. */
    private Support traced(ProgramType pt, AttachType at) {
        Target tg = target(at);
        if (tg.id < 0) return Support.no(tg.missing);
        long rc = loadTrivial(pt, at, tg.id);
        if (rc >= 0) {
            own(rc);
            return Support.YES;
        }
        return Support.no("kernel refused a " + pt + " program for BPF_" + at + " on " + tg.name + ": " + errno(rc)
                + logTail() + (rc == -EPERM ? " (not a capability problem: the load runs as root with every capability;"
                        + " the kernel refuses to attach BPF trampolines here)" : ""));
    }

    // ------------------------------------------------------------------ attach and link types

    static ProgramType programTypeOf(AttachType t) {
        switch (t) {
            case CGROUP_INET_INGRESS:
            case CGROUP_INET_EGRESS:
                return ProgramType.CGROUP_SKB;
            case CGROUP_INET_SOCK_CREATE:
            case CGROUP_INET4_POST_BIND:
            case CGROUP_INET6_POST_BIND:
            case CGROUP_INET_SOCK_RELEASE:
                return ProgramType.CGROUP_SOCK;
            case CGROUP_SOCK_OPS:
                return ProgramType.SOCK_OPS;
            case CGROUP_DEVICE:
                return ProgramType.CGROUP_DEVICE;
            case CGROUP_SYSCTL:
                return ProgramType.CGROUP_SYSCTL;
            case CGROUP_GETSOCKOPT:
            case CGROUP_SETSOCKOPT:
                return ProgramType.CGROUP_SOCKOPT;
            case SK_SKB_STREAM_PARSER:
            case SK_SKB_STREAM_VERDICT:
            case SK_SKB_VERDICT:
                return ProgramType.SK_SKB;
            case SK_MSG_VERDICT:
                return ProgramType.SK_MSG;
            case LIRC_MODE2:
                return ProgramType.LIRC_MODE2;
            case FLOW_DISSECTOR:
                return ProgramType.FLOW_DISSECTOR;
            case SK_LOOKUP:
                return ProgramType.SK_LOOKUP;
            case TRACE_RAW_TP:
            case TRACE_FENTRY:
            case TRACE_FEXIT:
            case MODIFY_RETURN:
            case TRACE_ITER:
                return ProgramType.TRACING;
            case LSM_MAC:
            case LSM_CGROUP:
                return ProgramType.LSM;
            case XDP:
            case XDP_DEVMAP:
            case XDP_CPUMAP:
                return ProgramType.XDP;
            case SK_REUSEPORT_SELECT:
            case SK_REUSEPORT_SELECT_OR_MIGRATE:
                return ProgramType.SK_REUSEPORT;
            case PERF_EVENT:
                return ProgramType.PERF_EVENT;
            case TRACE_KPROBE_MULTI:
            case TRACE_KPROBE_SESSION:
            case TRACE_UPROBE_MULTI:
            case TRACE_UPROBE_SESSION:
                return ProgramType.KPROBE;
            case STRUCT_OPS:
                return ProgramType.STRUCT_OPS;
            case NETFILTER:
                return ProgramType.NETFILTER;
            case TCX_INGRESS:
            case TCX_EGRESS:
            case NETKIT_PRIMARY:
            case NETKIT_PEER:
                return ProgramType.SCHED_CLS;
            default: // the cgroup sock_addr hooks
                return ProgramType.CGROUP_SOCK_ADDR;
        }
    }

    Support attachType(AttachType t) {
        ProgramType pt = programTypeOf(t);
        Support ps = k.gate.programType(pt);
        if (!ps.supported()) return Support.no(t + " needs " + pt + " programs: " + ps.reason());
        Scratch s = k.scratch();
        switch (t) {
            case TRACE_KPROBE_MULTI:
            case TRACE_KPROBE_SESSION:
                return kprobeMulti(t);
            case TRACE_UPROBE_MULTI:
            case TRACE_UPROBE_SESSION:
                return uprobeMulti(t);
            case NETKIT_PRIMARY:
            case NETKIT_PEER:
            case TCX_INGRESS:
            case TCX_EGRESS: {
                LinkAttrs.query(s.attr(), 1 /* lo */, LinuxUapi.attachType(t), 0, 0, 0, 0, 0, 0);
                long rc = k.bpf(Operation.PROG_QUERY, s);
                if (rc >= 0 || (t.name().startsWith("NETKIT") && rc != -EINVAL)) return Support.YES;
                if (t.name().startsWith("NETKIT")) {
                    return Support.no("kernel has no netkit support (CONFIG_NETKIT off: BPF_PROG_QUERY for BPF_" + t
                            + " returns EINVAL)");
                }
                return Support.no("kernel has no TCX (BPF_PROG_QUERY for BPF_" + t + " on lo: " + errno(rc) + "; needs Linux 6.6)");
            }
            case FLOW_DISSECTOR:
            case SK_LOOKUP: {
                int ns = openPath("/proc/self/ns/net");
                if (ns < 0) return Support.no("cannot open /proc/self/ns/net to probe " + t + ": " + errno(ns));
                own(ns);
                LinkAttrs.query(s.attr(), ns, LinuxUapi.attachType(t), 0, 0, 0, 0, 0, 0);
                long rc = k.bpf(Operation.PROG_QUERY, s);
                return rc >= 0 ? Support.YES : Support.no("BPF_PROG_QUERY for BPF_" + t + " on a netns: " + errno(rc));
            }
            case SK_SKB_STREAM_PARSER:
            case SK_SKB_STREAM_VERDICT:
            case SK_SKB_VERDICT:
            case SK_MSG_VERDICT: {
                long sm = maps.tryCreate(MapSpec.of(MapType.SOCKMAP, 4, 4, 1));
                if (sm < 0) return Support.no(t + " attaches to a sockmap, and creating one failed: " + errno(sm));
                own(sm);
                LinkAttrs.query(s.attr(), (int) sm, LinuxUapi.attachType(t), 0, 0, 0, 0, 0, 0);
                long rc = k.bpf(Operation.PROG_QUERY, s);
                return rc >= 0 ? Support.YES : Support.no("BPF_PROG_QUERY for BPF_" + t + " on a sockmap: " + errno(rc));
            }
            case TRACE_RAW_TP:
            case TRACE_FENTRY:
            case TRACE_FEXIT:
            case MODIFY_RETURN:
                return traced(ProgramType.TRACING, t);
            case LSM_MAC:
            case LSM_CGROUP:
                return traced(ProgramType.LSM, t);
            case TRACE_ITER: {
                Target it = target(t);
                long p = loadTrivial(ProgramType.TRACING, t, it.id);
                if (p < 0) return Support.no("kernel refused an iterator program: " + errno(p) + logTail());
                own(p);
                long rc = links.tryCreate(k.scratch(), new LinkSpec((int) p, 0, t, 0, LinkOptions.Iter.NONE));
                if (rc >= 0) {
                    own(rc);
                    return Support.YES;
                }
                return Support.no("kernel refused an iterator link on " + it.name + ": " + errno(rc));
            }
            case PERF_EVENT: {
                // A perf event link resolves its target as a perf event first: EBADF for a map
                // descriptor proves the kernel has perf event links (Linux 5.15+).
                long p = loadTrivial(ProgramType.TRACEPOINT, null);
                if (p < 0) return Support.no("kernel refused a TRACEPOINT program: " + errno(p) + logTail());
                own(p);
                long rc = links.tryCreate(k.scratch(), LinkSpec.of((int) p, hash(), t, 0));
                if (rc >= 0) own(rc);
                return rc == -EBADF || rc >= 0 ? Support.YES
                        : Support.no("kernel has no perf event links (BPF_LINK_CREATE for BPF_PERF_EVENT: " + errno(rc) + ")");
            }
            case XDP:
            case STRUCT_OPS:
            case LIRC_MODE2:
                return ps; // the program type decides; XDP and perf event links need no more
            case XDP_DEVMAP:
            case XDP_CPUMAP:
            case SK_REUSEPORT_SELECT:
            case SK_REUSEPORT_SELECT_OR_MIGRATE:
            case NETFILTER: {
                long rc = loadTrivial(pt, t);
                if (rc >= 0) {
                    own(rc);
                    return Support.YES;
                }
                return Support.no("kernel refused a " + pt + " program for BPF_" + t + ": " + errno(rc) + logTail());
            }
            default: { // cgroup hooks: the query answers EINVAL for hooks the kernel does not know
                String root = cgroup2Root();
                if (root == null) return Support.no(t + " needs cgroup v2; no cgroup2 mount in /proc/self/mounts");
                int cg = openPath(root);
                if (cg < 0) return Support.no("cannot open cgroup v2 root " + root + ": " + errno(cg));
                own(cg);
                LinkAttrs.query(s.attr(), cg, LinuxUapi.attachType(t), 0, 0, 0, 0, 0, 0);
                long rc = k.bpf(Operation.PROG_QUERY, s);
                return rc >= 0 ? Support.YES : Support.no("kernel does not know cgroup hook BPF_" + t
                        + " (BPF_PROG_QUERY on " + root + ": " + errno(rc) + ")");
            }
        }
    }

    private static String kprobeEvidence() {
        boolean pmu = Files.exists(Path.of("/sys/bus/event_source/devices/kprobe"));
        boolean events = Files.exists(Path.of("/sys/kernel/tracing/kprobe_events"))
                || Files.exists(Path.of("/sys/kernel/debug/tracing/kprobe_events"));
        if (pmu || events) return null;
        return "CONFIG_KPROBES off: no kprobe PMU in /sys/bus/event_source/devices and no kprobe_events in tracefs";
    }

    private Support kprobeMulti(AttachType t) {
        long p = loadTrivial(ProgramType.KPROBE, t);
        String evidence = kprobeEvidence();
        if (p < 0) {
            return Support.no("kernel refused a KPROBE program for BPF_" + t + ": " + errno(p)
                    + (evidence != null ? "; kernel has no kprobe support (" + evidence + ")" : ""));
        }
        own(p);
        LinkOptions.KprobeMulti o = new LinkOptions.KprobeMulti(new String[] {"vprintk"}, null, null);
        long rc = links.tryCreate(k.scratch(), new LinkSpec((int) p, 0, t, 0, o));
        if (rc >= 0) {
            own(rc);
            return Support.YES;
        }
        return Support.no("kernel has no kprobe support (" + (evidence != null ? evidence
                : "kprobe_multi needs CONFIG_FPROBE") + "; BPF_LINK_CREATE kprobe_multi on vprintk: " + errno(rc) + ")");
    }

    private Support uprobeMulti(AttachType t) {
        long p = loadTrivial(ProgramType.KPROBE, t);
        if (p < 0) return Support.no("kernel refused a KPROBE program for BPF_" + t + ": " + errno(p) + logTail());
        own(p);
        // "/" is no regular file: a kernel with uprobe_multi links answers EBADF (as cilium probes it).
        LinkOptions.UprobeMulti o = new LinkOptions.UprobeMulti("/", new long[] {0}, null, null, 0);
        long rc = links.tryCreate(k.scratch(), new LinkSpec((int) p, 0, t, 0, o));
        if (rc >= 0) {
            own(rc);
            return Support.YES;
        }
        if (rc == -EBADF) return Support.YES;
        return Support.no("kernel has no uprobe_multi links for BPF_" + t + " (CONFIG_UPROBES/Linux 6.6+: BPF_LINK_CREATE: "
                + errno(rc) + ")");
    }

    Support linkType(LinkType t) {
        switch (t) {
            case UNSPEC:
                return Support.no("UNSPEC is not a link type");
            case RAW_TRACEPOINT: {
                Support ps = k.gate.programType(ProgramType.RAW_TRACEPOINT);
                if (!ps.supported()) return Support.no("raw tracepoint links need RAW_TRACEPOINT programs: " + ps.reason());
                return k.gate.operation(Operation.RAW_TRACEPOINT_OPEN);
            }
            case TRACING:
                return via(t, AttachType.TRACE_FENTRY);
            case CGROUP:
                return via(t, AttachType.CGROUP_INET_INGRESS);
            case ITER:
                return via(t, AttachType.TRACE_ITER);
            case NETNS:
                return via(t, AttachType.FLOW_DISSECTOR);
            case XDP:
                return via(t, AttachType.XDP);
            case PERF_EVENT:
                return via(t, AttachType.PERF_EVENT);
            case KPROBE_MULTI:
                return via(t, AttachType.TRACE_KPROBE_MULTI);
            case STRUCT_OPS:
                return via(t, AttachType.STRUCT_OPS);
            case NETFILTER:
                return via(t, AttachType.NETFILTER);
            case TCX:
                return via(t, AttachType.TCX_INGRESS);
            case UPROBE_MULTI:
                return via(t, AttachType.TRACE_UPROBE_MULTI);
            case NETKIT:
                return via(t, AttachType.NETKIT_PRIMARY);
            case SOCKMAP:
                return sockmapLink();
            default:
                return Support.no("no probe for link type " + t);
        }
    }

    private Support via(LinkType t, AttachType at) {
        Support op = k.gate.operation(Operation.LINK_CREATE);
        if (!op.supported()) return op;
        Support s = k.gate.attachType(at);
        return s.supported() ? Support.YES : Support.no(t + " links need BPF_" + at + ": " + s.reason());
    }

    private Support sockmapLink() {
        Support s = via(LinkType.SOCKMAP, AttachType.SK_SKB_VERDICT);
        if (!s.supported()) return s;
        long p = loadTrivial(ProgramType.SK_SKB, AttachType.SK_SKB_VERDICT);
        if (p < 0) return Support.no("kernel refused an SK_SKB verdict program: " + errno(p) + logTail());
        own(p);
        long sm = maps.tryCreate(MapSpec.of(MapType.SOCKMAP, 4, 4, 1));
        if (sm < 0) return Support.no("creating a sockmap failed: " + errno(sm));
        own(sm);
        long rc = links.tryCreate(k.scratch(), LinkSpec.of((int) p, (int) sm, AttachType.SK_SKB_VERDICT, 0));
        if (rc >= 0) {
            own(rc);
            return Support.YES;
        }
        return Support.no("kernel has no sockmap links (Linux 6.10+): BPF_LINK_CREATE for BPF_SK_SKB_VERDICT: " + errno(rc));
    }
}
