package io.bpf4j.it.suite;

import io.bpf4j.api.AttachType;
import io.bpf4j.api.LinkType;
import io.bpf4j.api.MapType;
import io.bpf4j.api.Operation;
import io.bpf4j.api.ProgramType;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * What the CI kernel lacks, written down once so that a test which finds a feature missing can
 * tell "this kernel lacks it" from "the probe is wrong". Everything not listed here is expected
 * to work on that kernel. Each absence was checked on it by hand with raw {@code bpf()} calls, as
 * root with CAP_BPF, CAP_PERFMON, CAP_NET_ADMIN and CAP_SYS_ADMIN:
 *
 * <ul>
 *   <li>kprobes: CONFIG_KPROBES is off; there is no kprobe PMU in
 *       {@code /sys/bus/event_source/devices} and no {@code kprobe_events} in tracefs;
 *   <li>netkit: CONFIG_NETKIT is off; {@code ip link add type netkit} fails and
 *       {@code BPF_PROG_QUERY} for {@code BPF_NETKIT_PRIMARY} returns EINVAL;
 *   <li>BPF trampolines: loading a TRACING program for fentry, fexit or fmod_ret, an LSM
 *       program, or an EXT program against a loaded XDP program with BTF returns EPERM before
 *       the verifier runs; no struct_ops map can be created (EINVAL for the value type of every
 *       registered struct_ops, tcp_congestion_ops and bpf_dummy_ops included, at any size);
 *   <li>LIRC: loading a LIRC_MODE2 program returns EINVAL;
 *   <li>tokens: {@code BPF_TOKEN_CREATE} on the init user namespace's bpffs returns EOPNOTSUPP;
 *   <li>arenas: {@code BPF_MAP_CREATE} of an ARENA map returns EPERM as root, even with
 *       attributes the arena code would reject with EINVAL, so it is refused before the map
 *       type's own checks.
 * </ul>
 *
 * <p>A STRUCT_OPS program loads (the verifier accepts one for a tcp_congestion_ops member), but
 * nothing can use it without a struct_ops map, so the table takes no side on that type.
 */
public final class CiKernel {
    /** The kernel release the table describes. */
    public static final String RELEASE = "6.18";

    public static final Set<Operation> ABSENT_OPERATIONS = EnumSet.of(Operation.TOKEN_CREATE);
    public static final Set<MapType> ABSENT_MAP_TYPES = EnumSet.of(MapType.UNSPEC, MapType.STRUCT_OPS, MapType.ARENA);
    public static final Set<ProgramType> ABSENT_PROGRAM_TYPES = EnumSet.of(ProgramType.UNSPEC, ProgramType.LIRC_MODE2,
            ProgramType.EXT, ProgramType.LSM);
    public static final Set<ProgramType> UNDECIDED_PROGRAM_TYPES = EnumSet.of(ProgramType.STRUCT_OPS);
    public static final Set<AttachType> ABSENT_ATTACH_TYPES = EnumSet.of(AttachType.LIRC_MODE2, AttachType.TRACE_FENTRY,
            AttachType.TRACE_FEXIT, AttachType.MODIFY_RETURN, AttachType.LSM_MAC, AttachType.LSM_CGROUP,
            AttachType.TRACE_KPROBE_MULTI, AttachType.TRACE_KPROBE_SESSION, AttachType.NETKIT_PRIMARY,
            AttachType.NETKIT_PEER, AttachType.STRUCT_OPS);
    public static final Set<LinkType> ABSENT_LINK_TYPES = EnumSet.of(LinkType.UNSPEC, LinkType.TRACING,
            LinkType.KPROBE_MULTI, LinkType.NETKIT, LinkType.STRUCT_OPS);

    private CiKernel() {
    }

    /** Whether this process runs on a kernel of the release the table describes. */
    public static boolean applies() {
        return System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("linux")
                && System.getProperty("os.version").startsWith(RELEASE + ".");
    }

    /** For messages: which table, and whether it applies here. */
    public static String describe() {
        return "the CI kernel's expected capabilities (Linux " + RELEASE + "; this kernel is "
                + System.getProperty("os.version") + ")";
    }

    /** Whether the CI kernel has the feature: false for listed absences, null for undecided entries. */
    public static Boolean has(Enum<?> e) {
        if (e instanceof Operation o) return !ABSENT_OPERATIONS.contains(o);
        if (e instanceof MapType t) return !ABSENT_MAP_TYPES.contains(t);
        if (e instanceof ProgramType t) return UNDECIDED_PROGRAM_TYPES.contains(t) ? null : !ABSENT_PROGRAM_TYPES.contains(t);
        if (e instanceof AttachType t) return !ABSENT_ATTACH_TYPES.contains(t);
        if (e instanceof LinkType t) return !ABSENT_LINK_TYPES.contains(t);
        throw new IllegalArgumentException("no table for " + e.getClass());
    }
}
