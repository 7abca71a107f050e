package io.bpf4j.linux.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The EPERM advice follows CapEff: "grant" names exactly what is missing, and only that. */
class ProcessCapsTest {
    private static ProcessCaps caps(long eff) {
        return caps(eff, 0, 0);
    }

    private static ProcessCaps caps(long eff, int euid, int seccomp) {
        return ProcessCaps.parse("Name:\tjava\nUid:\t" + euid + "\t" + euid + "\t" + euid + "\t" + euid
                + "\nCapInh:\t0000000000000000\nCapEff:\t" + String.format("%016x", eff) + "\nSeccomp:\t" + seccomp
                + "\nSeccomp_filters:\t" + (seccomp == 2 ? 1 : 0) + "\n");
    }

    private static long bits(int... caps) {
        long b = 0;
        for (int c : caps) b |= 1L << c;
        return b;
    }

    @Test
    void everyCapabilityPresentMeansNoGrant() {
        ProcessCaps all = caps(0x1fffeffffffL); // root on this machine: all but CAP_SYS_RESOURCE
        String why = all.eperm("creating a map of type ARENA", ProcessCaps.Need.BPF);
        assertTrue(why.contains("no capability is missing"), why);
        assertFalse(why.contains("grant"), why);
        assertFalse(why.contains("run as root"), why);
    }

    @Test
    void aMissingCapabilityIsNamed() {
        ProcessCaps noNet = caps(bits(ProcessCaps.CAP_BPF, ProcessCaps.CAP_PERFMON));
        String why = noNet.eperm("loading a program of type XDP", ProcessCaps.Need.BPF, ProcessCaps.Need.NET_ADMIN);
        assertEquals("not permitted: loading a program of type XDP returned EPERM and this process lacks CAP_NET_ADMIN"
                + " (or CAP_SYS_ADMIN); grant it (in Docker: --cap-add NET_ADMIN)", why);
        assertEquals(List.of("CAP_PERFMON"), caps(bits(ProcessCaps.CAP_BPF)).missing(ProcessCaps.Need.PERFMON));
    }

    @Test
    void sysAdminStandsInWhereTheKernelTakesIt() {
        ProcessCaps sys = caps(bits(ProcessCaps.CAP_SYS_ADMIN));
        assertEquals(List.of(), sys.missing(ProcessCaps.Need.BPF, ProcessCaps.Need.PERFMON, ProcessCaps.Need.NET_ADMIN));
        ProcessCaps bpf = caps(bits(ProcessCaps.CAP_BPF, ProcessCaps.CAP_PERFMON, ProcessCaps.CAP_NET_ADMIN));
        assertEquals(List.of("CAP_SYS_ADMIN"), bpf.missing(ProcessCaps.Need.SYS_ADMIN));
    }

    @Test
    void unreadableCapabilitiesGiveTheGeneralAdvice() {
        ProcessCaps none = ProcessCaps.parse("Name:\tjava\n");
        assertFalse(none.known());
        String why = none.eperm("BPF_MAP_CREATE", ProcessCaps.Need.BPF);
        assertTrue(why.contains("grant CAP_BPF") && why.contains("could not be read"), why);
    }

    /** Docker's defaults as a container sees them: root, the default capabilities, the default seccomp filter. */
    @Test
    void rootInADefaultContainerIsToldTheFlagsNotToRunAsRoot() {
        ProcessCaps docker = caps(0xa80425fbL, 0, 2);
        String why = docker.eperm("BPF_MAP_CREATE", ProcessCaps.Need.BPF);
        assertEquals("not permitted: BPF_MAP_CREATE returned EPERM and this process lacks CAP_BPF (or CAP_SYS_ADMIN);"
                + " grant it (in Docker: --cap-add BPF, or --cap-add SYS_ADMIN where Docker does not know BPF and PERFMON);"
                + " a seccomp filter is in effect (Seccomp: 2 in /proc/self/status), and Docker's default profile denies"
                + " bpf() to containers without CAP_SYS_ADMIN: --security-opt seccomp=unconfined, or a profile that"
                + " allows bpf()", why);
        assertFalse(why.contains("run as root"), why);
    }

    @Test
    void aUserWithoutCapabilitiesMayBeToldToRunAsRoot() {
        String why = caps(0, 1000, 0).eperm("BPF_PROG_LOAD", ProcessCaps.Need.BPF, ProcessCaps.Need.PERFMON);
        assertTrue(why.contains("lacks CAP_BPF (or CAP_SYS_ADMIN) and CAP_PERFMON (or CAP_SYS_ADMIN); grant them or run as root"
                + " (in Docker: --cap-add BPF --cap-add PERFMON"), why);
        assertFalse(why.contains("seccomp"), why);
    }

    @Test
    void everyCapabilityButASeccompFilterBlamesTheFilterFirst() {
        String why = caps(1L << ProcessCaps.CAP_BPF, 0, 2).eperm("BPF_MAP_CREATE", ProcessCaps.Need.BPF);
        assertTrue(why.startsWith("refused: BPF_MAP_CREATE returned EPERM although this process has CAP_BPF; a seccomp"
                + " filter is in effect"), why);
        assertTrue(why.contains("--security-opt seccomp=unconfined") && !why.contains("grant"), why);
    }

    @Test
    void thisProcessIsRead() {
        ProcessCaps me = ProcessCaps.current();
        assertTrue(me.known(), "no CapEff in /proc/self/status");
    }
}
