package io.bpf4j.it.object;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bpf4j.api.Bpf;
import io.bpf4j.api.TestRunSpec;
import io.bpf4j.api.object.BpfCollection;
import io.bpf4j.testsupport.LeakCheck;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * subprogs.o: a static and a global function in .text, linked into an XDP and a socket filter
 * program, compute what the C source says on the kernel and on the simulator.
 */
@ExtendWith(LeakCheck.class)
class SubprogsTest {
    static int mix(int x) {
        return x * 31 + 7;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.bpf4j.it.object.Corpus#backends")
    void staticAndGlobalSubprogramsRunFromBothSections(String backend) {
        try (Bpf bpf = Corpus.open(backend); BpfCollection obj = Corpus.spec("subprogs.o").load(bpf)) {
            int salt = 0x5a5a;
            byte[] results = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt(12, salt).array();
            obj.variable("results").set(results);
            obj.program("sub_xdp").testRun(TestRunSpec.ofData(new byte[64]));
            // A socket filter's test run sees the packet after its Ethernet header: 64 - 14 bytes.
            obj.program("sub_socket").testRun(TestRunSpec.ofData(new byte[64]));
            byte[] r = obj.variable("results").get();
            assertEquals(mix(mix(64)) ^ salt, Corpus.u32(r, 0), "sub_xdp -> twice_mixed (global) -> mix (static)");
            assertEquals(mix(50) + (mix(mix(1)) ^ salt), Corpus.u32(r, 4), "sub_socket -> mix and twice_mixed");
        }
    }
}
