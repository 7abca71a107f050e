package io.bpf4j.internal.rules;

import io.bpf4j.api.AttachFlags;
import io.bpf4j.api.AttachSpec;
import io.bpf4j.api.AttachTarget;
import io.bpf4j.api.AttachType;
import io.bpf4j.api.LinkOptions;
import io.bpf4j.api.LinkSpec;
import io.bpf4j.api.QuerySpec;
import java.util.Objects;

/**
 * The input rules of the attach and link commands, among them which {@link LinkOptions} each
 * hook takes: options of another hook would be read by the kernel as a different member of the
 * {@code link_create} union, so every backend refuses them the same way.
 */
public final class LinkRules {
    /** Every attach flag Linux 6.18 defines for {@code BPF_PROG_ATTACH} and {@code BPF_LINK_CREATE}. */
    public static final int KNOWN_ATTACH_FLAGS = AttachFlags.ALLOW_OVERRIDE | AttachFlags.ALLOW_MULTI
            | AttachFlags.REPLACE | AttachFlags.BEFORE | AttachFlags.AFTER | AttachFlags.ID | AttachFlags.LINK;

    private LinkRules() {
    }

    /**
     * {@code BPF_PROG_ATTACH} and {@code BPF_PROG_DETACH}.
     *
     * @param spec the attributes
     * @throws NullPointerException when {@code spec} is null
     * @throws IllegalArgumentException naming the bad attribute
     */
    public static void attach(AttachSpec spec) {
        Objects.requireNonNull(spec, "spec");
        if (spec.target() < 0) throw new IllegalArgumentException("target: negative (" + spec.target() + ")");
        ObjRules.fd(spec.progFd(), "progFd");
        ObjRules.fd(spec.replaceFd(), "replaceFd");
        if ((spec.flags() & ~KNOWN_ATTACH_FLAGS) != 0) {
            throw new IllegalArgumentException("flags: unknown bits 0x" + Integer.toHexString(spec.flags() & ~KNOWN_ATTACH_FLAGS));
        }
    }

    /**
     * {@code BPF_PROG_QUERY}.
     *
     * @param spec the attributes
     * @throws NullPointerException when {@code spec} is null
     * @throws IllegalArgumentException naming the bad attribute
     */
    public static void query(QuerySpec spec) {
        Objects.requireNonNull(spec, "spec");
        if (spec.target() < 0) throw new IllegalArgumentException("target: negative (" + spec.target() + ")");
        if ((spec.queryFlags() & ~QuerySpec.EFFECTIVE) != 0) throw new IllegalArgumentException("queryFlags: unknown bits");
    }

    /**
     * {@code BPF_LINK_CREATE}: descriptors, the options the hook takes, and what the options
     * hand the kernel as C strings.
     *
     * @param spec the attributes
     * @throws NullPointerException when {@code spec} is null
     * @throws IllegalArgumentException naming the bad attribute
     */
    public static void create(LinkSpec spec) {
        Objects.requireNonNull(spec, "spec");
        ObjRules.fd(spec.progFd(), "progFd");
        if (spec.target() < 0) throw new IllegalArgumentException("target: negative (" + spec.target() + ")");
        options(spec.attachType(), spec.options());
        if (spec.options() instanceof LinkOptions.KprobeMulti) {
            String[] symbols = ((LinkOptions.KprobeMulti) spec.options()).symbols();
            if (symbols != null) {
                for (int i = 0; i < symbols.length; i++) {
                    if (symbols[i] == null || symbols[i].isEmpty()) throw new IllegalArgumentException("symbols[" + i + "]: empty");
                    if (symbols[i].indexOf('\0') >= 0) throw new IllegalArgumentException("symbols[" + i + "]: contains NUL");
                }
            }
        } else if (spec.options() instanceof LinkOptions.UprobeMulti) {
            ObjRules.path(((LinkOptions.UprobeMulti) spec.options()).path(), "path");
        }
    }

    /**
     * Which options a hook takes: the {@code link_create} member it reads (Linux 6.18
     * {@code link_create()} in {@code kernel/bpf/syscall.c}). Hooks whose member is optional also
     * take {@link LinkOptions.None}; cgroup hooks take mprog anchors, and attach type 0 (which is
     * also the extension programs' hook) tracing options.
     *
     * @param t the hook
     * @param o the options
     * @throws IllegalArgumentException naming {@code options}
     */
    public static void options(AttachType t, LinkOptions o) {
        String need;
        boolean required = false;
        switch (t) {
            case TRACE_KPROBE_MULTI:
            case TRACE_KPROBE_SESSION:
                need = "KprobeMulti";
                required = true;
                break;
            case TRACE_UPROBE_MULTI:
            case TRACE_UPROBE_SESSION:
                need = "UprobeMulti";
                required = true;
                break;
            case NETFILTER:
                need = "Netfilter";
                required = true;
                break;
            case PERF_EVENT:
                need = "PerfEvent";
                break;
            case TRACE_ITER:
                need = "Iter";
                break;
            case TCX_INGRESS:
            case TCX_EGRESS:
            case NETKIT_PRIMARY:
            case NETKIT_PEER:
                need = "Mprog";
                break;
            case TRACE_FENTRY:
            case TRACE_FEXIT:
            case MODIFY_RETURN:
            case LSM_MAC:
            case LSM_CGROUP:
            case TRACE_RAW_TP:
                need = "Tracing";
                break;
            default:
                need = isCgroupHook(t) ? "Mprog|Tracing" : "None";
        }
        if (o == null || o == LinkOptions.None.INSTANCE) {
            if (required) throw new IllegalArgumentException("options: " + t + " links need LinkOptions." + need);
            return;
        }
        String have = o.getClass().getSimpleName();
        boolean member = o instanceof LinkOptions.Mprog || o instanceof LinkOptions.PerfEvent || o instanceof LinkOptions.Tracing
                || o instanceof LinkOptions.KprobeMulti || o instanceof LinkOptions.UprobeMulti
                || o instanceof LinkOptions.Netfilter || o instanceof LinkOptions.Iter;
        if (!member) throw new IllegalArgumentException("options: " + o.getClass().getName() + " is not a link_create member");
        for (String n : need.split("\\|")) if (n.equals(have)) return;
        throw new IllegalArgumentException("options: LinkOptions." + have + " is not for " + t + " links (use LinkOptions."
                + need.replace("|", " or LinkOptions.") + ")");
    }

    /**
     * Whether an attach type is a cgroup hook: the hooks of the cgroup program types
     * ({@code CGROUP_SKB}, {@code CGROUP_SOCK}, {@code CGROUP_SOCK_ADDR}, {@code SOCK_OPS},
     * {@code CGROUP_DEVICE}, {@code CGROUP_SYSCTL}, {@code CGROUP_SOCKOPT}), every one of them
     * named {@code CGROUP_*}. {@link AttachType#LSM_CGROUP} is an LSM hook.
     *
     * @param t the attach type
     * @return true for cgroup hooks
     */
    public static boolean isCgroupHook(AttachType t) {
        switch (t) {
            case CGROUP_INET_INGRESS: case CGROUP_INET_EGRESS: case CGROUP_INET_SOCK_CREATE: case CGROUP_SOCK_OPS:
            case CGROUP_DEVICE: case CGROUP_INET4_BIND: case CGROUP_INET6_BIND: case CGROUP_INET4_CONNECT:
            case CGROUP_INET6_CONNECT: case CGROUP_INET4_POST_BIND: case CGROUP_INET6_POST_BIND: case CGROUP_UDP4_SENDMSG:
            case CGROUP_UDP6_SENDMSG: case CGROUP_SYSCTL: case CGROUP_UDP4_RECVMSG: case CGROUP_UDP6_RECVMSG:
            case CGROUP_GETSOCKOPT: case CGROUP_SETSOCKOPT: case CGROUP_INET4_GETPEERNAME: case CGROUP_INET6_GETPEERNAME:
            case CGROUP_INET4_GETSOCKNAME: case CGROUP_INET6_GETSOCKNAME: case CGROUP_INET_SOCK_RELEASE:
            case CGROUP_UNIX_CONNECT: case CGROUP_UNIX_SENDMSG: case CGROUP_UNIX_RECVMSG: case CGROUP_UNIX_GETPEERNAME:
            case CGROUP_UNIX_GETSOCKNAME:
                return true;
            default:
                return false;
        }
    }

    /**
     * An attach target to open. Paths and names were checked when the target was made; here the
     * process and CPU selectors {@code perf_event_open(2)} takes: -1 means every process or every
     * CPU, and a generic perf event watching every process needs a CPU.
     *
     * @param t the target
     * @throws IllegalArgumentException naming the bad attribute
     */
    public static void target(AttachTarget t) {
        if (t == null) throw new IllegalArgumentException("target: null");
        if (t instanceof AttachTarget.Tracepoint) {
            AttachTarget.Tracepoint tp = (AttachTarget.Tracepoint) t;
            pidCpu(tp.pid(), tp.cpu());
        } else if (t instanceof AttachTarget.Uprobe) {
            int pid = ((AttachTarget.Uprobe) t).pid();
            if (pid < -1) throw new IllegalArgumentException("pid: " + pid + " (use -1 for every process)");
        } else if (t instanceof AttachTarget.PerfEvent) {
            AttachTarget.PerfEvent p = (AttachTarget.PerfEvent) t;
            pidCpu(p.pid(), p.cpu());
            if (p.pid() == -1 && p.cpu() == -1) {
                throw new IllegalArgumentException("pid/cpu: both -1; perf_event_open needs a CPU when it watches every"
                        + " process (open one event per CPU)");
            }
            if (p.samplePeriod() < 0 || p.sampleFrequency() < 0) throw new IllegalArgumentException("samplePeriod/sampleFrequency: negative");
            if (p.samplePeriod() != 0 && p.sampleFrequency() != 0) {
                throw new IllegalArgumentException("samplePeriod/sampleFrequency: give one of the two");
            }
        }
    }

    private static void pidCpu(int pid, int cpu) {
        if (pid < -1) throw new IllegalArgumentException("pid: " + pid + " (use -1 for every process)");
        if (cpu < -1) throw new IllegalArgumentException("cpu: " + cpu + " (use -1 for every CPU)");
    }

    /**
     * {@code BPF_LINK_UPDATE}.
     *
     * @param linkFd the link
     * @param newProgFd the new program
     * @param oldProgFd the expected old one, or 0
     * @param flags {@link AttachFlags#REPLACE} or 0
     * @throws IllegalArgumentException naming the bad argument
     */
    public static void update(int linkFd, int newProgFd, int oldProgFd, int flags) {
        ObjRules.fd(linkFd, "linkFd");
        ObjRules.fd(newProgFd, "newProgFd");
        ObjRules.fd(oldProgFd, "oldProgFd");
        if ((flags & ~AttachFlags.REPLACE) != 0) throw new IllegalArgumentException("flags: only AttachFlags.REPLACE");
        if (oldProgFd != 0 && flags == 0) throw new IllegalArgumentException("oldProgFd: needs AttachFlags.REPLACE");
    }

    /**
     * {@code BPF_LINK_DETACH}.
     *
     * @param linkFd the link
     * @throws IllegalArgumentException when negative
     */
    public static void detach(int linkFd) {
        ObjRules.fd(linkFd, "linkFd");
    }

    /**
     * {@code BPF_RAW_TRACEPOINT_OPEN}: a name, when given, is a C string.
     *
     * @param name the tracepoint, or null for programs that know their target
     * @param progFd the program
     * @throws IllegalArgumentException naming the bad argument
     */
    public static void rawTracepointOpen(String name, int progFd) {
        ObjRules.fd(progFd, "progFd");
        if (name != null && (name.isEmpty() || name.indexOf('\0') >= 0)) throw new IllegalArgumentException("name: empty or contains NUL");
    }

    /**
     * {@code BPF_ITER_CREATE}.
     *
     * @param linkFd the iterator link
     * @param flags 0
     * @throws IllegalArgumentException naming the bad argument
     */
    public static void iterCreate(int linkFd, int flags) {
        ObjRules.fd(linkFd, "linkFd");
        if (flags != 0) throw new IllegalArgumentException("flags: must be 0");
    }
}
