package io.bpf4j.it.object;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfUnsupportedException;
import io.bpf4j.api.TestRunSpec;
import io.bpf4j.api.VerifierException;
import io.bpf4j.api.btf.Btf;
import io.bpf4j.api.btf.BtfBuilder;
import io.bpf4j.api.btf.BtfEnumValue;
import io.bpf4j.api.btf.BtfMember;
import io.bpf4j.api.object.BpfCollection;
import io.bpf4j.api.object.LoadOptions;
import io.bpf4j.api.object.ObjectSpec;
import io.bpf4j.it.LinuxKernel;
import io.bpf4j.sim.Simulator;
import io.bpf4j.testsupport.LeakCheck;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * core.o: an XDP program reading the Ethernet header through a local view of
 * {@code struct ethhdr} whose layout differs from the kernel's, with CO-RE relocations for the
 * field's offset, the type's size, field existence and an enumerator's value. On the kernel the
 * loader resolves them against the kernel's BTF; a target given in the load options replaces it,
 * on the kernel and in the simulator alike (which publishes no kernel BTF of its own).
 */
@ExtendWith(LeakCheck.class)
class CoreTest {
    static final int XDP_PASS = 2;

    /** A frame whose first two bytes and EtherType differ, so the value read shows the offset used. */
    static byte[] frame() {
        byte[] f = new byte[64];
        f[0] = (byte) 0xaa;
        f[1] = (byte) 0xbb;
        f[12] = (byte) 0x86;
        f[13] = (byte) 0xdd;
        return f;
    }

    /** What the program saw: proto, eth_size, source_at, has_source, has_nonexistent, redirect. */
    static List<Long> run(BpfCollection obj) {
        assertEquals(XDP_PASS, obj.program("core_eth").testRun(TestRunSpec.ofData(frame())).retval());
        List<Long> out = new ArrayList<>();
        for (String v : List.of("proto", "eth_size", "source_at", "has_source", "has_nonexistent", "redirect")) {
            out.add(obj.variable(v).getLong());
        }
        return out;
    }

    /** uapi/linux/if_ether.h and bpf.h: h_proto at 12 of 14 bytes, h_source at 6; XDP_REDIRECT is 4. */
    static final List<Long> KERNEL_LAYOUT = List.of(0xdd86L, 14L, 6L, 1L, 0L, 4L);

    /**
     * A target BTF with {@code struct ethhdr} and {@code enum xdp_action}: the kernel's layout,
     * or another one (h_proto first, 8 bytes, XDP_REDIRECT 7); optionally without h_source.
     */
    static Btf target(boolean kernelLayout, boolean withSource) {
        BtfBuilder b = new BtfBuilder();
        int uchar = b.addInt("unsigned char", 1, 0);
        int u32 = b.addInt("unsigned int", 4, 0);
        int be16 = b.addTypedef("__be16", b.addInt("unsigned short", 2, 0));
        int mac = b.addArray(uchar, u32, 6);
        List<BtfMember> m = new ArrayList<>();
        if (kernelLayout) {
            m.add(new BtfMember("h_dest", mac, 0, 0));
            if (withSource) m.add(new BtfMember("h_source", mac, 48, 0));
            m.add(new BtfMember("h_proto", be16, 96, 0));
        } else {
            m.add(new BtfMember("h_proto", be16, 0, 0));
            if (withSource) m.add(new BtfMember("h_source", mac, 16, 0));
        }
        b.addStruct("ethhdr", kernelLayout ? 14 : 8, m);
        b.addEnum("xdp_action", 4, false, List.of(new BtfEnumValue("XDP_ABORTED", 0), new BtfEnumValue("XDP_PASS", 2),
                new BtfEnumValue("XDP_REDIRECT", kernelLayout ? 4 : 7)));
        return b.build();
    }

    @Test
    void onTheKernelItsOwnBtfIsTheTarget() {
        ObjectSpec spec = Corpus.spec("core.o");
        assertEquals(6, spec.program("core_eth").coreRelocations());
        try (Bpf bpf = LinuxKernel.open(); BpfCollection obj = spec.load(bpf)) {
            assertEquals(KERNEL_LAYOUT, run(obj));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.bpf4j.it.object.Corpus#backends")
    void aTargetGivenAtLoadIsUsedOnEveryBackend(String backend) {
        try (Bpf bpf = Corpus.open(backend)) {
            try (BpfCollection obj = Corpus.spec("core.o").load(bpf, LoadOptions.defaults().withTargetBtf(target(true, true)))) {
                assertEquals(KERNEL_LAYOUT, run(obj), "the kernel's layout, described by hand");
            }
            try (BpfCollection obj = Corpus.spec("core.o").load(bpf, LoadOptions.defaults().withTargetBtf(target(false, true)))) {
                assertEquals(List.of(0xbbaaL, 8L, 2L, 1L, 0L, 7L), run(obj), "another layout, followed");
            }
        }
    }

    /** A field the target lacks poisons its instruction: the verifier refuses the reachable poisoned call. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.bpf4j.it.object.Corpus#backends")
    void aMissingFieldPoisonsItsInstruction(String backend) {
        try (Bpf bpf = Corpus.open(backend)) {
            LoadOptions opts = LoadOptions.defaults().withTargetBtf(target(true, false));
            VerifierException e = assertThrows(VerifierException.class, () -> Corpus.spec("core.o").load(bpf, opts).close());
            assertTrue(e.log().contains("invalid func unknown#195896080"), e.log());
        }
    }

    @Test
    void theSimulatorWithoutATargetSaysWhatToGive() {
        try (Bpf sim = Simulator.builder().build()) {
            BpfUnsupportedException e = assertThrows(BpfUnsupportedException.class, () -> Corpus.spec("core.o").load(sim).close());
            assertTrue(e.getMessage().contains("program \"core_eth\"") && e.getMessage().contains("6 CO-RE relocations")
                    && e.getMessage().contains("publishes no kernel BTF") && e.getMessage().contains("LoadOptions.withTargetBtf"),
                    e.getMessage());
        }
    }
}
