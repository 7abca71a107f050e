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
 * Probes map types (one tiny map of the shape each type demands) and program types (a trivial
 * program, against a real vmlinux BTF target where the type needs one).
 */
final class TypeProbes extends ProbeKit {
    TypeProbes(Kernel k) {
        super(k);
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
        long rc = createMap(spec);
        if (rc >= 0) {
            own(rc);
            return Support.YES;
        }
        if (t == MapType.STRUCT_OPS && rc == -ENOTSUPP) return Support.YES;
        if (rc == -EPERM) {
            String why = caps.eperm("creating a map of type " + t, needs(t));
            return Support.no(t == MapType.ARENA ? why + arenaRefusal() : why);
        }
        if (rc == -EINVAL) return Support.no("kernel rejects BPF_MAP_TYPE_" + t + " (EINVAL): not in this kernel");
        return Support.no("kernel cannot create BPF_MAP_TYPE_" + t + ": " + errno(rc) + " (not configured in this kernel)");
    }

    /**
     * What creating a map of a type asks of the caller ({@code map_create()} in
     * kernel/bpf/syscall.c, Linux 6.18): CAP_BPF for every type once unprivileged BPF is off,
     * and CAP_NET_ADMIN too for the maps that hold sockets and devices.
     */
    static ProcessCaps.Need[] needs(MapType t) {
        switch (t) {
            case SOCKMAP:
            case SOCKHASH:
            case DEVMAP:
            case DEVMAP_HASH:
            case XSKMAP:
                return new ProcessCaps.Need[] {ProcessCaps.Need.BPF, ProcessCaps.Need.NET_ADMIN};
            default:
                return new ProcessCaps.Need[] {ProcessCaps.Need.BPF};
        }
    }

    /**
     * Tells an EPERM from the arena's own rules from one before them. {@code arena_map_alloc()}
     * (kernel/bpf/arena.c) wants key and value size 0, max_entries pages (at least one),
     * BPF_F_MMAPABLE and a page-aligned map_extra, and rejects anything else with EINVAL; the
     * probe's map meets them all. An arena without BPF_F_MMAPABLE must get EINVAL from there:
     * EPERM for it too means the kernel refused before the arena code ran.
     */
    private String arenaRefusal() {
        long rc = createMap(MapSpec.of(MapType.ARENA, 0, 0, 1));
        if (rc >= 0) {
            own(rc);
            return "";
        }
        if (rc == -EPERM) {
            return "; even an invalid arena (no BPF_F_MMAPABLE, which the arena code rejects with EINVAL) gets EPERM,"
                    + " so the kernel refuses arena maps before it looks at them and no map attribute changes that";
        }
        return "";
    }

    // ------------------------------------------------------------------ program types

    /**
     * What loading a program of a type asks of the caller ({@code bpf_prog_load()} in
     * kernel/bpf/syscall.c, Linux 6.18): CAP_BPF, plus CAP_PERFMON for tracing types and
     * CAP_NET_ADMIN for networking types ({@code is_perfmon_prog_type},
     * {@code is_net_admin_prog_type}).
     */
    static ProcessCaps.Need[] needs(ProgramType t) {
        switch (t) {
            case KPROBE:
            case TRACEPOINT:
            case PERF_EVENT:
            case RAW_TRACEPOINT:
            case RAW_TRACEPOINT_WRITABLE:
            case TRACING:
            case LSM:
            case STRUCT_OPS:
                return new ProcessCaps.Need[] {ProcessCaps.Need.BPF, ProcessCaps.Need.PERFMON};
            case EXT:
                return new ProcessCaps.Need[] {ProcessCaps.Need.BPF, ProcessCaps.Need.PERFMON, ProcessCaps.Need.NET_ADMIN};
            case SCHED_CLS:
            case SCHED_ACT:
            case XDP:
            case LWT_IN:
            case LWT_OUT:
            case LWT_XMIT:
            case LWT_SEG6LOCAL:
            case SK_SKB:
            case SK_MSG:
            case FLOW_DISSECTOR:
            case CGROUP_DEVICE:
            case CGROUP_SOCK:
            case CGROUP_SOCK_ADDR:
            case CGROUP_SOCKOPT:
            case CGROUP_SYSCTL:
            case SOCK_OPS:
            case NETFILTER:
                return new ProcessCaps.Need[] {ProcessCaps.Need.BPF, ProcessCaps.Need.NET_ADMIN};
            default:
                return new ProcessCaps.Need[] {ProcessCaps.Need.BPF};
        }
    }

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

    /**
     * Why an eBPF for Windows program type is unsupported on Linux.
     *
     * @param t a type with {@link ProgramType#windowsOnly()}
     * @return the refusal
     */
    static Support windowsOnly(ProgramType t) {
        return Support.no("eBPF for Windows only program type: " + t + " (BPF_PROG_TYPE_" + t
                + " of eBPF for Windows' include/ebpf_structs.h) does not exist in Linux");
    }

    Support programType(ProgramType t) {
        if (t == ProgramType.UNSPEC) return Support.no("UNSPEC is not a program type");
        if (t.windowsOnly()) return windowsOnly(t);
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
                    + "trampolines as fentry programs do, and for fentry: " + fentry.reason());
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
            why = caps.eperm("loading a program of type " + t, needs(t)) + logTail();
        } else {
            why = "kernel refused a trivial BPF_PROG_TYPE_" + t + " program: " + errno(rc) + logTail();
        }
        return Support.no(why);
    }
}
