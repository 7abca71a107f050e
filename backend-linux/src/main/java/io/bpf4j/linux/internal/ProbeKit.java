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
import io.bpf4j.linux.internal.uapi.ProgAttrs;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Asks the kernel, with the smallest real objects, what it supports. Each probe distinguishes
 * "the kernel lacks this" from "the probe's input was wrong" by the errno the kernel documents
 * for the case, and words the reason so a user can act on it. Objects made for probing are
 * closed in {@link #close()}. The operation, type and hook probes extend this kit.
 *
 * <p>A probe has three outcomes, as cilium/ebpf's feature tests do: supported, unsupported, or
 * inconclusive. Every call a probe makes goes through {@link #check(long, String)}, which ends
 * the probe with {@link Inconclusive} when the errno speaks of this moment rather than of the
 * kernel (no descriptor or memory left, an interrupted call); the gate then remembers nothing.
 */
class ProbeKit implements AutoCloseable {
    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int EINTR = 4;
    static final int EBADF = 9;
    static final int EAGAIN = 11;
    static final int ENOMEM = 12;
    static final int EINVAL = 22;
    static final int ENFILE = 23;
    static final int EMFILE = 24;
    static final int ENOBUFS = 105;
    static final int EOPNOTSUPP = 95;
    static final int ENOTSUPP = 524;
    static final int O_RDONLY_CLOEXEC = 0x80000;
    /** {@code r0 = 0; exit}. */
    static final long[] RETURN_0 = {0xb7L, 0x95L};

    final Kernel k;
    final MapCommands maps;
    final ProgCommands progs;
    final LinkCommands links;
    private final java.util.List<Integer> owned = new java.util.ArrayList<>();
    private int hash = -1;
    private int btf = -2;
    private byte[] vmlinux;
    String btfFailure;
    /** The process' capabilities, read once per probe kit: what an EPERM is explained by. */
    final ProcessCaps caps = ProcessCaps.current();

    ProbeKit(Kernel k) {
        this.k = k;
        this.maps = new MapCommands(k);
        this.progs = new ProgCommands(k);
        this.links = new LinkCommands(k);
    }

    int own(long fd) {
        owned.add((int) fd);
        return (int) fd;
    }

    @Override
    public void close() {
        for (int fd : owned) {
            k.sys.close(fd);
        }
        owned.clear();
        hash = -1;
        btf = -2;
        vmlinux = null;
    }

    static String errno(long rc) {
        int e = (int) -rc;
        Errno n = Errno.fromLinux(e);
        return (n == Errno.UNKNOWN ? "errno" : n.name()) + " (" + e + ")";
    }

    // ------------------------------------------------------------------ three outcomes

    /**
     * A probe could not finish for a reason that passes, so it tells nothing about the kernel:
     * the gate neither caches nor enforces an answer, and the command goes on to the kernel.
     */
    static final class Inconclusive extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Inconclusive(String why) {
            super(why, null, false, false);
        }
    }

    /**
     * Whether an errno says something about this moment rather than about the kernel: the
     * process or the system ran out of descriptors, memory or buffers, or the call was
     * interrupted or asked to be retried. Any probe may meet these; none of them means "no".
     */
    static boolean passing(long rc) {
        int e = (int) -rc;
        return rc < 0 && (e == EMFILE || e == ENFILE || e == ENOMEM || e == ENOBUFS || e == EINTR || e == EAGAIN);
    }

    /**
     * Passes a probe call's result on, or ends the probe as inconclusive.
     *
     * @param rc the result, or -errno
     * @param what the call, for the reason
     * @return {@code rc}
     * @throws Inconclusive when the errno is {@linkplain #passing(long) passing}
     */
    static long check(long rc, String what) {
        if (passing(rc)) throw new Inconclusive(what + ": " + errno(rc));
        return rc;
    }

    /**
     * An unsupported entry that reads right when the kernel said EPERM: then what the process
     * lacks (or that it lacks nothing), otherwise {@code why}.
     *
     * @param rc the failed call's -errno
     * @param what the call, for the EPERM reason
     * @param needs the capabilities the kernel checks for it
     * @param why the reason for any other errno
     */
    Support no(long rc, String what, ProcessCaps.Need[] needs, String why) {
        return Support.no(rc == -EPERM ? caps.eperm(what, needs) : why);
    }

    static final ProcessCaps.Need[] NET = {ProcessCaps.Need.NET_ADMIN};
    static final ProcessCaps.Need[] SOCKMAP = {ProcessCaps.Need.BPF, ProcessCaps.Need.NET_ADMIN};

    long bpf(Operation op, Scratch s) {
        return check(k.bpf(op, s), "BPF_" + op);
    }

    long bpfFd(Operation op, Scratch s) {
        return check(k.bpfFd(op, s), "BPF_" + op);
    }

    long createMap(MapSpec spec) {
        return check(maps.tryCreate(spec), "creating a " + spec.type() + " map");
    }

    long createLink(LinkSpec spec) {
        return check(links.tryCreate(k.scratch(), spec), "BPF_LINK_CREATE for BPF_" + spec.attachType());
    }

    // ------------------------------------------------------------------ shared probe objects

    int hash() {
        if (hash < 0) {
            long rc = createMap(MapSpec.of(MapType.HASH, 4, 4, 4));
            if (rc < 0) throw new IllegalStateException("cannot create a 4-entry hash map: " + errno(rc));
            hash = own(rc);
        }
        return hash;
    }

    /** A BTF object with {@code int} as type 1, or -1 with {@link #btfFailure} set. */
    int btf() {
        if (btf == -2) {
            byte[] blob = MiniBtf.intType();
            Scratch s = k.scratch();
            long a = s.put(Scratch.DATA, blob, 0, blob.length);
            ObjAttrs.btfLoad(s.attr(), a, blob.length, 0, 0, 0);
            long rc = bpfFd(Operation.BTF_LOAD, s);
            if (rc < 0) {
                btf = -1;
                btfFailure = "BTF_LOAD of a one-type blob failed: " + errno(rc);
            } else {
                btf = own(rc);
            }
        }
        return btf;
    }

    long loadTrivial(ProgramType t, AttachType expected) {
        return loadTrivial(t, expected, 0);
    }

    long loadTrivial(ProgramType t, AttachType expected, int btfId) {
        ProgramSpec spec = ProgramSpec.of(t, RETURN_0, "GPL").withExpectedAttachType(expected).withAttachBtf(btfId, 0, 0);
        // Syscall programs must be sleepable ("Syscall programs can only be sleepable", verifier.c).
        if (t == ProgramType.SYSCALL) spec = spec.withFlags(io.bpf4j.api.ProgramFlags.SLEEPABLE);
        ProgCommands.Result r = progs.tryLoad(spec);
        lastLog = r.log;
        return check(r.rc, "loading a " + t + " program");
    }

    String lastLog = "";

    String logTail() {
        if (lastLog == null || lastLog.isBlank()) return "";
        String[] lines = lastLog.strip().split("\n");
        return "; verifier: " + lines[lines.length - 1];
    }

    int openPath(String path) {
        Scratch s = k.scratch();
        long a = s.reserve(Scratch.AUX2, BpfAttr.cStringSize(path));
        BpfAttr.putCString(s.buf(Scratch.AUX2), path);
        return (int) check(k.fd(k.sys.open(a, O_RDONLY_CLOEXEC, 0)), "opening " + path);
    }

    /** The cgroup v2 mount point, or null when there is none; a failed read is inconclusive. */
    static String cgroup2Root() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
                String[] f = line.split(" ");
                if (f.length > 2 && f[2].equals("cgroup2")) return f[1];
            }
        } catch (java.io.IOException e) {
            throw new Inconclusive("reading /proc/self/mounts: " + e);
        }
        return null;
    }

    /** A BTF attach target in vmlinux: its id and name, or why there is none. */
    static final class Target {
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
    Target target(AttachType t) {
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
        if (vmlinux == null) {
            try {
                vmlinux = Files.readAllBytes(Path.of("/sys/kernel/btf/vmlinux"));
            } catch (java.io.IOException e) {
                throw new Inconclusive("reading /sys/kernel/btf/vmlinux: " + e);
            }
        }
        int id = VmlinuxBtf.find(vmlinux, kind, name);
        return id < 0 ? new Target(-1, name, "kernel BTF has no " + name + " to probe BPF_" + t + " on")
                : new Target(id, name, null);
    }

    /** Loads a trivial BTF-typed program for a hook: supported, or the kernel's answer. */
    Support traced(ProgramType pt, AttachType at) {
        Target tg = target(at);
        if (tg.id < 0) return Support.no(tg.missing);
        long rc = loadTrivial(pt, at, tg.id);
        if (rc >= 0) {
            own(rc);
            return Support.YES;
        }
        if (rc == -EPERM) {
            String why = caps.eperm("loading a " + pt + " program for BPF_" + at + " on " + tg.name, ProcessCaps.Need.BPF,
                    ProcessCaps.Need.PERFMON);
            // With the capabilities present the refusal is the trampoline's: fentry, fexit,
            // fmod_ret and LSM programs are all loaded for one, and an iterator (no trampoline) loads.
            if (caps.known() && caps.missing(ProcessCaps.Need.BPF, ProcessCaps.Need.PERFMON).isEmpty()) {
                why += "; the kernel refuses the BPF trampolines these programs attach through";
            }
            return Support.no(why + logTail());
        }
        return Support.no("kernel refused a " + pt + " program for BPF_" + at + " on " + tg.name + ": " + errno(rc)
                + logTail());
    }
}
