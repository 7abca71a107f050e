package io.bpf4j.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bpf4j.api.MapType;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.TestRunSpec;
import io.bpf4j.api.asm.Asm;
import io.bpf4j.api.asm.Helper;
import io.bpf4j.api.asm.Register;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The backend is thread-safe: syscalls and program runs from several threads see one kernel. */
class ConcurrencyTest extends SimTestBase {
    @Test
    void threadsUpdatingAndRunningProgramsLoseNothing() throws Exception {
        int h = map(MapType.HASH, 4, 8, 4096);
        int counter = map(MapType.ARRAY, 4, 8, 1);
        long[] insns = new Asm().stw(Register.R10, -4, 0).mov64(Register.R2, Register.R10).add64(Register.R2, -4)
                .ldMapFd(Register.R1, counter).call(Helper.MAP_LOOKUP_ELEM).jeq(Register.R0, 0, "out")
                .mov64(Register.R1, 1).atomicAdd64(Register.R0, 0, Register.R1).label("out").mov64(Register.R0, 2)
                .exit().toArray();
        int p = prog(ProgramType.XDP, insns);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int base = t * 1000;
            done.add(pool.submit(() -> {
                for (int i = 0; i < 1000; i++) {
                    sim.mapUpdateElem(h, u32(base + i), u64(i), 0);
                    if (i % 10 == 0) sim.progTestRun(p, TestRunSpec.ofData(new byte[14]));
                }
                return null;
            }));
        }
        for (Future<?> f : done) f.get(60, TimeUnit.SECONDS);
        pool.shutdown();
        int n = 0;
        byte[] cur = null;
        byte[] next = new byte[4];
        while (sim.mapGetNextKey(h, cur, next)) {
            n++;
            cur = next.clone();
        }
        assertEquals(4000, n);
        byte[] v = new byte[8];
        sim.mapLookupElem(counter, u32(0), v, 0);
        assertEquals(400, u64(v, 0));
        for (int x : new int[] {h, counter, p}) sim.closeFd(x);
    }
}
