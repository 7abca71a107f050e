package io.bpf4j.sim.internal.prog;

import io.bpf4j.api.AttachType;
import io.bpf4j.api.BpfUnsupportedException;
import io.bpf4j.api.Errno;
import io.bpf4j.api.Operation;
import io.bpf4j.api.ProgramFlags;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.VerifierException;
import io.bpf4j.sim.internal.kernel.FdTable;
import io.bpf4j.sim.internal.kernel.KErr;
import io.bpf4j.sim.internal.kernel.Kernel;
import io.bpf4j.sim.internal.kernel.ObjKind;
import io.bpf4j.sim.internal.kernel.SimBtf;
import io.bpf4j.sim.internal.maps.SimMap;
import io.bpf4j.sim.internal.verifier.Verifier;
import io.bpf4j.sim.internal.vm.MapResolver;
import io.bpf4j.sim.internal.vm.VmLoadException;
import io.bpf4j.sim.internal.vm.VmLoader;
import io.bpf4j.sim.internal.vm.VmMap;
import io.bpf4j.sim.internal.vm.VmProgram;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * {@code BPF_PROG_LOAD}: the attribute checks of {@code bpf_prog_load()} in the kernel's order,
 * the structural {@link Checker}, the type-checking {@link Verifier}, then the interpreter's decoding. Refusals carry a verifier log
 * that ends the way the kernel's does.
 */
public final class ProgLoader {
    private static final int KNOWN_FLAGS = ProgramFlags.STRICT_ALIGNMENT | ProgramFlags.ANY_ALIGNMENT
            | ProgramFlags.TEST_STATE_FREQ | ProgramFlags.SLEEPABLE | ProgramFlags.TEST_RND_HI32
            | ProgramFlags.XDP_HAS_FRAGS | ProgramFlags.XDP_DEV_BOUND_ONLY | ProgramFlags.TEST_REG_INVARIANTS
            | ProgramFlags.TOKEN_FD;
    private static final Set<ProgramType> NEED_BTF = EnumSet.of(ProgramType.TRACING, ProgramType.LSM,
            ProgramType.STRUCT_OPS, ProgramType.EXT);
    private static final Set<String> GPL = Set.of("GPL", "GPL v2", "GPL and additional rights", "Dual BSD/GPL",
            "Dual MIT/GPL", "Dual MPL/GPL");

    private ProgLoader() {
    }

    /**
     * Why the simulator cannot load a program type, or null when it can.
     *
     * @param t the type
     * @return the reason, or null
     */
    public static String unsupported(ProgramType t) {
        if (t.windowsOnly()) return "eBPF for Windows only program type: " + t + " does not exist in Linux, which the simulator models";
        if (NEED_BTF.contains(t)) return "not simulated: " + t + " programs attach through kernel BTF";
        return null;
    }

    /**
     * Whether a license string is GPL-compatible ({@code license_is_gpl_compatible()}).
     *
     * @param license the license
     * @return true when compatible
     */
    static boolean gplCompatible(String license) {
        String l = license.length() > 127 ? license.substring(0, 127) : license;
        return GPL.contains(l);
    }

    /**
     * Loads a program.
     *
     * @param k the kernel
     * @param s the attributes
     * @return the program, not yet registered, and the log when one was asked for
     */
    public static Loaded load(Kernel k, ProgramSpec s) {
        if ((s.flags() & ~KNOWN_FLAGS) != 0) throw KErr.of(Errno.EINVAL, "unknown program flags");
        if ((s.flags() & ProgramFlags.TOKEN_FD) != 0) {
            throw new BpfUnsupportedException(Kernel.BACKEND, Operation.PROG_LOAD, "not simulated: BPF tokens");
        }
        AttachType eat = fixupAttachType(s.type(), s.expectedAttachType());
        String why = unsupported(s.type());
        if (why != null) throw new BpfUnsupportedException(Kernel.BACKEND, Operation.PROG_LOAD, why);
        if (s.attachBtfId() != 0 || s.attachBtfObjFd() != 0 || s.attachProgFd() != 0) {
            // bpf_prog_load_check_attach(): BTF attach targets only for tracing-like types.
            throw KErr.of(Errno.EINVAL, "attach_btf_id is only for tracing, LSM, struct_ops and extension programs");
        }
        checkAttach(s.type(), eat);
        if (s.ifindex() != 0) throw new BpfUnsupportedException(Kernel.BACKEND, Operation.PROG_LOAD, "not simulated: device offload");
        boolean gpl = gplCompatible(s.license());
        StringBuilder log = new StringBuilder();
        List<Object> used;
        Checker c = new Checker(s.instructions(), fd -> mapOf(k, fd), s.fdArray()).gpl(gpl).pathSensitiveReads();
        SimBtf btf;
        try {
            used = c.check();
            btf = ProgBtfCheck.check(k, s.btf(), s.instructions());
            // check_attach_btf_id(): syscall programs must sleep, and only they (of the simulated types) may.
            boolean sleepable = (s.flags() & ProgramFlags.SLEEPABLE) != 0;
            if (s.type() == ProgramType.SYSCALL && !sleepable) {
                throw new Checker.Reject(Errno.EINVAL, "Syscall programs can only be sleepable");
            }
            if (s.type() != ProgramType.SYSCALL && sleepable) {
                throw new Checker.Reject(Errno.EINVAL,
                        "Only fentry/fexit/fmod_ret, lsm, iter, uprobe, and struct_ops programs can be sleepable");
            }
        } catch (Checker.Reject r) {
            throw refuse(s, log, r.getMessage(), r.errno(), c.processed());
        }
        Verifier ver = new Verifier(s.instructions(), s.type(), eat, s.flags(), fd -> (SimMap) mapOf(k, fd), s.fdArray())
                .globals(ProgBtfCheck.globals(s.btf(), btf));
        try {
            for (String note : ver.verify()) log.append(note).append('\n');
        } catch (Verifier.Reject r) {
            if (r.errno() == Errno.E2BIG && s.btf() == null) {
                // As the Linux backend reports it: E2BIG from PROG_LOAD without BTF is not only the
                // verifier's, so it is a plain error carrying the log's last line.
                throw KErr.of(Errno.E2BIG, "verifier: " + stats(ver.processed()).strip());
            }
            throw refuse(s, log, r.getMessage(), r.errno(), ver.processed());
        }
        int processed = Math.min(ver.processed(), 1_000_000);
        List<SimMap> maps = new ArrayList<>();
        for (Object o : used) maps.add((SimMap) o);
        VmProgram vm;
        try {
            VmLoader loader = new VmLoader().name(s.name()).maps(resolver(k, s.fdArray()));
            // A run zeroes only the stack the verifier saw the program reach; all of it when the
            // verifier did not finish judging the program.
            if (ver.stackDepth() >= 0) loader.stackDepth(ver.stackDepth());
            vm = loader.load(exitsCleared(s.instructions()));
        } catch (VmLoadException e) {
            throw refuse(s, log, (e.pc() >= 0 ? e.pc() + ": " : "") + e.getMessage(), Errno.fromLinux(e.errno()), processed);
        }
        log.append(stats(processed));
        SimProgram p = new SimProgram(k, s.type(), eat, s.name(), s.instructions(), maps, gpl, vm, processed);
        if (btf != null) p.btf(btf);
        return new Loaded(p, s.logLevel() == 0 ? "" : log.toString());
    }

    /**
     * The instructions with the offset of each {@code exit} cleared: Linux 6.18 ignores it, and
     * the interpreter's decoder refuses it.
     */
    private static long[] exitsCleared(long[] insns) {
        long[] out = null;
        for (int i = 0; i < insns.length; i++) {
            long x = insns[i];
            if ((x & 0xff) == 0x95 && (x & 0xffff0000L) != 0) {
                if (out == null) out = insns.clone();
                out[i] = x & 0xffffffff0000ffffL;
            }
            if ((x & 0xff) == 0x18) i++;
        }
        return out == null ? insns : out;
    }

    /**
     * A loaded program and the log that was asked for.
     *
     * @param program the program, not yet registered
     * @param log the log, empty unless asked for
     */
    public record Loaded(SimProgram program, String log) {
    }

    private static String stats(int processed) {
        return "processed " + processed + " insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0\n";
    }

    private static VerifierException refuse(ProgramSpec s, StringBuilder log, String msg, Errno errno, int processed) {
        log.append(msg).append('\n').append(stats(processed));
        String obj = s.name().isEmpty() ? null : "program \"" + s.name() + "\"";
        return new VerifierException(Kernel.BACKEND, Operation.PROG_LOAD, obj, errno, errno.linux(), log.toString());
    }

    private static Object mapOf(Kernel k, int fd) {
        FdTable.Entry e = k.fd(fd);
        if (e.obj().kind() != ObjKind.MAP) throw KErr.of(Errno.EINVAL);
        return e.obj();
    }

    private static MapResolver resolver(Kernel k, int[] fdArray) {
        return new MapResolver() {
            @Override
            public VmMap byFd(int fd) {
                FdTable.Entry e = k.fds().find(fd);
                return e != null && e.obj() instanceof SimMap ? (SimMap) e.obj() : null;
            }

            @Override
            public VmMap byIndex(int index) {
                if (fdArray == null || index < 0 || index >= fdArray.length) return null;
                return byFd(fdArray[index]);
            }
        };
    }

    /** {@code bpf_prog_load_fixup_attach_type()}: defaults for types that grew attach types later. */
    private static AttachType fixupAttachType(ProgramType t, AttachType eat) {
        if (eat != null) return eat;
        if (t == ProgramType.CGROUP_SOCK) return AttachType.CGROUP_INET_SOCK_CREATE;
        if (t == ProgramType.SK_REUSEPORT) return AttachType.SK_REUSEPORT_SELECT;
        return null;
    }

    /** {@code bpf_prog_load_check_attach()}: which expected attach types each type accepts. */
    private static void checkAttach(ProgramType t, AttachType eat) {
        // A missing expected attach type is the kernel's 0, BPF_CGROUP_INET_INGRESS.
        AttachType a = eat == null ? AttachType.CGROUP_INET_INGRESS : eat;
        boolean ok;
        switch (t) {
            case CGROUP_SOCK:
                ok = a == AttachType.CGROUP_INET_SOCK_CREATE || a == AttachType.CGROUP_INET_SOCK_RELEASE
                        || a == AttachType.CGROUP_INET4_POST_BIND || a == AttachType.CGROUP_INET6_POST_BIND;
                break;
            case CGROUP_SOCK_ADDR:
                ok = AttachRules.SOCK_ADDR.contains(a);
                break;
            case CGROUP_SKB:
                ok = a == AttachType.CGROUP_INET_INGRESS || a == AttachType.CGROUP_INET_EGRESS;
                break;
            case CGROUP_SOCKOPT:
                ok = a == AttachType.CGROUP_SETSOCKOPT || a == AttachType.CGROUP_GETSOCKOPT;
                break;
            case SK_LOOKUP:
                ok = a == AttachType.SK_LOOKUP;
                break;
            case SK_REUSEPORT:
                ok = a == AttachType.SK_REUSEPORT_SELECT || a == AttachType.SK_REUSEPORT_SELECT_OR_MIGRATE;
                break;
            case NETFILTER:
                ok = a == AttachType.NETFILTER;
                break;
            case SYSCALL:
                ok = eat == null;
                break;
            default:
                ok = true;
        }
        if (!ok) throw KErr.of(Errno.EINVAL, t + " programs cannot be verified for " + eat);
    }
}
