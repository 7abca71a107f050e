package io.bpf4j.it.example;

import static io.bpf4j.api.asm.Register.R0;
import static io.bpf4j.api.asm.Register.R1;
import static io.bpf4j.api.asm.Register.R10;
import static io.bpf4j.api.asm.Register.R2;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfException;
import io.bpf4j.api.BpfMap;
import io.bpf4j.api.BpfProgram;
import io.bpf4j.api.Errno;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.Operation;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.TestRunSpec;
import io.bpf4j.api.asm.Asm;
import io.bpf4j.api.asm.Helper;
import io.bpf4j.api.typed.Codecs;
import io.bpf4j.api.typed.TypedMap;
import io.bpf4j.it.KitKernelRuns;
import io.bpf4j.junit.BpfTest;
import io.bpf4j.junit.InjectFault;
import java.io.IOException;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The README's JUnit example, as an agent author would write it: one test run on the simulator
 * and on the kernel by {@link BpfTest}, and one of the error path on the simulator with a fault.
 */
@ExtendWith(KitKernelRuns.class)
class JunitKitExampleTest {
    /** {@code __sync_fetch_and_add(&counts[0], 1); return 0;}. */
    static long[] countPackets(int counts) {
        return new Asm().stw(R10, -4, 0).ldMapFd(R1, counts).mov64(R2, R10).add64(R2, -4).call(Helper.MAP_LOOKUP_ELEM)
                .jeq(R0, 0, "out").mov64(R1, 1).atomicAdd64(R0, 0, R1).label("out").mov64(R0, 0).exit().toArray();
    }

    // README:begin
    @BpfTest                                  // runs as [sim] and as [linux] (where a kernel backend is available)
    void countsEveryPacket(Bpf bpf) {
        try (BpfMap counts = BpfMap.create(bpf, MapSpec.of(MapType.ARRAY, 4, 8, 1));
             BpfProgram prog = BpfProgram.load(bpf, ProgramSpec.of(ProgramType.SOCKET_FILTER, countPackets(counts.fd()), "GPL"))) {
            for (int i = 0; i < 3; i++) prog.testRun(TestRunSpec.ofData(new byte[64]));
            assertEquals(3L, TypedMap.of(counts, Codecs.u32(), Codecs.u64()).get(0L));
        }
    }

    @BpfTest
    @InjectFault(operation = Operation.PROG_LOAD, errno = Errno.ENOMEM)   // simulator only
    void reportsAProgramTheKernelRefused(Bpf bpf) {
        try (BpfMap counts = BpfMap.create(bpf, MapSpec.of(MapType.ARRAY, 4, 8, 1))) {
            BpfException e = Assertions.assertThrows(BpfException.class, () -> BpfProgram.load(bpf,
                    ProgramSpec.of(ProgramType.SOCKET_FILTER, countPackets(counts.fd()), "GPL")));
            assertEquals(Errno.ENOMEM, e.errno());
        }
    }
    // README:end-whole

    @Test
    void theReadmeShowsThisCode() throws IOException {
        ReadmeSnippet.assertReadmeShows(JunitKitExampleTest.class);
    }
}
