package io.bpf4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfLink;
import io.bpf4j.api.BpfProgram;
import io.bpf4j.api.LinkDetails;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.XdpMode;
import io.bpf4j.api.asm.Asm;
import io.bpf4j.api.asm.Register;
import io.bpf4j.testsupport.Host;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code bpf4j prog run|pin} and {@code link detach|pin} on the kernel. */
class ProgLinkCommandsTest {
    @Test
    @SuppressWarnings("unchecked")
    void programsRunAndPinAndLinksDetachAndPin() throws Exception {
        KernelHere.assumeBackend("linux");
        Path progPin = Path.of("/sys/fs/bpf", Host.fresh("cli-prog"));
        Path linkPin = Path.of("/sys/fs/bpf", Host.fresh("cli-link"));
        // XDP_TX (3) with the packet's first byte set to 0x5a.
        long[] insns = new Asm().ldxw(Register.R2, Register.R1, 0).ldxw(Register.R3, Register.R1, 4).mov64(Register.R4, Register.R2)
                .add64(Register.R4, 1).jgt(Register.R4, Register.R3, "out").stb(Register.R2, 0, 0x5a).label("out")
                .mov64(Register.R0, 3).exit().toArray();
        try (Bpf bpf = Bpf.open("linux"); BpfProgram p = BpfProgram.load(bpf, ProgramSpec.of(ProgramType.XDP, insns, "GPL"))) {
            String id = Integer.toString(p.info().id());
            CliRun r = CliRun.of("prog", "run", id, "--data", "00".repeat(64), "--repeat", "3", "--json", "--backend", "linux");
            assertEquals(0, r.code(), r.err());
            Map<String, Object> o = (Map<String, Object>) MiniJson.parse(r.out());
            assertEquals(3L, ((Number) o.get("retval")).longValue());
            assertEquals("5a" + "00".repeat(63), o.get("data_out"));
            assertEquals(2, CliRun.of("prog", "run", id, "--backend", "linux").code(), "no data given");

            assertEquals(0, CliRun.of("prog", "pin", id, progPin.toString(), "--backend", "linux").code());
            assertTrue(Files.exists(progPin));
            try (BpfLink link = p.attachXdp("lo", XdpMode.GENERIC)) {
                String lid = Integer.toString(link.info().id());
                assertEquals(0, CliRun.of("link", "pin", lid, linkPin.toString(), "--backend", "linux").code());
                assertTrue(Files.exists(linkPin));
                CliRun d = CliRun.of("link", "detach", lid, "--backend", "linux");
                assertEquals(0, d.code(), d.err());
                // Detached: the link lives on (pinned, and this handle) with no interface.
                assertEquals(new LinkDetails.Xdp(0), link.info().details());
            }
        } finally {
            Files.deleteIfExists(progPin);
            Files.deleteIfExists(linkPin);
        }
    }
}
