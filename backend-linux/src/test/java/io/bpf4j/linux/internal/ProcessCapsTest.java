package io.bpf4j.linux.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The EPERM advice follows CapEff: "grant" names exactly what is missing, and only that. */
class ProcessCapsTest {
    private static ProcessCaps caps(long eff) {
        return ProcessCaps.parse("Name:\tjava\nCapInh:\t0000000000000000\nCapEff:\t" + String.format("%016x", eff) + "\n");
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
        assertEquals("not permitted: loading a program of type XDP returned EPERM and this process lacks CAP_NET_ADMIN;"
                + " run as root or grant CAP_NET_ADMIN", why);
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
        assertTrue(why.contains("run as root or grant CAP_BPF") && why.contains("could not be read"), why);
    }

    @Test
    void thisProcessIsRead() {
        ProcessCaps me = ProcessCaps.current();
        assertTrue(me.known(), "no CapEff in /proc/self/status");
    }
}
