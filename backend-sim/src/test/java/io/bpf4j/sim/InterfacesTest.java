package io.bpf4j.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.BpfLink;
import io.bpf4j.api.BpfProgram;
import io.bpf4j.api.LinkDetails;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.XdpMode;
import io.bpf4j.api.asm.Asm;
import io.bpf4j.api.asm.Register;
import org.junit.jupiter.api.Test;

/** The simulator's interface table: names to indexes, and XDP attached by name firing on that index. */
class InterfacesTest {
    @Test
    void namesResolveAndAttachByName() {
        try (SimBpf sim = Simulator.builder().build();
                BpfProgram drop = BpfProgram.load(sim, ProgramSpec.of(ProgramType.XDP, new Asm().mov64(Register.R0, 1).exit().toArray(),
                        "GPL"))) {
            assertEquals(1, sim.interfaceIndex("lo"));
            assertEquals(2, sim.addInterface("eth0"));
            assertEquals(3, sim.addInterface("veth-a"));
            assertEquals(2, sim.interfaceIndex("eth0"));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sim.interfaceIndex("eth9"));
            assertTrue(e.getMessage().startsWith("name: no interface 'eth9' in the simulator (it has [lo, eth0, veth-a]"),
                    e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> sim.addInterface("eth0"));
            assertThrows(IllegalArgumentException.class, () -> sim.addInterface("a-name-of-16-byte"));
            assertThrows(IllegalArgumentException.class, () -> sim.interfaceIndex(""));
            try (BpfLink l = drop.attachXdp("veth-a", XdpMode.DEFAULT)) {
                assertEquals(new LinkDetails.Xdp(3), l.info().details());
                assertEquals(1, sim.hooks().xdp(3, new byte[64]).verdict(), "XDP_DROP on the named interface");
            }
        }
    }
}
