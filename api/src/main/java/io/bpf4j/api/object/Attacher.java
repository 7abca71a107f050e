package io.bpf4j.api.object;

import io.bpf4j.api.Anchor;
import io.bpf4j.api.AttachTarget;
import io.bpf4j.api.AttachType;
import io.bpf4j.api.LinkOptions;
import io.bpf4j.api.BpfLink;
import io.bpf4j.api.BpfProgram;
import io.bpf4j.api.XdpMode;

/** Attaching by section convention, as libbpf's {@code bpf_program__attach} does per hook. */
final class Attacher {
    private Attacher() {
    }

    /** Whether the section alone says where the program attaches. */
    static boolean attachesAlone(ObjectProgram p) {
        return switch (p.hook()) {
            case TRACEPOINT, RAW_TRACEPOINT -> !p.target().isEmpty();
            case KPROBE -> !p.target().isEmpty() && !p.section().startsWith("ksyscall") && !p.section().startsWith("kretsyscall");
            // An extension's target program and function were given at load.
            case TRACING -> p.expectedAttachType() != null || p.type() == io.bpf4j.api.ProgramType.EXT;
            case LSM -> p.expectedAttachType() == AttachType.LSM_MAC;
            case ITER -> true;
            default -> false;
        };
    }

    static BpfLink attach(ObjectProgram p, BpfProgram prog) {
        if (!attachesAlone(p)) {
            throw new IllegalArgumentException("program: '" + p.name() + "' in section '" + p.section() + "' ("
                    + p.hook() + ") " + needs(p));
        }
        return switch (p.hook()) {
            case TRACEPOINT -> {
                int slash = p.target().indexOf('/');
                if (slash <= 0 || slash == p.target().length() - 1) {
                    throw new IllegalArgumentException("program: section '" + p.section()
                            + "' does not name a tracepoint as tracepoint/CATEGORY/NAME");
                }
                yield prog.attachTracepoint(p.target().substring(0, slash), p.target().substring(slash + 1), 0);
            }
            case RAW_TRACEPOINT -> prog.attachRawTracepoint(p.target(), 0);
            case KPROBE -> prog.attachPerfEvent(kprobe(p), 0);
            // BTF-typed tracing and LSM programs attach where their load's BTF id says (BPF_RAW_TRACEPOINT_OPEN, no name).
            case TRACING, LSM -> BpfLink.fromFd(prog.bpf(), prog.bpf().rawTracepointOpen(null, prog.fd(), 0));
            case ITER -> prog.attachIter(LinkOptions.Iter.NONE);
            default -> throw new IllegalStateException(p.hook().name());
        };
    }

    static BpfLink attach(ObjectProgram p, BpfProgram prog, int ifindex, XdpMode mode) {
        return switch (p.hook()) {
            case XDP -> prog.attachXdp(ifindex, mode);
            case TCX -> prog.attachTcx(ifindex, p.expectedAttachType(), Anchor.NONE);
            case NETKIT -> prog.attachNetkit(ifindex, p.expectedAttachType(), Anchor.NONE);
            default -> throw new IllegalArgumentException("program: '" + p.name() + "' in section '" + p.section()
                    + "' (" + p.hook() + ") does not attach to a network interface; it " + needs(p));
        };
    }

    static BpfLink attach(ObjectProgram p, BpfProgram prog, AttachTarget target) {
        switch (p.hook()) {
            case CGROUP, LSM -> {
                if (target instanceof AttachTarget.Cgroup c && p.expectedAttachType() != AttachType.LSM_MAC) {
                    return prog.attachCgroup(c.path(), p.expectedAttachType());
                }
            }
            case NETNS -> {
                if (target instanceof AttachTarget.Netns n) return prog.attachNetns(n.path(), p.expectedAttachType());
            }
            case UPROBE -> {
                if (target instanceof AttachTarget.Uprobe u) {
                    boolean ret = p.section().startsWith("uretprobe");
                    if (u.isReturn() != ret) {
                        throw new IllegalArgumentException("target: section '" + p.section() + "' is a "
                                + (ret ? "uretprobe" : "uprobe") + " but the target says isReturn=" + u.isReturn());
                    }
                    return prog.attachPerfEvent(u, 0);
                }
            }
            case KPROBE, TRACEPOINT, PERF_EVENT -> {
                if (target instanceof AttachTarget.Kprobe || target instanceof AttachTarget.Tracepoint
                        || target instanceof AttachTarget.PerfEvent) {
                    return prog.attachPerfEvent(target, 0);
                }
            }
            default -> {
            }
        }
        throw new IllegalArgumentException("target: " + target.getClass().getSimpleName() + " does not suit '" + p.name()
                + "' in section '" + p.section() + "' (" + p.hook() + "); it " + needs(p));
    }

    private static AttachTarget.Kprobe kprobe(ObjectProgram p) {
        String t = p.target();
        long off = 0;
        int plus = t.indexOf('+');
        if (plus > 0) {
            try {
                off = Long.decode(t.substring(plus + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("program: section '" + p.section() + "' has a bad offset after '+'");
            }
            t = t.substring(0, plus);
        }
        return new AttachTarget.Kprobe(t, off, p.section().startsWith("kretprobe"));
    }

    private static String needs(ObjectProgram p) {
        return switch (p.hook()) {
            case XDP, TCX, NETKIT -> "needs a network interface: attach(name, ifindex)";
            case CGROUP -> "needs a cgroup: attach(name, new AttachTarget.Cgroup(path))";
            case NETNS -> "needs a network namespace: attach(name, new AttachTarget.Netns(path))";
            case UPROBE -> "needs a binary and offset: attach(name, new AttachTarget.Uprobe(path, offset, isReturn, pid))";
            case PERF_EVENT -> "needs a perf event: attach(name, new AttachTarget.PerfEvent(...))";
            case TRACEPOINT, RAW_TRACEPOINT, KPROBE -> "needs a target its section does not name";
            case LSM -> "needs a cgroup: attach(name, new AttachTarget.Cgroup(path))";
            case TRACING -> "needs a target program, given at load with LoadOptions.withExtensionTarget";
            default -> "is attached by hand: use program(name) and BpfProgram's attach methods";
        };
    }
}
