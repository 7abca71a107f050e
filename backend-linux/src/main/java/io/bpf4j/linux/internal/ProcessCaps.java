package io.bpf4j.linux.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The capabilities this process has in effect ({@code CapEff} in {@code /proc/self/status}), so
 * that an EPERM is explained by what is really missing: "grant CAP_BPF" only when CAP_BPF is
 * missing, and otherwise the other things that refuse BPF as root. The numbers are from
 * {@code include/uapi/linux/capability.h}.
 */
public final class ProcessCaps {
    static final int CAP_NET_ADMIN = 12;
    static final int CAP_SYS_ADMIN = 21;
    static final int CAP_PERFMON = 38;
    static final int CAP_BPF = 39;

    /**
     * What a kernel check asks for: one capability, or CAP_SYS_ADMIN in its stead where the
     * kernel takes it instead (kernel/bpf/syscall.c, Linux 6.18; checked on such a kernel by
     * dropping each from the bounding set).
     */
    public enum Need {
        /** {@code bpf_capable()}: CAP_BPF or CAP_SYS_ADMIN. */
        BPF("CAP_BPF", CAP_BPF, CAP_SYS_ADMIN),
        /** {@code perfmon_capable()}: CAP_PERFMON or CAP_SYS_ADMIN; tracing programs. */
        PERFMON("CAP_PERFMON", CAP_PERFMON, CAP_SYS_ADMIN),
        /** CAP_NET_ADMIN or CAP_SYS_ADMIN: networking programs, socket and device maps, attach and query. */
        NET_ADMIN("CAP_NET_ADMIN", CAP_NET_ADMIN, CAP_SYS_ADMIN),
        /** CAP_SYS_ADMIN alone: walking ids, opening objects by id, stats and task fd queries. */
        SYS_ADMIN("CAP_SYS_ADMIN", CAP_SYS_ADMIN, CAP_SYS_ADMIN);

        final String name;
        final int cap;
        final int alt;

        Need(String name, int cap, int alt) {
            this.name = name;
            this.cap = cap;
            this.alt = alt;
        }
    }

    private final long eff;
    private final boolean known;
    private final long euid;
    private final int seccomp;

    private ProcessCaps(long eff, boolean known, long euid, int seccomp) {
        this.eff = eff;
        this.known = known;
        this.euid = euid;
        this.seccomp = seccomp;
    }

    /**
     * This process' capabilities, read now.
     *
     * @return them, unknown when /proc/self/status cannot be read
     */
    public static ProcessCaps current() {
        try {
            return parse(Files.readString(Path.of("/proc/self/status")));
        } catch (IOException | RuntimeException e) {
            return new ProcessCaps(0, false, -1, -1);
        }
    }

    /**
     * Parses the text of a {@code /proc/<pid>/status} file: {@code CapEff}, the effective uid
     * (second field of {@code Uid}) and the seccomp mode ({@code Seccomp}, 2 for a filter).
     *
     * @param status the text
     * @return the effective capabilities, unknown when there is no {@code CapEff} line
     */
    public static ProcessCaps parse(String status) {
        Long eff = null;
        long euid = -1;
        int seccomp = -1;
        for (String line : status.split("\n")) {
            if (line.startsWith("CapEff:")) {
                eff = Long.parseUnsignedLong(line.substring(7).strip(), 16);
            } else if (line.startsWith("Uid:")) {
                String[] ids = line.substring(4).strip().split("\\s+");
                if (ids.length > 1) euid = Long.parseLong(ids[1]);
            } else if (line.startsWith("Seccomp:")) {
                seccomp = Integer.parseInt(line.substring(8).strip());
            }
        }
        return eff == null ? new ProcessCaps(0, false, euid, seccomp) : new ProcessCaps(eff, true, euid, seccomp);
    }

    boolean known() {
        return known;
    }

    boolean has(int cap) {
        return known && (eff & (1L << cap)) != 0;
    }

    private boolean has(Need n) {
        return has(n.cap) || has(n.alt);
    }

    /** The needs this process lacks, by name; empty when it has them all or cannot tell. */
    List<String> missing(Need... needs) {
        List<String> out = new ArrayList<>();
        if (!known) return out;
        for (Need n : needs) {
            if (!has(n)) out.add(n.name);
        }
        return out;
    }

    /**
     * Why the kernel said EPERM to something that needs {@code needs}: the capabilities that are
     * missing with the flags that grant them, a seccomp filter that may deny {@code bpf()} itself,
     * or, when nothing is missing, what else refuses BPF to a process that has them. Root (euid 0)
     * is never told to run as root: in a container it is root already and lacks capabilities.
     *
     * @param what what was refused, e.g. {@code "creating ARENA maps"}
     * @param needs the capabilities the kernel checks for it
     * @return a reason a user can act on
     */
    public String eperm(String what, Need... needs) {
        if (!known) {
            return "not permitted: " + what + " returned EPERM; grant " + names(needs)
                    + " (this process' capabilities could not be read from /proc/self/status)";
        }
        List<Need> missing = new ArrayList<>();
        for (Need n : needs) {
            if (!has(n)) missing.add(n);
        }
        if (!missing.isEmpty()) {
            StringBuilder b = new StringBuilder("not permitted: ").append(what).append(" returned EPERM and this process lacks ");
            List<String> lacks = new ArrayList<>();
            List<String> docker = new ArrayList<>();
            for (Need n : missing) {
                lacks.add(n.cap == n.alt ? n.name : n.name + " (or CAP_SYS_ADMIN)");
                docker.add("--cap-add " + n.name.substring(4));
            }
            b.append(String.join(" and ", lacks)).append("; grant ").append(missing.size() == 1 ? "it" : "them");
            if (euid != 0) b.append(" or run as root");
            b.append(" (in Docker: ").append(String.join(" ", docker));
            if (missing.stream().anyMatch(n -> n != Need.SYS_ADMIN && n != Need.NET_ADMIN)) {
                b.append(", or --cap-add SYS_ADMIN where Docker does not know BPF and PERFMON");
            }
            b.append(')');
            if (seccomp == 2) b.append(SECCOMP);
            return b.toString();
        }
        if (seccomp == 2) {
            return "refused: " + what + " returned EPERM although this process has " + names(needs) + SECCOMP
                    + "; if it allows bpf(), the kernel refuses it by policy (" + POLICY + ")";
        }
        return "refused: " + what + " returned EPERM although this process has " + names(needs)
                + ": no capability is missing, so the kernel refuses it by policy (" + POLICY + ")";
    }

    /** Docker's default seccomp profile (moby, profiles/seccomp/default.json) admits bpf() by CAP_SYS_ADMIN. */
    private static final String SECCOMP = "; a seccomp filter is in effect (Seccomp: 2 in /proc/self/status), and Docker's"
            + " default profile denies bpf() to containers without CAP_SYS_ADMIN: --security-opt seccomp=unconfined,"
            + " or a profile that allows bpf()";

    private static final String POLICY = "lockdown, an LSM such as SELinux, AppArmor or a BPF LSM program,"
            + " or how the kernel was built";

    private static String names(Need... needs) {
        List<String> n = new ArrayList<>();
        for (Need x : needs) n.add(x.name);
        return String.join(" and ", n);
    }
}
