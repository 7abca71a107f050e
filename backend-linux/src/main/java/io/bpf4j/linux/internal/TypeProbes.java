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
}
